"""Safety before coaching: hear risk (crisis, harm, harassment, abuse, discrimination, an emergency) in what a
person writes, and answer with a fixed, humane pointer to real help before any coaching move.

``check(text)`` is deterministic (patterns in ``banks/signals.yaml``); ``help_reply(verdict, contacts)`` composes
the reply from ``banks/help.yaml``. Every flow calls both on the person's free text.
"""

from kickcoach.safety.detect import SafetyVerdict, check, signals_version
from kickcoach.safety.reply import HelpContacts, SafetyNotice, help_reply, notice_for, reminder, unsure_again

__all__ = ["HelpContacts", "SafetyNotice", "SafetyVerdict", "check", "help_reply", "notice_for", "reminder", "signals_version",
           "unsure_again"]
