"""Boss rehearsal: the coach plays the user's boss in a short role-play, then debriefs the user's turns.

One boss turn:

save the user's words → render the persona card (prompts/rehearse/boss, sent every turn, with a random
per-session code as a canary) and the last few lines of the scene → the model answers in ≤ 60 tokens →
clean the reply to 1–3 sentences → :func:`check_boss_line` (advice, "as an AI", instructions, "your boss",
assistant talk, narration, echo, repeats, canary or card leaked, empty or overlong) → on a problem, re-ask
once (prompts/rehearse/reask, at a higher temperature) → on a second problem, a line from the style's bank
that fits the user's turn → save the boss's line with every raw reply and the problems found.

Commands: ``/pause`` steps out of the scene (what the user types then goes to the coach chat, with the
scene as context, through the suggestion guard), ``/resume`` steps back in, ``/end`` finishes and computes
the debrief (``flows.rehearsal_debrief``, deterministic). After the end, the user may ask for tips: only
when ``guard.asked`` says they asked, and model-written text goes through ``guard.filter_text``.

The whole rehearsal is one record of kind ``rehearsal`` in the pair's storage, saved after every line.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel, Field, field_validator

from kickcoach import guard, prompts, tokens
from kickcoach.errors import BackendUnavailable, InputInvalid, KickcoachError, NotFound
from kickcoach.flows.rehearsal_checks import check_boss_line, clean_boss_line, new_code, situation
from kickcoach.flows.rehearsal_debrief import Debrief, Exchange, debrief
from kickcoach.inputs import clean_message
from kickcoach.llm import model_label

if TYPE_CHECKING:
    from kickcoach.services import Services

KIND = "rehearsal"
CUSTOM = "custom"
BOSS_NAME = "Sam"
MAX_TOKENS = 60  # a boss's turn is short; a 135M model also drifts less in 60 tokens than in 200
REASK_TEMPERATURE = 0.8  # the re-ask must not come back with the same rejected reply
TIPS_MAX_TOKENS = 120
HISTORY_LINES = 6  # the last three exchanges: enough for the scene, small enough for a 2k context
MAX_DESCRIPTION = 300
SCENARIOS_FILE = Path(__file__).with_name("scenarios.yaml")
SENTENCES = {1: "one short sentence", 2: "one or two short sentences", 3: "one to three short sentences"}
CUSTOM_CONCERN = "the request is new to them and they want to understand what it would cost before agreeing"
Status = Literal["playing", "paused", "ended"]


def _now() -> datetime:
    return datetime.now(UTC)


# --- the library: scenarios, styles, line banks (scenarios.yaml) ----------------------------------------


class Scenario(BaseModel):
    id: str
    title: str
    ask: str
    concern: str
    lines: dict[str, list[str]] = Field(default_factory=dict)


class Style(BaseModel):
    id: str
    title: str
    card: str
    max_sentences: int = Field(3, ge=1, le=3)
    lines: dict[str, list[str]]

    @field_validator("lines")
    @classmethod
    def _has_fallbacks(cls, lines: dict[str, list[str]]) -> dict[str, list[str]]:
        missing = {"opening", "general"} - {k for k, v in lines.items() if v}
        if missing:
            raise ValueError(f"a style needs lines for {sorted(missing)}")
        return lines


class Library(BaseModel):
    scenarios: dict[str, Scenario]
    styles: dict[str, Style]


@lru_cache(maxsize=1)
def library() -> Library:
    """The ready scenarios and boss styles shipped in ``scenarios.yaml``."""
    data = yaml.safe_load(SCENARIOS_FILE.read_text(encoding="utf-8"))
    return Library(
        scenarios={key: Scenario(id=key, **value) for key, value in data["scenarios"].items()},
        styles={key: Style(id=key, **value) for key, value in data["styles"].items()},
    )


# --- the saved rehearsal ---------------------------------------------------------------------------------


class GoalSeed(BaseModel):
    """A goal from the pair's contract that the rehearsal is about."""

    partner: str
    goal_id: str
    what: str
    target: str
    deadline: date | None = None

    def sentence(self) -> str:
        due = f", by {self.deadline.isoformat()}" if self.deadline else ""
        return f" It is about their goal: {self.what} (target: {self.target}{due})."


