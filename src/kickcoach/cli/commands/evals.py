"""``kickcoach eval``: run the behavioural evals through the real pipeline and write reports."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

FLOWS = ["coach", "suggestions", "smarten", "feedback", "rehearse"]


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_command(
        flow: Annotated[list[str] | None, typer.Option("--flow", help=f"Flows to run (default all): {', '.join(FLOWS)}")] = None,
        out_dir: Annotated[Path, typer.Option("--out", help="Folder for the markdown + JSON reports")] = Path("evals/report"),
        backend: Annotated[str | None, typer.Option(help='Override the backend: "embedded", "openai:<model>", "fake"')] = None,
    ) -> None:
        """Run the eval cases in evals/cases/ and write a report per flow."""
        from kickcoach.cli.support import err, out, overrides, services

        if backend:
            overrides["backend"] = backend
        svc = services()
        chosen = flow or FLOWS
        unknown = sorted(set(chosen) - set(FLOWS))
        if unknown:
            raise typer.BadParameter(f"unknown flow(s) {unknown}; choose from {FLOWS}")
        summary = ["# kickcoach eval report", ""]
        for name in chosen:
            runner = importlib.import_module(f"kickcoach.evals.{name}")
            report = runner.run(svc, progress=True)
            md, js = report.write(out_dir)
            summary.append(report.markdown())
            for metric, value in report.metrics.items():
                out.print(f"{name}: {metric}: [bold]{value:.1%}[/]")
            for figure, text in report.figures.items():
                out.print(f"{name}: {figure}: [bold]{text}[/]")
            err.print(f"  report: {md} and {js}")
        (out_dir / "README.md").write_text("\n".join(summary), encoding="utf-8")
