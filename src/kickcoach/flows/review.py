"""The weekly review flow: a step-by-step session for one pair and one date, saved as it is answered.

Rules:

* One review per pair and date. ``start`` creates it (goals and steps copied from the contract, last
  review's commitments carried in) or resumes it at the first step neither answered nor skipped.
* Every answer is validated and saved (``PairRepo.put_record("review", …)``) before anything else happens,
  so closing the browser or killing the CLI loses nothing typed and answered. Text typed on a step the
  user leaves with Back or Skip is kept as a draft and shown again on that step.
* Back moves one step without changing answers; Skip moves on and keeps any earlier answer. Answering
  the summary step finishes the review; steps still open then count as skipped. A finished review can be
  opened and edited again.
* The summary is computed (review_progress: progress vs the planned path, "behind"; commitments kept;
  fairness). The model adds at most one line per partner turn and one summary line, each one
  ``structured_call`` (a JSON sentence, checked by ``_sentence_problems``: plain words, spoken to the
  person, about what they reported), then ``guard.filter_text`` — it may suggest only when ``guard.asked``
  finds a request in the answers it responds to — and a deterministic template (a reflection and an open
  question) replaces it when the model fails or writes garbage. A line is made once per set of answers
  (``CoachLine.key``), so going back and forth costs no model calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from kickcoach import guard, prompts
from kickcoach.contracts.service import load_contract
from kickcoach.errors import KickcoachError, NotFound
from kickcoach.flows.review_progress import GoalProgress, number
from kickcoach.flows.review_steps import (
    FAIR_SCORE,
    RECORD_KIND,
    SKIP,
    CarriedCommitment,
    CoachLine,
    FairnessAnswer,
    GoalAnswer,
    Question,
    Review,
    StepKind,
    SummaryAnswer,
    new_review,
    questions,
    step_intro,
    step_title,
    validate_answer,
)
from kickcoach.llm import model_label
from kickcoach.llm.structured import structured_call

if TYPE_CHECKING:
    from kickcoach.services import Services
    from kickcoach.storage import PairRepo

MODE_ASKED = "They asked for ideas, so you may add one concrete, practical suggestion."
MODE_NOT_ASKED = "They did not ask for advice: do not tell them what to do. Only reflect what they said."
MAX_LINE_WORDS = 40
MODEL_ATTEMPTS = 1
"""One call per line, no re-ask: the line is optional and the template is good, while a re-ask doubles the
wait at the end of a turn (SmolLM2 on two cores takes seconds per call) and rarely fixes a small model."""
_QUOTE_CHARS = 80


# --- views -------------------------------------------------------------------------------------------
class CheckedCommitment(BaseModel):
    """A commitment from the last review with its mark from this review's check-in (None = not marked)."""

    id: str
    partner_name: str
    text: str
    done: bool | None


class CoachNote(BaseModel):
    label: str
    text: str
    note: str | None = None


class ReviewSummary(BaseModel):
    """The computed summary of one review; ``lines`` are the deterministic sentences a person reads."""

    review_id: str
    date: dt.date
    status: str
    partners: dict[str, str]
    answered: int
    skipped: int
    total: int
    progress: list[GoalProgress]
    behind: list[str]
    commitments_checked: list[CheckedCommitment]
    commitments_kept: int
    commitments_marked: int
    commitments_next: list[CarriedCommitment]
    fairness: FairnessAnswer | None
    fairness_text: str
    lines: list[str]
    coach: dict[str, CoachLine]
    note: str = ""
    demo: bool = False


