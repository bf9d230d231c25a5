"""The eval report shared by every flow: per-case results, metrics, and a markdown + JSON rendering."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

from kickcoach.core.paths import bundled


class CaseResult(BaseModel):
    id: str
    category: str = ""
    passed: bool
    checks: dict[str, bool] = Field(default_factory=dict)  # named checks, e.g. {"compliant": True}
    detail: dict[str, Any] = Field(default_factory=dict)  # what a reader needs to see a failure: reply, etc.

    @classmethod
    def judged(
        cls,
        case: Mapping[str, Any],
        checks: dict[str, bool],
        detail: dict[str, Any],
        *,
        category: str | None = None,
        informational: Collection[str] = (),
    ) -> CaseResult:
        """The result of eval ``case``: it passes when every check passes but the ``informational`` ones
        (reported, not required); the category is the case's own unless one is given."""
        return cls(
            id=case["id"],
            category=case.get("category", "") if category is None else category,
            passed=all(ok for name, ok in checks.items() if name not in informational),
            checks=checks,
            detail=detail,
        )


class FlowReport(BaseModel):
    flow: str
    backend: str
    cases: list[CaseResult]
    metrics: dict[str, float] = Field(default_factory=dict)  # headline rates, 0..1
    figures: dict[str, str | float] = Field(default_factory=dict)  # headline figures that are not rates (ratios, counts)
    appendix: str = ""  # e.g. transcripts, printed after the failures
    seconds: float = 0.0

    def rate(self, check: str, where: Any = None) -> float | None:
        """Share of cases (optionally filtered by ``where(case)``) whose ``check`` is True."""
        rows = [c for c in self.cases if check in c.checks and (where is None or where(c))]
        return sum(c.checks[check] for c in rows) / len(rows) if rows else None

    def by_category(self, check: str) -> dict[str, tuple[int, int]]:
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for case in self.cases:
            if check in case.checks:
                table[case.category][0] += case.checks[check]
                table[case.category][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(table.items())}

    def markdown(self) -> str:
        lines = [f"## {self.flow} — backend `{self.backend}` — {len(self.cases)} cases, {self.seconds:.0f} s", ""]
        lines += ["| metric | value |", "|---|---|"]
        lines += [f"| {name} | {value:.1%} |" for name, value in self.metrics.items()]
        lines += [f"| {name} | {value if isinstance(value, str) else f'{value:g}'} |" for name, value in self.figures.items()]
        checks = sorted({k for c in self.cases for k in c.checks})
        if checks and any(c.category for c in self.cases):
            lines += ["", "| category | " + " | ".join(checks) + " |", "|---" * (len(checks) + 1) + "|"]
            cats = sorted({c.category for c in self.cases})
            for cat in cats:
                cells = []
                for check in checks:
                    passed, total = self.by_category(check).get(cat, (0, 0))
                    cells.append(f"{passed}/{total}" if total else "–")
                lines.append(f"| {cat} | " + " | ".join(cells) + " |")
        failures = [c for c in self.cases if not c.passed]
        lines += ["", f"### Failing cases ({len(failures)})", ""]
        for case in failures:
            failed = ", ".join(k for k, v in case.checks.items() if not v)
            lines.append(f"- **{case.id}** ({case.category}) failed: {failed}")
            for key, value in case.detail.items():
                lines.append(f"  - {key}: {json.dumps(value, ensure_ascii=False)[:400]}")
        if self.appendix:
            lines += ["", "### Transcripts", "", self.appendix]
        return "\n".join(lines) + "\n"

    def write(self, out_dir: Path) -> tuple[Path, Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        md, js = out_dir / f"{self.flow}.md", out_dir / f"{self.flow}.json"
        md.write_text(self.markdown(), encoding="utf-8")
        js.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        return md, js


def load_cases(flow: str, directory: Path | None = None) -> list[dict[str, Any]]:
    """All cases of ``flow`` from ``evals/cases/<flow>/*.yaml`` (each file holds a list), sorted by file."""
    folder = (directory or bundled("evals") / "cases") / flow
    cases: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        cases.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return cases


def figure_lines(heading: str, rows: Mapping[str, object], width: int) -> list[str]:
    """A figures block for a terminal: the heading, then one indented ``label: value`` row each, the values
    aligned ``width`` characters after the indent (the drafts evals print theirs this way)."""
    return [heading, *(f"  {label + ':':<{width}}{value}" for label, value in rows.items())]
