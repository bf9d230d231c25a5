"""Boss rehearsal: the coach plays the user's boss in a short role-play, then debriefs the whole talk.

One boss turn: save the user's words → read the state of the talk (``state.read_talk``: ask made, evidence,
concerns raised and answered, next step, patience) → decide the boss's move in code (``boss.decide``) →
an injection attempt, the end of the boss's patience and the wrap-up are spoken from the bank; for the other
moves the model is asked to word the move (prompts/rehearse/boss, the persona card with the move, a random
per-session code as a canary) and its line is kept only when :func:`boss.model_fits` finds nothing wrong (in
character, no flattery or concession the state does not allow, on the concern) → otherwise the style's bank
speaks, with slots from the user's words (``boss.bank_line``) → save the boss's line with its move, every raw
reply and the problems found. When the boss runs out of patience the rehearsal ends itself.

Commands: ``/pause`` steps out of the scene (what the user types then goes to the coach chat, with the
scene as context, through the suggestion guard), ``/resume`` steps back in, ``/end`` finishes and computes
the debrief (``debrief.debrief``, deterministic). :meth:`RehearsalFlow.replay` plays the same set-up again,
by default at the hard level; its debrief compares with the previous attempt. After the end, the user may ask
for tips: only when ``guard.asked`` says they asked, and model-written text goes through ``guard.filter_text``.

The whole rehearsal is one record of kind ``rehearsal`` in the pair's storage, saved after every line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from kickcoach import guard
from kickcoach.core import prompts
from kickcoach.core.banks import bank_beside
from kickcoach.core.errors import InputInvalid, KickcoachError, NotFound
from kickcoach.core.inputs import clean_message
from kickcoach.flows.rehearsal.boss import LEVELS, MODEL_MOVES, bank_line, decide, slots
from kickcoach.flows.rehearsal.checks import new_code
from kickcoach.flows.rehearsal.debrief import Debrief, debrief
from kickcoach.flows.rehearsal.library import CUSTOM, library
from kickcoach.flows.rehearsal.models import GoalSeed, Line, Note, Rehearsal, Shown, Step, now
from kickcoach.flows.rehearsal.scene import (
    _rules,
    ask_facts,
    goal_choices,
    talk_state,
)
from kickcoach.flows.rehearsal.tips import tips_note
from kickcoach.flows.rehearsal.wording import model_line
from kickcoach.llm import model_label

if TYPE_CHECKING:
    from kickcoach.safety import SafetyNotice
    from kickcoach.services import Services

KIND = "rehearsal"
MAX_DESCRIPTION = 300
CUSTOM_CONCERN = "the request is new to them and they want to understand what it would cost before agreeing"


def _history(notes: list[Note]) -> list[dict[str, str]]:
    return [{"role": "user" if n.role == "user" else "assistant", "content": n.text} for n in notes]


# --- the flow --------------------------------------------------------------------------------------------


class RehearsalFlow:
    def __init__(self, services: Services) -> None:
        self.services = services

    # --- set-up and storage ---
    def start(
        self,
        pair_id: str,
        scenario: str,
        style: str = "supportive",
        *,
        description: str | None = None,
        goal: str | None = None,
        level: str = "normal",
        boss: str | None = None,
    ) -> Step:
        """Start a rehearsal; ``scenario`` is a ready one's id or ``"custom"`` (then ``description`` says what).

        ``goal`` is ``"<partner id>/<goal id>"`` from the pair's contract; ``level`` is normal or hard. ``boss`` is
        the person's own description of their boss: it picks the style (``Library.style_for``) and joins the
        details. ``style`` may be an alias ("protective", "detail"). The boss speaks first.
        """
        lib = library()
        boss = " ".join((boss or "").split())[:MAX_DESCRIPTION]
        style = lib.style_for(boss, lib.style_id(style)) if boss else lib.style_id(style)
        if style not in lib.styles:
            raise InputInvalid(f"Unknown boss style {style!r}", f"choose one of: {', '.join(lib.styles)}", field="style")
        if level not in LEVELS:
            raise InputInvalid(f"Unknown level {level!r}", f"choose one of: {', '.join(LEVELS)}", field="level")
        description = (description or "").strip()
        if len(description) > MAX_DESCRIPTION:
            raise InputInvalid(
                f"The scenario description is {len(description)} characters long",
                f"keep it under {MAX_DESCRIPTION}: say what you want from the conversation",
                field="description",
            )
        if scenario == CUSTOM:
            if not description and not goal:
                raise InputInvalid(
                    "A scenario of your own needs a description",
                    "say what you want from the conversation, e.g. 'ask to work from home on Fridays'",
                    field="description",
                )
            title, ask, concern, details = description[:60], description, CUSTOM_CONCERN, ""
        elif scenario in lib.scenarios:
            ready = lib.scenarios[scenario]
            title, ask, concern, details = ready.title, ready.ask, ready.concern, description
        else:
            raise InputInvalid(
                f"Unknown scenario {scenario!r}",
                f"choose one of: {', '.join(lib.scenarios)}, or {CUSTOM!r} with a description",
                field="scenario",
            )
        if pair_id not in self.services.storage.pair_ids():
            raise NotFound(f"No pair {pair_id!r}", "use an existing pair id (the demo pair is 'demo')")
        notice = self.services.hear(f"{description} {boss}".strip())  # safety first: heard, the talk opens paused
        seed = self._goal(pair_id, goal) if goal else None
        if seed and scenario == CUSTOM and not description:
            title, ask = seed.what[:60], seed.what
        if boss:
            details = f"{details} My boss: {boss}".strip()
        rehearsal = Rehearsal(
            scenario=scenario, title=title, ask=ask, concern=concern, details=details, style=style, goal=seed, boss=boss,
            level=level,
            code=new_code(),
        )
        opened = self._open(pair_id, rehearsal)
        return self._help(pair_id, opened.rehearsal, notice) if notice else opened

    def replay(self, pair_id: str, rehearsal_id: str, level: str = "hard") -> Step:
        """Play the same set-up again (by default harder); the new debrief compares with this attempt."""
        if level not in LEVELS:
            raise InputInvalid(f"Unknown level {level!r}", f"choose one of: {', '.join(LEVELS)}", field="level")
        before = self.get(pair_id, rehearsal_id)
        again = before.model_copy(
            update={
                "id": "", "level": level, "attempt": before.attempt + 1, "previous_id": before.id, "code": new_code(),
                "status": "playing", "transcript": [], "asides": [], "aside_conversation": None, "followups": [],
                "debrief": None, "started_at": now(),
            }
        )
        return self._open(pair_id, again)

    def _open(self, pair_id: str, rehearsal: Rehearsal) -> Step:
        lib = library()
        style = lib.styles[rehearsal.style]
        opening = style.bank["opening"][0]
        rehearsal.agenda = lib.agenda(rehearsal.scenario, rehearsal.style, rehearsal.ask, rehearsal.boss)
        rehearsal.bank_version = style.version
        rehearsal.transcript = [Line(role="boss", text=opening, source="opening", move="opening")]
        rehearsal.model = model_label(self.services.model)
        rehearsal.prompt = prompts.load("rehearse/boss").id
        self._save(pair_id, rehearsal)
        return _shows(rehearsal, "boss", opening)

    def _goal(self, pair_id: str, key: str) -> GoalSeed:
        for partner, goal in goal_choices(self.services, pair_id):
            if f"{partner}/{goal.goal_id}" == key:
                return goal
        raise InputInvalid(f"No goal {key!r} in this pair's contract", "pick a goal from the list, or none", field="goal")

    def get(self, pair_id: str, rehearsal_id: str) -> Rehearsal:
        record = self.services.pair(pair_id).get_record(rehearsal_id)
        if record.kind != KIND:
            raise NotFound(f"No rehearsal {rehearsal_id!r} for this pair", "pick one from the list of past rehearsals")
        return Rehearsal.model_validate({**record.data, "id": record.id})

    def history(self, pair_id: str) -> list[Rehearsal]:
        """This pair's rehearsals, newest first."""
        rows = self.services.pair(pair_id).records(KIND)
        return [Rehearsal.model_validate({**row.data, "id": row.id}) for row in reversed(rows)]

    def _save(self, pair_id: str, rehearsal: Rehearsal) -> None:
        rehearsal.updated_at = now()
        data = rehearsal.model_dump(mode="json", exclude={"id"})
        rehearsal.id = self.services.pair(pair_id).put_record(KIND, data, rehearsal.id or None)

    # --- one step ---
    def say(self, pair_id: str, rehearsal_id: str, text: str) -> Step:
        """Handle what the user typed: a command, a line to the boss, a question to the coach, or a follow-up."""
        text = clean_message(text or "").strip()  # capped and stripped of control characters, before anything
        if not text:
            raise InputInvalid("Nothing to say", "type what you would say to your boss, or /pause, /resume, /end")
        command = text.lower()
        if command == "/pause":
            return self.pause(pair_id, rehearsal_id)
        if command == "/resume":
            return self.resume(pair_id, rehearsal_id)
        if command == "/end":
            return self.end(pair_id, rehearsal_id)
        if command.startswith("/") and " " not in command:
            raise InputInvalid(f"Unknown command {text!r}", "use /pause, /resume or /end")
        rehearsal = self.get(pair_id, rehearsal_id)
        if rehearsal.status == "paused":
            return self._aside(pair_id, rehearsal, text)  # the coach chat runs the safety check itself
        notice = self.services.hear(text)
        if rehearsal.status == "ended":
            if notice:
                rehearsal.followups.append(Note(role="user", text=text))
            return self._help(pair_id, rehearsal, notice) if notice else self._follow_up(pair_id, rehearsal, text)
        rehearsal.transcript.append(Line(role="user", text=text))
        self._save(pair_id, rehearsal)  # the user's words are kept even if the model fails
        if notice:
            return self._help(pair_id, rehearsal, notice)
        line = self._boss_line(rehearsal, text)
        rehearsal.transcript.append(line)
        self._save(pair_id, rehearsal)
        shown = [Shown(role="boss", text=line.text)]
        if line.error:
            shown.append(Shown(role="note", text=f"⚠️ {line.error} ({rehearsal.boss_name} used a prepared line.)"))
        if line.move == "end":  # the boss ran out of patience: the talk is over
            shown.append(Shown(role="note", text=f"{rehearsal.boss_name} ended the meeting."))
            ended = self.end(pair_id, rehearsal.id)
            return Step(rehearsal=ended.rehearsal, shown=shown + ended.shown)
        return Step(rehearsal=rehearsal, shown=shown)

    def _live(self, pair_id: str, rehearsal_id: str) -> Rehearsal:
        """The rehearsal, refused once it has ended (only a live one can pause or resume)."""
        rehearsal = self.get(pair_id, rehearsal_id)
        if rehearsal.status == "ended":
            raise InputInvalid("This rehearsal has ended", "start a new one to rehearse again")
        return rehearsal

    def pause(self, pair_id: str, rehearsal_id: str) -> Step:
        rehearsal = self._live(pair_id, rehearsal_id)
        if rehearsal.status == "paused":
            return _shows(rehearsal, "note", bank_beside(__file__).line("pause", "already"))
        repo = self.services.pair(pair_id)
        if rehearsal.aside_conversation is None:
            rehearsal.aside_conversation = repo.new_conversation(KIND, title=f"Rehearsal: {rehearsal.title}")
        context = bank_beside(__file__).line(
            "pause", "context", title=rehearsal.title, style=rehearsal.style_title.lower(), boss=rehearsal.boss_name,
            line=rehearsal.last_boss_line(),
        )
        repo.add_turn(rehearsal.aside_conversation, "assistant", context)  # gives the coach chat the scene
        rehearsal.status = "paused"
        rehearsal.asides.append(Note(role="coach", text=context))
        self._save(pair_id, rehearsal)
        return _shows(rehearsal, "coach", context)

    def resume(self, pair_id: str, rehearsal_id: str) -> Step:
        rehearsal = self._live(pair_id, rehearsal_id)
        if rehearsal.status == "playing":
            return _shows(rehearsal, "note", "The rehearsal is not paused.")
        rehearsal.status = "playing"
        self._save(pair_id, rehearsal)
        note = f"Back in the meeting. {rehearsal.boss_name} last said: “{rehearsal.last_boss_line()}”"
        return _shows(rehearsal, "note", note)

    def end(self, pair_id: str, rehearsal_id: str) -> Step:
        rehearsal = self.get(pair_id, rehearsal_id)
        if rehearsal.status != "ended":
            previous = self._previous_debrief(pair_id, rehearsal)
            rehearsal.debrief = debrief(
                rehearsal.transcript, **_rules(rehearsal), rehearsal_id=rehearsal.id, scenario=rehearsal.title,
                style=rehearsal.style, level=rehearsal.level, attempt=rehearsal.attempt, previous=previous,
                boss_name=rehearsal.boss_name,
            )
            rehearsal.status = "ended"
            # The offer is a follow-up turn, so that a plain "yes" to it counts as asking (guard.asked).
            rehearsal.followups.append(Note(role="coach", text=guard.PERMISSION_OFFER))
            self._save(pair_id, rehearsal)
        assert rehearsal.debrief is not None
        text = "The rehearsal has ended. Here is the debrief.\n\n" + rehearsal.debrief.markdown()
        text += f"\n\n{guard.PERMISSION_OFFER}"
        return _shows(rehearsal, "coach", text)

    def _previous_debrief(self, pair_id: str, rehearsal: Rehearsal) -> Debrief | None:
        if not rehearsal.previous_id:
            return None
        try:
            return self.get(pair_id, rehearsal.previous_id).debrief
        except KickcoachError:  # the earlier attempt was deleted: no comparison
            return None

    # --- the boss ---
    def _boss_line(self, rehearsal: Rehearsal, user_text: str) -> Line:
        lib = library()
        style = lib.styles[rehearsal.style]
        state = talk_state(rehearsal)
        move = decide(state)
        said = rehearsal.boss_lines()
        line = Line(role="boss", text="", move=move.kind, concern=move.concern)
        facts = ask_facts(rehearsal)
        if move.kind in MODEL_MOVES:
            model_line(self.services.settings, self.services.model, rehearsal, move, user_text, said, line, facts)
            if line.text:
                return line
        values = slots(state, lib, rehearsal.goal.what if rehearsal.goal else "", facts)
        line.text = bank_line(move, style, lib, rehearsal.scenario, values, said=said, user_text=user_text, boss_name=rehearsal.boss_name)
        line.source = "bank"
        return line

    # --- outside the scene ---
    def _help(self, pair_id: str, rehearsal: Rehearsal, notice: SafetyNotice) -> Step:
        """The help reply instead of the boss: a live talk pauses (/resume goes back in), the flag is kept."""
        if rehearsal.status == "playing":
            self.pause(pair_id, rehearsal.id)
            rehearsal = self.get(pair_id, rehearsal.id)
        note = Note(role="coach", text=notice.text, safety=notice.record())
        (rehearsal.followups if rehearsal.status == "ended" else rehearsal.asides).append(note)
        self._save(pair_id, rehearsal)
        return Step(rehearsal=rehearsal, shown=[Shown(role="coach", text=notice.text)])

    def _aside(self, pair_id: str, rehearsal: Rehearsal, text: str) -> Step:
        """While paused: the question goes to the coach chat (guidance, guard), in the aside conversation."""
        from kickcoach.flows.chat import CoachChat

        rehearsal.asides.append(Note(role="user", text=text))
        self._save(pair_id, rehearsal)
        result = CoachChat(self.services).ask(pair_id, rehearsal.aside_conversation, text)
        reply = result.reply or ""
        rehearsal.asides.append(Note(role="coach", text=reply, guard_note=result.guard_note, error=result.error))
        self._save(pair_id, rehearsal)
        shown = [Shown(role="coach", text=reply)] if reply else []
        if result.guard_note:
            shown.append(Shown(role="note", text=f"Note: {result.guard_note}"))
        if result.error:
            shown.append(Shown(role="note", text=f"⚠️ {result.error}"))
        return Step(rehearsal=rehearsal, shown=shown)

    def _follow_up(self, pair_id: str, rehearsal: Rehearsal, text: str) -> Step:
        """After the debrief: tips for the real conversation only if the user asked for them."""
        verdict = guard.asked(_history(rehearsal.followups), text)
        rehearsal.followups.append(Note(role="user", text=text))
        self._save(pair_id, rehearsal)
        if verdict.asked:
            note = tips_note(self.services.model, rehearsal, text)
        else:
            note = Note(role="coach", text=f"The debrief is above. {guard.PERMISSION_OFFER}")
        rehearsal.followups.append(note)
        self._save(pair_id, rehearsal)
        shown = [Shown(role="coach", text=note.text)]
        if note.guard_note:
            shown.append(Shown(role="note", text=f"Note: {note.guard_note}"))
        if note.error:
            shown.append(Shown(role="note", text=f"⚠️ {note.error}"))
        return Step(rehearsal=rehearsal, shown=shown)


def _shows(rehearsal: Rehearsal, role: Literal["boss", "coach", "note"], text: str) -> Step:
    """A step that shows one message."""
    return Step(rehearsal=rehearsal, shown=[Shown(role=role, text=text)])


def last_debrief(services: Services, pair_id: str) -> Debrief | None:
    """The pair's most recent rehearsal debrief (the weekly review offers it at the start), or None."""
    for rehearsal in RehearsalFlow(services).history(pair_id):
        if rehearsal.debrief is not None:
            return rehearsal.debrief
    return None
