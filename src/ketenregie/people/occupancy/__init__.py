"""Occupancy (bewoning): the one definition in this system of who lived where, and when.

It implements the rules of the BRP Bewoning API 2.1.0 (the specification, its decision-rule
flowcharts and its scenarios): residents on a date, compositions of residents in a period, possible
residents when a start date is partly or wholly unknown, secrecy, data under investigation,
suspended records, postal addresses (which never make anyone a resident) and infrastructural
changes of addresses (a holding recorded without a BAG identification never belongs to an
addressable object).

* ``bounds`` turns a person's address holdings into stored day bounds per Residence;
* ``rules`` answers questions about days and periods from those bounds (pure functions);
* ``queries`` reads the register, answers in the API's shape and writes the audit trail.

``people.selectors.living_on`` tests, in SQL, exactly the residences by which ``rules`` calls people
residents (bewoners) on a day: the stored bounds make that a plain range test. Counts of where people
live add one rule on top (``people.selectors.lives_on``: a stay address before the BRP's, each person
once); the Bewoning answer itself uses the registers' residences only.
"""

from ketenregie.people.occupancy.bounds import NEVER, Bounds, Holding, Suspension, derive_bounds
from ketenregie.people.occupancy.queries import (
    Bewoningen,
    address_stays,
    bewoning_in_periode,
    bewoning_op_peildatum,
    bewoningen,
    stay_of,
)
from ketenregie.people.occupancy.rules import (
    MANY_RESIDENTS,
    Composition,
    Occupant,
    State,
    Stay,
    composition_on,
    compositions,
    occupants_on,
)

__all__ = [
    "MANY_RESIDENTS",
    "NEVER",
    "Bewoningen",
    "Bounds",
    "Composition",
    "Holding",
    "Occupant",
    "State",
    "Stay",
    "Suspension",
    "address_stays",
    "bewoning_in_periode",
    "bewoning_op_peildatum",
    "bewoningen",
    "composition_on",
    "compositions",
    "derive_bounds",
    "occupants_on",
    "stay_of",
]