class StepView(BaseModel):
    """What a UI or the CLI shows for the current step of a review."""

    review_id: str
    date: dt.date
    status: str
    partners: dict[str, str]
    step: str
    kind: StepKind
    index: int = Field(description="1-based position of the step")
    total: int
    progress_label: str
    title: str
    intro: str
    questions: list[Question]
    values: dict[str, Any]
    answered: bool
    skipped: bool
    goal: GoalProgress | None = None
    carried: list[CheckedCommitment] = []
    coach: list[CoachNote] = []
    summary: ReviewSummary | None = None
    resumed: bool = False
    demo: bool = False


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _fingerprint(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _quote(text: str) -> str:
    """The first sentence of ``text``, cut at a word boundary to a readable length."""
    first = (guard.split_sentences(text) or [text])[0].strip().rstrip(".!?")
    if len(first) > _QUOTE_CHARS:
        first = first[:_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
    return first


def _short_goal(what: str, words: int = 6) -> str:
    parts = what.rstrip(".").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


class ReviewFlow:
    """The review state machine over one pair's records; ``use_model=False`` keeps every coach line a template."""

    def _rehearsal_offer(self, pair_id: str) -> str:
        """The pair's last boss-rehearsal debrief, offered at the check-in (markdown; "" when there is none)."""
        from kickcoach.flows.rehearsal import last_debrief

        debrief = last_debrief(self.services, pair_id)
        if debrief is None or not debrief.points:
            return ""
        return (
            f"\n\n**Your last boss rehearsal** ({debrief.scenario}, {debrief.created_at:%d %b}) ended with this "
            f"debrief, if you want to talk it through:\n\n{debrief.markdown()}"
        )

    def __init__(self, services: Services, *, use_model: bool = True) -> None:
        self.services = services
        self.use_model = use_model

    # --- records -----------------------------------------------------------------------------------
    def reviews(self, pair_id: str) -> list[tuple[str, Review]]:
        """Every review of the pair, oldest date first."""
        found = [(r.id, Review.model_validate(r.data)) for r in self.services.pair(pair_id).records(RECORD_KIND)]
        return sorted(found, key=lambda item: item[1].date)

    def find(self, pair_id: str, date: dt.date) -> tuple[str, Review] | None:
        return next(((rid, r) for rid, r in self.reviews(pair_id) if r.date == date), None)

    def load(self, pair_id: str, review_id: str) -> Review:
        record = self.services.pair(pair_id).get_record(review_id)
        if record.kind != RECORD_KIND:
            raise NotFound(f"No review {review_id!r} for this pair", "list reviews with `kickcoach review --history`")
        return Review.model_validate(record.data)

    def _save(self, repo: PairRepo, review_id: str | None, review: Review) -> str:
        return repo.put_record(RECORD_KIND, review.model_dump(mode="json"), review_id)

    # --- the steps ---------------------------------------------------------------------------------
    def start(self, pair_id: str, date: dt.date, *, demo: bool = False) -> StepView:
        """Open the review of ``date``: a new one at the check-in, an unfinished one at its first open step,
        a finished one at its summary."""
        repo = self.services.pair(pair_id)
        found = self.find(pair_id, date)
        if found is None:
            contract = load_contract(self.services, pair_id)
            if contract is None:
                raise NotFound(
                    f"Pair {pair_id!r} has no contract yet, so there is nothing to review",
                    "write and save your peer-mentor contract first",
                )
            earlier = [r for _, r in self.reviews(pair_id) if r.date < date]
            carried = earlier[-1].new_commitments() if earlier else []
            review = new_review(contract, date, carried, _utcnow(), demo=demo)
            review_id = self._save(repo, None, review)
            return self.view(pair_id, review_id, review)
        review_id, review = found
        review.current = review.first_open()
        self._save(repo, review_id, review)
        return self.view(pair_id, review_id, review, resumed=review.answered_count() > 0 or bool(review.skipped))

    def answer(self, pair_id: str, review_id: str, raw: dict[str, Any] | None, step: str | None = None) -> StepView:
        """Validate and save the answer to ``step`` (default: the current step), then move to the next step."""
        repo = self.services.pair(pair_id)
        review = self.load(pair_id, review_id)
        step = review.require_step(step or review.current)
        answer = validate_answer(review, step, raw)
        review.answers[step] = answer.model_dump(mode="json")
        review.drafts.pop(step, None)
        if step in review.skipped:
            review.skipped.remove(step)
        if review.kind(step) == "summary":
            review.skipped += [s for s in review.steps if review.is_open(s)]
            review.status = "done"
            review.finished_at = _utcnow()
        else:
            review.current = review.next_step(step)
        self._save(repo, review_id, review)  # the person's words are stored before any model call
        self._refresh_coach(repo, review_id, review)
        return self.view(pair_id, review_id, review)

    def skip(
        self, pair_id: str, review_id: str, draft: dict[str, Any] | None = None, step: str | None = None
    ) -> StepView:
        """Move past ``step`` (default: current) without answering it; an earlier answer stays. Skipping the
        summary finishes the review."""
        repo = self.services.pair(pair_id)
        review = self.load(pair_id, review_id)
        step = review.require_step(step or review.current)
        self._keep_draft(review, step, draft)
        if step not in review.answers and step not in review.skipped:
            review.skipped.append(step)
        if review.kind(step) == "summary":
            review.skipped += [s for s in review.steps if review.is_open(s) and s not in review.skipped]
            review.status = "done"
            review.finished_at = review.finished_at or _utcnow()
        else:
            review.current = review.next_step(step)
        self._save(repo, review_id, review)
        self._refresh_coach(repo, review_id, review)
        return self.view(pair_id, review_id, review)

    def back(
        self, pair_id: str, review_id: str, draft: dict[str, Any] | None = None, step: str | None = None
    ) -> StepView:
        """Go to the step before ``step`` (default: current), keeping what was typed on it as a draft."""
        repo = self.services.pair(pair_id)
        review = self.load(pair_id, review_id)
        step = review.require_step(step or review.current)
        self._keep_draft(review, step, draft)
        review.current = review.previous_step(step)
        self._save(repo, review_id, review)
        return self.view(pair_id, review_id, review)

    def goto(self, pair_id: str, review_id: str, step: str) -> StepView:
        """Jump to any step (to edit it)."""
        repo = self.services.pair(pair_id)
        review = self.load(pair_id, review_id)
        review.current = review.require_step(step)
        self._save(repo, review_id, review)
        return self.view(pair_id, review_id, review)

    def save_draft(self, pair_id: str, review_id: str, step: str, draft: dict[str, Any]) -> None:
        """Keep what was typed on ``step`` so far without answering it (the CLI saves each field this way)."""
        repo = self.services.pair(pair_id)
        review = self.load(pair_id, review_id)
        self._keep_draft(review, review.require_step(step), draft)
        self._save(repo, review_id, review)

    @staticmethod
    def _keep_draft(review: Review, step: str, draft: dict[str, Any] | None) -> None:
        if draft and any(v not in (None, "", [], {}) for v in draft.values()):
            review.drafts[step] = json.loads(json.dumps(draft, default=str))

    def apply_answers(self, pair_id: str, date: dt.date, answers: dict[str, Any]) -> ReviewSummary:
        """Answer a review from a parsed answers file (``step id → fields``, or ``"skip"``), in step order.

        Every answer is validated before any is saved. Steps the file does not mention stay as they were;
        the review is finished only when the file has ``summary`` (open steps then count as skipped).
        """
        view = self.start(pair_id, date)
        review = self.load(pair_id, view.review_id)
        for step, raw in answers.items():
            if raw != SKIP:
                validate_answer(review, step, raw)
        for step in review.steps:
            if step not in answers:
                continue
            if answers[step] == SKIP:
                self.skip(pair_id, view.review_id, step=step)
            else:
                self.answer(pair_id, view.review_id, answers[step], step=step)
        if "summary" not in answers:
            review = self.load(pair_id, view.review_id)
            review.current = review.first_open()
            self._save(self.services.pair(pair_id), view.review_id, review)
        return self.summary(pair_id, view.review_id)

    # --- views -------------------------------------------------------------------------------------
    def view(self, pair_id: str, review_id: str, review: Review, *, resumed: bool = False) -> StepView:
        step = review.current
        kind = review.kind(step)
        if kind == "summary":
            self._refresh_coach(self.services.pair(pair_id), review_id, review)
        goal = review.goal(step)
        values = review.drafts.get(step) or review.answers.get(step) or {}
        marks = review.marks()
        return StepView(
            review_id=review_id,
            date=review.date,
            status=review.status,
            partners=review.partners,
            step=step,
            kind=kind,
            index=review.index(step) + 1,
            total=len(review.steps),
            progress_label=f"Step {review.index(step) + 1} of {len(review.steps)}",
            title=step_title(review, step),
            intro=step_intro(review, step) + (self._rehearsal_offer(pair_id) if kind == "checkin" else ""),
            questions=questions(review, step),
            values=values,
            answered=step in review.answers,
            skipped=step in review.skipped,
            goal=next(
                (p for p in review.progress() if goal and (p.partner, p.goal_id) == (goal.partner, goal.goal_id)), None
            ),
            carried=[
                CheckedCommitment(id=c.id, partner_name=c.partner_name, text=c.text, done=marks.get(c.id))
                for c in review.carried
            ],
            coach=self._notes_for(review, step),
            summary=self.build_summary(review_id, review) if kind == "summary" or review.status == "done" else None,
            resumed=resumed,
            demo=review.demo,
        )

    @staticmethod
    def _notes_for(review: Review, step: str) -> list[CoachNote]:
        """The summary step shows every coach line; other steps show the turn that just ended."""

        def note(key: str, label: str) -> CoachNote | None:
            line = review.coach.get(key)
            return CoachNote(label=label, text=line.text, note=line.note) if line else None

        if review.kind(step) == "summary":
            found = [note(p, f"Coach, after {review.partner_name(p)}'s turn") for p in ("a", "b")]
            found.append(note("summary", "Coach"))
            return [n for n in found if n]
        index = review.index(step)
        if index == 0:
            return []
        before = review.partner_of(review.steps[index - 1])
        if before is None or before == review.partner_of(step):
            return []
        found_note = note(before, f"Coach, after {review.partner_name(before)}'s turn")
        return [found_note] if found_note else []

    def summary(self, pair_id: str, review_id: str) -> ReviewSummary:
        repo = self.services.pair(pair_id)
        review = self.load(pair_id, review_id)
        self._refresh_coach(repo, review_id, review, summary=True)
        return self.build_summary(review_id, review)

    @staticmethod
    def build_summary(review_id: str, review: Review) -> ReviewSummary:
        """The deterministic summary (no model): progress, goals behind, commitments, fairness."""
        progress = review.progress()
        behind = [f"{p.partner_name}: {_short_goal(p.what)} ({p.text})" for p in progress if p.behind]
        marks = review.marks()
        checked = [
            CheckedCommitment(id=c.id, partner_name=c.partner_name, text=c.text, done=marks.get(c.id))
            for c in review.carried
        ]
        kept = sum(1 for c in checked if c.done)
        marked = sum(1 for c in checked if c.done is not None)
        fairness = review.fairness()
        fairness_text = _fairness_text(review, fairness)
        compared = [p for p in progress if p.behind is not None]
        lines = []
        if compared:
            good = len(compared) - len(behind)
            lines.append(f"{good} of {len(compared)} reported goals on or ahead of the agreed path.")
        else:
            lines.append("No progress values compared with a path this time.")
        if behind:
            lines.append("Behind: " + "; ".join(behind) + ".")
        if review.carried:
            unmarked = len(checked) - marked
            line = (
                f"Commitments from last time: {kept} of {marked} kept"
                if marked
                else "Commitments from last time: none marked"
            )
            lines.append(line + (f", {unmarked} not marked." if marked and unmarked else "."))
        next_count = len(review.new_commitments())
        lines.append(f"{next_count} commitment{'s' if next_count != 1 else ''} for next week.")
        lines.append(fairness_text)
        note = review.answer("summary")
        return ReviewSummary(
            review_id=review_id,
            date=review.date,
            status=review.status,
            partners=review.partners,
            answered=review.answered_count(),
            skipped=len(review.skipped),
            total=len(review.steps),
            progress=progress,
            behind=behind,
            commitments_checked=checked,
            commitments_kept=kept,
            commitments_marked=marked,
            commitments_next=review.new_commitments(),
            fairness=fairness,
            fairness_text=fairness_text,
            lines=lines,
            coach=review.coach,
            note=note.note if isinstance(note, SummaryAnswer) else "",
            demo=review.demo,
        )

    # --- the coach's lines -------------------------------------------------------------------------
    def _refresh_coach(self, repo: PairRepo, review_id: str, review: Review, *, summary: bool = False) -> None:
        """Make the coach lines whose answers changed: a partner's once their turn is complete, the summary
        line once the review reaches the summary step (or ``summary`` is asked for)."""
        changed = False
        for partner in ("a", "b"):
            steps = review.turn_steps(partner)
            answered = review.goal_answers(partner)
            if not answered or any(review.is_open(s) for s in steps):
                continue
            key = _fingerprint([review.answers.get(s) for s in steps])
            if review.coach.get(partner) is None or review.coach[partner].key != key:
                review.coach[partner] = self._partner_line(review, partner, key)
                changed = True
        if summary or review.kind(review.current) == "summary" or review.status == "done":
            key = _fingerprint([{s: a for s, a in review.answers.items() if s != "summary"}, review.skipped])
            if review.coach.get("summary") is None or review.coach["summary"].key != key:
                review.coach["summary"] = self._summary_line(review, key)
                changed = True
        if changed:
            self._save(repo, review_id, review)

    def _partner_line(self, review: Review, partner: str, key: str) -> CoachLine:
        name = review.partner_name(partner)
        answered = review.goal_answers(partner)
        texts = [t for _, a in answered for t in a.texts()]
        facts = _partner_facts(review, partner)
        prompt = prompts.load("review/reflect")
        return self._line(
            texts,
            facts,
            key,
            prompt,
            lambda mode: prompt.render(name=name, mode=mode, facts=facts),
            lambda asked: _partner_fallback(review, partner, asked),
        )

    def _summary_line(self, review: Review, key: str) -> CoachLine:
        texts = [t for _, a in review.goal_answers() for t in a.texts()]
        fairness = review.fairness()
        if fairness:
            texts += [t for side in (fairness.a, fairness.b) for t in (side.gave, side.got) if t]
        summary = self.build_summary("", review)
        facts = " ".join(summary.lines)
        names = " and ".join(review.partners[p] for p in ("a", "b"))
        prompt = prompts.load("review/summary")
        return self._line(
            texts,
            facts,
            key,
            prompt,
            lambda mode: prompt.render(names=names, mode=mode, facts=facts),
            lambda asked: _summary_fallback(summary),
        )

    def _line(
        self,
        texts: list[str],
        facts: str,
        key: str,
        prompt: prompts.Prompt,
        render: Callable[[str], list[Any]],
        fallback: Callable[[bool], str],
    ) -> CoachLine:
        """Ask the model for one sentence; keep it only if it is clean, guard it, else use the template."""
        verdicts = [guard.asked([], t) for t in texts]
        hit = next((v for v in verdicts if v.asked), None)
        asked = hit is not None
        reason = hit.reason if hit else (verdicts[0].reason if verdicts else "no text")
        user_text = "\n".join(texts)
        candidate, error, label = "", None, None
        if self.use_model:
            try:
                model = self.services.model
                label = model_label(model)
                result = structured_call(
                    model,
                    render(MODE_ASKED if asked else MODE_NOT_ASKED),
                    _Sentence,
                    check=lambda value: _sentence_problems(value, facts),
                    attempts=MODEL_ATTEMPTS,
                )
                candidate = _first_sentences(result.value.sentence) if result.value else ""
                if not result.value:
                    error = "; ".join(result.errors) or "no usable sentence"
            except Exception as exc:  # noqa: BLE001 - a failing model must never lose the review
                error = str(exc) if isinstance(exc, KickcoachError) else f"{type(exc).__name__}: {exc}"
        text, report = guard.filter_text(candidate, asked, user_message=user_text) if candidate else ("", None)
        source = "model"
        # Nothing of the model's left (the guard's generic reflection does not count): use the template.
        if report is None or report.reflected or not _has_content(text):
            source = "fallback"
            fallback_text, fallback_report = guard.filter_text(fallback(asked), asked, user_message=user_text)
            offer = (
                guard.PERMISSION_OFFER
                if report is not None and report.removed and guard.PERMISSION_OFFER not in fallback_text
                else ""
            )
            text = " ".join(t for t in (fallback_text.strip(), offer) if t)
            report = report if report is not None and report.removed else fallback_report
        return CoachLine(
            text=text.strip(),
            source=source,  # type: ignore[arg-type]
            asked=asked,
            asked_reason=reason,
            removed=list(report.removed) if report else [],
            note=report.note() if report else None,
            key=key,
            prompt=prompt.id if self.use_model else None,
            model=label,
            error=error,
        )


# --- model output checks -------------------------------------------------------------------------------
class _Sentence(BaseModel):
    sentence: str = Field(min_length=8, max_length=300)


_MARKUP = re.compile(r"[{}<>\[\]|#*_`\\]")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'll|i'd|me|my|mine|we|we're|we'll|us|our)\b", re.I)
_ADDRESS = re.compile(
    r"\b(?:you|you're|you've|your|yours)\b|^(?:it )?(?:sounds|seems|looks) (?:like|as if)\b|^it feels like\b", re.I
)
_META = re.compile(r"\b(?:json|sentences?|system|prompts?|instructions?|facts|reply with)\b", re.I)
_WORD = re.compile(r"[A-Za-z']+")


_COMMON = frozenset(
    "that this with your have been were what they them from will week weeks about there their which would could "
    "should more some into than then just like also very much really sounds seems looks it's you're you've".split()
)


def _content(text: str) -> set[str]:
    """Words that carry meaning: four letters or more, not among the commonest."""
    return {w for w in (w.lower() for w in _WORD.findall(text)) if len(w) >= 4 and w not in _COMMON}


def _sentence_problems(value: _Sentence, facts: str | None = None) -> list[str]:
    """Reasons to reject a model sentence, written so the model could fix them: a full plain sentence,
    spoken to the person ("you" or a reflection such as "It sounds like …", never "I"), about what they
    reported (it shares a content word with ``facts``)."""
    text = value.sentence.strip()
    words = _WORD.findall(text)
    problems = []
    if len(words) < 4:
        problems.append("sentence: write a full sentence of at least 4 words")
    if len(text.split()) > MAX_LINE_WORDS:
        problems.append(f"sentence: keep it under {MAX_LINE_WORDS} words")
    if _MARKUP.search(text):
        problems.append("sentence: plain words only, no brackets, markup or placeholders")
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text.replace(" ", "")):
        problems.append("sentence: write words, not numbers or symbols")
    if _META.search(text):
        problems.append("sentence: speak to the person; do not mention these instructions")
    if not _ADDRESS.search(text):
        problems.append('sentence: speak to them ("you", "it sounds like …"), reflecting what they reported')
    if _FIRST_PERSON.search(text):
        problems.append("sentence: do not talk about yourself; reflect what they said")
    if facts is not None and not _content(text) & _content(facts):
        problems.append("sentence: stay with what they reported; use their own words")
    lowered = [w.lower() for w in words]
    trigrams = [tuple(lowered[i : i + 3]) for i in range(len(lowered) - 2)]
    if len(trigrams) != len(set(trigrams)):
        problems.append("sentence: do not repeat yourself")
    return problems


