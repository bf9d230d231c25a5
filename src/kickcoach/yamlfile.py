"""Reading user-written YAML files (contracts, review answers) with errors that name the line.

One parse with ruamel.yaml (YAML 1.2, so ``time: 12:30`` is the text "12:30", not the YAML 1.1 base-60
integer 750): the text is composed into a node tree that remembers where each value was written, and the
data is constructed from that same tree. A validation error on a dotted field path then points at the
line the person has to fix, and a key written twice is refused with both lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from kickcoach.errors import InputInvalid

__all__ = ["MappingNode", "Node", "SequenceNode", "line_of", "parse"]


def parse(text: str, what: str) -> tuple[Node | None, Any]:
    """``(node tree, data)`` of ``text``; a syntax error becomes ``InputInvalid`` naming ``what`` and the line."""
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
