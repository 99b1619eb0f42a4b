"""One way in for a melding: every channel builds one intake record and calls ``signal_create_initial``.

Each channel (the open API with and without login, a partner through the API, the portal's form, the
staff's and the partner's web form) produces exactly one melding with the channel and reporting
organisation its submitter decides, and one CREATE event in the audit trail. A source check keeps it
that way: no other code in the application builds a melding for intake.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ketenregie.core.models import AuditEvent, Municipality, Organisation, User
from ketenregie.portal.protection import new_form_token
from ketenregie.signals.models import Signal, SignalChannel
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db

DESCRIPTION = "Elke nacht slapen hier minstens twaalf mensen op matrassen in de woonkamer."
SRC = Path(__file__).resolve().parent.parent / "src" / "ketenregie"


@dataclass(frozen=True)
class Expected:
    channel: str
    organisation: str | None  # the persona whose organisation reports, or None
    submitted_by: str | None  # the persona who submitted, or None for the public
    audit_username: str


def _api_body(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "category": "overcrowding",
        "description": DESCRIPTION,
        "address": {"postcode": world.address.postcode, "houseNumber": world.address.house_number},
        "reporter": {"name": "Jan Buurman", "email": "jan@example.nl"},
        **extra,
    }


def _staff_form(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "category": f.signal_category(world.address.municipality, "overcrowding").pk,
        "description": DESCRIPTION,
        "postcode": world.address.postcode,
        "house_number": str(world.address.house_number),
        "reporter_name": "Jan Buurman",
        **extra,
    }


def api_anonymous(world: World, **_: Any) -> int:
    body = _api_body(world, municipality=world.address.municipality.code, channel="phone")
    return APIClient().post("/api/v1/signals/", body, format="json").status_code


def api_staff(world: World, api_as: Callable[[str], APIClient], **_: Any) -> int:
    return (
        api_as("enforcement")
        .post("/api/v1/signals/", _api_body(world, channel="phone"), format="json")
        .status_code
    )


def api_partner(world: World, api_as: Callable[[str], APIClient], **_: Any) -> int:
    return (
        api_as("partner")
        .post("/api/v1/signals/", _api_body(world, channel="phone"), format="json")
        .status_code
    )


def portal_form(world: World, portal: Municipality, **_: Any) -> int:
    form = {
        "category": "overcrowding",
        "postcode": world.address.postcode,
        "house_number": str(world.address.house_number),
        "location": "",
        "description": DESCRIPTION,
        "contact_name": "Jan Buurman",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "started": new_form_token(),
    }
    return Client().post("/en/report/", form).status_code


def staff_web_form(world: World, client_as: Callable[[str], Client], **_: Any) -> int:
    return (
        client_as("enforcement")
        .post(reverse("signals:signal_create"), _staff_form(world, channel="desk"))
        .status_code
    )


def partner_web_form(world: World, client_as: Callable[[str], Client], **_: Any) -> int:
    # The partner's form has no channel field; one sent anyway changes nothing.
    return (
        client_as("partner")
        .post(reverse("signals:signal_create"), _staff_form(world, channel="desk"))
        .status_code
    )


CHANNELS: list[tuple[Callable[..., int], int, Expected]] = [
    (api_anonymous, 201, Expected(SignalChannel.PORTAL, None, None, "system:api")),
    (api_staff, 201, Expected(SignalChannel.PHONE, None, "enforcement", "enforcement")),
    (api_partner, 201, Expected(SignalChannel.PARTNER, "partner", "partner", "partner")),
    (portal_form, 200, Expected(SignalChannel.PORTAL, None, None, "system:portal")),
    (staff_web_form, 302, Expected(SignalChannel.DESK, None, "enforcement", "enforcement")),
    (partner_web_form, 200, Expected(SignalChannel.PARTNER, "partner", "partner", "partner")),
]


@pytest.fixture
def portal(portal_settings: Municipality, world: World) -> Municipality:
    return portal_settings


@pytest.mark.parametrize(("send", "status", "expected"), CHANNELS, ids=[c[0].__name__ for c in CHANNELS])
def test_every_channel_records_one_melding_through_the_one_entry_point(
    send: Callable[..., int],
    status: int,
    expected: Expected,
    world: World,
    portal: Municipality,
    personas: dict[str, User],
    api_as: Callable[[str], APIClient],
    client_as: Callable[[str], Client],
) -> None:
    assert send(world, api_as=api_as, client_as=client_as, portal=portal) == status
    signal = Signal.objects.get()
    organisation: Organisation | None = (
        personas[expected.organisation].memberships.get().organisation if expected.organisation else None
    )
    submitter = personas[expected.submitted_by] if expected.submitted_by else None
    assert (signal.channel, signal.reporter_organisation, signal.submitted_by) == (
        expected.channel,
        organisation,
        submitter,
    )
    # Whatever the channel, the same rules of intake applied: address found, deadline and category set.
    assert (signal.address, signal.needs_address, signal.category.code) == (
        world.address,
        False,
        "overcrowding",
    )
    assert signal.reporter_name == "Jan Buurman"
    created = AuditEvent.objects.filter(
        object_type="signals.signal", object_id=str(signal.pk), action="create"
    )
    assert [event.username for event in created] == [expected.audit_username]


# The source check.

ENTRY_POINT = ("signals/intake.py", "signal_create_initial")
# The demo generator writes years of history at once; it builds meldingen in bulk on purpose.
EXEMPT = ("demo/",)
CREATING_METHODS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def _signal_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names the module gives the Signal model, and the names it gives the signals models module."""
    classes, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "ketenregie.signals.models":
            classes |= {alias.asname or alias.name for alias in node.names if alias.name == "Signal"}
        elif isinstance(node, ast.ImportFrom) and node.module == "ketenregie.signals":
            modules |= {alias.asname or alias.name for alias in node.names if alias.name == "models"}
        elif isinstance(node, ast.Import):
            modules |= {
                alias.asname or alias.name
                for alias in node.names
                if alias.name == "ketenregie.signals.models"
            }
    return classes, modules