def _first_sentences(text: str, limit: int = 2) -> str:
    """At most ``limit`` distinct sentences (a small model repeats itself)."""
    kept: list[str] = []
    for sentence in guard.split_sentences(text.strip()):
        clean = sentence.strip()
        if clean and clean.lower() not in (k.lower() for k in kept):
            kept.append(clean)
        if len(kept) >= limit:
            break
    return " ".join(kept)


def _has_content(text: str) -> bool:
    rest = text.replace(guard.PERMISSION_OFFER, "").strip()
    return len(_WORD.findall(rest)) >= 4


# --- templates -------------------------------------------------------------------------------------------
def _partner_facts(review: Review, partner: str) -> str:
    """The facts of a partner's turn in plain lines, for the model to reflect."""
    lines = []
    for step, answer in review.goal_answers(partner):
        goal = review.goal(step)
        if goal and isinstance(answer, GoalAnswer):
            progress = next(p for p in review.progress() if p.partner == goal.partner and p.goal_id == goal.goal_id)
            lines.append(f"Goal: {goal.what} Progress: {progress.text}.")
        for label, text in (
            ("Wins", answer.wins),
            ("Wasted time or energy", answer.waste),
            ("Blockers", answer.blockers),
        ):
            if text:
                lines.append(f"{label}: {text}")
        if answer.commitments:
            lines.append("Commitments: " + "; ".join(answer.commitments))
    return "\n".join(lines)


