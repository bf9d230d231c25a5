"""The peer-mentor contract domain: models, SMART checks, deadline parsing, files and retrieval clauses."""

from kickcoach.contracts.clauses import Clause, contract_clauses
from kickcoach.contracts.dates import find_when, parse_when
from kickcoach.contracts.files import demo_contract, dump_yaml, load_yaml, to_ics, to_markdown
from kickcoach.contracts.models import (
    DEFAULT_FEEDBACK_RULES,
    Cadence,
    Contract,
    Goal,
    Partner,
    Signature,
    Terms,
)
from kickcoach.contracts.smart import CRITERIA, Criterion, SmartVerdict, check_goal, questions_for

__all__ = [
    "CRITERIA",
    "DEFAULT_FEEDBACK_RULES",
    "Cadence",
    "Clause",
    "Contract",
    "Criterion",
    "Goal",
    "Partner",
    "Signature",
    "SmartVerdict",
    "Terms",
    "check_goal",
    "contract_clauses",
    "demo_contract",
    "dump_yaml",
    "find_when",
    "load_yaml",
    "parse_when",
    "questions_for",
    "to_ics",
    "to_markdown",
]
