"""Synthetic free text of meldingen, in Dutch and English, as residents, partners and staff write them.

Texts mix sentences from their own category with shared, neutral sentences and (a quarter of the time)
a sentence that belongs to a related category, with the occasional typing error; about one in eight is
written entirely in the words of a related category (what the reporter saw, not what triage decided).
So a classifier has real work to do, and cannot be perfect. Deterministic for a given random generator.
"""

from __future__ import annotations

import random

# Sentences per main category: (Dutch, English). {n}, {m}, {when}, {vehicle} are filled in.
CORE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "overcrowding": (
        (
            "In deze woning wonen minstens {n} mensen.",
            "Er slapen {n} arbeidsmigranten in een huis van nog geen {m} vierkante meter.",
            "Overal matrassen op de grond, ook in de woonkamer en op zolder.",
            "Elke week komen er nieuwe mensen wonen, het huis zit propvol.",
            "Ik tel {when} zeker {n} mannen die het huis in en uit gaan.",
            "De bovenwoning wordt per bed verhuurd, volgens mij {n} bedden.",
            "Het is een gewone eengezinswoning maar er wonen {n} volwassenen.",
            "Kamers worden gedeeld door vier of vijf personen.",
            "Er wonen veel te veel mensen, de vuilniszakken stapelen zich op.",
        ),
        (
            "At least {n} people live in this small house.",
            "There are {n} workers sleeping in a flat of about {m} square metres.",
            "Mattresses everywhere, even in the living room.",
            "New people move in every week, the house is completely full.",
            "I counted {n} men going in and out {when_en}.",
            "Beds are rented out one by one, maybe {n} beds in total.",
        ),
    ),
    "housing_fraud": (
        (
            "Op dit adres staan veel mensen ingeschreven die er niet wonen.",
            "Er komt post voor {n} verschillende namen, maar er woont maar één persoon.",
            "De woning staat al maanden leeg maar er zijn mensen ingeschreven.",
            "Iemand woont hier al een jaar zonder ingeschreven te staan.",
            "De huurder verhuurt de woning onder en woont zelf elders.",
            "Volgens mij wordt dit adres alleen gebruikt voor inschrijvingen.",
            "De brievenbus puilt uit met brieven aan onbekende namen.",
            "Sociale huurwoning wordt illegaal onderverhuurd via internet.",
        ),
        (
            "Many people are registered at this address but nobody lives there.",
            "Letters arrive for {n} different names, only one person actually lives here.",
            "The flat is sublet illegally, the tenant lives somewhere else.",
            "The address seems to be used only to register people.",
        ),
    ),
    "nuisance": (
        (
            "Elke nacht geluidsoverlast tot {when}.",
            "Er wordt tot diep in de nacht muziek gedraaid en geschreeuwd.",
            "Afval wordt naast de container gegooid en de stoep ligt vol blikjes.",
            "{vehicle} staan de hele straat vol en blokkeren de inrit.",
            "Dronken bewoners in de portiek, buren durven niet naar buiten.",
            "Om vijf uur 's ochtends starten de {vehicle} met veel lawaai.",
            "Vuilniszakken op het balkon, het stinkt en er lopen ratten.",
            "Harde ruzies en deuren slaan de hele avond.",
        ),
        (
            "Loud music and shouting every night until {when_en}.",
            "Rubbish is dumped next to the bins and the pavement is full of cans.",
            "{vehicle_en} park all over the street and block the driveway.",
            "Drunk people in the stairwell, neighbours are scared.",
        ),
    ),
    "unsafe_housing": (
        (
            "Geen rookmelders en de nooduitgang is dichtgezet met spullen.",
            "Er lopen verlengsnoeren door het hele huis, brandgevaarlijk.",
            "Mensen wonen in een bedrijfspand zonder ramen of nooduitgang.",
            "Het plafond lekt en er zit overal schimmel.",
            "In de schuur achter het pand slapen mensen, er staat een gaskachel.",
            "Kookplaatjes op de slaapkamers en gasflessen in de gang.",
            "Het trappenhuis is de enige vluchtweg en die staat vol fietsen en matrassen.",
            "Kantoorpand wordt bewoond, geen douche en geen brandveiligheid.",
        ),
        (
            "No smoke detectors and the fire exit is blocked.",
            "Extension cords everywhere, a real fire hazard.",
            "People live in a warehouse without windows or emergency exit.",
            "Mould everywhere and the ceiling is leaking.",
            "Gas bottles in the hallway and cooking plates in the bedrooms.",
        ),
    ),
    "labour_exploitation": (
        (
            "De werkgever houdt de paspoorten van de werknemers in.",
            "Ze werken {n} uur per dag en krijgen veel minder dan het minimumloon.",
            "De huur wordt direct van het loon ingehouden door het uitzendbureau.",
            "Wie klaagt over het werk raakt ook zijn bed kwijt.",
            "De mensen worden {when} met {vehicle} naar de kassen gebracht en pas 's avonds teruggebracht.",
            "Er worden boetes ingehouden als iemand ziek is.",
            "Ze durven niet te praten, de baas van het uitzendbureau woont er ook.",
            "Werknemers hebben geen contract en worden contant betaald.",
        ),
        (
            "The employer keeps the workers' passports.",
            "They work {n} hours a day for far less than the minimum wage.",
            "Rent is deducted from their wages by the agency.",
            "Whoever complains about work loses their bed too.",
            "They are afraid to talk, the agency boss lives in the house.",
        ),
    ),
    "homelessness": (
        (
            "Er slaapt al dagen een man in het portiek.",
            "Onder het viaduct slapen {n} mensen in tentjes.",
            "Een Poolse man slaapt in zijn auto, hij is zijn werk en huis kwijt.",
            "In het park slapen mensen op bankjes, het wordt koud.",
            "Dakloze arbeidsmigrant vraagt om hulp bij de supermarkt.",
            "Iemand slaapt in de fietsenstalling bij het station.",
        ),
        (
            "A man has been sleeping in the doorway for days.",
            "{n} people sleep in tents under the bridge.",
            "A worker lost his job and his room and now sleeps in his car.",
            "Homeless people sleep on the benches in the park.",
        ),
    ),
    "other": (
        (
            "Ik heb een vraag over de regels voor het verhuren van kamers.",
            "Graag contact, ik weet niet bij wie ik moet zijn.",
            "Er hangt een advertentie voor goedkope kamers voor werknemers.",
            "Onduidelijke situatie, misschien niets aan de hand.",
            "Mijn buurman vroeg mij dit te melden.",
            "Is dit wel toegestaan?",
        ),
        (
            "I have a question about renting out rooms.",
            "Please contact me, I don't know who to ask.",
            "Not sure if this is a problem, maybe nothing.",
        ),
    ),
}
RELATED: dict[str, tuple[str, ...]] = {
    "overcrowding": ("housing_fraud", "nuisance", "unsafe_housing", "labour_exploitation"),
    "housing_fraud": ("overcrowding",),
    "nuisance": ("overcrowding", "homelessness"),
    "unsafe_housing": ("overcrowding",),
    "labour_exploitation": ("overcrowding", "housing_fraud"),
    "homelessness": ("nuisance",),
    "other": ("overcrowding", "nuisance", "housing_fraud"),
}
NEUTRAL = (
    (
        "Dit speelt al maanden.",
        "Ik woon hier twee huizen verder.",
        "Kunnen jullie hier eens naar kijken?",
        "Het gaat om het pand op de hoek.",
        "Eerder heb ik dit ook al gemeld.",
        "De eigenaar reageert niet.",
        "Ik wil graag anoniem blijven.",
        "Sinds de zomer is het erger geworden.",
        "Het zijn vooral Poolse en Roemeense werknemers.",
        "",
    ),
    (
        "This has been going on for months.",
        "I live two doors down.",
        "Could someone please look into this?",
        "The landlord does not respond.",
        "I reported this before.",
        "",
    ),
)
WHEN = ("'s nachts", "elke ochtend om vijf uur", "in het weekend", "na middernacht", "drie uur 's nachts")
WHEN_EN = ("at night", "every morning at five", "at weekends", "after midnight", "3 am")
VEHICLES = ("busjes", "bestelbussen met Poolse kentekens", "witte busjes", "auto's van het uitzendbureau")
VEHICLES_EN = ("Vans", "Minibuses with foreign plates", "White vans")