def _at(p: GoalProgress) -> str:
    unit = f" {p.unit}" if p.unit else ""
    assert p.progress is not None
    return (
        f"{number(p.progress)} of {number(p.target_value)}{unit}"
        if p.target_value is not None
        else f"{number(p.progress)}{unit}"
    )


def _partner_fallback(review: Review, partner: str, asked: bool) -> str:
    """The template line: one reflective sentence from the numbers and their words, one open question,
    and — only when they asked — what the other partner offered in the contract.

    It opens with "It sounds like", the reflection form the guard's detector recognises, so the template
    is never mistaken for advice."""
    answered = review.goal_answers(partner)
    steps = {step for step, _ in answered}
    reported = [
        p
        for p in review.progress()
        if p.partner == partner and f"{partner}.{p.goal_id}" in steps and p.progress is not None
    ]
    behind = [p for p in reported if p.behind]
    compared = [p for p in reported if p.behind is not None]
    if behind:
        facts = " and ".join(
            f"you're at {_at(p)} where the agreed path would be {number(p.planned or 0)}" for p in behind[:2]
        )
    elif len(compared) > 1:
        facts = f"your {len(compared)} reported goals are on or ahead of the agreed path"
    elif compared:
        facts = f"you're at {_at(compared[0])}, on or ahead of the agreed path"
    elif reported:
        facts = f"you're at {_at(reported[0])}"
    else:
        facts = "you shared where things stand this week"
    blockers = next((a.blockers for _, a in answered if a.blockers), "")
    wins = next((a.wins for _, a in answered if a.wins), "")
    extras = []
    if wins:
        extras.append(f"“{_quote(wins)}” as a win")
    if blockers:
        extras.append(f"“{_quote(blockers)}” getting in the way")
    sentence = f"It sounds like {facts}" + (", with " + " and ".join(extras) if extras else "") + "."
    question = (
        "What would make next week's commitments easier to keep?"
        if blockers
        else "What matters most to you for next week?"
    )
    text = f"{sentence} {question}"
    other = "b" if partner == "a" else "a"
    offers = review.offers.get(other) or []
    if asked and offers:
        listed = " or ".join(o.rstrip(".") for o in offers[:2])
        who = review.partner_name(other)
        text += f" You asked for ideas: in your contract {who} offered {listed}; you could ask for that this week."
    return text


