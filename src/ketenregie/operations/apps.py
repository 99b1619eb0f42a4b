from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "ketenregie.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # Each app declares its task kinds in its ``tasks`` module; the web process needs them to start
        # a task, the worker to run it.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
