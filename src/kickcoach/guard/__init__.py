"""The suggestion guard: the coach suggests only when the user asked.

- :func:`asked` decides whether the user asked for suggestions (scoped permission, offers, refusals).
- :func:`is_suggestion` / :func:`suggestion_score` judge one sentence (rules + a small learned model; with
  :func:`use_encoder`, also MiniLM sentence vectors via onnxruntime). :func:`detector_info` says which.
- :class:`StreamGuard` / :func:`filter_text` hold back unrequested suggestions from a reply, ending it with
  :data:`PERMISSION_OFFER` (or :func:`reflect` + the offer when nothing would be left).
- :func:`split_sentences` splits model output and messages into sentences (list items included).

Nothing heavy is imported: the classifier's weights are read from JSON on first use.
"""

from kickcoach.guard.filter import GuardReport, StreamGuard, filter_text, reflect
from kickcoach.guard.requests import PERMISSION_OFFER, AskVerdict, asked, is_offer, refuses
from kickcoach.guard.suggestions import detector_info, is_suggestion, suggestion_score, use_encoder
from kickcoach.text.sentences import split_sentences

__all__ = [
    "PERMISSION_OFFER",
    "AskVerdict",
    "GuardReport",
    "StreamGuard",
    "asked",
    "detector_info",
    "filter_text",
    "is_offer",
    "refuses",
    "is_suggestion",
    "reflect",
    "split_sentences",
    "suggestion_score",
    "use_encoder",
]
