"""Step 8 of the generator: the information points' contacts and activities.

Calibrated on Rotterdam 2024 (seed 003, DOMAIN.md): 2 information points, 715 unique visitors, 224 of
them helped to an active DigiD, 20 information meetings, 3 group registration moments, 596 participants
in formal and 491 in non-formal courses, 30 key figures, a job fair with 200 migrants informed and 2
sounding-board meetings. Each calendar year from 2024 up to the reference date gets the same volume
(the last one pro rata); everything is scaled by --scale.
"""

from __future__ import annotations

import datetime as dt

from ketenregie.demo.context import GenerationContext, bulk_create
from ketenregie.demo.names import GIVEN_NAMES, SURNAMES
from ketenregie.demo.profiles import LANGUAGE_OF, MIGRANT_NATIONALITIES
from ketenregie.infopoint.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Contact,
    ContactTopic,
    InformationPoint,
    Referral,
    Topic,
    VisitorLanguage,
)
from ketenregie.infopoint.pseudonyms import key_maker

FIRST_YEAR = 2024
POINTS = (
    ("Informatiepunt Zuid", "Voorbeeldstraat 1, Rotterdam"),
    ("Informatiepunt West", "Proefweg 20, Rotterdam"),
)
YEARLY = {
    "visitors": 715,
    "digid": 224,
    ActivityKind.INFORMATION_MEETING: 20,
    ActivityKind.GROUP_REGISTRATION: 3,
    "formal_participants": 596,
    "non_formal_participants": 491,
    "key_figures": 30,
}
CHANNELS = (("desk", 0.55), ("phone", 0.2), ("whatsapp", 0.18), ("email", 0.07))
TOPICS = (
    (Topic.BRP_REGISTRATION, 25),
    (Topic.HOUSING, 22),
    (Topic.WORK, 20),
    (Topic.DIGID, 15),
    (Topic.HEALTH, 12),
    (Topic.MONEY, 12),
    (Topic.LEGAL, 8),
    (Topic.RETURN_HOME, 4),
)
REFERRALS = (
    ("", 0.38),
    (Referral.CIVIL_AFFAIRS, 0.16),
    (Referral.UWV, 0.08),
    (Referral.TAX_OFFICE, 0.08),
    (Referral.SVB, 0.03),
    (Referral.LEGAL_AID, 0.06),
    (Referral.FAIRWORK, 0.04),
    (Referral.NLA, 0.03),
    (Referral.HEALTH, 0.05),
    (Referral.SOCIAL_TEAM, 0.04),
    (Referral.RETURN_SUPPORT, 0.03),
    (Referral.HOUSING_CORPORATION, 0.02),
)
FOLLOW_UPS = (
    "Terugbellen met antwoord van de verhuurder",
    "Afspraak burgerzaken voor inschrijving BRP",
    "Helpen met aanvraag zorgtoeslag",
    "Controleren of DigiD-brief is aangekomen",
    "Loonstroken nakijken met bezoeker",
)
MEETING_TITLES = (
    "Wonen en werken in Rotterdam",
    "Je rechten als uitzendkracht",
    "Zorgverzekering en zorgtoeslag",
    "Inschrijven in de BRP en DigiD",
    "Belastingaangifte voor arbeidsmigranten",
)


def _spread(total: int, parts: int, ctx: GenerationContext) -> list[int]:
    """``total`` split over ``parts`` with some variation, summing exactly to ``total``."""
    if parts <= 0:
        return []
    weights = [0.7 + 0.6 * ctx.rng.random() for _ in range(parts)]
    shares = [int(total * w / sum(weights)) for w in weights]
    for index in range(total - sum(shares)):
        shares[index % parts] += 1
    return shares


def _year_fraction(year: int, reference: dt.date) -> float:
    if year < reference.year:
        return 1.0
    return (reference - dt.date(year, 1, 1)).days / 365


