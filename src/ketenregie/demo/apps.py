from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "ketenregie.demo"
    label = "demo"
    verbose_name = _("Demo: synthetic municipalities")
