from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "ketenregie.signals"
    label = "signals"
    verbose_name = _("Meldingen: intake, triage and deadlines")

    def ready(self) -> None:
        # The administration site does not autodiscover; register this app's pages with it.
        from ketenregie.signals import admin  # noqa: F401
