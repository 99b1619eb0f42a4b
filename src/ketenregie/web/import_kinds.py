"""The registers that can be imported from CSV, and the importer each uses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ketenregie.core.imports import RowImporter
from ketenregie.employers.imports import EmployerImporter
from ketenregie.employers.sna_register import SnaRegisterImporter
from ketenregie.people.imports import PersonImporter
from ketenregie.places.imports import AddressImporter

IMPORT_KINDS: dict[str, tuple[Any, type[Any]]] = {
    "addresses": (_("Addresses"), AddressImporter),
    "people": (_("People"), PersonImporter),
    "employers": (_("Employers"), EmployerImporter),
    "sna-register": (_("SNA register (NEN 4400-1), the whole register"), SnaRegisterImporter),
}


def importer_for(kind: str) -> RowImporter[Any]:
    return IMPORT_KINDS[kind][1]()
