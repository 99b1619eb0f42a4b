from ketenregie.monitoring.indicators.registry import (
    COMPUTED,
    MANUAL,
    ComputedIndicator,
    ManualIndicator,
    computed_for,
)

__all__ = ["COMPUTED", "MANUAL", "ComputedIndicator", "ManualIndicator", "computed_for"]
