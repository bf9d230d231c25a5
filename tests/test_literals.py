"""No English coaching sentence longer than eight words as a Python literal under src/: content goes in
versioned YAML banks beside its flow (see README "How it works").

A literal counts when it reads as prose: more than eight words, not a regular expression, not a bare word list.
Allowed where the text is not coaching: docstrings, error messages (anything raised, and ``fix=`` hints), log
lines, and command-line or field help (``help=``, ``description=``, ``typer.Option``, ``Field``).

The sentences found today are listed per module in ``tests/data/long_literals.yaml``: the count may only go down
(a module with fewer must lower its count there, so the allowance cannot grow back). Move a module's sentences
into its flow's bank, then drop its line.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import yaml

SRC = Path(__file__).resolve().parents[1] / "src" / "kickcoach"
ALLOWED_NOW = Path(__file__).with_name("data") / "long_literals.yaml"
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


def test_no_new_coaching_sentences_in_python() -> None:
    counts = Counter({str(p.relative_to(SRC)): len(long_literals(p.read_text(encoding="utf-8"))) for p in SRC.rglob("*.py")})
    allowed = yaml.safe_load(ALLOWED_NOW.read_text(encoding="utf-8"))["modules"]
    grown = {m: (n, allowed.get(m, 0)) for m, n in counts.items() if n > allowed.get(m, 0)}
    assert not grown, f"coaching sentences as Python literals (found, allowed): {grown}; move them to a bank"
    shrunk = {m: (counts.get(m, 0), n) for m, n in allowed.items() if counts.get(m, 0) < n}
    assert not shrunk, f"fewer sentences now (found, listed): {shrunk}; lower the counts in {ALLOWED_NOW.name}"
