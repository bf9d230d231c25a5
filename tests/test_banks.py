"""The shared text-bank loader (kickcoach.core.banks) and every text bank under src/ that uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kickcoach.core.banks import TextBank, bank_beside, text_bank

SRC = Path(__file__).resolve().parents[1] / "src" / "kickcoach"
TEXT_BANKS = [
    SRC / "flows/rehearsal/lines.yaml", SRC / "flows/review/lines.yaml", SRC / "flows/feedback/lines.yaml",
    SRC / "flows/coach/banks/contract.yaml", SRC / "guard/lines.yaml", SRC / "contracts/smart/lines.yaml",
    SRC / "contracts/defaults.yaml", SRC / "programme/data/nudges.yaml",
]


@pytest.mark.parametrize("path", TEXT_BANKS, ids=lambda p: str(p.relative_to(SRC)))
def test_each_text_bank_is_versioned_and_holds_only_text(path: Path) -> None:
    bank = text_bank(path)
    assert bank.version >= 1
    assert bank.lines and all(isinstance(t, str) and t for group in bank.lines.values() for t in group.values())


def test_every_file_that_looks_like_a_text_bank_is_listed() -> None:
    found = {p for p in SRC.rglob("*.yaml") if set(yaml.safe_load(p.read_text(encoding="utf-8")) or {}) == {"version", "lines"}}
    assert found == set(TEXT_BANKS)


def test_a_line_fills_its_slots_and_a_template_without_slots_comes_back_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lines.yaml"
    path.write_text("version: 3\nlines:\n  g:\n    k: 'You met {who} {n:.0f} times; {{braces}}'\n", encoding="utf-8")
    bank = text_bank(path)
    assert bank.line("g", "k", who="Tom", n=2.4) == "You met Tom 2 times; {braces}"
    assert bank.line("g", "k") == "You met {who} {n:.0f} times; {{braces}}"
    assert bank.group("g") == {"k": "You met {who} {n:.0f} times; {{braces}}"}
    assert bank_beside(str(tmp_path / "module.py")) is bank  # read once per process
    with pytest.raises(KeyError):
        bank.line("g", "k", who="Tom")  # a slot left unfilled
    with pytest.raises(KeyError):
        bank.line("g", "missing")


def test_a_bank_without_a_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lines.yaml"
    path.write_text("lines:\n  g:\n    k: text\n", encoding="utf-8")
    with pytest.raises(ValueError, match="version"):
        text_bank(path)
    assert TextBank.model_fields.keys() == {"version", "lines"}