class Line(BaseModel):
    """One line of the scene. For the boss: where it came from, every raw model reply and its problems."""

    role: Literal["boss", "user"]
    text: str
    source: Literal["opening", "model", "reask", "bank"] | None = None
    raw: list[str] = Field(default_factory=list)
    problems: list[list[str]] = Field(default_factory=list)
    error: str | None = None
    at: datetime = Field(default_factory=_now)


class Note(BaseModel):
    """A line outside the scene: a question to the coach while paused, or a follow-up after the debrief."""

    role: Literal["user", "coach"]
    text: str
    guard_note: str | None = None
    error: str | None = None
    at: datetime = Field(default_factory=_now)


class Rehearsal(BaseModel):
    id: str = ""  # the storage record's id (not stored inside the record)
    scenario: str
    title: str
    ask: str
    concern: str
    details: str = ""
    style: str
    goal: GoalSeed | None = None
    boss_name: str = BOSS_NAME
    code: str
    status: Status = "playing"
    transcript: list[Line] = Field(default_factory=list)
    asides: list[Note] = Field(default_factory=list)
    aside_conversation: str | None = None
    followups: list[Note] = Field(default_factory=list)
    debrief: Debrief | None = None
    model: str = ""
    prompt: str = ""
    started_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)

    @property
    def style_title(self) -> str:
        return library().styles[self.style].title

    def boss_lines(self) -> list[str]:
        return [line.text for line in self.transcript if line.role == "boss"]

    def last_boss_line(self) -> str:
        return next((line.text for line in reversed(self.transcript) if line.role == "boss"), "")

    def public_transcript(self) -> list[dict[str, str]]:
        return [{"role": line.role, "text": line.text} for line in self.transcript]

    def label(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} · {self.title} · {self.style_title.lower()} · {self.status}"

    def markdown(self) -> str:
        """The rehearsal as a Markdown document: set-up, transcript, coach asides, debrief, follow-ups."""
        out = [f"# Boss rehearsal: {self.title}", ""]
        out.append(f"- Boss style: {self.style_title}")
        out.append(f"- What you wanted: {self.ask}")
        if self.details:
            out.append(f"- Details: {self.details}")
        if self.goal:
            out.append(f"- Contract goal: {self.goal.what} (target: {self.goal.target})")
        out += [f"- Started: {self.started_at:%Y-%m-%d %H:%M} UTC · status: {self.status}", "", "## Transcript", ""]
        for line in self.transcript:
            who = f"{self.boss_name} (boss)" if line.role == "boss" else "You"
            out += [f"**{who}:** {line.text}", ""]
        if self.asides:
            out += ["## Paused: questions to the coach", ""]
            out += [f"**{'You' if n.role == 'user' else 'Coach'}:** {n.text}\n" for n in self.asides]
        if self.debrief:
            out += ["## Debrief", "", self.debrief.markdown(), ""]
        if self.followups:
            out += ["## After the debrief", ""]
            out += [f"**{'You' if n.role == 'user' else 'Coach'}:** {n.text}\n" for n in self.followups]
        return "\n".join(out).rstrip() + "\n"


class Shown(BaseModel):
    """Something to show after a step: the boss's line, the coach's words, or a note about the session."""

    role: Literal["boss", "coach", "note"]
    text: str


class Step(BaseModel):
    rehearsal: Rehearsal
    shown: list[Shown] = Field(default_factory=list)


# --- choosing lines ----------------------------------------------------------------------------------------


def bank_line(scenario: Scenario | None, style: Style, kind: str, said: list[str]) -> str:
    """A prepared in-character line for a user turn of ``kind`` (see ``rehearsal_checks.situation``).

    The scenario's lines for that situation come first, then the style's; the first not yet said wins, so
    the boss does not repeat itself while fresh lines remain. Deterministic: same scene, same line.
    """
    scenario_lines = scenario.lines if scenario else {}
    fitting = scenario_lines.get(kind, []) + style.lines.get(kind, [])
    general = scenario_lines.get("general", []) + style.lines["general"]
    for line in fitting + general:
        if line not in said:
            return line
    pool = fitting or general
    return pool[len(said) % len(pool)]


