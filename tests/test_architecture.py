"""Edges stay thin: no view, viewset, API module or command touches another app's models.

An edge parses input, calls the owning app's selectors or services and renders; an edge that imports
another app's model has a query of its own to keep in step with that app. Choices (TextChoices and
other enums kept in models modules) are vocabulary, not records, and stay importable; so do imports
under ``if TYPE_CHECKING:``, which only name types for annotations.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from django.db import models

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ketenregie"
# Apps that own no models: every model they import is another app's.
MODEL_FREE_APPS = {"api", "web"}


@dataclass(frozen=True)
class Offence:
    module: str
    line: int
    name: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}:{self.name}"


def is_edge(relative: Path) -> bool:
    """``relative`` is a module's path below src/ketenregie."""
    parts = relative.parts
    if "migrations" in parts or "tests" in parts or relative.suffix != ".py":
        return False
    stem = relative.stem
    return (
        parts[0] in MODEL_FREE_APPS
        or stem == "api"
        or stem.startswith("api_")
        or stem == "views"
        or stem.startswith("views_")
        or stem.endswith("_views")
        or "views" in parts[:-1]
        or parts[-3:-1] == ("management", "commands")
    )


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of every node under an ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}:
            for inner in node.body:
                hidden.update(id(n) for n in ast.walk(inner))
    return hidden


def _models_app(module: str) -> str | None:
    """The app whose models ``module`` is (``ketenregie.<app>.models`` or a module in that package)."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[0] == "ketenregie" and parts[2] == "models":
        return parts[1]
    return None


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _is_model_or_models(value: object) -> bool:
    """A model class, or a module of a models package (``from ketenregie.core.models import tenancy``)."""
    return isinstance(value, ModuleType) or (isinstance(value, type) and issubclass(value, models.Model))


def offences(source: str, *, module: str, app: str, package: str) -> list[Offence]:
    """Imports of another app's models in ``source``; ``app`` is the app the module belongs to and
    ``package`` the package it stands in (for relative imports)."""
    tree = ast.parse(source)
    hidden = _type_checking_only(tree)

    def foreign(models_app: str | None) -> bool:
        return models_app is not None and (app in MODEL_FREE_APPS or models_app != app)

    found = []
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found.extend(
                Offence(module, node.lineno, alias.name)
                for alias in node.names
                if foreign(_models_app(alias.name))
            )
        elif isinstance(node, ast.ImportFrom):
            source_module = _absolute(node, package)
            if _models_app(source_module) is None:
                # ``from ketenregie.<app> import models``: the whole models module.
                found.extend(
                    Offence(module, node.lineno, alias.name)
                    for alias in node.names
                    if foreign(_models_app(f"{source_module}.{alias.name}"))
                )
            elif foreign(_models_app(source_module)):
                imported = importlib.import_module(source_module)
                found.extend(
                    Offence(module, node.lineno, alias.name)
                    for alias in node.names
                    if _is_model_or_models(getattr(imported, alias.name, None))
                )
    return found


def edge_offences() -> list[Offence]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if not is_edge(relative):
            continue
        package = ".".join(["ketenregie", *relative.parts[:-1]])
        found.extend(
            offences(
                path.read_text(encoding="utf-8"),
                module=relative.as_posix(),
                app=relative.parts[0],
                package=package,
            )
        )
    return found


def test_the_scan_finds_a_foreign_model_and_lets_the_rest_pass() -> None:
    source = """
from typing import TYPE_CHECKING
from ketenregie.core.models import Municipality, OrganisationKind
from ketenregie.cases.models import Case
from ketenregie.core.models.tenancy import Norms
from ketenregie.people import models as people_models
from ..models import Case as OwnCase
from ketenregie.core.selectors import municipality_by_code
import ketenregie.employers.models

if TYPE_CHECKING:
    from ketenregie.core.models import User

def handle():
    from ketenregie.core.models import Organisation
"""
    found = offences(source, module="cases/views/x.py", app="cases", package="ketenregie.cases.views")
    assert [str(o) for o in found] == [
        "cases/views/x.py:3:Municipality",
        "cases/views/x.py:5:Norms",
        "cases/views/x.py:6:models",
        "cases/views/x.py:9:ketenregie.employers.models",
        "cases/views/x.py:15:Organisation",
    ]
    # The web and api apps own no models, so there the cases app's model counts too.
    in_web = offences(source, module="web/x.py", app="web", package="ketenregie.web")
    assert [o.name for o in in_web] == [
        "Municipality",
        "Case",
        "Norms",
        "models",
        "ketenregie.employers.models",
        "Organisation",
    ]


def test_the_scan_knows_which_modules_are_edges() -> None:
    edges = [
        "api/base.py",
        "web/lists.py",
        "signals/api.py",
        "signals/api_serializers.py",
        "cases/views/findings.py",
        "places/views.py",
        "web/import_views.py",
        "risk/management/commands/risk.py",
    ]
    inner = ["cases/selectors.py", "core/tokens.py", "places/migrations/0001_initial.py", "core/views_x.txt"]
    assert all(is_edge(Path(p)) for p in edges)
    assert not any(is_edge(Path(p)) for p in inner)


def test_no_edge_imports_another_apps_models() -> None:
    found = edge_offences()
    assert not found, (
        "These views, API modules and commands import another app's models; read through that app's "
        "selectors and write through its services instead:\n" + "\n".join(str(o) for o in found)
    )
