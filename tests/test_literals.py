"""No English coaching sentence longer than eight words as a Python literal under src/ outside the allow-list:
coaching content goes in versioned YAML banks beside its flow, read through ``kickcoach.core.banks`` (see README
"How it works").

A literal counts when it reads as prose: more than eight words, not a regular expression, not a bare word list.
Skipped by the scanner where the text is plainly not coaching: docstrings, anything raised, ``fix=`` hints, log
lines, and command-line or field help (``help=``, ``description=``, ``typer.Option``, ``Field``).

Every other prose literal must be listed, verbatim and with its kind (error message, UI or command-line label,
report line, model instruction, data), in ``tests/data/allowed_literals.yaml``. A new one fails the test until it
moves to a bank or is listed; a listed one that is gone fails it until its line is removed, so the list only shrinks.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import yaml

SRC = Path(__file__).resolve().parents[1] / "src" / "kickcoach"
ALLOWED = Path(__file__).with_name("data") / "allowed_literals.yaml"
MAX_WORDS = 8
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_REGEX = re.compile(r"\\[bsdwSWB]|\(\?|\[\^|\{\d")
_PUNCT = re.compile(r"[.,?!:;—]")
_NOT_COACHING_CALLS = ("warning", "info", "debug", "error", "exception", "Option", "Argument", "Field")
_NOT_COACHING_KEYWORDS = ("help", "description", "fix")


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else " X " for v in node.values)
    return None


def is_prose(text: str) -> bool:
    words = _WORD.findall(text)
    return (len(words) > MAX_WORDS and not _REGEX.search(text) and not text.lstrip().startswith("<")  # markup
            and bool(_PUNCT.search(text) or text[:1].isupper()))


def _allowed_context(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.keyword) and parent.arg in _NOT_COACHING_KEYWORDS:
            return True
        if isinstance(parent, ast.Call):
            func = parent.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _NOT_COACHING_CALLS or name.endswith(("Error", "Invalid", "Unavailable", "NotFound", "NotLoggedIn")):
                return True
        parent = parents.get(parent)
    return isinstance(parent, ast.Raise)


def long_literals(source: str) -> list[str]:
    """The prose literals of one module that are not docstrings, errors, logs or help."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    # docstrings, and the bare strings that document an attribute below its assignment: never shown to anyone
    docstrings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if node in docstrings or isinstance(parents.get(node), ast.JoinedStr):
            continue
        text = _text(node)
        if text and is_prose(text) and not _allowed_context(node, parents):
            found.append(text)
    return found


def test_the_scanner_tells_coaching_sentences_from_errors_logs_and_patterns() -> None:
    source = '''
"""A docstring may be as long as it needs to be, with many words in it."""
REPLY = "It sounds like this week asked a lot of you, and you kept going anyway."
SHORT = "How did the meeting go?"
PATTERN = r"\\b(?:just|only)\\s+(?:want|need)\\s+to\\s+think\\s+about\\s+it\\s+for\\s+a\\s+while\\b"
def f():
    log.warning("the index is unreachable right now, so retrieval is degraded for this pair")
    raise ConfigError("The model file is missing from the data folder, reinstall it", "run make install")
LIMIT = 10
"""An attribute's docstring documents it for readers and is never shown to anyone."""
PAGE = "<html><body><p>A login page is markup, written once, and not a coaching sentence at all.</p></body></html>"
'''
    assert long_literals(source) == ["It sounds like this week asked a lot of you, and you kept going anyway."]


def test_no_coaching_sentence_in_python_outside_the_allow_list() -> None:
    allowed = yaml.safe_load(ALLOWED.read_text(encoding="utf-8"))
    kinds, listed = allowed["kinds"], allowed["modules"]
    assert "coaching" not in kinds and all(entry["kind"] in kinds for entry in listed.values())
    found = {str(p.relative_to(SRC)): Counter(long_literals(p.read_text(encoding="utf-8"))) for p in SRC.rglob("*.py")}
    new = {m: sorted(texts - Counter(listed.get(m, {}).get("texts", []))) for m, texts in found.items()}
    new = {m: texts for m, texts in new.items() if texts}
    assert not new, (f"prose literals outside the allow-list: {new}; move coaching sentences to the flow's bank, "
                     f"or list an error message or label in {ALLOWED.name} with its kind")
    gone = {m: sorted(Counter(entry["texts"]) - found.get(m, Counter())) for m, entry in listed.items()}
    gone = {m: texts for m, texts in gone.items() if texts}
    assert not gone, f"listed in {ALLOWED.name} but no longer in the code: {gone}; remove them from the list"


def test_the_banks_hold_the_moved_sentences() -> None:
    """The sentences moved out of Python are read back from their banks, word for word."""
    from kickcoach.contracts.smart.checks import questions_for
    from kickcoach.flows.rehearsal.debrief import Debrief
    from kickcoach.guard import PERMISSION_OFFER

    assert PERMISSION_OFFER == "I have a couple of ideas on this — would you like to hear them?"
    assert Debrief().markdown() == "_Nothing to debrief yet: the rehearsal ended before you said anything._"
    assert questions_for(["time_bound"], "Publish 3 articles") == ["By what date do you want to reach it?"]