def _as_user_error(exc: Exception, label: str) -> KickcoachError:
    if isinstance(exc, KickcoachError):
        return exc
    from kickcoach.llm.openai_compat import as_backend_error

    return as_backend_error(exc, label) or BackendUnavailable(
        f"The model failed: {type(exc).__name__}: {exc}", "try again; if it keeps failing, check the backend setting"
    )


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
    ) -> Step:
        """Start a rehearsal; ``scenario`` is a ready one's id or ``"custom"`` (then ``description`` says what).

        ``goal`` is ``"<partner id>/<goal id>"`` from the pair's contract. The boss speaks first.
        """
        lib = library()
        if style not in lib.styles:
            raise InputInvalid(f"Unknown boss style {style!r}", f"choose one of: {', '.join(lib.styles)}", field="style")
        description = (description or "").strip()
        if len(description) > MAX_DESCRIPTION:
            raise InputInvalid(
                f"The scenario description is {len(description)} characters long",
                f"keep it under {MAX_DESCRIPTION}: say what you want from the conversation",
                field="description",
            )
        if scenario == CUSTOM:
            if not description:
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
        opening = lib.styles[style].lines["opening"][0]
        rehearsal = Rehearsal(
            scenario=scenario,
            title=title,
            ask=ask,
            concern=concern,
            details=details,
            style=style,
            goal=self._goal(pair_id, goal) if goal else None,
            code=new_code(),
            transcript=[Line(role="boss", text=opening, source="opening")],
            model=model_label(self.services.model),
            prompt=prompts.load("rehearse/boss").id,
        )
        self._save(pair_id, rehearsal)
        return Step(rehearsal=rehearsal, shown=[Shown(role="boss", text=opening)])

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
        rehearsal.updated_at = _now()
        data = rehearsal.model_dump(mode="json", exclude={"id"})
        rehearsal.id = self.services.pair(pair_id).put_record(KIND, data, rehearsal.id or None)

    # --- one step ---
    def say(self, pair_id: str, rehearsal_id: str, text: str) -> Step:
        """Handle what the user typed: a command, a line to the boss, a question to the coach, or a follow-up."""
        text = clean_message(text)  # capped, control characters stripped, before anything is stored
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
            return self._aside(pair_id, rehearsal, text)
        if rehearsal.status == "ended":
            return self._follow_up(pair_id, rehearsal, text)
        rehearsal.transcript.append(Line(role="user", text=text))
        self._save(pair_id, rehearsal)  # the user's words are kept even if the model fails
        line = self._boss_line(rehearsal, text)
        rehearsal.transcript.append(line)
        self._save(pair_id, rehearsal)
        shown = [Shown(role="boss", text=line.text)]
        if line.error:
            shown.append(Shown(role="note", text=f"⚠️ {line.error} ({rehearsal.boss_name} used a prepared line.)"))
        return Step(rehearsal=rehearsal, shown=shown)

    def pause(self, pair_id: str, rehearsal_id: str) -> Step:
        rehearsal = self.get(pair_id, rehearsal_id)
        if rehearsal.status == "ended":
            raise InputInvalid("This rehearsal has ended", "start a new one to rehearse again")
        if rehearsal.status == "paused":
            return Step(rehearsal=rehearsal, shown=[Shown(role="note", text="Already paused: type /resume to go back in.")])
        repo = self.services.pair(pair_id)
        if rehearsal.aside_conversation is None:
            rehearsal.aside_conversation = repo.new_conversation(KIND, title=f"Rehearsal: {rehearsal.title}")
        context = (
            f"We paused your rehearsal ({rehearsal.title}, {rehearsal.style_title.lower()} boss); "
            f"{rehearsal.boss_name} had just said “{rehearsal.last_boss_line()}” "
            "Ask me anything about it, then type /resume to go back in."
        )
        repo.add_turn(rehearsal.aside_conversation, "assistant", context)  # gives the coach chat the scene
        rehearsal.status = "paused"
        rehearsal.asides.append(Note(role="coach", text=context))
        self._save(pair_id, rehearsal)
        return Step(rehearsal=rehearsal, shown=[Shown(role="coach", text=context)])

    def resume(self, pair_id: str, rehearsal_id: str) -> Step:
        rehearsal = self.get(pair_id, rehearsal_id)
        if rehearsal.status == "ended":
            raise InputInvalid("This rehearsal has ended", "start a new one to rehearse again")
        if rehearsal.status == "playing":
            return Step(rehearsal=rehearsal, shown=[Shown(role="note", text="The rehearsal is not paused.")])
        rehearsal.status = "playing"
        self._save(pair_id, rehearsal)
        note = f"Back in the meeting. {rehearsal.boss_name} last said: “{rehearsal.last_boss_line()}”"
        return Step(rehearsal=rehearsal, shown=[Shown(role="note", text=note)])

    def end(self, pair_id: str, rehearsal_id: str) -> Step:
        rehearsal = self.get(pair_id, rehearsal_id)
        if rehearsal.status != "ended":
            scene = [Exchange(role=line.role, text=line.text) for line in rehearsal.transcript]
            rehearsal.debrief = debrief(scene, rehearsal_id=rehearsal.id, scenario=rehearsal.title, style=rehearsal.style)
            rehearsal.status = "ended"
            # The offer is a follow-up turn, so that a plain "yes" to it counts as asking (guard.asked).
            rehearsal.followups.append(Note(role="coach", text=guard.PERMISSION_OFFER))
            self._save(pair_id, rehearsal)
        assert rehearsal.debrief is not None
        text = "The rehearsal has ended. Here is the debrief.\n\n" + rehearsal.debrief.markdown()
        text += f"\n\n{guard.PERMISSION_OFFER}"
        return Step(rehearsal=rehearsal, shown=[Shown(role="coach", text=text)])

    # --- the boss ---
    def _boss_line(self, rehearsal: Rehearsal, user_text: str) -> Line:
        lib = library()
        style = lib.styles[rehearsal.style]
        boss_prompt = prompts.load("rehearse/boss")
        variables = persona_variables(rehearsal)
        earlier = [
            AIMessage(line.text) if line.role == "boss" else HumanMessage(line.text)
            for line in rehearsal.transcript[:-1][-HISTORY_LINES:]
        ]
        fixed = boss_prompt.render(**variables, history=[], message=user_text)
        budget = max(0, self.services.settings.token_budget - tokens.count_messages(fixed))
        messages = boss_prompt.render(**variables, history=tokens.fit_history(earlier, budget), message=user_text)
        card = str(messages[0].content)
        attempts: list[list[BaseMessage]] = [
            messages,
            messages + prompts.load("rehearse/reask").render(boss_name=rehearsal.boss_name),
        ]
        said = rehearsal.boss_lines()
        line = Line(role="boss", text="")
        model = self.services.model
        for source, attempt in zip(("model", "reask"), attempts, strict=True):
            options = {"max_tokens": MAX_TOKENS} | ({"temperature": REASK_TEMPERATURE} if source == "reask" else {})
            try:
                raw = str(model.invoke(attempt, **options).content)
            except Exception as exc:  # noqa: BLE001 - any backend failure: keep the scene going, say why
                line.error = str(_as_user_error(exc, model_label(model)))
                break
            text = clean_boss_line(raw, style.max_sentences)
            problems = check_boss_line(
                text, user_text=user_text, code=rehearsal.code, card=card, previous=said, boss_name=rehearsal.boss_name
            )
            line.raw.append(raw)
            line.problems.append(problems)
            if not problems:
                line.text, line.source = text, source
                return line
        scenario = lib.scenarios.get(rehearsal.scenario)
        line.text, line.source = bank_line(scenario, style, situation(user_text), said), "bank"
        return line

    # --- outside the scene ---
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
            note = self._tips(rehearsal, text)
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

    def _tips(self, rehearsal: Rehearsal, text: str) -> Note:
        """Tips grounded in the debrief (:func:`template_tips`) plus up to two of the model's, guarded."""
        assert rehearsal.debrief is not None
        report = rehearsal.debrief
        seen = "; ".join(p.point for p in report.went_well) or "nothing yet"
        missing = "; ".join(p.point for p in report.not_seen) or "nothing: every behaviour was seen"
        history = [
            HumanMessage(n.text) if n.role == "user" else AIMessage(n.text) for n in rehearsal.followups[:-1]
        ]
        messages = prompts.load("rehearse/tips").render(
            ask=rehearsal.ask, seen=seen, missing=missing, history=history[-4:], message=text
        )
        model = self.services.model
        error = guard_note = None
        model_tips: list[str] = []
        try:
            raw = str(model.invoke(messages, max_tokens=TIPS_MAX_TOKENS).content)
        except Exception as exc:  # noqa: BLE001 - the template tips still answer the user
            error = str(_as_user_error(exc, model_label(model)))
        else:
            filtered, guard_report = guard.filter_text(raw, True, text)
            guard_note = guard_report.note()
            model_tips = [s.strip() for s in guard.split_sentences(filtered) if guard.is_suggestion(s)][:2]
        grounded = template_tips(rehearsal)
        tips = grounded + [t for t in model_tips if t not in grounded]
        body = "Some suggestions for the real conversation:\n" + "\n".join(f"- {t}" for t in tips)
        return Note(role="coach", text=body, guard_note=guard_note, error=error)


