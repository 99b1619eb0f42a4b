"""Profiles of the synthetic municipalities, calibrated on the figures in DOMAIN.md and the seeds.

Neighbourhood and district names are real; their codes, streets and everything living there are
synthetic. Counts are for ``--scale 1``; the generator multiplies them by the scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    neighbourhoods: tuple[str, ...]
    # Relative housing stock, and how strongly labour migrants concentrate here.
    weight: float = 1.0
    migrant_weight: float = 1.0
    # Typical floor area (m²) of a dwelling in this district: older stock is smaller.
    floor_area: tuple[int, int] = (55, 95)


@dataclass(frozen=True)
class Profile:
    key: str
    name: str
    cbs_code: str
    town: str
    labour_market_region: str
    riec_region: str
    addresses: int
    labour_migrants: int
    employers: int
    housing_locations: int
    postcode_start: int
    postcode_end: int
    centre: tuple[float, float]
    districts: tuple[DistrictSpec, ...]
    priority_neighbourhoods: tuple[str, ...] = ()
    covenant_name: str = ""
    covenant_members: int = 0
    # Share of labour migrants registered as non-resident (RNI) rather than in the BRP.
    rni_share: float = 0.35
    # Share of habitable addresses with planted overcrowding (the known ground truth).
    overcrowded_share: float = 0.006
    extra_partners: tuple[str, ...] = field(default_factory=tuple)


ROTTERDAM = Profile(
    key="rotterdam",
    name="Rotterdam",
    cbs_code="0599",
    town="Rotterdam",
    labour_market_region="Rijnmond",
    riec_region="Rotterdam",
    addresses=300_000,
    labour_migrants=45_000,
    employers=1_800,
    housing_locations=160,
    postcode_start=3011,
    postcode_end=3089,
    centre=(51.9225, 4.4792),
    priority_neighbourhoods=("Carnisse", "Oud Mathenesse", "Tarwewijk", "Oud-Charlois"),
    covenant_name="Coalitie Goed Werkgeverschap",
    covenant_members=14,
    districts=(
        DistrictSpec(
            "Charlois",
            (
                "Carnisse",
                "Tarwewijk",
                "Oud-Charlois",
                "Zuidwijk",
                "Pendrecht",
                "Wielewaal",
                "Zuidplein",
                "Heijplaat",
            ),
            1.3,
            3.0,
            (40, 80),
        ),
        DistrictSpec(
            "Feijenoord",
            (
                "Afrikaanderwijk",
                "Bloemhof",
                "Hillesluis",
                "Katendrecht",
                "Feijenoord",
                "Noordereiland",
                "Vreewijk",
                "Kop van Zuid",
            ),
            1.2,
            2.0,
            (45, 85),
        ),
        DistrictSpec(
            "Delfshaven",
            (
                "Oud Mathenesse",
                "Spangen",
                "Tussendijken",
                "Bospolder",
                "Historisch Delfshaven",
                "Middelland",
                "Nieuwe Westen",
                "Witte Dorp",
                "Schiemond",
            ),
            1.3,
            2.2,
            (40, 85),
        ),
        DistrictSpec(
            "Noord",
            ("Oude Noorden", "Agniesebuurt", "Provenierswijk", "Bergpolder", "Blijdorp", "Liskwartier"),
            0.9,
            1.0,
            (50, 95),
        ),
        DistrictSpec(
            "Kralingen-Crooswijk",
            ("Kralingen-West", "Kralingen-Oost", "Rubroek", "Nieuw-Crooswijk", "Oud-Crooswijk", "De Esch"),
            0.9,
            1.0,
            (50, 110),
        ),
        DistrictSpec(
            "IJsselmonde",
            ("Lombardijen", "Groot-IJsselmonde", "Beverwaard", "Oud-IJsselmonde"),
            1.0,
            1.2,
            (60, 100),
        ),
        DistrictSpec(
            "Prins Alexander",
            (
                "Ommoord",
                "Zevenkamp",
                "Het Lage Land",
                "Prinsenland",
                "Kralingseveer",
                "Oosterflank",
                "Nesselande",
            ),
            1.5,
            0.4,
            (70, 130),
        ),
        DistrictSpec(
            "Hillegersberg-Schiebroek",
            ("Hillegersberg-Noord", "Hillegersberg-Zuid", "Schiebroek", "Molenlaankwartier", "Terbregge"),
            0.8,
            0.3,
            (80, 150),
        ),
        DistrictSpec(
            "Overschie", ("Overschie", "Kleinpolder", "Noord-Kethel", "Landzicht"), 0.5, 0.8, (60, 110)
        ),
        DistrictSpec(
            "Centrum",
            ("Stadsdriehoek", "Cool", "Oude Westen", "Nieuwe Werk", "Dijkzigt", "C.S. Kwartier"),
            0.8,
            0.9,
            (45, 100),
        ),
        DistrictSpec("Hoogvliet", ("Hoogvliet-Noord", "Hoogvliet-Zuid"), 0.6, 1.0, (60, 100)),
        DistrictSpec("Pernis", ("Pernis",), 0.15, 0.8, (60, 100)),
        DistrictSpec("Rozenburg", ("Rozenburg",), 0.2, 0.9, (60, 100)),
        DistrictSpec("Hoek van Holland", ("Hoek van Holland",), 0.3, 0.6, (60, 110)),
    ),
)

ZOETERMEER = Profile(
    key="zoetermeer",
    name="Zoetermeer",
    cbs_code="0637",
    town="Zoetermeer",
    labour_market_region="Zuid-Holland Centraal",
    riec_region="Haaglanden",
    addresses=57_000,
    labour_migrants=5_500,
    employers=420,
    housing_locations=25,
    postcode_start=2711,
    postcode_end=2728,
    centre=(52.0575, 4.4931),
    districts=(
        DistrictSpec("Centrum", ("Stadshart", "Dorp", "Palenstein"), 1.0, 1.6, (50, 90)),
        DistrictSpec("Meerzicht", ("Meerzicht-Noord", "Meerzicht-Zuid"), 1.0, 1.4, (60, 100)),
        DistrictSpec("Driemanspolder", ("Driemanspolder",), 0.6, 1.2, (60, 100)),
        DistrictSpec("Buytenwegh", ("Buytenwegh", "De Leyens"), 1.1, 1.0, (65, 110)),
        DistrictSpec("Noordhove", ("Noordhove",), 0.7, 0.8, (70, 115)),
        DistrictSpec("Seghwaert", ("Seghwaert", "Noordhove-Oost"), 0.9, 0.7, (70, 120)),
        DistrictSpec("Rokkeveen", ("Rokkeveen-West", "Rokkeveen-Oost"), 1.0, 0.7, (70, 120)),
        DistrictSpec("Oosterheem", ("Oosterheem", "Oosterheem-Noord"), 1.1, 0.6, (75, 130)),
    ),
)

HAARLEMMERMEER = Profile(
    key="haarlemmermeer",
    name="Haarlemmermeer",
    cbs_code="0394",
    town="Hoofddorp",
    labour_market_region="Groot Amsterdam",
    riec_region="Noord-Holland",
    addresses=66_000,
    labour_migrants=12_000,
    employers=900,
    housing_locations=70,
    postcode_start=2131,
    postcode_end=2158,
    centre=(52.3030, 4.6890),
    rni_share=0.45,
    districts=(
        DistrictSpec(
            "Hoofddorp",
            (
                "Hoofddorp Centrum",
                "Overbos",
                "Bornholm",
                "Toolenburg",
                "Floriande",
                "Pax",
                "Graan voor Visch",
            ),
            2.5,
            1.0,
            (60, 120),
        ),
        DistrictSpec("Nieuw-Vennep", ("Nieuw-Vennep Centrum", "Getsewoud", "Linquenda"), 1.4, 1.3, (60, 115)),
        DistrictSpec("Badhoevedorp", ("Badhoevedorp",), 0.6, 1.2, (65, 120)),
        DistrictSpec("Zwanenburg", ("Zwanenburg",), 0.5, 1.0, (60, 110)),
        DistrictSpec("Rijsenhout", ("Rijsenhout",), 0.3, 2.5, (55, 110)),
        DistrictSpec("Lisserbroek", ("Lisserbroek",), 0.2, 1.8, (60, 115)),
        DistrictSpec("Vijfhuizen", ("Vijfhuizen", "Cruquius"), 0.3, 1.2, (65, 120)),
        DistrictSpec(
            "Buitengebied", ("Abbenes", "Burgerveen", "Zwaanshoek", "Buitenkaag"), 0.3, 3.0, (60, 140)
        ),
    ),
)

PROFILES: dict[str, Profile] = {p.key: p for p in (ROTTERDAM, ZOETERMEER, HAARLEMMERMEER)}

# Nationalities of labour migrants (ISO 3166-1): 40% Polish and 16% Romanian nationally (DOMAIN.md).
MIGRANT_NATIONALITIES: tuple[tuple[str, float], ...] = (
    ("PL", 0.40),
    ("RO", 0.16),
    ("BG", 0.10),
    ("UA", 0.06),
    ("HU", 0.06),
    ("LT", 0.05),
    ("PT", 0.04),
    ("ES", 0.03),
    ("SK", 0.03),
    ("LV", 0.03),
    ("GR", 0.02),
    ("IT", 0.02),
)
LANGUAGE_OF: dict[str, str] = {
    "PL": "pl",
    "RO": "ro",
    "BG": "bg",
    "UA": "uk",
    "HU": "hu",
    "LT": "lt",
    "PT": "pt",
    "ES": "es",
    "SK": "sk",
    "LV": "lv",
    "GR": "el",
    "IT": "it",
    "NL": "nl",
}
# Sectors in which labour migrants work, with weights.
MIGRANT_SECTORS: tuple[tuple[str, float], ...] = (
    ("logistics", 0.30),
    ("agriculture", 0.18),
    ("food", 0.14),
    ("port", 0.09),
    ("manufacturing", 0.09),
    ("construction", 0.08),
    ("cleaning", 0.06),
    ("hospitality", 0.04),
    ("care", 0.02),
)
