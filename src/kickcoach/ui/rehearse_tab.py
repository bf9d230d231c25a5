"""The Rehearse tab: rehearse a conversation with your boss (the coach plays the boss), then a debrief.

Handlers are plain methods of (inputs, request) returning plain values, so tests call them without a
browser. Errors (a bad set-up, an unknown command) are shown in the status line, never raised to Gradio.
Element ids the browser tests use: ``rehearse-input``, ``rehearse-send``, ``rehearse-end``,
``rehearse-debrief`` (also ``rehearse-chat``, ``rehearse-start``, ``rehearse-pause``, ``rehearse-resume``,
``rehearse-status``, ``rehearse-past``, ``rehearse-export``, ``rehearse-level``, ``rehearse-replay``,
``rehearse-boss``, ``rehearse-goal``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import gradio as gr

from kickcoach.core.errors import KickcoachError
from kickcoach.flows.rehearsal import CUSTOM, Note, Rehearsal, RehearsalFlow, goal_choices, library
from kickcoach.flows.rehearsal.boss import LEVELS
from kickcoach.services import Services
from kickcoach.ui.identity import Identity
from kickcoach.ui.widgets import DOWNLOAD_BOX, chat_panel

Messages = list[dict[str, Any]]
KEEP: dict[str, Any] = gr.skip()  # an output left as it is (the message box once a line is on its way)
NO_GOAL = ""
LEVEL_CHOICES = [("Normal", "normal"), ("Hard: more objections, less patience", "hard")]
STATUS = {
    "playing": "**In the meeting** with {boss} ({style} boss{level}). Type /pause or press Pause to step out; End for the debrief.",
    "paused": "**Paused.** Ask your coach anything; /resume or Resume goes back to {boss}.",
    "ended": "**Ended.** The debrief is below. Ask for tips here if you'd like them, or Replay harder.",
}
# What the four outputs of most handlers are: chat, rehearsal id, debrief markdown, status line.
View = tuple[Messages, str | None, str, str]


def _coach(note: Note) -> dict[str, Any]:
    text = f"**Coach:** {note.text}"
    if note.guard_note:
        text += f"\n\n*Note: {note.guard_note}*"
    if note.error:
        text += f"\n\n⚠️ {note.error}"
    return {"role": "assistant", "content": text}


def chat_view(rehearsal: Rehearsal) -> Messages:
    """The scene, the coach asides and the follow-ups, in the order they happened."""
    timed: list[tuple[Any, dict[str, Any]]] = []
    for line in rehearsal.transcript:
        if line.role == "user":
            timed.append((line.at, {"role": "user", "content": line.text}))
        else:
            content = f"**{rehearsal.boss_name}:** {line.text}"
            if line.error:
                content += f"\n\n⚠️ {line.error} ({rehearsal.boss_name} used a prepared line.)"
            timed.append((line.at, {"role": "assistant", "content": content}))
    for note in rehearsal.asides + rehearsal.followups:
        timed.append((note.at, {"role": "user", "content": note.text} if note.role == "user" else _coach(note)))
    timed.sort(key=lambda pair: pair[0])
    return [message for _, message in timed]


def debrief_view(rehearsal: Rehearsal) -> str:
    return f"### Debrief\n\n{rehearsal.debrief.markdown()}" if rehearsal.debrief else ""


def status_view(rehearsal: Rehearsal) -> str:
    level = f", {rehearsal.level} level, attempt {rehearsal.attempt}" if rehearsal.level != "normal" or rehearsal.attempt > 1 else ""
    return STATUS[rehearsal.status].format(boss=rehearsal.boss_name, style=rehearsal.style_title.lower(), level=level)


class RehearseHandlers:
    def __init__(self, services: Services, identity: Identity) -> None:
        self.services = services
        self.identity = identity
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def _turn(self, rehearsal_id: str) -> threading.Lock:
        """One step at a time per rehearsal: a line, a command and End never overwrite each other's save."""
        with self._locks_guard:
            return self._locks.setdefault(rehearsal_id, threading.Lock())

    def _flow(self, request: gr.Request) -> RehearsalFlow:
        """The flow as the request's person: their rehearsals only."""
        return RehearsalFlow(self.identity.services(self.services, request))

    # --- choices ---
    @staticmethod
    def scenario_choices() -> list[tuple[str, str]]:
        return [(s.title, s.id) for s in library().scenarios.values()] + [("Describe my own…", CUSTOM)]

    @staticmethod
    def style_choices() -> list[tuple[str, str]]:
        return [(s.title, s.id) for s in library().styles.values()]

    def goal_choices(self, request: gr.Request) -> list[tuple[str, str]]:
        pair_id = self.identity.pair_id(request)
        goals = goal_choices(self.services, pair_id)
        return [("No goal", NO_GOAL)] + [(f"{g.partner}: {g.what}", f"{partner}/{g.goal_id}") for partner, g in goals]

    def past(self, request: gr.Request) -> list[tuple[str, str]]:
        return [(r.label(), r.id) for r in self._flow(request).history(self.identity.pair_id(request))]

    # --- views ---
    def _view(self, rehearsal: Rehearsal, problem: str | None = None) -> View:
        status = f"⚠️ {problem}" if problem else status_view(rehearsal)
        return chat_view(rehearsal), rehearsal.id, debrief_view(rehearsal), status

    def open(self, rehearsal_id: str | None, request: gr.Request) -> View:
        if not rehearsal_id:
            return [], None, "", ""
        try:
            return self._view(self._flow(request).get(self.identity.pair_id(request), rehearsal_id))
        except KickcoachError as exc:
            return [], None, "", f"⚠️ {exc}"

    # --- actions ---
    def start(
        self, scenario: str, description: str, style: str, goal: str | None, level: str | None, request: gr.Request,
        boss: str | None = "",
    ) -> View:
        """Start from the set-up; ``boss`` is the person's own description of their boss (picks the style, adds
        the concerns it names)."""
        try:
            step = self._flow(request).start(
                self.identity.pair_id(request), scenario, style, description=description, goal=goal or None,
                level=level or "normal", boss=boss or None,
            )
        except KickcoachError as exc:
            return [], None, "", f"⚠️ {exc}"
        return self._view(step.rehearsal)

    def send(
        self,
        text: str,
        rehearsal_id: str | None,
        scenario: str,
        description: str,
        style: str,
        goal: str | None,
        level: str | None,
        request: gr.Request,
        boss: str | None = "",
    ) -> Iterator[tuple[Messages, Any, str | None, str, str]]:
        """Say ``text`` (a line to the boss, a command, a question); starts a rehearsal from the set-up if none is open."""
        text = (text or "").strip()
        if not rehearsal_id:
            chat, rehearsal_id, debrief, status = self.start(scenario, description, style, goal, level, request, boss)
            if not rehearsal_id:  # the set-up was invalid: the status line says why
                yield chat, text, None, debrief, status
                return
        pair_id = self.identity.pair_id(request)
        try:
            current = self._flow(request).get(pair_id, rehearsal_id)
        except KickcoachError as exc:
            yield [], text, None, "", f"⚠️ {exc}"
            return
        if not text:
            chat, rid, debrief, status = self._view(current)
            yield chat, "", rid, debrief, status
            return
        pending = [{"role": "user", "content": text}, {"role": "assistant", "content": "…"}]
        yield chat_view(current) + pending, "", rehearsal_id, debrief_view(current), status_view(current)
        try:
            with self._turn(rehearsal_id):
                step = self._flow(request).say(pair_id, rehearsal_id, text)
        except KickcoachError as exc:
            chat, rid, debrief, status = self._view(current, str(exc))
            yield chat, text, rid, debrief, status  # the text stays in the box to fix
            return
        chat, rid, debrief, status = self._view(step.rehearsal)
        notes = [s.text for s in step.shown if s.role == "note"]
        yield chat, KEEP, rid, debrief, "\n\n".join([status, *notes])  # what was typed meanwhile stays

    def _command(self, command: str, rehearsal_id: str | None, request: gr.Request) -> View:
        if not rehearsal_id:
            return [], None, "", "⚠️ Start a rehearsal first."
        pair_id = self.identity.pair_id(request)
        try:
            with self._turn(rehearsal_id):  # End during a reply waits for it, then ends
                step = self._flow(request).say(pair_id, rehearsal_id, command)
        except KickcoachError as exc:
            return self._view(self._flow(request).get(pair_id, rehearsal_id), str(exc))
        chat, rid, debrief, status = self._view(step.rehearsal)
        notes = [s.text for s in step.shown if s.role == "note"]
        return chat, rid, debrief, "\n\n".join([status, *notes])

    def pause(self, rehearsal_id: str | None, request: gr.Request) -> View:
        return self._command("/pause", rehearsal_id, request)

    def resume(self, rehearsal_id: str | None, request: gr.Request) -> View:
        return self._command("/resume", rehearsal_id, request)

    def end(self, rehearsal_id: str | None, request: gr.Request) -> View:
        return self._command("/end", rehearsal_id, request)

    def replay(self, rehearsal_id: str | None, request: gr.Request, level: str = "hard") -> View:
        """Play the open rehearsal's set-up again (hard by default); its debrief compares with this attempt."""
        if not rehearsal_id:
            return [], None, "", "⚠️ Start a rehearsal first: a replay plays the same set-up again."
        pair_id = self.identity.pair_id(request)
        try:
            step = self._flow(request).replay(pair_id, rehearsal_id, level if level in LEVELS else "hard")
        except KickcoachError as exc:
            return self._view(self._flow(request).get(pair_id, rehearsal_id), str(exc))
        return self._view(step.rehearsal)

    def export(self, rehearsal_id: str | None, request: gr.Request) -> str | None:
        """Write the rehearsal as Markdown to a fresh temporary file and return its path (None without one)."""
        if not rehearsal_id:
            return None
        rehearsal = self._flow(request).get(self.identity.pair_id(request), rehearsal_id)
        return self.identity.export(request, f"rehearsal-{rehearsal.started_at:%Y%m%d-%H%M}", ".md", rehearsal.markdown())