def _is_signal(node: ast.expr, classes: set[str], modules: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in classes
    return isinstance(node, ast.Attribute) and node.attr == "Signal" and ast.unparse(node.value) in modules


class _Constructions(ast.NodeVisitor):
    """Where a module builds a melding: ``Signal(...)`` or ``Signal.objects.create(...)`` and the like."""

    def __init__(self, classes: set[str], modules: set[str]) -> None:
        self.classes, self.modules = classes, modules
        self.functions: list[str] = []
        self.found: list[tuple[int, str]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        direct = _is_signal(func, self.classes, self.modules)
        through_manager = (
            isinstance(func, ast.Attribute)
            and func.attr in CREATING_METHODS
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "objects"
            and _is_signal(func.value.value, self.classes, self.modules)
        )
        if direct or through_manager:
            self.found.append((node.lineno, self.functions[-1] if self.functions else "<module>"))
        self.generic_visit(node)


def signal_constructions(root: Path) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in f"/{relative}" or relative.startswith(EXEMPT):
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        classes, modules = _signal_names(tree)
        if relative == "signals/models.py":
            classes.add("Signal")
        visitor = _Constructions(classes, modules)
        visitor.visit(tree)
        if visitor.found:
            found[relative] = visitor.found
    return found


def test_only_the_entry_point_builds_a_melding() -> None:
    found = signal_constructions(SRC)
    assert [(path, function) for path, calls in found.items() for _line, function in calls] == [
        ENTRY_POINT
    ], found


@pytest.fixture
def scratch_tree(tmp_path: Path) -> Path:
    (tmp_path / "signals").mkdir()
    (tmp_path / "signals" / "intake.py").write_text((SRC / "signals" / "intake.py").read_text())
    return tmp_path


@pytest.mark.parametrize(
    "second_path",
    [
        "from ketenregie.signals.models import Signal\n\ndef quick(**kw):\n    return Signal(**kw)\n",
        "from ketenregie.signals.models import Signal as S\n\ndef quick(**kw):\n    S.objects.create(**kw)\n",
        "from ketenregie.signals import models\n\ndef quick():\n    models.Signal.objects.bulk_create([])\n",
        "import ketenregie.signals.models as m\n\nSIGNAL = m.Signal(description='x')\n",
    ],
)
def test_the_source_check_finds_a_second_way_in(scratch_tree: Path, second_path: str) -> None:
    (scratch_tree / "portal").mkdir()
    (scratch_tree / "portal" / "shortcut.py").write_text(second_path)
    found = signal_constructions(scratch_tree)
    assert set(found) == {"signals/intake.py", "portal/shortcut.py"}
