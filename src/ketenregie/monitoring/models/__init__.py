from ketenregie.monitoring.models.catalogue import (
    Direction,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    ManualValue,
    Unit,
)
from ketenregie.monitoring.models.commitments import (
    Commitment,
    CommitmentEvidence,
    CommitmentKind,
    CommitmentStatus,
)
from ketenregie.monitoring.models.migration import (
    BenchmarkFigure,
    MigrationFigure,
    MigrationMeasure,
    MigrationMotive,
    ReceptionKind,
    ReceptionLocation,
)
from ketenregie.monitoring.models.programme import LineBudget, LineTarget, ProgrammeLine

__all__ = [
    "BenchmarkFigure",
    "Commitment",
    "CommitmentEvidence",
    "CommitmentKind",
    "CommitmentStatus",
    "Direction",
    "Indicator",
    "IndicatorSource",
    "IndicatorValue",
    "LineBudget",
    "LineTarget",
    "ManualValue",
    "MigrationFigure",
    "MigrationMeasure",
    "MigrationMotive",
    "ProgrammeLine",
    "ReceptionKind",
    "ReceptionLocation",
    "Unit",
]