def _fill(rng: random.Random, sentence: str) -> str:
    return sentence.format(
        n=rng.randint(5, 16),
        m=rng.choice((30, 40, 45, 50, 60, 70)),
        when=rng.choice(WHEN),
        when_en=rng.choice(WHEN_EN),
        vehicle=rng.choice(VEHICLES),
        vehicle_en=rng.choice(VEHICLES_EN),
    )


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 20:
        return text
    index = rng.randrange(5, len(text) - 5)
    return text[:index] + text[index + 1] + text[index] + text[index + 2 :]


def signal_text(rng: random.Random, category: str, *, english_share: float = 0.2) -> str:
    """A melding's description for a main category code."""
    english = rng.random() < english_share
    language = 1 if english else 0
    # Reporters describe what they see; sometimes that reads as another category than triage decides
    # (noise at night that turns out to be overcrowding, a 'question' that is exploitation).
    written_as = rng.choice(RELATED[category]) if rng.random() < 0.12 else category
    own = CORE[written_as][language]
    parts = rng.sample(own, k=min(len(own), rng.choice((1, 1, 2, 2, 3))))
    if rng.random() < 0.25:
        other = rng.choice(RELATED[category])
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(CORE[other][language]))
    for _ in range(rng.choice((0, 1, 1, 2))):
        neutral = rng.choice(NEUTRAL[language])
        if neutral:
            parts.insert(rng.randrange(len(parts) + 1), neutral)
    text = " ".join(_fill(rng, part) for part in parts)
    if rng.random() < 0.15:
        text = _typo(rng, text)
    if rng.random() < 0.1:
        text = text.lower()
    return text
