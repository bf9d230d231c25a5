"""The Weekly review tab: the layout builds, and its event functions drive the flow as a browser would."""

import datetime as dt
from pathlib import Path

import gradio as gr
import pytest
from review_helpers import DAY, FULL, TODAY

from kickcoach.flows.review.demo import seed_demo_history
from kickcoach.ui import review_tab
from kickcoach.ui.identity import Identity
from kickcoach.ui.review_tab import ReviewHandlers, fairness_side

FORM = 16  # the form inputs after review_id, step and carried ids


@pytest.fixture
def tab(demo, settings):
    handlers = ReviewHandlers(demo, Identity(settings), use_model=False, clock=lambda: TODAY)
    with gr.Blocks() as blocks:
        refresh, outputs = review_tab.render(handlers)
    fns = {f.fn.__name__: f.fn for f in blocks.fns.values()}
    ids = {b.elem_id for b in blocks.blocks.values() if getattr(b, "elem_id", None)}
    return handlers, fns, ids, refresh, outputs


def test_layout_has_the_ids_the_browser_tests_use(tab):
    _, fns, ids, refresh, outputs = tab
    assert {
        "review-start",
        "review-next",
        "review-back",
        "review-skip",
        "review-progress-plot",
        "review-date",
        "review-export",
    } <= ids
    assert {"on_start", "on_next", "move", "on_history_keep", "on_export"} <= set(fns)
    assert refresh.__name__ == "on_history" and len(outputs) == 5


def full_review(handlers, day):
    view = handlers.start(day, None)
    for step in ("checkin", "a.g1", "a.g2", "b.g1", "b.g2", "fairness", "summary"):
        view = handlers.answer(view.review_id, FULL[step], None)
    return view.review_id


def test_start_next_and_the_history_plot(tab, demo):
    handlers, fns, _, refresh, _ = tab
    full_review(handlers, "2026-11-19")
    request = gr.Request()
    shown = fns["on_start"](DAY.isoformat(), request)
    review_id, step, carried = shown[:3]
    assert step == "checkin" and len(carried) == 4 and "Step 1 of 7" in shown[4]
    form = ["Both keen", carried[:1], None, "", "", "", "", "", "", None, None, "", "", None, None, ""]
    assert len(form) == FORM
    shown = fns["on_next"](request, review_id, step, carried, *form)
    assert shown[1] == "a.g1" and shown[3] == "Saved."
    assert "On the agreed path you'd be at **1.7** today" in shown[5]
    form[2:7] = [3, "Talk without notes", "", "Fear", "Record a run\nAsk my manager"]
    shown = fns["on_next"](request, review_id, "a.g1", [], *form)
    saved = handlers.flow.load("demo", review_id).answers["a.g1"]
    assert saved["progress"] == 3.0 and saved["commitments"] == ["Record a run", "Ask my manager"]
    form[2] = "lots"  # a bad number is reported and nothing moves
    shown = fns["on_next"](request, review_id, "a.g2", [], *form)
    assert shown[3].startswith("⚠️ a.g2.progress") and handlers.flow.load("demo", review_id).current == "a.g2"

    state, goals, plot, stats, exports = refresh(request)
    tom = goals["value"]  # the goal behind the agreed path is charted first
    assert tom.startswith("Tom Ellis · g1") and len(goals["choices"]) == 4
    frame = plot["value"]
    assert list(frame.columns) == ["date", "value", "series", "goal"] and set(frame.goal) == {tom}
    assert frame[frame.series == "actual"].value.tolist() == [2.0, 3.0]  # start value, 11-19
    assert "2 reviews so far." in stats and "Demo data" not in stats and plot["caption"] is None
    assert exports["value"] == review_id  # the newest review comes first
    priya = next(g for g in goals["choices"] if g.startswith("Priya Shah · g1"))
    frame = fns["on_goal"](state, priya)["value"]
    assert set(frame.goal) == {priya}
    assert frame[frame.series == "actual"].value.tolist() == [0.0, 3.0, 3.0]  # start, 11-19, 11-26
    assert frame[frame.series == "planned"].value.tolist() == pytest.approx([0.0, 4 * 38 / 108, 4 * 45 / 108], abs=0.01)
    path, message = fns["on_export"](review_id, request)
    assert Path(path).name.startswith("review-2026-11-26-kcx") and path.endswith(".md") and message == ""


def test_demo_history_is_labelled_in_the_plot_and_the_stats(tab, demo):
    _, _, _, refresh, _ = tab
    seed_demo_history(demo, "demo", TODAY)
    _, goals, plot, stats, _ = refresh(gr.Request())
    assert len(goals["choices"]) == 4 and (plot["value"].series == "actual").sum() >= 4
    assert plot["caption"] == "Demo data included (seeded)." and "Demo data" in stats


def test_errors_show_as_a_message(tab):
    _, fns, _, _, _ = tab
    shown = fns["on_start"]("whenever suits", gr.Request())
    assert shown[3] == "⚠️ Review date: use a date such as 2027-03-31, or 'last Friday'"
    assert fns["on_export"](None, gr.Request()) == (
        None,
        "⚠️ No review is open — pick a date and press Start / Resume first",
    )


def test_checkin_marks_go_through_the_checkbox_ids(tab, demo):
    handlers, fns, _, _, _ = tab
    full_review(handlers, "2026-11-19")
    shown = fns["on_start"](DAY.isoformat(), gr.Request())
    review_id, _, carried = shown[:3]
    marks_update = shown[13]
    assert [c[1] for c in marks_update["choices"]] == carried == ["a-g1-1", "a-g2-1", "a-g2-2", "b-g1-1"]
    form = ["", ["a-g1-1", "b-g1-1"], *[None] * (FORM - 2)]
    fns["on_next"](gr.Request(), review_id, "checkin", carried, *form)
    assert handlers.flow.load("demo", review_id).marks() == {
        "a-g1-1": True,
        "a-g2-1": False,
        "a-g2-2": False,
        "b-g1-1": True,
    }


@pytest.mark.parametrize("typed, expected", [
    ("", dt.date(2026, 11, 26)), ("2026-11-20", dt.date(2026, 11, 20)), ("26/11/2026", dt.date(2026, 11, 26)),
    ("yesterday", dt.date(2026, 11, 25)),
])
def test_review_dates_accept_what_people_type(typed, expected):
    from kickcoach.ui.review_tab import parse_date

    assert parse_date(typed, dt.date(2026, 11, 26)) == expected


def test_a_fairness_answer_left_out_reads_not_answered():
    assert fairness_side("Priya Shah", None, None) == "Priya Shah not answered"  # not "– (– h)"
    assert fairness_side("Tom Ellis", 0.5, 1.0) == "Tom Ellis 0.5 (1 h)"
    assert fairness_side("Tom Ellis", 1.0, None) == "Tom Ellis 1 (– h)"