def render(handlers: RehearseHandlers) -> tuple[Any, list[Any]]:
    """Lay out the tab; returns a refresher (goal choices, past rehearsals) and its outputs, for the app's load event."""
    rehearsal = gr.State(None)
    scenarios = handlers.scenario_choices()
    styles = handlers.style_choices()
    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            scenario = gr.Dropdown(choices=scenarios, value=scenarios[0][1], label="Scenario", elem_id="rehearse-scenario")
            description = gr.Textbox(
                label="Your own scenario, or details",
                placeholder="e.g. I want to ask to lead the Q3 client review",
                lines=2,
                elem_id="rehearse-description",
            )
            style = gr.Radio(choices=styles, value=styles[0][1], label="Boss style", elem_id="rehearse-style")
            boss = gr.Textbox(
                label="Your boss, in your own words (optional)",
                placeholder="e.g. always rushing, worries about budgets",
                lines=2,
                elem_id="rehearse-boss",
            )
            level = gr.Radio(choices=LEVEL_CHOICES, value="normal", label="Level", elem_id="rehearse-level")
            goal = gr.Dropdown(choices=[("No goal", NO_GOAL)], value=NO_GOAL, label="Contract goal (optional)", elem_id="rehearse-goal")
            start = gr.Button("Start", variant="primary", elem_id="rehearse-start")
            past = gr.Dropdown(label="Past rehearsals", info="Ended rehearsals appear here.", choices=[], interactive=True,
                               elem_id="rehearse-past")
            export = gr.Button("Export as Markdown", variant="secondary", elem_id="rehearse-export")
            exported = gr.File(label="Markdown", interactive=False, elem_id="rehearse-file", elem_classes=DOWNLOAD_BOX)
        with gr.Column(scale=3):
            status = gr.Markdown("Pick a scenario and a boss style, then Start (or just say your first line).", elem_id="rehearse-status")
            chatbot, box, send = chat_panel(
                "Rehearsal", "Your boss speaks first. Say what you would say; the debrief comes when you press End.",
                elem_id="rehearse-chat", height=420, prompt="What you would say to your boss (or /pause, /resume, /end)", elem_prefix="rehearse",
            )
            with gr.Row():
                pause = gr.Button("Pause", elem_id="rehearse-pause")
                resume = gr.Button("Resume", elem_id="rehearse-resume")
                end = gr.Button("End and debrief", variant="stop", elem_id="rehearse-end")
                replay = gr.Button("Replay harder", elem_id="rehearse-replay")
            debrief = gr.Markdown(elem_id="rehearse-debrief")

    def refresh(request: gr.Request):
        return gr.update(choices=handlers.goal_choices(request)), gr.update(choices=handlers.past(request))

    def refresh_past(request: gr.Request):
        return gr.update(choices=handlers.past(request))

    view = [chatbot, rehearsal, debrief, status]
    setup = [scenario, description, style, goal, level, boss]
    start.click(handlers.start, setup, view).then(refresh_past, None, past)

    def enabled() -> Any:
        return gr.update(interactive=True)

    def say(request: gr.Request, text: str, rehearsal_id: str | None, scenario: str, description: str, style: str,
            goal: str | None, level: str | None, described: str | None) -> Iterator[tuple[Any, ...]]:
        """The line goes out; Send stays disabled until the answer is in (the box keeps what is typed meanwhile)."""
        for update in handlers.send(text, rehearsal_id, scenario, description, style, goal, level, request, described):
            yield (*update, gr.update(interactive=False))
        yield (*(KEEP for _ in range(5)), gr.update(interactive=True))

    # one event for Send and Enter: while a line is on its way, a second press is ignored and the text stays
    gr.on([send.click, box.submit], say, [box, rehearsal, *setup], [chatbot, box, rehearsal, debrief, status, send]).then(
        enabled, None, send).then(refresh_past, None, past)  # Send comes back even when the turn failed
    pause.click(handlers.pause, [rehearsal], view)
    resume.click(handlers.resume, [rehearsal], view)
    end.click(handlers.end, [rehearsal], view).then(refresh_past, None, past)
    replay.click(handlers.replay, [rehearsal], view).then(refresh_past, None, past)
    past.select(handlers.open, [past], view)
    export.click(handlers.export, [rehearsal], exported)
    return refresh, [goal, past]
