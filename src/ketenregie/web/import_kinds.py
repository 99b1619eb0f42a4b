"""The registers that can be imported from CSV, and the importer each uses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ketenregie.core.imports import RowImporter
from ketenregie.deliveries.employments import EmploymentImporter
from ketenregie.deliveries.services import DeliveryContext
from ketenregie.employers.imports import EmployerImporter
from ketenregie.people.imports import PersonImporter
from ketenregie.places.imports import AddressImporter

IMPORT_KINDS: dict[str, tuple[Any, type[Any]]] = {
    "addresses": (_("Addresses"), AddressImporter),
    "people": (_("People"), PersonImporter),
    "employers": (_("Employers"), EmployerImporter),
    "employments": (_("Employments (delivery)"), EmploymentImporter),
}

# Deliveries (issue 12): their importer records who delivered what, so it is made with a DeliveryContext.
DELIVERY_KINDS = frozenset({"employments"})


def importer_for(kind: str, context: DeliveryContext | None = None) -> RowImporter[Any]:
    importer_class = IMPORT_KINDS[kind][1]
    if kind in DELIVERY_KINDS:
        if context is None:
            raise ValueError(f"{kind} is a delivery: give the DeliveryContext")
        return importer_class(context)
    return importer_class()
