from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ketenregie.portal"
    label = "portal"
    verbose_name = "Portal: information pages and self-service"

    def ready(self) -> None:
        from ketenregie.portal import checks  # noqa: F401  (registers the sender check)
