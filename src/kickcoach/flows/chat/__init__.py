"""The coach's chat: ``turn.py`` is the whole turn, one step per module (see the README's "How it works")."""

from kickcoach.flows.chat.help_reply import SAFETY_LABEL
from kickcoach.flows.chat.results import ENGINE_LABEL, ChatResult, ChatUpdate
from kickcoach.flows.chat.retrieval import retrieval_query
from kickcoach.flows.chat.turn import CoachChat, context_for

__all__ = ["ENGINE_LABEL", "SAFETY_LABEL", "ChatResult", "ChatUpdate", "CoachChat", "context_for", "retrieval_query"]
