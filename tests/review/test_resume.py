"""Acceptance: a full review through the UI handlers and through the CLI, interrupted mid-review and resumed.

"Restart" is a fresh ``Services`` (new engine, new handlers) on the same home folder for the UI, and a new
process for the CLI: one stopped with Ctrl-C (SIGINT) and one killed outright (SIGKILL) mid-review.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from review_helpers import DAY, DEMO_STEPS, FULL, TODAY
from typer.testing import CliRunner

from kickcoach.cli.main import app
from kickcoach.contracts.files import demo_contract
from kickcoach.contracts.service import save_contract
from kickcoach.core.config import Settings
from kickcoach.flows.review.steps import Review
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.llm.fake import FakeChatModel
from kickcoach.services import Services
from kickcoach.ui.identity import Identity
from kickcoach.ui.review_tab import ReviewHandlers

ROOT = Path(__file__).resolve().parents[2]


def stored_reviews(home: Path, database_url: str | None = None) -> list[Review]:
    extra = {"database_url": database_url} if database_url else {}  # else KICKCOACH_DATABASE_URL, or SQLite in home
    svc = Services(Settings(backend="fake", embeddings="hashing", home=home, _env_file=None, **extra))
    try:
        return [Review.model_validate(r.data) for r in svc.pair("demo").records("review")]
    finally:
        svc.storage.engine.dispose()


# --- the UI handlers ---------------------------------------------------------------------------------
def test_ui_review_resumes_after_a_restart_without_losing_an_answer(settings):
    def boot():
        svc = Services(settings, model=FakeChatModel(), embeddings=HashingEmbeddings())
        return svc, ReviewHandlers(svc, Identity(settings), clock=lambda: TODAY)

    svc, ui = boot()
    save_contract(svc, demo_contract())
    view = ui.start("", None)  # empty date = today
    assert view.date == TODAY
    view = ui.start(DAY.isoformat(), None)
    assert (view.step, view.progress_label) == ("checkin", "Step 1 of 7")
    view = ui.answer(view.review_id, FULL["checkin"], None)
    view = ui.answer(view.review_id, FULL["a.g1"], None)
    typed = {"progress": 1.5, "wins": "typed, then the browser closed", "waste": "", "blockers": "", "commitments": ""}
    ui.back(view.review_id, None, typed)  # the person looks back at a.g1 …
    review_id = view.review_id
    svc.storage.engine.dispose()  # … and the server restarts

    svc, ui = boot()
    view = ui.start(DAY.isoformat(), None)
    assert view.review_id == review_id and view.resumed
    assert (view.step, view.progress_label) == ("a.g2", "Step 3 of 7")  # the first unanswered step
    assert view.values == typed  # what was typed there is back
    view = ui.back(view.review_id, None)
    assert view.step == "a.g1" and view.values["progress"] == 3.0 and view.values["wins"] == FULL["a.g1"]["wins"]
    view = ui.skip(view.review_id, None)
    assert view.step == "a.g2"
    for step in DEMO_STEPS[2:]:
        assert view.step == step
        view = ui.answer(view.review_id, FULL[step], None)
    assert view.status == "done" and view.summary is not None
    saved = next(r for r in stored_reviews(settings.home, settings.database_url) if r.date == DAY)
    assert saved.answers["checkin"]["note"] == "Both keen." and saved.answers["a.g1"]["progress"] == 3.0
    assert saved.answers["a.g2"]["progress"] == 2.0 and saved.drafts == {}
    assert saved.skipped == [] and saved.answered_count() == 7
    path = Path(ui.export(review_id, None))
    assert path.name.startswith("review-2026-11-26-kcx") and path.suffix == ".md"  # a private export (ui.exports)
    assert "| Tom Ellis |" in path.read_text(encoding="utf-8")


# --- the CLI, from answers files ------------------------------------------------------------------------
@pytest.fixture
def env(cli_home):
    return cli_home


def test_cli_answers_files_resume_a_review_across_runs(env, tmp_path):
    first = tmp_path / "first.yaml"  # the check-in and Priya's turn; then the process ends
    first.write_text(
        "checkin: {note: Both keen.}\na:\n  g1: {progress: 3, wins: Talk without notes, commitments: [Record a run]}\n"
        "  g2: {progress: 2, blockers: Procrastination}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["review", "--pair", "demo", "--date", "2026-11-26", "--answers", str(first)])
    assert result.exit_code == 0, result.output
    assert "in progress, 3 of 7 steps answered" in result.stdout
    [review] = stored_reviews(env)
    assert review.status == "in_progress" and review.current == "b.g1"

    second = tmp_path / "second.yaml"  # a new process answers the rest
    second.write_text(
        "b:\n  g1: {progress: 3}\n  g2: skip\n"
        "fairness:\n  a: {fair: yes}\n  b: {fair: mostly}\nsummary: {note: Done}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["review", "--pair", "demo", "--date", "2026-11-26", "--answers", str(second), "--json"]
    )
    assert result.exit_code == 0, result.output
    [review] = stored_reviews(env)
    assert review.status == "done" and review.skipped == ["b.g2"]
    assert review.answers["a.g1"] == {
        "wins": "Talk without notes",
        "waste": "",
        "blockers": "",
        "progress": 3.0,
        "commitments": ["Record a run"],
    }
    assert review.answers["a.g2"]["blockers"] == "Procrastination" and review.answers["b.g1"]["progress"] == 3.0


# --- the CLI as a real process, interrupted ---------------------------------------------------------------
class Session:
    """A ``kickcoach review`` process whose stderr (the prompts) is read as it is written."""

    def __init__(self, home: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KICKCOACH_")}
        env |= {
            "KICKCOACH_HOME": str(home),
            "KICKCOACH_BACKEND": "fake",
            "KICKCOACH_EMBEDDINGS": "hashing",
            "PYTHONUNBUFFERED": "1",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kickcoach.cli.main", "review", "--pair", "demo", "--date", DAY.isoformat()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        self.text = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.text += line

    def wait_for(self, *markers: str, timeout: float = 90) -> None:
        """Wait until ``markers`` have appeared in this order."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            at = 0
            for marker in markers:
                at = self.text.find(marker, at)
                if at < 0:
                    break
            else:
                return
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"never saw {markers!r}; stderr so far:\n{self.text}")

    def send(self, *lines: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("".join(f"{line}\n" for line in lines))
        self.proc.stdin.flush()

    def finish(self, timeout: float = 120) -> tuple[int, str]:
        """Close stdin, wait for the exit; stderr stays with the reader thread, stdout is returned."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:  # the process is already gone (killed)
                pass
        code = self.proc.wait(timeout=timeout)
        out = self.proc.stdout.read()
        self._reader.join(timeout=10)
        return code, out


A_G1 = ["3", "Talk without notes", "Slides again", "Fear of the CFO", "Record a run; Ask my manager"]


def test_cli_process_stopped_or_killed_mid_review_resumes_without_losing_an_answer(tmp_path):
    home = tmp_path / "home"

    # 1. Ctrl-C in the middle of Priya's first goal.
    run = Session(home)
    run.wait_for("Step 1 of 7", "How are you both arriving?")
    run.send("Both keen")
    run.wait_for("Step 2 of 7", "Where are you now")
    run.send("3", "Talk without notes")
    run.wait_for("Step 2 of 7", "What wasted your time")  # "wins" is saved as a draft before this prompt
    run.proc.send_signal(signal.SIGINT)
    code, _ = run.finish()
    assert code == 130 and "Stopped. Everything answered is saved" in run.text
    [review] = stored_reviews(home)
    assert review.answers["checkin"]["note"] == "Both keen"
    assert review.drafts["a.g1"] == {"progress": "3", "wins": "Talk without notes"}

    # 2. Resume, finish the goal, type one field of the next, then the process is killed outright.
    run = Session(home)
    run.wait_for("Resuming at step 2 of 7", "Where are you now", "[3]")
    run.send("", "", *A_G1[2:])  # Enter keeps 3 and the win typed before Ctrl-C
    run.wait_for("Step 3 of 7", "Where are you now")
    run.send("2")
    run.wait_for("Step 3 of 7", "What went well")
    run.proc.kill()
    run.finish()
    [review] = stored_reviews(home)
    assert review.answers["a.g1"]["progress"] == 3.0 and review.answers["a.g1"]["wins"] == "Talk without notes"
    assert review.answers["a.g1"]["commitments"] == ["Record a run", "Ask my manager"]
    assert review.drafts["a.g2"] == {"progress": "2"}

    # 3. Resume again and run to the end.
    run = Session(home)
    run.wait_for("Resuming at step 3 of 7", "[2]")
    run.send("", "Article live", "", "", "Draft three")
    run.send("4", "", "", "Distractions", "Churn query")
    run.send(":skip")
    run.send("SQL review", "Rehearsal", "1.5", "yes", "Rehearsal", "SQL review", "1", "mostly")
    run.wait_for("Step 7 of 7", "Anything to add?")
    run.send("See you Thursday")
    code, out = run.finish()
    assert code == 0, run.text
    assert "Weekly review 2026-11-26 (finished, 6 of 7 steps answered)" in out
    assert "4 of 10 queries; on the agreed path you'd be at 5.8  BEHIND" in out
    [review] = stored_reviews(home)
    assert review.status == "done" and review.skipped == ["b.g2"]
    assert review.answers["checkin"]["note"] == "Both keen"
    assert review.answers["a.g1"]["commitments"] == ["Record a run", "Ask my manager"]
    assert review.answers["a.g2"] == {
        "wins": "Article live",
        "waste": "",
        "blockers": "",
        "progress": 2.0,
        "commitments": ["Draft three"],
    }
    assert review.answers["fairness"]["a"]["hours"] == 1.5 and review.answers["summary"]["note"] == "See you Thursday"
    assert set(review.coach) == {"a", "b", "summary"}
