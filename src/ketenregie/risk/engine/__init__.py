"""Risk engine: features, explainable scores and control lists from plain tables.

Pure polars, no Django: the app builds the input tables from its models (``schema``), and the
national benchmark reads the same tables from Parquet (``score_from_parquet``). The modules say
which features and rules there are and why: ``features`` and ``rules``.
"""

from .explain import Contribution, contributions
from .features import address_features, employer_features, months_before
from .ranking import rank_control_list
from .rules import EMPLOYER_RULE_KEYS, RULE_KEYS, RuleSet
from .schema import SCHEMAS, TABLE_NAMES, EngineInputError, empty, validate
from .scoring import scan_tables, score_addresses, score_employers, score_from_parquet

__all__ = [
    "EMPLOYER_RULE_KEYS",
    "RULE_KEYS",
    "SCHEMAS",
    "TABLE_NAMES",
    "Contribution",
    "EngineInputError",
    "RuleSet",
    "address_features",
    "contributions",
    "employer_features",
    "empty",
    "months_before",
    "rank_control_list",
    "scan_tables",
    "score_addresses",
    "score_employers",
    "score_from_parquet",
    "validate",
]
