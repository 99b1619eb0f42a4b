"""Step of the generator: the monitoring set-up a municipality would have — programme lines with
targets and budgets, hand-entered figures, council commitments from the seed documents, the migration
monitor — and the key figures computed for the last years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ketenregie.core.kpi import Period
from ketenregie.demo.context import GenerationContext
from ketenregie.monitoring import services
from ketenregie.monitoring.models import (
    BenchmarkFigure,
    Commitment,
    CommitmentEvidence,
    CommitmentKind,
    CommitmentStatus,
    Indicator,
    LineBudget,
    LineTarget,
    ManualValue,
    MigrationFigure,
    MigrationMeasure,
    MigrationMotive,
    ProgrammeLine,
    ReceptionKind,
    ReceptionLocation,
)
from ketenregie.monitoring.selectors import value_of

ROTTERDAM_PROGRAMME = "Actieprogramma Meer grip op arbeidsmigratie 2023–2026"
# (number, name, goal, [(indicator code, counts for efficiency)], budget per year at full scale)
LINES: list[tuple[int, str, str, list[tuple[str, bool]], int]] = [
    (
        1,
        "Coalitie Goed Werkgeverschap en toeleiding naar werk",
        "Meer werkgevers en uitzendbureaus sluiten aan bij de coalitie; EU-arbeidsmigranten die ander werk zoeken "
        "of dakloos raken, worden naar goed werk geleid.",
        [("covenant_members", False), ("homeless_to_work", True)],
        850_000,
    ),
    (
        2,
        "Bereikbaarheid informatiepunten en inschrijving in de BRP",
        "EU-arbeidsmigranten weten de informatiepunten te vinden en staan ingeschreven op het adres waar zij wonen.",
        [
            ("labour_migrants_living", False),
            ("infopoint_unique_visitors", True),
            ("infopoint_digid_helped", False),
            ("infopoint_information_meetings", False),
            ("infopoint_group_registrations", False),
        ],
        1_400_000,
    ),
    (
        3,
        "Ketensamenwerking, toezicht en handhaving",
        "Minder overbewoning en uitbuiting door gezamenlijk, risicogestuurd toezicht met de ketenpartners.",
        [
            ("addresses_over_norm", False),
            ("employer_violations_proven", False),
            ("integral_control_visits", True),
            ("first_registration_forms", False),
            ("dossiers_to_nla", False),
        ],
        2_100_000,
    ),
    (
        5,
        "Zelfredzaamheid van EU-arbeidsmigranten",
        "EU-arbeidsmigranten leren de taal, kennen hun rechten en plichten en vinden hun weg, ook via sleutelfiguren "
        "uit hun eigen gemeenschap.",
        [
            ("infopoint_course_formal", True),
            ("infopoint_course_non_formal", False),
            ("infopoint_key_figures", False),
        ],
        600_000,
    ),
    (
        4,
        "Daklozenaanpak EU-burgers",
        "Dakloze EU-burgers krijgen onderdak, en worden naar werk of terug naar huis geholpen.",
        [("homeless_returned_home", True), ("shelter_intake", False)],
        1_150_000,
    ),
]
MANUAL_FIGURES: dict[str, dict[int, int]] = {
    "nla_fines": {2023: 91, 2024: 102, 2025: 108},
    "homeless_to_work": {2023: 198, 2024: 230, 2025: 241},
    "homeless_returned_home": {2023: 236, 2024: 258, 2025: 249},
    "shelter_intake": {2024: 249, 2025: 262},
    "job_fair_informed": {2023: 150, 2024: 200, 2025: 185},
}
ROTTERDAM_COMMITMENTS: list[tuple[str, str, str, str]] = [
    (
        "24bb006037",
        CommitmentKind.MOTION,
        "Samenwerken voor EU-arbeidsmigranten",
        "In januari 2025 bracht de wethouder een ambtsreis naar Brussel over EU-arbeidsmigratie, met Den Haag en "
        "Eindhoven; gesprekken met Europarlementariërs, de Europese Commissie en de Europese Arbeidsautoriteit over "
        "informatie vóór vertrek, registratie, goed werkgeverschap en schijnconstructies.",
    ),
    (
        "24bb006038",
        CommitmentKind.MOTION,
        "Vakbonden voor EU-arbeidsmigranten",
        "De toegang van vakbonden tot de werkvloer is in de overleggen van de coalitie Goed Werkgeverschap "
        "geagendeerd en blijft een terugkerend thema; alle partners zijn lid van ABU of NBBU.",
    ),
    (
        "24bb006039",
        CommitmentKind.MOTION,
        "Goed werkgeverschap voor EU-arbeidsmigranten over gemeentegrenzen heen",
        "De coalitie richt zich in 2025 op professionalisering met de huidige partners; met Lansingerland, Westland "
        "en de arbeidsmarktregio Rijnmond wordt de aanpak gedeeld.",
    ),
    (
        "24bb006040",
        CommitmentKind.MOTION,
        "Stop de dubbele uitbuiting",
        "Het convenant voorziet in herziening van de samenwerking bij bewezen misstanden: van gesprek, via arbitrage, "
        "tot opzegging. Nieuwe partners treden alleen toe zonder bewezen misstanden.",
    ),
    (
        "24bb006080",
        CommitmentKind.PROMISE,
        "Voortgangsrapportage actieprogramma EU-arbeidsmigranten over 2024",
        "De vierde voortgangsrapportage over 2024 is aan de raad aangeboden, met de afdoeningsvoorstellen voor de "
        "vier moties.",
    ),
]
ZOETERMEER_RECOMMENDATIONS: list[tuple[str, str, str]] = [
    (
        "RKZ-2025-1",
        "Beleid voor integratie van langdurig verblijvende arbeidsmigranten",
        "Arbeidsmigranten maken gebruik van bestaande voorzieningen; op regionaal niveau wordt een WIN-punt opgericht.",
    ),
    (
        "RKZ-2025-2",
        "Meer inzicht voor de raad: jaarlijkse monitoring en werkbezoeken",
        "Het college vraagt de raad hoe hij geïnformeerd wil blijven en nodigt de raad uit voor werkbezoeken.",
    ),
    (
        "RKZ-2025-3",
        "Andere domeinen betrekken: onderwijs, zorg en participatie",
        "Arbeidsmigranten maken deel uit van het reguliere beleid; waar nodig maatwerk.",
    ),
    (
        "RKZ-2025-4",
        "Intensiveren van registratie en handhaving op woonfraude",
        "Samenwerking van burgerzaken, handhaving en woningcorporaties; start van een pilot met de pandbrigade.",
    ),
    (
        "RKZ-2025-5",
        "Meertalige communicatie en toegankelijke informatie",
        "Samen met het WIN-punt zorgt de gemeente voor meertalige communicatie voor EU-arbeidsmigranten.",
    ),
]


def build_monitoring(ctx: GenerationContext) -> None:
    municipality, scale, ref = ctx.municipality, ctx.scale, ctx.reference_date
    catalogue = {i.code: i for i in services.sync_catalogue(municipality=municipality)}
    years = list(range(ref.year - 3, ref.year + 1))
    for code in ("labour_migrants_living", "addresses_over_norm", "employer_violations_proven", "nla_fines"):
        Indicator.objects.filter(pk=catalogue[code].pk).update(shared_regionally=True)
    if ctx.profile.key == "rotterdam":
        _commitments_rotterdam(ctx, catalogue)
    elif ctx.profile.key == "zoetermeer":
        _recommendations(
            ctx, ZOETERMEER_RECOMMENDATIONS, owner="college van B&W", adopted=dt.date(2025, 6, 23)
        )
    for code, by_year in MANUAL_FIGURES.items():
        for year, value in by_year.items():
            if year < ref.year:
                period = Period.year(year)
                ManualValue.objects.create(
                    municipality=municipality,
                    indicator=catalogue[code],
                    period_start=period.start,
                    period_end=period.end,
                    value=Decimal(max(1, round(value * scale))),
                    source_note="jaaropgave",
                    entered_by="system:seed",
                )
    _migration_monitor(ctx)
    stored = services.refresh_values(municipality=municipality, years=years)
    ctx.count("indicator_values", stored)
    if ctx.profile.key == "rotterdam":
        _programme(ctx, catalogue, years)


def _programme(ctx: GenerationContext, catalogue: dict[str, Indicator], years: list[int]) -> None:
    """Targets as a programme would have set them: near what was achieved, some met and some missed."""
    for number, name, goal, targets, budget in LINES:
        line = ProgrammeLine.objects.create(
            municipality=ctx.municipality, programme=ROTTERDAM_PROGRAMME, number=number, name=name, goal=goal
        )
        for year in years:
            for code, output in targets:
                achieved = value_of(catalogue[code], Period.year(year))
                if achieved is None:
                    continue
                factor = Decimal(ctx.rng.randint(85, 118)) / 100
                LineTarget.objects.create(
                    municipality=ctx.municipality,
                    line=line,
                    indicator=catalogue[code],
                    year=year,
                    target=max(Decimal(1), (achieved * factor).quantize(Decimal("1"))),
                    counts_for_efficiency=output,
                )
            spent_share = (
                Decimal(ctx.rng.randint(82, 104)) / 100 if year < ctx.reference_date.year else Decimal("0.8")
            )
            scaled = Decimal(max(10_000, round(budget * ctx.scale)))
            LineBudget.objects.create(
                municipality=ctx.municipality,
                line=line,
                year=year,
                budget=scaled,
                spent=(scaled * spent_share).quantize(Decimal("1")),
            )


def _commitments_rotterdam(ctx: GenerationContext, catalogue: dict[str, Indicator]) -> None:
    adopted = dt.date(2024, 9, 12)
    for number, kind, title, settlement in ROTTERDAM_COMMITMENTS:
        commitment = Commitment.objects.create(
            municipality=ctx.municipality,
            kind=kind,
            number=number,
            title=title,
            adopted_on=adopted,
            owner="Wethouder Werk en Inkomen",
            due_on=dt.date(2025, 7, 1),
            status=CommitmentStatus.PROPOSED_SETTLED,
            settlement_text=settlement,
            settlement_proposed_on=dt.date(2025, 5, 20),
            text=f"Aangenomen bij de behandeling van de voortgangsrapportage over 2023 ({number}).",
        )
        if number == "24bb006040":
            CommitmentEvidence.objects.create(
                municipality=ctx.municipality,
                commitment=commitment,
                kind="indicator",
                indicator=catalogue["covenant_members"],
                note="Leden van de coalitie; escalatieladder in het convenant.",
            )
    Commitment.objects.create(
        municipality=ctx.municipality,
        kind=CommitmentKind.PROMISE,
        number="25bb004512",
        title="Jaarlijks inzicht in overbewoning per wijk",
        adopted_on=dt.date(2025, 10, 2),
        owner="Wethouder Wonen",
        due_on=dt.date(2026, 6, 1),
        status=CommitmentStatus.IN_PROGRESS,
        text="De raad ontvangt jaarlijks het aantal adressen met overbewoning per aandachtswijk.",
    )


def _recommendations(
    ctx: GenerationContext, items: list[tuple[str, str, str]], *, owner: str, adopted: dt.date
) -> None:
    for number, title, response in items:
        Commitment.objects.create(
            municipality=ctx.municipality,
            kind=CommitmentKind.AUDIT_RECOMMENDATION,
            number=number,
            title=title,
            adopted_on=adopted,
            owner=owner,
            response=response,
            due_on=adopted + dt.timedelta(days=365),
            status=CommitmentStatus.IN_PROGRESS,
        )


def _migration_monitor(ctx: GenerationContext) -> None:
    municipality, scale = ctx.municipality, ctx.scale
    haarlemmermeer = ctx.profile.key == "haarlemmermeer"
    housed = {2024: (180, 260), 2025: (200, 290)} if haarlemmermeer else {2024: (380, 420), 2025: (405, 470)}
    for year, (realised, target) in housed.items():
        period = Period.year(year)
        MigrationFigure.objects.create(
            municipality=municipality,
            motive=MigrationMotive.ASYLUM,
            measure=MigrationMeasure.STATUSHOLDERS_HOUSED,
            period_start=period.start,
            period_end=period.end,
            realised=Decimal(max(1, round(realised * scale))),
            target=Decimal(max(1, round(target * scale))),
            source="taakstelling Rijk",
        )
    ukraine = 951 if haarlemmermeer else 2_600
    MigrationFigure.objects.create(
        municipality=municipality,
        motive=MigrationMotive.UKRAINE,
        measure=MigrationMeasure.UKRAINE_PLACES,
        period_start=dt.date(2025, 7, 1),
        period_end=dt.date(2026, 7, 1),
        realised=Decimal(max(1, round(ukraine * scale))),
        target=Decimal(max(1, round(ukraine * scale))),
        source="inspanningsverplichting per 1-7-2025",
    )
    MigrationFigure.objects.create(
        municipality=municipality,
        motive=MigrationMotive.ASYLUM,
        measure=MigrationMeasure.INTEGRATION_ON_ASSISTANCE,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2026, 1, 1),
        realised=Decimal("82" if haarlemmermeer else "79"),
        source="gemeentelijke registratie Wi2021",
    )
    if haarlemmermeer:
        locations = [
            ("Planeetbaan", ReceptionKind.LASTING, 600, dt.date(2023, 3, 1), dt.date(2028, 3, 1)),
            ("Rijksweg A4", ReceptionKind.EMERGENCY, 250, dt.date(2024, 1, 15), dt.date(2026, 12, 31)),
            ("Melbournestraat", ReceptionKind.EMERGENCY, 180, dt.date(2024, 5, 1), dt.date(2026, 9, 30)),
        ]
    else:
        locations = [
            ("Opvang Noord", ReceptionKind.LASTING, 400, dt.date(2022, 6, 1), dt.date(2029, 6, 1)),
            ("Noodopvang Haven", ReceptionKind.EMERGENCY, 300, dt.date(2024, 2, 1), dt.date(2026, 12, 31)),
        ]
    for name, kind, capacity, opened, ends in locations:
        ReceptionLocation.objects.create(
            municipality=municipality,
            name=name,
            motive=MigrationMotive.ASYLUM,
            kind=kind,
            operator="COA",
            capacity=max(10, round(capacity * max(scale, 0.1))),
            opened_on=opened,
            ends_on=ends,
        )
    share = "76" if haarlemmermeer else "79"
    for subject, value in ((municipality.name, share), ("Gemeenten in dezelfde grootteklasse", "77")):
        BenchmarkFigure.objects.create(
            municipality=municipality,
            source="Divosa",
            indicator="Statushouders Wi2021 met bijstandsuitkering (18–67 jaar)",
            subject_name=subject,
            period="2025",
            value=Decimal(value),
            unit="%",
        )
