"""Which pair: the one check every data access makes on a pair id (storage and retrieval alike)."""

from __future__ import annotations

from kickcoach.core.config import GUIDANCE
from kickcoach.core.errors import IsolationError


def require_pair(pair_id: str | None) -> str:
    """``pair_id`` itself, or an ``IsolationError`` when it is missing, blank or the shared guidance's id."""
    if not isinstance(pair_id, str) or not pair_id.strip() or pair_id == GUIDANCE:
        raise IsolationError(f"A pair id is required, got {pair_id!r}", "this is a bug: every data access needs a pair")
    return pair_id
