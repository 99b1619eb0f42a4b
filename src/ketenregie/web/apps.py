from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The staff application's shell: layout, login, home page, lists and exports."""

    name = "ketenregie.web"
    label = "web"
    verbose_name = _("Staff application")
