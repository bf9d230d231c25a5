"""Reading user-written YAML files (contracts, review answers) with errors that name the line.

PyYAML parses into data *and* into a node tree that remembers where each value was written; keeping
both lets a validation error on a dotted field path point at the line the person has to fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from kickcoach.errors import InputInvalid


def parse(text: str, what: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> tuple[yaml.Node | None, Any]:
    """``(node tree, data)`` of ``text``; a syntax error becomes ``InputInvalid`` naming ``what`` and the line."""
    try:
        root = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)  # noqa: S506 - ``loader`` is SafeLoader or a subclass of it
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputInvalid(
            f"The {what} is not valid YAML at line {line}: {exc.problem or exc.context}",
            "check the indentation, colons and quotes around that line",
            line=line,
        ) from exc
    except yaml.YAMLError as exc:
        raise InputInvalid(f"The {what} is not valid YAML: {exc}", "check the file's syntax") from exc
    return root, data


def line_of(root: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """The line of the deepest node on ``path`` that exists (a missing field points at its parent)."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
