"""Step 9 of the generator: the portal's information pages and a few self-service reports.

Pages exist in Dutch (the original), English, Polish, Romanian and Bulgarian. Some translations are
left missing or outdated on purpose, so the markers show: Bulgarian has no 'work' page, the Dutch
DigiD and housing texts were changed after the Polish and Romanian translations were made, and the
other five languages fall back to English.

Self-service reports go through the portal's own service (so they match, flag and keep history exactly
as a real report would): most are ordinary, some land on an overcrowded or non-residential address.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q

from ketenregie.demo.content.pages_nl_en import EN, NL, PAGES
from ketenregie.demo.content.pages_pl import PL
from ketenregie.demo.content.pages_ro_bg import BG, RO
from ketenregie.demo.context import GenerationContext
from ketenregie.people.models import AddressFunction, LabourMigrant, Residence
from ketenregie.places.models import Address
from ketenregie.portal.context import portal_actor
from ketenregie.portal.models import InfoPage, InfoPageTranslation, ReporterKind
from ketenregie.portal.services import AddressUpdate, address_update_apply

# (language, slug): the Dutch version the translation follows; the Dutch text is at version 2 for these.
OUTDATED = {("pl", "digid"), ("ro", "housing")}
CHANGED_IN_DUTCH = {slug for _language, slug in OUTDATED}


def build_pages(ctx: GenerationContext) -> None:
    for slug, (topic, position) in PAGES.items():
        page = InfoPage.objects.create(
            municipality=ctx.municipality, slug=slug, topic=topic, position=position
        )
        dutch_version = 2 if slug in CHANGED_IN_DUTCH else 1
        for language, texts in (("nl", NL), ("en", EN), ("pl", PL), ("ro", RO), ("bg", BG)):
            if slug not in texts:
                continue
            title, summary, body = texts[slug]
            follows = 1 if (language, slug) in OUTDATED else dutch_version
            InfoPageTranslation.objects.create(
                municipality=ctx.municipality,
                page=page,
                language=language,
                title=title,
                summary=summary,
                body=body,
                version=dutch_version if language == "nl" else 1,
                source_version=None if language == "nl" else follows,
            )
    ctx.count("portal_pages", len(PAGES))


def build_reports(ctx: GenerationContext) -> None:
    """A few verified self-service reports, some of them flagged for civil affairs and enforcement."""
    rng, ref = ctx.rng, ctx.reference_date
    actor = portal_actor(ctx.municipality)
    living = Q(residences__address_function=AddressFunction.LIVING, residences__ends_on__isnull=True)
    habitable = list(
        Address.objects.filter(municipality=ctx.municipality, is_habitable_use=True, floor_area_m2__gte=70)
        .order_by("pk")
        .values_list("pk", flat=True)[:4000]
    )
    crowded = list(
        Address.objects.filter(
            municipality=ctx.municipality, is_habitable_use=True, floor_area_m2__isnull=False
        )
        .annotate(n=Count("residences", filter=living))
        .filter(n__gte=1, floor_area_m2__lt=(F("n") + 1) * 12)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    offices = list(
        Address.objects.filter(municipality=ctx.municipality, is_habitable_use=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    migrants = list(
        LabourMigrant.objects.filter(municipality=ctx.municipality)
        .select_related("person")
        .order_by("pk")[:3000]
    )
    if not habitable or not migrants:
        return
    total = max(8, ctx.scaled(40))
    for number in range(total):
        kind = "crowded" if number % 5 == 1 else "office" if number % 11 == 3 else "normal"
        pool = {"crowded": crowded, "office": offices}.get(kind) or habitable
        address_id = rng.choice(pool)
        starts_on = ref - dt.timedelta(days=rng.randint(1, 60))
        if number % 3 == 0:
            # A new arrival, not yet in any register.
            given, surname, born, nationality = (
                rng.choice(("Marek", "Ionela", "Georgi", "Oksana", "Tamás")),
                rng.choice(("Zieliński", "Dumitrescu", "Petrov", "Kovalenko", "Szabó")) + f"-{number}",
                dt.date(rng.randint(1975, 2003), rng.randint(1, 12), rng.randint(1, 28)),
                rng.choice(("PL", "RO", "BG", "UA", "HU")),
            )
        else:
            person = rng.choice(migrants).person
            if person.birth_date is None:
                continue
            current = (
                Residence.objects.filter(person=person, ends_on__isnull=True).order_by("-starts_on").first()
            )
            if current is not None and current.starts_on and current.starts_on >= starts_on:
                starts_on = min(ref, current.starts_on + dt.timedelta(days=rng.randint(1, 20)))
            given = person.given_names
            surname = f"{person.surname_prefix} {person.surname}".strip()
            born, nationality = person.birth_date, person.nationality
        employer = number % 4 == 2
        update = AddressUpdate(
            reporter=ReporterKind.EMPLOYER if employer else ReporterKind.SELF,
            given_names=given,
            surname=surname,
            birth_date=born,
            nationality=nationality,
            address_id=address_id,
            starts_on=starts_on,
            language={"PL": "pl", "RO": "ro", "BG": "bg", "UA": "uk", "HU": "hu"}.get(nationality, "en"),
            email=f"demo{number}@example.org" if not employer or rng.random() < 0.5 else "",
            phone="" if rng.random() < 0.6 else f"+48 6{rng.randint(10000000, 99999999)}",
            employer_kvk=f"{30000000 + number:08d}" if employer else "",
            employer_name="Flexwerk Demo B.V." if employer else "",
            employer_email="hr@flexwerk-demo.example" if employer else "",
            consent=employer,
        )
        address_update_apply(actor=actor, update=update, verified_by="email")
    ctx.count("portal_self_service_reports", total)


def build_portal(ctx: GenerationContext) -> None:
    build_pages(ctx)
    build_reports(ctx)
