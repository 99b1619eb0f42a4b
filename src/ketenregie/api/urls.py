from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from ketenregie.api.legacy import with_legacy_slash
from ketenregie.api.views import ObtainTokenView, OwnTokensView, OwnTokenView
from ketenregie.cases.api import CaseViewSet
from ketenregie.deliveries.api import EmploymentDeliveryView, LabourMigrantDeliveryView
from ketenregie.employers.api import EmployerViewSet
from ketenregie.housing.api import HousingLocationViewSet
from ketenregie.operations.api import TaskRunViewSet
from ketenregie.people.api import PersonViewSet
from ketenregie.people.api_bewoning import BewoningenNotFoundView, BewoningenView
from ketenregie.places.api import AddressViewSet
from ketenregie.risk.api import AddressRiskScoreViewSet, RiskRunViewSet
from ketenregie.signals.api import SignalViewSet

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("addresses", AddressViewSet, basename="address")
router.register("people", PersonViewSet, basename="person")
router.register("employers", EmployerViewSet, basename="employer")
router.register("housing-locations", HousingLocationViewSet, basename="housing-location")
router.register("signals", SignalViewSet, basename="signal")
router.register("cases", CaseViewSet, basename="case")
router.register("risk/runs", RiskRunViewSet, basename="risk-run")
router.register("risk/address-scores", AddressRiskScoreViewSet, basename="risk-address-score")
router.register("tasks", TaskRunViewSet, basename="task")

app_name = "api"

# Paths have no trailing slash (NL API Design Rules); the old form with one answers too, for one
# release (api/legacy.py).
urlpatterns = [
    # The BRP Bewoning API's own path, so its clients can use this base URL; it never had a slash.
    path("brp/bewoningen", BewoningenView.as_view(), name="brp_bewoningen"),
    # Any other path under brp/ answers 404 in the BRP Bewoning API's error shape.
    re_path(r"^brp/.*$", BewoningenNotFoundView.as_view(), name="brp_not_found"),
    *with_legacy_slash(
        [
            path("auth/token", ObtainTokenView.as_view(), name="token"),
            path("auth/tokens", OwnTokensView.as_view(), name="tokens"),
            path("auth/tokens/<int:token_id>", OwnTokenView.as_view(), name="token_detail"),
            path("schema", SpectacularAPIView.as_view(), name="schema"),
            path("labour-migrants", LabourMigrantDeliveryView.as_view(), name="labour_migrant_delivery"),
            path("employments", EmploymentDeliveryView.as_view(), name="employment_deliveries"),
            *router.urls,
        ]
    ),
]
