"""Answers files: a whole review answered in one YAML file (``kickcoach review --answers``), read with
line numbers so every problem names the field and the line to fix."""

from __future__ import annotations

from typing import Any

from kickcoach.core.errors import InputInvalid
from kickcoach.core.yamlfile import Node, line_of, parse
from kickcoach.flows.review.answers import SKIP
from kickcoach.flows.review.steps import Review, validate_answer


def parse_answers(text: str, review: Review) -> dict[str, Any]:
    """Read an answers file (YAML; the format is documented in ``kickcoach.cli.commands.review``) into
    ``step id → fields`` (or ``"skip"``), in the review's step order, every answer validated.

    ``InputInvalid`` names the field as a dotted path (``a.g1.progress``) and its line in the file.
    ``checkin.commitments`` may also be ``all done`` or ``none done`` (every listed commitment marked).
    """
    root, data = parse(text, "answers file")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputInvalid(
            "The answers file must be a mapping of steps (checkin, a, b, fairness, summary)",
            "start from examples/review_answers.yaml",
            line=1,
        )
    found: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key in ("a", "b"):
            found |= _partner_answers(review, key, value, root)
        elif key in ("checkin", "fairness", "summary"):
            found[key] = _step_value(review, key, value)
        else:
            allowed = "checkin, a, b, fairness, summary"
            raise InputInvalid(
                f"{key}: not a step of the review", f"top-level keys: {allowed}", field=key, line=line_of(root, (key,))
            )
    for step, raw in found.items():
        if raw == SKIP:
            continue
        try:
            validate_answer(review, step, raw)
        except InputInvalid as exc:
            exc.line = line_of(root, tuple((exc.field or step).split(".")))
            raise
    return {step: found[step] for step in review.steps if step in found}


def _partner_answers(review: Review, partner: str, value: Any, root: Node | None) -> dict[str, Any]:
    name = review.partner_name(partner)
    steps = review.turn_steps(partner)
    if steps == [partner]:  # a partner without goals answers the turn's fields directly
        return {partner: _step_value(review, partner, value)}
    ids = [review.goal(s).goal_id for s in steps]  # type: ignore[union-attr]
    if value == SKIP:
        return {s: SKIP for s in steps}
    if not isinstance(value, dict):
        raise InputInvalid(
            f"{partner}: expected {name}'s goals by id ({', '.join(ids)})",
            f"write {partner}: then one entry per goal id, each with progress, wins, …",
            field=partner,
            line=line_of(root, (partner,)),
        )
    found = {}
    for goal_id, answer in value.items():
        if str(goal_id) not in ids:
            raise InputInvalid(
                f"{partner}.{goal_id}: {name} has no goal {goal_id!r}",
                f"goal ids: {', '.join(ids)}",
                field=f"{partner}.{goal_id}",
                line=line_of(root, (partner, str(goal_id))),
            )
        step = f"{partner}.{goal_id}"
        found[step] = _step_value(review, step, answer)
    return found


def _step_value(review: Review, step: str, value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() == SKIP:
        return SKIP
    if step == "checkin" and isinstance(value, dict) and isinstance(value.get("commitments"), str):
        word = " ".join(value["commitments"].lower().split())
        if word in ("all done", "none done"):
            return value | {"commitments": {c.id: word == "all done" for c in review.carried}}
    return value
