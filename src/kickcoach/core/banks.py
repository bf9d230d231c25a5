"""Versioned YAML text banks: the words a flow shows people, kept beside the flow rather than in Python.

A bank file holds a ``version`` and its ``lines``, grouped by the part of the flow that speaks them::

    version: 1
    lines:
      debrief:
        no_ask: "A clear ask was not heard; this was your first line."
        ask_late: "Your ask came only in {turn}; the first two turns held no clear request."

``text_bank(path)`` reads and validates a file once per process; ``bank.line(group, key, **slots)`` returns a
line with its ``{slots}`` filled by ``str.format`` (so ``{value:.0f}`` works as in an f-string). Without slots
the template comes back untouched, for callers that fill it later.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

__all__ = ["TextBank", "bank_beside", "text_bank"]


class TextBank(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    lines: dict[str, dict[str, str]]

    def line(self, group: str, key: str, /, **slots: object) -> str:
        """The line ``key`` of ``group``, its slots filled (a missing group, key or slot raises ``KeyError``)."""
        template = self.lines[group][key]
        return template.format(**slots) if slots else template

    def group(self, group: str) -> dict[str, str]:
        """Every line of ``group`` as written (templates unfilled)."""
        return dict(self.lines[group])


@cache
def text_bank(path: Path) -> TextBank:
    """The bank at ``path``, read and validated once per process."""
    return TextBank.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def bank_beside(module_file: str, name: str = "lines.yaml") -> TextBank:
    """The bank ``name`` in the folder of ``module_file`` (pass ``__file__``)."""
    return text_bank(Path(module_file).with_name(name))
