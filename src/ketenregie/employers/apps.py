from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "ketenregie.employers"
    label = "employers"
    verbose_name = _("Employers: temp agencies, hirers, violations and the covenant")
