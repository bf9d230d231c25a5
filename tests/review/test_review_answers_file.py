from pathlib import Path

import pytest
from review_helpers import DAY

from kickcoach.core.errors import InputInvalid
from kickcoach.flows.review.answers_file import parse_answers
from kickcoach.flows.review.steps import SKIP

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "review_answers.yaml"


@pytest.fixture
def review(quiet_flow):
    view = quiet_flow.start("demo", DAY)
    return quiet_flow.load("demo", view.review_id)


def test_the_shipped_example_answers_every_step_of_the_demo_pair(review):
    answers = parse_answers(EXAMPLE.read_text(encoding="utf-8"), review)
    assert list(answers) == review.steps
    assert answers["a.g1"]["progress"] == 3 and answers["fairness"]["a"]["fair"] == "yes"  # YAML 1.2: the text "yes"
    assert answers["checkin"]["commitments"] == {}  # "all done" with nothing carried marks nothing


def test_skip_partners_and_all_done(quiet_flow, review):
    text = "checkin: {commitments: all done}\na: skip\nb:\n  g2: skip\n"
    from kickcoach.flows.review.steps import CarriedCommitment

    review.carried = [CarriedCommitment(id="a-g1-1", partner="a", partner_name="Priya", text="x", from_date=DAY)]
    answers = parse_answers(text, review)
    assert answers == {"checkin": {"commitments": {"a-g1-1": True}}, "a.g1": SKIP, "a.g2": SKIP, "b.g2": SKIP}


@pytest.mark.parametrize(
    ("text", "field", "line", "fix"),
    [
        ("checkin: {note: hi}\nmood: great\n", "mood", 2, "top-level keys"),
        ("a:\n  g1:\n    progress: three\n", "a.g1.progress", 3, "correct this value"),
        ("a:\n  g9: {progress: 1}\n", "a.g9", 2, "goal ids: g1, g2"),
        ("b:\n  g1:\n    progres: 4\n", "b.g1.progres", 3, "fields here"),
        ("fairness:\n  a:\n    fair: sort of\n", "fairness.a.fair", 3, "values listed"),
        ("checkin:\n  commitments: {a-g1-1: done}\n", "checkin.commitments", 2, "none"),
    ],
)
def test_mistakes_name_the_field_and_the_line(review, text, field, line, fix):
    with pytest.raises(InputInvalid) as caught:
        parse_answers(text, review)
    assert caught.value.field == field and caught.value.line == line and fix in caught.value.fix


def test_broken_yaml_says_where(review):
    with pytest.raises(InputInvalid, match="not valid YAML at line 3") as caught:
        parse_answers("checkin:\n  note: hi\n    bad: indent\n", review)
    assert caught.value.line == 3


def test_the_documented_format_parses(quiet_flow):
    """The YAML in ``kickcoach.cli.commands.review``'s docstring (copied into the README) is a valid answers file."""
    import textwrap

    from kickcoach.cli.commands import review as command

    doc = command.__doc__
    block = doc[doc.index("``summary``::") + len("``summary``::") : doc.index("``--json`` prints")]
    earlier = quiet_flow.start("demo", DAY.replace(day=19))
    quiet_flow.answer("demo", earlier.review_id, {"commitments": ["Rehearse"]}, step="a.g1")
    quiet_flow.answer("demo", earlier.review_id, {"commitments": ["Write a query"]}, step="b.g1")
    view = quiet_flow.start("demo", DAY)
    answers = parse_answers(textwrap.dedent(block), quiet_flow.load("demo", view.review_id))
    assert answers["checkin"]["commitments"] == {"a-g1-1": "done", "b-g1-1": "not done"}
    assert answers["a.g2"] == SKIP and answers["b.g1"]["progress"] == 4
    summary = quiet_flow.apply_answers("demo", DAY, answers)
    assert summary.status == "done" and summary.commitments_kept == 1
