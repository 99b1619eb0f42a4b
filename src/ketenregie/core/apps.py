from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ketenregie.core"
    label = "core"
    verbose_name = _("Core: municipalities, organisations, users and audit trail")

    def ready(self) -> None:
        from ketenregie.core import checks, signals  # noqa: F401  (registers checks and auth signal handlers)
