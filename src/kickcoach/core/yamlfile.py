"""Reading user-written YAML files (contracts, review answers) with errors that name the line.

One parse with ruamel.yaml (YAML 1.2, so ``time: 12:30`` is the text "12:30", not the YAML 1.1 base-60
integer 750): the text is composed into a node tree that remembers where each value was written, and the
data is constructed from that same tree. A validation error on a dotted field path then points at the
line the person has to fix, and a key written twice is refused with both lines.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import yaml as pyyaml  # a token scan only, to refuse anchors before ruamel builds anything
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from kickcoach.core.errors import InputInvalid

__all__ = ["MAX_DEPTH", "MAX_TOKENS", "MAX_USER_YAML_BYTES", "PARSE_BUDGET_S",
           "MappingNode", "Node", "NoAliasDumper", "SequenceNode", "check_user_yaml", "line_of",
           "parse", "parse_user_yaml"]

MAX_USER_YAML_BYTES = 256 * 1024
"""User-written YAML (a contract, review answers, a users file) is refused above this size."""
MAX_DEPTH = 32
"""Nesting (lists and mappings inside each other) above this is refused: a contract needs about five levels."""
MAX_TOKENS = 100_000
"""YAML tokens (keys, values, brackets …) above this are refused: a 256 kB contract of plain text has ~20,000."""
PARSE_BUDGET_S = 2.0
"""Seconds the token scan may take before the text is refused (the check happens between tokens)."""
_OPEN = {"[", "{"}
_CLOSE = {"]", "}"}
_VALUE_START = set(":[{,-?")


def check_user_yaml(text: str | bytes, what: str) -> str:
    """Refuse, before any parsing, what no hand-written file needs and a hostile one would use.

    Over ``MAX_USER_YAML_BYTES``, bytes that are not UTF-8, and anchors or aliases (``&x`` / ``*x``:
    the "billion laughs" bomb) are refused with ``InputInvalid`` naming ``what`` and the line. Scanning
    tokens is linear in the text, so a bomb is refused in milliseconds. Returns the text.
    """
    if isinstance(text, bytes):
        raw = text
        if len(raw) > MAX_USER_YAML_BYTES:
            raise _too_big(what, len(raw))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputInvalid(f"The {what} is not UTF-8 text (line {line})", "save the file as UTF-8", line=line) from exc
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_USER_YAML_BYTES:
        raise _too_big(what, size)
    _check_bracket_depth(text, what)
    deadline = time.monotonic() + PARSE_BUDGET_S
    depth = 0
    try:
        for count, token in enumerate(pyyaml.scan(text, Loader=pyyaml.SafeLoader)):
            if isinstance(token, _STARTS):
                depth += 1
            elif isinstance(token, _ENDS):
                depth -= 1
            if depth > MAX_DEPTH or count > MAX_TOKENS or time.monotonic() > deadline:
                line = token.start_mark.line + 1
                raise _too_complex(what, line, "nested too deeply" if depth > MAX_DEPTH else "too long to read")
            if isinstance(token, pyyaml.AnchorToken | pyyaml.AliasToken):
                line = token.start_mark.line + 1
                raise InputInvalid(
                    f"The {what} uses a YAML anchor or alias at line {line}",
                    "write each value out in full; anchors (&) and aliases (*) are not accepted",
                    line=line,
                )
    except pyyaml.MarkedYAMLError:
        pass  # reported with its line by the parser below
    return text


_STARTS = (pyyaml.FlowSequenceStartToken, pyyaml.FlowMappingStartToken, pyyaml.BlockSequenceStartToken,
           pyyaml.BlockMappingStartToken)
_ENDS = (pyyaml.FlowSequenceEndToken, pyyaml.FlowMappingEndToken, pyyaml.BlockEndToken)


def _too_complex(what: str, line: int, why: str) -> InputInvalid:
    return InputInvalid(f"The {what} is {why} (line {line}): at most {MAX_DEPTH} levels and {MAX_TOKENS:,} values",
                        "a contract or answers file is a few levels deep: flatten the structure", line=line)


def _check_bracket_depth(text: str, what: str) -> None:
    """Refuse flow brackets (``[`` / ``{``) nested deeper than ``MAX_DEPTH``, in one linear pass over the characters
    before any YAML code runs (the YAML scanner slows down with the square of the nesting). Quoted text and
    comments are skipped; a quote only opens a quoted value where a value starts (``Tom's`` is plain text)."""
    depth, line, quote, previous, last = 0, 1, "", "\n", "\n"
    escaped = comment = False
    for char in text:
        was, last = last, char
        if char == "\n":
            line += 1
            comment = False
            if not quote:
                previous = char
            continue
        if comment:
            continue
        if quote:
            if quote == '"' and char == "\\" and not escaped:
                escaped = True
                continue
            if char == quote and not escaped:
                quote = ""
            escaped = False
            continue
        if char in "'\"" and (previous in _VALUE_START or previous.isspace()):
            quote = char
        elif char == "#" and was.isspace():
            comment = True
        elif char in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_complex(what, line, "nested too deeply")
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        if not char.isspace() or previous == "\n":
            previous = char if not char.isspace() else " "


class NoAliasDumper(pyyaml.SafeDumper):
    """Writes repeated values (e.g. one date object used twice) out in full: our files never hold aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _too_big(what: str, size: int) -> InputInvalid:
    return InputInvalid(
        f"The {what} is over the {MAX_USER_YAML_BYTES // 1024} kB limit ({size:,} bytes read)",
        "a contract or answers file is a few kB: check you picked the right file",
    )


def parse_user_yaml(text: str | bytes, what: str) -> Any:
    """The data of a user-written YAML text, after ``check_user_yaml``; errors name ``what`` and the line."""
    return parse(text, what)[1]


def parse(text: str | bytes, what: str) -> tuple[Node | None, Any]:
    """``(node tree, data)`` of ``text``; a syntax error becomes ``InputInvalid`` naming ``what`` and the line.

    The text is checked first (size, encoding, no anchors or aliases: see :func:`check_user_yaml`)."""
    text = check_user_yaml(text, what)
    yaml = YAML(typ="safe", pure=True)
    try:
        root = yaml.compose(text)
        if root is not None:
            _reject_duplicate_keys(root, ())
        data = yaml.constructor.construct_document(root) if root is not None else None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputInvalid(
            f"The {what} is not valid YAML at line {line}: {exc.problem or exc.context}",
            "check the indentation, colons and quotes around that line",
            line=line,
        ) from exc
    except YAMLError as exc:
        raise InputInvalid(f"The {what} is not valid YAML: {exc}", "check the file's syntax") from exc
    except RecursionError as exc:
        raise InputInvalid(f"The {what} is nested too deeply", "flatten the structure: a few levels are enough") from exc
    return root, data


def _reject_duplicate_keys(node: Node, path: tuple[str | int, ...]) -> None:
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                where = ".".join(str(p) for p in (*path, key.value))
                raise InputInvalid(
                    f"{where} (line {key.start_mark.line + 1}): this key appears twice",
                    "keep one of them; YAML would silently use the last",
                    field=where,
                    line=key.start_mark.line + 1,
                )
            seen.add(key.value)
            _reject_duplicate_keys(value, (*path, key.value))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _reject_duplicate_keys(item, (*path, index))


def line_of(root: Node | None, path: Sequence[str | int]) -> int | None:
    """The line of the deepest node on ``path`` that exists (a missing field points at its parent)."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for part in path:
        if isinstance(node, MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
