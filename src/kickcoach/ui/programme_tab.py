"""The Programme tab, for the facilitator: create a cohort, import the inventory, match, review (swap, lock),
publish, and follow up on a dashboard with plots, CSV export and nudges as a calendar file.

Only the facilitator sees anything here (``programme.access.is_facilitator``); the dashboard reads the
programme tables only, never a pair's chats, rehearsals or drafts.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
import pandas as pd

from kickcoach.core.errors import KickcoachError
from kickcoach.core.paths import write_private
from kickcoach.programme.access import is_facilitator, ui_identity
from kickcoach.programme.dashboard import build_dashboard
from kickcoach.programme.followup import nudges, nudges_ics, sync_agreements
from kickcoach.programme.scoring import why_text
from kickcoach.programme.service import ProgrammeService
from kickcoach.services import Services
from kickcoach.ui.widgets import DOWNLOAD_BOX

if TYPE_CHECKING:
    from kickcoach.ui.identity import Identity

PAIR_HEADERS = ["Partner A", "Partner B", "Score", "Why", "Locked"]
NOT_ALLOWED = "This tab is for the programme's facilitator."


class ProgrammeHandlers:
    def __init__(self, services: Services, today: dt.date | None = None, identity: Identity | None = None) -> None:
        self.services = services
        self.identity = identity
        self._today = today
        self._service: ProgrammeService | None = None

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def service(self) -> ProgrammeService:
        if self._service is None:
            self._service = ProgrammeService(self.services)
        return self._service

    def _export(self, request: Any, stem: str, suffix: str, text: str) -> str:
        """A download only the asking facilitator may fetch (``ui.exports``); a private temp file without accounts."""
        if self.identity is not None:
            return self.identity.export(request, stem, suffix, text)
        path = Path(tempfile.mkdtemp(prefix="kickcoach-programme-")) / f"{stem}{suffix}"
        return str(write_private(path, text))

    def _check(self, request: Any) -> None:
        if self.identity is not None and self.identity.enabled:  # accounts: the role decides
            try:
                allowed = self.identity.speaker(request).is_facilitator
            except KickcoachError:
                allowed = False
        else:
            allowed = is_facilitator(ui_identity(request), self.services.settings)
        if not allowed:
            raise PermissionError(NOT_ALLOWED)

    def _report(self, request: Any, act: Callable[[], str], *failures: type[Exception]) -> str:
        """``act()``'s message for the facilitator; ❌ and the reason when it fails or the caller is not allowed."""
        caught: tuple[type[Exception], ...] = (KickcoachError, PermissionError, *failures)
        try:
            self._check(request)
            return act()
        except caught as exc:
            return f"❌ {exc}"

    def create(self, name: str, request: gr.Request) -> str:
        def act() -> str:
            p = self.service.create(name.strip(), today=self.today)
            return (f"✅ Created **{p.name}**: trial {p.trial_start} to {p.trial_end}, agreement due {p.agreement_due}, "
                    f"meet at least {p.meeting_frequency}.")

        return self._report(request, act)

    def import_csv(self, name: str, file: str | None, request: gr.Request,
                   progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008 (Gradio's way to ask for a bar)
        def act() -> str:
            if not file:
                return "❌ Choose a CSV file first (header name,email,team,manager,offers,needs)."
            progress(0.2, desc="Reading and enrolling the inventory")
            added, updated = self.service.import_csv(name.strip(), Path(file).read_text(encoding="utf-8"))
            return f"✅ Imported {added + updated} participants ({added} new, {updated} updated)."

        return self._report(request, act, OSError, UnicodeDecodeError)

    def names(self, name: str) -> dict[str, str]:
        """email → the participant's name, for the programme called ``name`` (empty when there is none)."""
        try:
            programme = self.service.store.get(name.strip())
        except KickcoachError:
            return {}
        return {p.email: p.name for p in self.service.store.participants(programme.id)}

    def _pair_rows(self, pairs: list[dict[str, Any]], names: dict[str, str]) -> list[list[Any]]:
        def who(email: str) -> str:
            return f"{names[email]} ({email})" if email in names else email

        def first(email: str) -> str:
            return names.get(email, email).split()[0]

        return [[who(p["a"]), who(p["b"]), round(p["score"], 2), why_text(p["why"], first(p["a"]), first(p["b"])),
                 "🔒" if p["locked"] else ""] for p in pairs]

    def match(self, name: str, request: gr.Request,
              progress: gr.Progress = gr.Progress()) -> tuple[str, list[list[Any]], str]:  # noqa: B008
        try:
            self._check(request)
            progress(0.1, desc="Comparing everyone's offers and needs")
            report = self.service.match(name.strip())
        except (KickcoachError, PermissionError) as exc:
            return f"❌ {exc}", [], ""
        names = self.names(name)
        unpaired = "\n".join(f"- **{names.get(u['email'], u['email'])}**: {u['reason']}"
                             for u in report.unpaired) or "Everyone is paired."
        return ((f"✅ {len(report.pairs)} pairs proposed; total score {report.total:.2f} "
                f"(greedy baseline {report.greedy_total:.2f}). Review, swap or lock, then publish."),
                self._pair_rows(report.pairs, self.names(name)), unpaired)

    def proposals(self, name: str) -> list[list[Any]]:
        from kickcoach.programme.service import pair_json

        return self._pair_rows([pair_json(r) for r in self.service.proposals(name.strip())], self.names(name))

    def swap(self, name: str, first: str, second: str, request: gr.Request) -> tuple[str, list[list[Any]]]:
        try:
            self._check(request)
            made = self.service.swap(name.strip(), first, second)
        except (KickcoachError, PermissionError) as exc:
            return f"❌ {exc}", self.proposals(name) if name.strip() else []
        names = self.names(name)
        shown = "; ".join(f"{names.get(r.a_email, r.a_email)} + {names.get(r.b_email, r.b_email)} ({r.score:.2f})"
                          for r in made)
        return f"✅ Now {shown}", self.proposals(name)

    def lock(self, name: str, email: str, request: gr.Request) -> tuple[str, list[list[Any]]]:
        try:
            self._check(request)
            row = self.service.lock(name.strip(), email)
        except (KickcoachError, PermissionError) as exc:
            return f"❌ {exc}", []
        names = self.names(name)
        return f"🔒 Locked {names.get(row.a_email, row.a_email)} + {names.get(row.b_email, row.b_email)}", self.proposals(name)

    def publish(self, name: str, request: gr.Request) -> str:
        def act() -> str:
            rows = self.service.publish(name.strip(), today=self.today)
            return (f"✅ Published {len(rows)} pairs; each has a draft agreement due {rows[0].agreement_due}. "
                    "Participants now accept or decline in *My programme*.")

        return self._report(request, act)

    def dashboard(self, name: str, request: gr.Request) -> tuple[str, pd.DataFrame, pd.DataFrame, pd.DataFrame,
                                                                  str | None]:
        """(summary, pairs at risk, risk counts for the bar plot, check-in trend for the line plot, CSV file)."""
        empty = pd.DataFrame()
        try:
            self._check(request)
            programme = self.service.store.get(name.strip())
            sync_agreements(self.services, self.service.store, programme)
            board = build_dashboard(self.service.store, programme, self.today)
        except (KickcoachError, PermissionError) as exc:
            return f"❌ {exc}", empty, pd.DataFrame({"reason": [], "pairs": []}), empty, None
        csv_path = self._export(request, f"{programme.id}-dashboard", ".csv", board.to_csv())
        names = self.names(name)
        at_risk = board.at_risk.assign(**{side: board.at_risk[side].map(lambda e: names.get(e, e)) for side in ("a", "b")})
        return board.summary_markdown(), at_risk, board.risks, board.checkin_trend, csv_path

    def nudges_file(self, name: str, request: gr.Request) -> tuple[pd.DataFrame, str | None]:
        """Every pair's nudges as a table and as an .ics file of due dates."""
        try:
            self._check(request)
            programme = self.service.store.get(name.strip())
            items = nudges(self.service.store, programme, self.today)
        except (KickcoachError, PermissionError):
            return pd.DataFrame(), None
        path = self._export(request, f"{programme.id}-nudges", ".ics", nudges_ics(programme, items))
        table = pd.DataFrame([{"pair": n.pair_id, "due": n.due.isoformat(), "overdue": "yes" if n.overdue else "",
                               "nudge": n.message, "for": ", ".join(n.who)} for n in items])
        return table, path


def render(handlers: ProgrammeHandlers) -> None:
    gr.Markdown("Run a peer-mentoring programme: import the skills inventory, pair people by complementary "
                "offers and needs, publish, and follow up. You see programme data only, never chats, "
                "rehearsals or drafts.")
    with gr.Row():
        name = gr.Textbox(label="Programme", placeholder="Spring 2027", elem_id="programme-name", scale=3)
        create = gr.Button("Create", elem_id="programme-create", scale=1)
    status = gr.Markdown(elem_id="programme-status")
    with gr.Accordion("Enrolment: import the inventory (CSV)", open=True):
        csv_file = gr.File(label="CSV: name,email,team,manager,offers,needs (items separated by ;)",
                           file_types=[".csv"], type="filepath", elem_id="programme-csv")
        import_button = gr.Button("Import", elem_id="programme-import")
    with gr.Accordion("Pairing", open=True):
        match_button = gr.Button("Match everyone", variant="primary", elem_id="programme-match")
        pairs = gr.Dataframe(headers=PAIR_HEADERS, interactive=False, wrap=True, elem_id="programme-pairs",
                             column_widths=["190px", "190px", "70px", "520px", "90px"])  # fixed: a phone scrolls it
        unpaired = gr.Markdown(elem_id="programme-unpaired")
        with gr.Row():
            first = gr.Textbox(label="Swap: email", scale=2)
            second = gr.Textbox(label="with email", scale=2)
            swap = gr.Button("Swap", scale=1)
        with gr.Row():
            lock_email = gr.Textbox(label="Lock the pair of (email)", scale=4)
            lock = gr.Button("Lock", scale=1)
        publish = gr.Button("Publish pairs", elem_id="programme-publish")
    with gr.Accordion("Dashboard", open=True):
        refresh = gr.Button("Refresh dashboard", elem_id="programme-dashboard-refresh")
        summary = gr.Markdown(elem_id="programme-dashboard")
        at_risk = gr.Dataframe(label="Pairs at risk", interactive=False, wrap=True, elem_id="programme-at-risk",
                               visible=False)
        empty_note = gr.Markdown(elem_id="programme-charts-note")
        with gr.Row():
            risk_plot = gr.BarPlot(x="reason", y="pairs", label="Pairs at risk, by reason", elem_id="programme-risk-plot",
                                   visible=False)
            trend_plot = gr.LinePlot(x="month", y="score", color="measure", label="Check-in scores (1–5)",
                                     elem_id="programme-trend-plot", visible=False)
        csv_out = gr.File(label="Dashboard CSV", elem_id="programme-csv-export", elem_classes=DOWNLOAD_BOX)
    with gr.Accordion("Nudges", open=False):
        nudge_button = gr.Button("List nudges", elem_id="programme-nudges")
        nudge_table = gr.Dataframe(interactive=False, wrap=True, elem_id="programme-nudge-table")
        ics_out = gr.File(label="Due dates (.ics)", elem_id="programme-ics-export", elem_classes=DOWNLOAD_BOX)

    create.click(handlers.create, [name], [status], api_name="programme_create")
    import_button.click(handlers.import_csv, [name, csv_file], [status], api_name="programme_import")
    match_button.click(handlers.match, [name], [status, pairs, unpaired], api_name="programme_match")
    swap.click(handlers.swap, [name, first, second], [status, pairs], api_name="programme_swap")
    lock.click(handlers.lock, [name, lock_email], [status, pairs], api_name="programme_lock")
    publish.click(handlers.publish, [name], [status], api_name="programme_publish")
    def board(name_text: str, request: gr.Request) -> tuple[Any, ...]:
        """The dashboard; a chart with nothing to draw is hidden and a line says what will appear there."""
        text, risky, risks, trend, csv_path = handlers.dashboard(name_text, request)
        any_risk = bool(len(risks)) and float(risks["pairs"].sum()) > 0  # all-zero bars would draw a bare axis
        notes = [] if any_risk else ["*No pairs at risk: the table and the chart of reasons appear when a pair "
                                     "needs attention.*"]
        notes += [] if len(trend) else ["*No check-ins yet: their scores appear once participants answer.*"]
        return (text, gr.update(value=risky, visible=bool(len(risky))), gr.update(value=risks, visible=any_risk),
                gr.update(value=trend, visible=bool(len(trend))), csv_path, "\n\n".join(notes))

    refresh.click(board, [name], [summary, at_risk, risk_plot, trend_plot, csv_out, empty_note],
                  api_name="programme_dashboard")
    nudge_button.click(handlers.nudges_file, [name], [nudge_table, ics_out], api_name="programme_nudges")