def persona_variables(rehearsal: Rehearsal) -> dict[str, str]:
    """The persona card's variables for this rehearsal (prompts/rehearse/boss)."""
    style = library().styles[rehearsal.style]
    details = f" Details: {rehearsal.details.rstrip('.')}." if rehearsal.details else ""
    return {
        "boss_name": rehearsal.boss_name,
        "style": style.card,
        "ask": rehearsal.ask,
        "concern": rehearsal.concern,
        "details": details + (rehearsal.goal.sentence() if rehearsal.goal else ""),
        "sentences": SENTENCES[style.max_sentences],
        "code": rehearsal.code,
    }


def persona_card(rehearsal: Rehearsal) -> str:
    """The system text the model sees as the boss (the leak checks compare replies against it)."""
    return str(prompts.load("rehearse/boss").render(**persona_variables(rehearsal), history=[], message="")[0].content)


def template_tips(rehearsal: Rehearsal) -> list[str]:
    """One tip per behaviour the debrief did not see, quoting the user where it helps; if all were seen, a stretch."""
    assert rehearsal.debrief is not None
    tips: list[str] = []
    for point in rehearsal.debrief.not_seen:
        if point.behaviour == "ask":
            tips.append("Put your ask in one sentence and say it in your first or second turn, starting “I'd like…”.")
        elif point.behaviour == "specifics":
            tips.append("Bring one number, date or concrete example that backs your case, such as a result you delivered and when.")
        elif point.behaviour == "objections":
            tips.append(f"When the boss pushes back, answer that point before moving on. {point.point}")
        elif point.behaviour == "next_step":
            tips.append("Before you leave, propose a next step with a date: a follow-up meeting, or something you will send by Friday.")
    if not tips:
        tips.append("Run it again with a harder boss style (sceptical or defensive) and keep the opening that worked.")
    return tips


def goal_choices(services: Services, pair_id: str) -> list[tuple[str, GoalSeed]]:
    """The goals in the pair's contract, as (partner id, seed); empty when there is no contract (yet)."""
    try:
        from kickcoach.contracts.service import load_contract
    except ImportError:  # the contracts package is optional for this flow
        return []
    contract = load_contract(services, pair_id)
    if contract is None:
        return []
    return [
        (
            partner.id,
            GoalSeed(partner=partner.name, goal_id=goal.id, what=goal.what, target=goal.target, deadline=goal.deadline),
        )
        for partner, goal in contract.all_goals()
    ]


def last_debrief(services: Services, pair_id: str) -> Debrief | None:
    """The pair's most recent rehearsal debrief (the weekly review offers it at the start), or None."""
    for rehearsal in RehearsalFlow(services).history(pair_id):
        if rehearsal.debrief is not None:
            return rehearsal.debrief
    return None
