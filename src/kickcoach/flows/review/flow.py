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
* The summary is computed (history.progress: progress vs the planned path, "behind"; commitments kept;
  fairness). The model adds at most one line per partner turn and one summary line, each one
  generation-pipeline call (:mod:`kickcoach.flows.review.lines`: a JSON sentence, checked: plain words, spoken to the
  person, about what they reported), then ``guard.filter_text`` — it may suggest only when ``guard.asked``
  finds a request in the answers it responds to — and a deterministic template (a reflection and an open
  question) replaces it when the model fails or writes garbage. A line is made once per set of answers
  (``CoachLine.key``), so going back and forth costs no model calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from kickcoach.contracts.service import load_contract
from kickcoach.core import prompts
from kickcoach.core.banks import bank_beside
from kickcoach.core.errors import InputInvalid, NotFound
from kickcoach.flows.review.answers import free_text
from kickcoach.flows.review.lines import (
    MAX_LINE_WORDS,
    MODE_ASKED,
    MODE_NOT_ASKED,
    MODEL_ATTEMPTS,
    _partner_facts,
    _partner_fallback,
    _Sentence,
    _sentence_problems,
    _summary_fallback,
    coach_line,
    fairness_score,
)
from kickcoach.flows.review.steps import (
    RECORD_KIND,
    SKIP,
    CoachLine,
    Review,
    new_review,
    questions,
    step_intro,
    step_title,
    validate_answer,
)
from kickcoach.flows.review.summary import build_summary
from kickcoach.flows.review.views import CheckedCommitment, CoachNote, ReviewSummary, StepView

__all__ = [
    "MAX_LINE_WORDS",
    "MODEL_ATTEMPTS",
    "MODE_ASKED",
    "MODE_NOT_ASKED",
    "ReviewFlow",
    "ReviewSummary",
    "StepView",
    "_Sentence",
    "_sentence_problems",
    "fairness_score",
]

if TYPE_CHECKING:
    from kickcoach.services import Services
    from kickcoach.storage import PairRepo



def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _fingerprint(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


class ReviewFlow:
    """The review state machine over one pair's records; ``use_model=False`` keeps every coach line a template."""

    def _rehearsal_offer(self, pair_id: str) -> str:
        """The pair's last boss-rehearsal debrief, offered at the check-in (markdown; "" when there is none)."""
        from kickcoach.flows.rehearsal import last_debrief

        debrief = last_debrief(self.services, pair_id)
        if debrief is None or not debrief.points:
            return ""
        return bank_beside(__file__).line("flow", "rehearsal_offer", scenario=debrief.scenario, when=debrief.created_at,
                                          debrief=debrief.markdown())

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
            if date < contract.start_date:
                raise InputInvalid(
                    f"Review date: {date.isoformat()} is before the contract began ({contract.start_date.isoformat()})",
                    f"pick a date on or after {contract.start_date.isoformat()}",
                    field="date",
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
        notice = self.services.hear("\n".join(free_text(raw)), private=False)  # shown to the one who wrote it, never stored
        self._refresh_coach(repo, review_id, review)
        shown = self.view(pair_id, review_id, review)
        return shown.model_copy(update={"safety": notice.text}) if notice else shown

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
            summary=build_summary(review_id, review) if kind == "summary" or review.status == "done" else None,
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
        return build_summary(review_id, review)

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
        render = lambda mode: prompt.render(name=name, mode=mode, facts=facts)  # noqa: E731
        fallback = lambda asked: _partner_fallback(review, partner, asked)  # noqa: E731
        return coach_line(self.services, self.use_model, texts, facts, key, prompt, render, fallback)

    def _summary_line(self, review: Review, key: str) -> CoachLine:
        texts = [t for _, a in review.goal_answers() for t in a.texts()]
        fairness = review.fairness()
        if fairness:
            texts += [t for side in (fairness.a, fairness.b) for t in (side.gave, side.got) if t]
        summary = build_summary("", review)
        facts = " ".join(summary.lines)
        names = " and ".join(review.partners[p] for p in ("a", "b"))
        prompt = prompts.load("review/summary")
        render = lambda mode: prompt.render(names=names, mode=mode, facts=facts)  # noqa: E731
        fallback = lambda _asked: _summary_fallback(summary)  # noqa: E731
        return coach_line(self.services, self.use_model, texts, facts, key, prompt, render, fallback)