def _summary_fallback(summary: ReviewSummary) -> str:
    """The template summary line: the week's numbers as one reflection, then one open question."""
    compared = [p for p in summary.progress if p.behind is not None]
    parts = []
    if compared:
        parts.append(
            f"{len(compared) - len(summary.behind)} of {len(compared)} reported goals on or ahead of the agreed path"
        )
    if summary.commitments_marked:
        parts.append(f"{summary.commitments_kept} of {summary.commitments_marked} commitments from last time kept")
    week = "a week with " + " and ".join(parts) if parts else "a week to talk through more than to measure"
    return f"It sounds like {week}. What do you both want to carry into next week?"


def _fairness_text(review: Review, fairness: FairnessAnswer | None) -> str:
    if fairness is None:
        return "Fairness not discussed this time."
    verdicts = {p: getattr(fairness, p).fair for p in ("a", "b")}
    if all(v == "yes" for v in verdicts.values()):
        return "Both feel the trade is fair."
    parts = []
    for p, verdict in verdicts.items():
        name = review.partner_name(p)
        if verdict is None:
            parts.append(f"{name} did not say whether it feels fair")
        else:
            parts.append(
                f"{name}: {'fair' if verdict == 'yes' else 'mostly fair' if verdict == 'mostly' else 'not fair'}"
            )
    return "Fairness: " + "; ".join(parts) + "."


def fairness_score(fairness: FairnessAnswer | None, partner: str) -> float | None:
    """yes = 1, mostly = 0.5, no = 0; None when not answered."""
    if fairness is None:
        return None
    verdict = getattr(fairness, partner).fair
    return None if verdict is None else FAIR_SCORE[verdict]
