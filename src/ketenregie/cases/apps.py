from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ketenregie.cases"
    label = "cases"
    verbose_name = _("Cases: inspections and enforcement with chain partners")

    def ready(self) -> None:
        # The administration site does not autodiscover; register this app's pages with it.
        from ketenregie.cases import admin  # noqa: F401
