"""The Weekly review tab: the review as a step-by-step form, plus the pair's history and Markdown export.

``ReviewHandlers`` holds plain methods of (inputs, request) returning plain values (``StepView``,
``History``, a file path), so tests drive a whole review without a browser. ``render`` lays the tab out;
every step is saved when it is answered, so closing the browser loses nothing answered, and Start/Resume
picks the review of the chosen date up at its first open step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import dateparser
import gradio as gr

from kickcoach.core.errors import InputInvalid, KickcoachError
from kickcoach.flows.review.flow import ReviewFlow, StepView
from kickcoach.flows.review.history import History, build_history, export_markdown
from kickcoach.history.progress import number
from kickcoach.services import Services
from kickcoach.ui.identity import Identity
from kickcoach.ui.widgets import DOWNLOAD_BOX


class ReviewHandlers:
    def __init__(
        self,
        services: Services,
        identity: Identity,
        *,
        use_model: bool = True,
        clock: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.services = services
        self.identity = identity
        self.clock = clock
        self.use_model = use_model

    @property
    def flow(self) -> ReviewFlow:
        """The flow as the local owner (tests and scripts; handlers use the request's person)."""
        return ReviewFlow(self.services, use_model=self.use_model)

    def _flow(self, request: Any) -> ReviewFlow:
        """The flow as the request's person (reviews are shared; a rehearsal debrief it offers is theirs)."""
        return ReviewFlow(self.identity.services(self.services, request), use_model=self.use_model)

    def today(self) -> str:
        return self.clock().isoformat()

    def start(self, date: str | None, request: Any) -> StepView:
        """Start the review of ``date`` (YYYY-MM-DD, empty = today) or resume it at its first open step."""
        return self._flow(request).start(self.identity.pair_id(request), parse_date(date, self.clock()))

    def answer(self, review_id: str, step_answers: dict[str, Any], request: Any, step: str | None = None) -> StepView:
        """Save the answers of the current step (or ``step``) and move on."""
        return self._flow(request).answer(self.identity.pair_id(request), _require(review_id), step_answers, step)

    def back(
        self, review_id: str, request: Any, step_answers: dict[str, Any] | None = None, step: str | None = None
    ) -> StepView:
        """One step back; what was typed on this step is kept as a draft."""
        return self._flow(request).back(self.identity.pair_id(request), _require(review_id), step_answers, step)

    def skip(
        self, review_id: str, request: Any, step_answers: dict[str, Any] | None = None, step: str | None = None
    ) -> StepView:
        """Skip this step (an earlier answer stays); what was typed is kept as a draft."""
        return self._flow(request).skip(self.identity.pair_id(request), _require(review_id), step_answers, step)

    def history(self, request: Any) -> History:
        return build_history(self.identity.services(self.services, request), self.identity.pair_id(request), self.clock(), self._flow(request))

    def export(self, review_id: str, request: Any) -> str:
        """Write the review as Markdown to a temporary file and return its path (for a download)."""
        review_id = _require(review_id)
        review = self._flow(request).load(self.identity.pair_id(request), review_id)
        return self.identity.export(request, f"review-{review.date.isoformat()}", ".md", export_markdown(review_id, review))


def parse_date(text: str | None, today: dt.date) -> dt.date:
    """The review's date: ISO, or a phrase people type ("yesterday", "last Friday", "26/11/2026"; day first)."""
    if not text or not text.strip():
        return today
    base = dt.datetime.combine(today, dt.time())
    found = dateparser.parse(text.strip(), settings={"PREFER_DATES_FROM": "past", "RELATIVE_BASE": base, "DATE_ORDER": "DMY"})
    if found is None:
        raise InputInvalid("Review date: use a date such as 2027-03-31, or 'last Friday'", field="date")
    return found.date()


def _require(review_id: str | None) -> str:
    if not review_id:
        raise InputInvalid("No review is open", "pick a date and press Start / Resume first", field="review_id")
    return review_id


# --- view → components ------------------------------------------------------------------------------
def step_markdown(view: StepView) -> str:
    lines = [*([f"> {line}" if line else ">" for line in view.safety.splitlines()] + [""] if view.safety else []),
             f"### {view.title}", "", view.intro]
    if view.goal is not None and view.goal.planned is not None:
        target = f"{number(view.goal.target_value)}" if view.goal.target_value is not None else "?"
        by = f" by {view.goal.deadline.isoformat()}" if view.goal.deadline else ""
        lines += ["", f"*On the agreed path you'd be at **{number(view.goal.planned)}** today (target {target}{by}).*"]
    for note in view.coach:
        lines += ["", f"> **{note.label}:** {note.text}"]
        if note.note:
            lines += [f"> *Note: {note.note}*"]
    if view.demo:
        lines += ["", "*This is a demo review (seeded demo data).*"]
    return "\n".join(lines)


def summary_markdown(view: StepView) -> str:
    s = view.summary
    if s is None:
        return ""
    lines = ["| Partner | Goal | Progress | Planned | |", "|---|---|---|---|---|"]
    for p in s.progress:
        value = number(p.progress) if p.progress is not None else "–"
        planned = number(p.planned) if p.planned is not None else "–"
        flag = "**behind**" if p.behind else p.status.replace("_", " ")
        lines.append(f"| {p.partner_name} | {p.what} | {value} | {planned} | {flag} |")
    lines += ["", *[f"- {line}" for line in s.lines]]
    if s.commitments_next:
        lines += ["", "**Commitments for next week:**", *[f"- {c.partner_name}: {c.text}" for c in s.commitments_next]]
    if s.status == "done":
        lines += ["", "*Review finished. You can still go Back to edit any step.*"]
    return "\n".join(lines)


def history_markdown(history: History) -> str:
    if not history.reviews:
        return "*No reviews yet. Pick a date and press Start / Resume.*"
    lines = []
    if history.demo:
        lines += ["**⚠ Demo data:** some reviews below were seeded by `kickcoach review --seed-demo-history`.", ""]
    lines += [f"- {line}" for line in history.lines()]
    lines += ["", "| Date | Status | Steps | Behind | Commitments kept | Both fair |", "|---|---|---|---|---|---|"]
    for row in reversed(history.reviews):
        fair = {True: "yes", False: "no", None: "–"}[row.both_fair]
        demo = " (demo)" if row.demo else ""
        lines.append(
            f"| {row.date.isoformat()}{demo} | {row.status.replace('_', ' ')} | {row.answered}/{row.total} | "
            f"{row.behind} | {row.commitments_kept}/{row.commitments_marked} | {fair} |"
        )
    if history.fairness:
        lines += ["", "**Fairness trend** (1 = fair, 0.5 = mostly, 0 = not fair; hours given):", ""]
        a, b = history.partners.get("a", "a"), history.partners.get("b", "b")
        for point in history.fairness:
            sides = f"{fairness_side(a, point.a, point.hours_a)}, {fairness_side(b, point.b, point.hours_b)}"
            lines.append(f"- {point.date.isoformat()}: {sides}")
    return "\n".join(lines)


def fairness_side(name: str, score: float | None, hours: float | None) -> str:
    """One partner's fairness answer: "Priya 1 (1.5 h)", or "not answered" for a skipped one."""
    if score is None and hours is None:
        return f"{name} not answered"
    shown = "–" if score is None else number(score)
    return f"{name} {shown} ({'–' if hours is None else number(hours)} h)"


def render(handlers: ReviewHandlers) -> tuple[Callable[..., Any], list[Any]]:
    """Lay out the tab; returns the history refresher and its outputs, for the app's load event."""
    review_id, step_state, carried_ids = gr.State(None), gr.State(None), gr.State([])
    with gr.Row():
        date = gr.Textbox(label="Review date", info="e.g. 2027-03-31, yesterday or last Friday", value=handlers.today,
                          scale=2, elem_id="review-date")
        start = gr.Button("Start / Resume", variant="primary", scale=1, elem_id="review-start")
    message = gr.Markdown(elem_id="review-message")
    label = gr.Markdown(elem_id="review-step-label")
    header = gr.Markdown(elem_id="review-step")
    with gr.Group(visible=False) as checkin_box:
        checkin_note = gr.Textbox(label="How are you both arriving?", lines=2, elem_id="review-checkin-note")
        marks = gr.CheckboxGroup(
            label="Last time's commitments: tick the ones you did", choices=[], elem_id="review-marks"
        )
    with gr.Group(visible=False) as goal_box:
        progress = gr.Number(label="Progress now (a number)", elem_id="review-progress-value")
        wins = gr.Textbox(label="What went well? Any wins, however small?", lines=2, elem_id="review-wins")
        waste = gr.Textbox(label="What wasted your time or energy?", lines=2, elem_id="review-waste")
        blockers = gr.Textbox(label="What got in the way: fear, procrastination, distractions?", lines=2,
                              elem_id="review-blockers")
        commitments = gr.Textbox(label="Commitments for next week (one per line)", lines=3, elem_id="review-commitments")
    with gr.Group(visible=False) as fairness_box, gr.Row():
        sides = {}
        for partner in ("a", "b"):
            with gr.Column():
                sides[partner] = (
                    gr.Textbox(
                        label=f"Partner {partner}: gave (skills, contacts, time)", elem_id=f"review-{partner}-gave"
                    ),
                    gr.Textbox(label=f"Partner {partner}: got", elem_id=f"review-{partner}-got"),
                    gr.Number(label=f"Partner {partner}: hours given", elem_id=f"review-{partner}-hours"),
                    gr.Radio(
                        ["yes", "mostly", "no"],
                        label=f"Partner {partner}: does it feel fair?",
                        elem_id=f"review-{partner}-fair",
                    ),
                )
    with gr.Group(visible=False) as summary_box:
        summary = gr.Markdown(elem_id="review-summary")
        summary_note = gr.Textbox(
            label="Anything to add before you close the review?", lines=2, elem_id="review-summary-note"
        )
    with gr.Row():
        back = gr.Button("Back", elem_id="review-back")
        skip = gr.Button("Skip", elem_id="review-skip")
        nxt = gr.Button("Save & next", variant="primary", elem_id="review-next")

    gr.Markdown("## History\nEach goal's chart (actual against the planned path) appears after its first review.")
    with gr.Row():
        refresh_btn = gr.Button("Refresh history", elem_id="review-history-refresh", scale=1)
        goal_pick = gr.Dropdown(label="Goal", choices=[], interactive=True, scale=3, elem_id="review-goal")
    plot = gr.LinePlot(
        x="date",
        y="value",
        color="series",
        label="Actual vs planned path",
        color_map={"actual": "#0f766e", "planned": "#f59e0b"},
        x_title="Review date",
        y_title="Value",
        elem_id="review-progress-plot", visible=False,
    )
    stats = gr.Markdown(elem_id="review-history")
    with gr.Row():
        export_pick = gr.Dropdown(
            label="Review to export", choices=[], interactive=True, scale=3, elem_id="review-export-pick"
        )
        export_btn = gr.Button("Export as Markdown", scale=1, elem_id="review-export")
    export_file = gr.File(label="Markdown", interactive=False, elem_id="review-export-file", elem_classes=DOWNLOAD_BOX)
    history_state = gr.State(None)

    a_side, b_side = sides["a"], sides["b"]
    form = [checkin_note, marks, progress, wins, waste, blockers, commitments, *a_side, *b_side, summary_note]
    step_outputs = [
        review_id,
        step_state,
        carried_ids,
        message,
        label,
        header,
        checkin_box,
        goal_box,
        fairness_box,
        summary_box,
        summary,
        nxt,
        *form,
    ]

    def show(view: StepView, note: str = "") -> list[Any]:
        v = view.values
        kind = view.kind
        fair = {p: v.get(p) or {} for p in ("a", "b")} if kind == "fairness" else {"a": {}, "b": {}}
        resumed = f"Resumed at {view.progress_label.lower()}; your earlier answers are kept." if view.resumed else ""
        marked = v.get("commitments") if kind == "checkin" and isinstance(v.get("commitments"), dict) else {}
        side_updates = []
        for p in ("a", "b"):
            name = view.partners.get(p, f"Partner {p}")
            side_updates += [
                gr.update(value=fair[p].get("gave", ""), label=f"{name} gave (skills, contacts, time)"),
                gr.update(value=fair[p].get("got", ""), label=f"{name} got"),
                gr.update(value=fair[p].get("hours"), label=f"Hours {name} gave"),
                gr.update(value=fair[p].get("fair"), label=f"Does the trade feel fair to {name}?"),
            ]
        progress_q = next((q for q in view.questions if q.name == "progress"), None)
        return [
            view.review_id,
            view.step,
            [c.id for c in view.carried],
            note or resumed,
            f"**{view.progress_label}** · {view.date.isoformat()}" + (" · finished" if view.status == "done" else ""),
            step_markdown(view),
            gr.update(visible=kind == "checkin"),
            gr.update(visible=kind in ("goal", "turn")),
            gr.update(visible=kind == "fairness"),
            gr.update(visible=kind == "summary"),
            summary_markdown(view),
            gr.update(value="Finish review" if kind == "summary" else "Save & next",
                      visible=not (kind == "summary" and view.status == "done")),  # a finished review: no Finish
            gr.update(value=v.get("note", "") if kind == "checkin" else ""),
            gr.update(
                choices=[(f"{c.partner_name}: {c.text}", c.id) for c in view.carried],
                value=[i for i, done in (marked or {}).items() if done],
                visible=bool(view.carried),
            ),
            gr.update(
                value=v.get("progress") if kind == "goal" else None,
                visible=kind == "goal",
                label=progress_q.label if progress_q else "Progress now",
            ),
            v.get("wins", "") if kind in ("goal", "turn") else "",
            v.get("waste", "") if kind in ("goal", "turn") else "",
            v.get("blockers", "") if kind in ("goal", "turn") else "",
            _lines_text(v.get("commitments")) if kind in ("goal", "turn") else "",
            *side_updates,
            v.get("note", "") if kind == "summary" else "",
        ]

    def collect(step: str | None, ids: list[str], *values: Any) -> dict[str, Any]:
        note, checked, prog, w, wa, bl, com, ag, agot, ah, af, bg, bgot, bh, bf, snote = values
        if step == "checkin":
            return {"note": note, "commitments": {i: i in (checked or []) for i in ids}} if ids else {"note": note}
        if step == "fairness":
            return {
                "a": {"gave": ag, "got": agot, "hours": ah, "fair": af},
                "b": {"gave": bg, "got": bgot, "hours": bh, "fair": bf},
            }
        if step == "summary":
            return {"note": snote}
        answer = {"wins": w, "waste": wa, "blockers": bl, "commitments": com}
        return answer if step in ("a", "b") else {**answer, "progress": prog}

    def failed(exc: KickcoachError) -> list[Any]:
        return [gr.update()] * 3 + [f"⚠️ {exc}"] + [gr.update()] * (len(step_outputs) - 4)

    def on_start(day: str, request: gr.Request) -> list[Any]:
        try:
            return show(handlers.start(day, request))
        except KickcoachError as exc:
            return failed(exc)

    # Gradio hands the request only to a positional parameter, so it comes first, before the form's values.
    def on_next(request: gr.Request, rid: str, step: str, ids: list[str], *values: Any) -> list[Any]:
        try:
            view = handlers.answer(rid, collect(step, ids, *values), request, step=step)
            return show(view, "Review finished and saved." if view.status == "done" and step == "summary" else "Saved.")
        except KickcoachError as exc:
            return failed(exc)

    def mover(method: Callable[..., StepView]) -> Callable[..., list[Any]]:
        def move(request: gr.Request, rid: str, step: str, ids: list[str], *values: Any) -> list[Any]:
            try:
                return show(method(rid, request, collect(step, ids, *values), step))
            except KickcoachError as exc:
                return failed(exc)

        return move

    def on_history(request: gr.Request) -> list[Any]:
        return history_updates(request, None)

    def on_history_keep(chosen: str | None, request: gr.Request) -> list[Any]:
        return history_updates(request, chosen)

    def history_updates(request: gr.Request, chosen: str | None) -> list[Any]:
        try:
            history = handlers.history(request)
        except KickcoachError as exc:
            return [None, gr.update(), None, f"⚠️ {exc}", gr.update()]
        goal = chosen if chosen in history.goals else history.focus
        reviews = [
            (f"{r.date.isoformat()}{' (demo)' if r.demo else ''} · {r.status.replace('_', ' ')}", r.review_id)
            for r in reversed(history.reviews)
        ]
        return [
            history.model_dump(mode="json"),
            gr.update(choices=history.goals, value=goal),
            plot_update(history, goal),
            history_markdown(history),
            gr.update(choices=reviews, value=reviews[0][1] if reviews else None),
        ]

    def plot_update(history: History, goal: str | None) -> Any:
        caption, frame = "Demo data included (seeded)." if history.demo else None, history.frame(goal) if goal else None
        return gr.update(value=frame, title=goal, caption=caption, visible=frame is not None and len(frame) > 0)

    def on_goal(data: dict[str, Any] | None, goal: str | None) -> Any:
        return plot_update(History.model_validate(data), goal) if data and goal else gr.update()

    def on_export(rid: str | None, request: gr.Request) -> Any:
        try:
            return handlers.export(rid or "", request), ""
        except KickcoachError as exc:
            return None, f"⚠️ {exc}"

    history_outputs = [history_state, goal_pick, plot, stats, export_pick]
    inputs = [review_id, step_state, carried_ids, *form]
    start.click(on_start, [date], step_outputs).then(on_history_keep, [goal_pick], history_outputs)
    date.submit(on_start, [date], step_outputs)
    nxt.click(on_next, inputs, step_outputs).then(on_history_keep, [goal_pick], history_outputs)
    back.click(mover(handlers.back), inputs, step_outputs)
    skip.click(mover(handlers.skip), inputs, step_outputs).then(on_history_keep, [goal_pick], history_outputs)
    refresh_btn.click(on_history_keep, [goal_pick], history_outputs)
    goal_pick.change(on_goal, [history_state, goal_pick], plot)
    export_btn.click(on_export, [export_pick], [export_file, message])
    return on_history, history_outputs


def _lines_text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return value or ""
