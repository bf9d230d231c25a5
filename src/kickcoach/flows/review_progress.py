"""Progress against the agreed path now lives in :mod:`kickcoach.history.progress` (the coach's history reads
it too, below the flows); this name stays for the review flow's imports."""

from kickcoach.history.progress import (
    BEHIND_TOLERANCE,
    GoalProgress,
    GoalRef,
    PathStatus,
    assess,
    describe,
    number,
    planned_value,
)

__all__ = ["BEHIND_TOLERANCE", "GoalProgress", "GoalRef", "PathStatus", "assess", "describe", "number", "planned_value"]
