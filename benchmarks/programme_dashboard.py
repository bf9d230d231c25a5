"""Benchmark the facilitator's dashboard for a programme of 1,000 published pairs.

    python benchmarks/programme_dashboard.py [--pairs 1000] [--repeat 5] [--out FILE]

Seeds a temporary SQLite database with 2,000 participants, 1,000 published pairs (a quarter signed),
three months of meetings and check-ins, then measures, in the same run (median of ``--repeat``):
(a) the baseline: reading every programme row with plain SELECTs and nothing else;
(b) ``build_dashboard`` (figures, per-pair table, risk and trend frames);
(c) the whole UI handler a click on "Refresh dashboard" runs: agreement sync, dashboard, the CSV file,
    plus Gradio's serialisation of both plots and the at-risk table.
Prints markdown (seconds and the ratio to the baseline); ``--out`` writes JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import select

from kickcoach.core.config import Settings
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.programme.dashboard import build_dashboard
from kickcoach.programme.service import ProgrammeService
from kickcoach.programme.synthetic import generate
from kickcoach.programme.tables import CheckinRow, MeetingRow, ParticipantRow, ProgrammePairRow
from kickcoach.services import Services

KICKOFF = dt.date(2027, 1, 4)
TODAY = dt.date(2027, 4, 5)


def seed(service: ProgrammeService, pairs: int) -> None:
    rng = random.Random(0)
    programme = service.create("Bench", today=KICKOFF)
    cohort = generate(2 * pairs, seed=0)
    service.store.enrol(programme.id, cohort.people)
    rows = [ProgrammePairRow(programme_id=programme.id, a_email=a, b_email=b, score=rng.random(), why={},
                             state="published", pair_id=f"bench-{i}", published_on=KICKOFF,
                             agreement_due=programme.agreement_due, a_response="accepted", b_response="accepted",
                             agreement_signed_on=KICKOFF + dt.timedelta(days=rng.randint(5, 40)) if i % 4 == 0 else None)
            for i, (a, b) in enumerate(cohort.planted)]
    with service.store.session() as s:
        s.add_all(rows)
        s.flush()
        for row in rows:
            for k in range(rng.randint(0, 4)):
                s.add(MeetingRow(programme_pair_id=row.id, held_on=KICKOFF + dt.timedelta(days=7 + 21 * k),
                                 action_plan=k == 1))
            for month in ("2027-01", "2027-02", "2027-03"):
                for email in (row.a_email, row.b_email):
                    if rng.random() < 0.8:
                        s.add(CheckinRow(programme_pair_id=row.id, email=email, month=month, going=rng.randint(1, 5),
                                         equal=rng.randint(1, 5), improve_text="More time"))


def baseline(service: ProgrammeService) -> int:
    with service.store.session() as s:
        return sum(len(list(s.scalars(select(model)))) for model in (ParticipantRow, ProgrammePairRow, MeetingRow,
                                                                     CheckinRow))


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    import gradio as gr

    from kickcoach.ui.programme_tab import ProgrammeHandlers

    with tempfile.TemporaryDirectory() as home:
        services = Services(Settings(backend="fake", embeddings="hashing", home=Path(home), _env_file=None),
                            embeddings=HashingEmbeddings())
        service = ProgrammeService(services)
        seed(service, args.pairs)
        programme = service.store.get("Bench")
        handlers = ProgrammeHandlers(services, today=TODAY)
        bar = gr.BarPlot(x="reason", y="pairs")
        line = gr.LinePlot(x="month", y="score", color="measure")
        table = gr.Dataframe()

        def handler() -> None:
            _summary, at_risk, risks, trend, _ = handlers.dashboard("Bench", None)
            bar.postprocess(risks)
            line.postprocess(trend)
            table.postprocess(at_risk)

        board = build_dashboard(service.store, programme, TODAY)
        rows = baseline(service)
        results = {
            "baseline_select_s": median_time(lambda: baseline(service), args.repeat),
            "build_dashboard_s": median_time(lambda: build_dashboard(service.store, programme, TODAY), args.repeat),
            "ui_handler_s": median_time(handler, args.repeat),
            "rows_read": rows, "pairs": args.pairs, "at_risk": board.metrics["at_risk"],
        }
    base = results["baseline_select_s"]
    print(f"## Dashboard for {args.pairs} pairs ({rows} programme rows), median of {args.repeat}\n")
    print("| step | seconds | × baseline |\n|---|---|---|")
    for key, label in (("baseline_select_s", "baseline: SELECT every programme row"),
                       ("build_dashboard_s", "build_dashboard"), ("ui_handler_s", ("UI handler (sync + dashboard + "
                                                                                  "CSV + plot serialisation)"))):
        print(f"| {label} | {results[key]:.3f} | {results[key] / base:.1f}× |")
    print(f"\n{results['at_risk']} pairs at risk.")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
