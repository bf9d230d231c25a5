"""What the coach may read of a pair's past: contract, reviews, meetings, due dates (see ``read``)."""

from kickcoach.history.read import PairHistory, read

__all__ = ["PairHistory", "read"]