def build_infopoint(ctx: GenerationContext) -> None:
    rng, ref = ctx.rng, ctx.reference_date
    points = [
        InformationPoint.objects.create(municipality=ctx.municipality, name=name, address=address)
        for name, address in POINTS
    ]
    make_key = key_maker(ctx.municipality)
    nationalities = [code for code, _share in MIGRANT_NATIONALITIES]
    weights = [share for _code, share in MIGRANT_NATIONALITIES]
    contacts: list[Contact] = []
    topic_rows: list[tuple[int, str]] = []
    activities: list[Activity] = []
    for year in range(FIRST_YEAR, ref.year + 1):
        fraction = _year_fraction(year, ref)
        end = min(dt.date(year, 12, 31), ref - dt.timedelta(days=1))
        visitors = ctx.scaled(round(YEARLY["visitors"] * fraction))
        digid = min(visitors, ctx.scaled(round(YEARLY["digid"] * fraction), minimum=0))
        for number in range(visitors):
            nationality = rng.choices(nationalities, weights)[0]
            pool = nationality if nationality in SURNAMES else "PL"
            name = f"{rng.choice(GIVEN_NAMES[pool])} {rng.choice(SURNAMES[pool])} {year}-{number}"
            key = make_key(name, dt.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)))
            language = LANGUAGE_OF.get(nationality, "other")
            if language not in VisitorLanguage.values or rng.random() < 0.08:
                language = "en"
            point = points[0] if rng.random() < 0.62 else points[1]
            visits = rng.choices((1, 2, 3, 4), (0.55, 0.28, 0.12, 0.05))[0]
            for visit in range(visits):
                topics = {
                    rng.choices([t for t, _w in TOPICS], [w for _t, w in TOPICS])[0]
                    for _ in range(rng.randint(1, 3))
                }
                helped = number < digid and visit == visits - 1
                if helped:
                    topics.add(Topic.DIGID)
                follow_up = rng.random() < 0.15
                contacts.append(
                    Contact(
                        municipality=ctx.municipality,
                        point=point,
                        contacted_on=ctx.date_between(dt.date(year, 1, 2), end),
                        channel=ctx.weighted(CHANNELS),
                        language=language,
                        visitor_key=key,
                        referral=ctx.weighted(REFERRALS),
                        digid_activated=helped,
                        follow_up=rng.choice(FOLLOW_UPS) if follow_up else "",
                        follow_up_done=follow_up and rng.random() < 0.7,
                    )
                )
                topic_rows.extend((len(contacts) - 1, topic) for topic in sorted(topics))
        activities.extend(_activities(ctx, year, fraction, points))
    contacts = bulk_create(Contact, contacts)
    bulk_create(
        ContactTopic,
        [
            ContactTopic(municipality=ctx.municipality, contact_id=contacts[index].pk, topic=topic)
            for index, topic in topic_rows
        ],
    )
    bulk_create(Activity, activities)
    ctx.count("infopoint_contacts", len(contacts))
    ctx.count("infopoint_activities", len(activities))


def _activities(
    ctx: GenerationContext, year: int, fraction: float, points: list[InformationPoint]
) -> list[Activity]:
    rng, ref = ctx.rng, ctx.reference_date
    end = min(dt.date(year, 12, 31), ref - dt.timedelta(days=1))
    start = dt.date(year, 1, 8)
    made: list[Activity] = []

    def add(
        kind: str, title: str, attendance: int | None, *, on: dt.date | None = None, **extra: object
    ) -> None:
        day = on or ctx.date_between(start, end)
        made.append(
            Activity(
                municipality=ctx.municipality,
                kind=kind,
                title=title,
                held_on=day,
                start_time=dt.time(rng.choice((10, 14, 19)), 0),
                location=rng.choice(
                    ("Wijkgebouw Carnisse", "Bibliotheek Tarwewijk", "Buurthuis Oud-Charlois")
                ),
                point=rng.choice(points),
                languages=["pl", "ro", "bg"] if rng.random() < 0.5 else ["pl", "en"],
                status=ActivityStatus.HELD if day < ref else ActivityStatus.PLANNED,
                attendance=attendance if day < ref else None,
                is_public=kind in (ActivityKind.INFORMATION_MEETING, ActivityKind.GROUP_REGISTRATION),
                **extra,
            )
        )

    for _ in range(ctx.scaled(round(YEARLY[ActivityKind.INFORMATION_MEETING] * fraction))):
        add(ActivityKind.INFORMATION_MEETING, rng.choice(MEETING_TITLES), rng.randint(12, 45))
    for _ in range(ctx.scaled(round(YEARLY[ActivityKind.GROUP_REGISTRATION] * fraction))):
        add(ActivityKind.GROUP_REGISTRATION, "Groepsregistratiemoment", rng.randint(25, 80))
    formal_courses = max(1, round(24 * fraction * ctx.scale))
    for attendance in _spread(
        ctx.scaled(round(YEARLY["formal_participants"] * fraction)), formal_courses, ctx
    ):
        add(ActivityKind.COURSE_FORMAL, "Cursus Nederlands (NT2)", attendance)
    non_formal_courses = max(1, round(30 * fraction * ctx.scale))
    for attendance in _spread(
        ctx.scaled(round(YEARLY["non_formal_participants"] * fraction)), non_formal_courses, ctx
    ):
        add(ActivityKind.COURSE_NON_FORMAL, "Taalcafé", attendance)
    for _ in range(max(1, round(6 * fraction))):
        add(
            ActivityKind.KEY_FIGURE_NETWORK,
            "Bijeenkomst sleutelfiguren",
            rng.randint(ctx.scaled(22), ctx.scaled(30)),
        )
    if fraction >= 0.5:
        add(
            ActivityKind.KEY_FIGURE_NETWORK,
            "Jaarbijeenkomst sleutelfiguren",
            ctx.scaled(YEARLY["key_figures"]),
        )
        add(ActivityKind.OTHER, "Banenmarkt: informatie voor arbeidsmigranten", ctx.scaled(200))
        for _ in range(2):
            add(ActivityKind.OTHER, "Klankbordbijeenkomst", rng.randint(8, 15))
    if year == ref.year:
        # What is coming: meetings and registration moments the portal announces.
        for days, kind, title in (
            (9, ActivityKind.INFORMATION_MEETING, "Wonen en werken in Rotterdam"),
            (20, ActivityKind.GROUP_REGISTRATION, "Groepsregistratiemoment Waalhaven"),
            (37, ActivityKind.INFORMATION_MEETING, "Zorgverzekering en zorgtoeslag"),
            (51, ActivityKind.GROUP_REGISTRATION, "Groepsregistratiemoment Spaanse Polder"),
        ):
            add(kind, title, None, on=ref + dt.timedelta(days=days))
    return made
