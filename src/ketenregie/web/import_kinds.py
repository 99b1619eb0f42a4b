"""The registers that can be imported from CSV, and the importer each uses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ketenregie.core.imports import RowImporter
from ketenregie.deliveries.employments import EmploymentImporter
from ketenregie.deliveries.imports import LabourMigrantImporter
from ketenregie.deliveries.services import DeliveryContext
from ketenregie.employers.imports import EmployerImporter
from ketenregie.employers.sna_register import SnaRegisterImporter
from ketenregie.people.imports import PersonImporter
from ketenregie.places.imports import AddressImporter

IMPORT_KINDS: dict[str, tuple[Any, type[Any]]] = {
    "addresses": (_("Addresses"), AddressImporter),
    "people": (_("People"), PersonImporter),
    "employers": (_("Employers"), EmployerImporter),
    "sna-register": (_("SNA register (NEN 4400-1), the whole register"), SnaRegisterImporter),
    "labour-migrants": (_("Labour migrants (delivery)"), LabourMigrantImporter),
    "employments": (_("Employments (delivery)"), EmploymentImporter),
}


def is_delivery(kind: str) -> bool:
    """A delivery kind's importer (``is_delivery = True``) records who delivered what, so it is built
    with a DeliveryContext (deliveries.services.delivery_context_for)."""
    return bool(getattr(IMPORT_KINDS[kind][1], "is_delivery", False))


def importer_for(kind: str, context: DeliveryContext | None = None) -> RowImporter[Any]:
    cls = IMPORT_KINDS[kind][1]
    if is_delivery(kind):
        if context is None:
            raise ValueError(f"{kind} is a delivery: name who delivers")
        return cls(context)
    return cls()
