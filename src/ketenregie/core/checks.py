"""Start-up safety: production refuses to run while demo accounts (password 'demo') exist, and warns
when the rate limits count per process or cannot tell clients behind the proxy apart."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


class DemoAccountsInProductionError(RuntimeError):
    pass


def demo_accounts_present() -> list[str]:
    from ketenregie.core.models import User

    # A switched-off demo account (``remove-demo-accounts``) stays for the audit trail; it cannot log in.
    return list(
        User.objects.filter(is_demo_account=True, is_active=True).values_list("username", flat=True)[:20]
    )


def assert_safe_to_serve() -> None:
    """Called by the WSGI entry point before the first request is served."""
    if not settings.IS_PRODUCTION:
        return
    present = demo_accounts_present()
    if present:
        raise DemoAccountsInProductionError(
            "Refusing to start in production: demo accounts exist (" + ", ".join(present) + "). "
            "Switch them off with `ketenregie remove-demo-accounts`."
        )


@checks.register(checks.Tags.security, deploy=True)
def check_no_demo_accounts(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if not settings.IS_PRODUCTION:
        return []
    try:
        present = demo_accounts_present()
    except DatabaseError:
        return []
    if present:
        return [
            checks.Error(
                "Demo accounts exist in a production database: " + ", ".join(present),
                hint="Run `ketenregie remove-demo-accounts` before starting in production.",
                id="ketenregie.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    backend = str(settings.CACHES["default"]["BACKEND"])
    if settings.IS_PRODUCTION and backend.endswith("LocMemCache"):
        return [
            checks.Warning(
                "The rate limits of the public forms and the API count per server process.",
                hint="Set CACHE_URL=redis://host:6379/0 so all processes share one count.",
                id="ketenregie.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxies(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.SECURE_PROXY_SSL_HEADER and settings.TRUSTED_PROXIES == 0:
        return [
            checks.Warning(
                "Behind a TLS proxy with TRUSTED_PROXIES=0, the rate limits and the login lockout count "
                "the proxy's address: all clients share one count.",
                hint="Set TRUSTED_PROXIES to the number of proxies that append to X-Forwarded-For.",
                id="ketenregie.W002",
            )
        ]
    return []


@checks.register()
def check_zgw_settings(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """The zaaksysteem settings (docs/zgw.md): a wrong RSIN would put every zaak under another
    organisation, so it stops the start; an unknown case kind in ZGW_ZAAKTYPEN is a typo."""
    from ketenregie.cases.models import CaseKind
    from ketenregie.cases.zgw_client import ZgwConfig, rsin_problem

    found: list[checks.CheckMessage] = []
    if settings.ZGW_RSIN and (problem := rsin_problem(settings.ZGW_RSIN)):
        hint = "Set ZGW_RSIN to the municipality's RSIN."
        found.append(checks.Error(problem, hint=hint, id="ketenregie.E010"))
    unknown = sorted(set(settings.ZGW_ZAAKTYPEN) - set(CaseKind.values))
    if unknown:
        found.append(
            checks.Error(
                "ZGW_ZAAKTYPEN names unknown case kinds: " + ", ".join(unknown),
                hint="Use the kinds " + ", ".join(CaseKind.values) + ".",
                id="ketenregie.E011",
            )
        )
    config = ZgwConfig.from_settings()
    missing = config.missing_for_push()
    if config.zaken_url and missing:
        found.append(
            checks.Warning(
                "A Zaken API is configured but cases cannot be pushed: " + ", ".join(missing) + " not set.",
                id="ketenregie.W010",
            )
        )
    return found
