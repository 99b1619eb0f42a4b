from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The public dashboard: key figures in the languages of the portal, without personal data."""

    name = "ketenregie.dashboard"
    label = "dashboard"
    verbose_name = _("Public dashboard")
