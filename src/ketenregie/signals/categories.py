"""The default melding categories with their deadlines, and the deadline of one melding."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ketenregie.core.models import Municipality
from ketenregie.signals.models import CategoryCode, SignalCategory

# (code, name, deadline in days, sub-categories as (code, name)). Names are data: administrators edit them.
DEFAULT_CATEGORIES: tuple[tuple[str, str, int, tuple[tuple[str, str], ...]], ...] = (
    (
        CategoryCode.OVERCROWDING,
        "Overbewoning",
        14,
        (
            ("overcrowding_too_many_occupants", "Te veel bewoners"),
            ("overcrowding_beds_for_rent", "Verhuur per bed of matras"),
        ),
    ),
    (
        CategoryCode.HOUSING_FRAUD,
        "Woonfraude",
        28,
        (
            ("housing_fraud_registered_not_living", "Ingeschreven maar woont er niet"),
            ("housing_fraud_living_unregistered", "Woont er maar staat niet ingeschreven"),
            ("housing_fraud_illegal_subletting", "Illegale onderverhuur"),
        ),
    ),
    (
        CategoryCode.NUISANCE,
        "Overlast",
        10,
        (
            ("nuisance_noise", "Geluidsoverlast"),
            ("nuisance_waste", "Afval en vervuiling"),
            ("nuisance_vans_parking", "Busjes en parkeeroverlast"),
        ),
    ),
    (
        CategoryCode.UNSAFE_HOUSING,
        "Onveilige huisvesting",
        5,
        (
            ("unsafe_housing_fire_safety", "Brandonveilig"),
            ("unsafe_housing_poor_condition", "Slechte staat van de woning"),
            ("unsafe_housing_non_residential", "Wonen in bedrijfspand, kantoor of schuur"),
        ),
    ),
    (
        CategoryCode.LABOUR_EXPLOITATION,
        "Arbeidsuitbuiting",
        7,
        (
            ("labour_exploitation_underpayment", "Onderbetaling of inhoudingen"),
            ("labour_exploitation_documents_withheld", "Paspoort of documenten ingehouden"),
            ("labour_exploitation_housing_tied_to_job", "Huisvesting gekoppeld aan het werk"),
        ),
    ),
    (CategoryCode.HOMELESSNESS, "Dakloosheid", 3, (("homelessness_rough_sleeping", "Slapen op straat"),)),
    (CategoryCode.OTHER, "Overig", 28, ()),
)


@transaction.atomic
def ensure_default_categories(municipality: Municipality) -> dict[str, SignalCategory]:
    """The seven main categories and their usual sub-categories; existing ones are left as they are."""
    categories: dict[str, SignalCategory] = {}
    for position, (code, name, days, children) in enumerate(DEFAULT_CATEGORIES):
        parent, _created = SignalCategory.objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={"name": name, "deadline_days": days, "position": position * 10},
        )
        categories[str(code)] = parent
        for index, (child_code, child_name) in enumerate(children, start=1):
            categories[child_code], _created = SignalCategory.objects.get_or_create(
                municipality=municipality,
                code=child_code,
                defaults={
                    "name": child_name,
                    "parent": parent,
                    "deadline_days": days,
                    "position": position * 10 + index,
                },
            )
    return categories


def due_on_for(category: SignalCategory, received_at: dt.datetime) -> dt.date:
    return timezone.localtime(received_at).date() + dt.timedelta(days=category.deadline_days)
