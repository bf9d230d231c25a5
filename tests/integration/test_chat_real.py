"""The chat turn with the bundled SmolLM2 model and all-MiniLM-L6-v2, offline."""

import json
import os
import subprocess
import sys

import pytest

from kickcoach.flows.chat import CoachChat
from kickcoach.guard import PERMISSION_OFFER, is_suggestion, split_sentences

pytestmark = pytest.mark.integration


def test_engine_answers_with_guidance_sources_on_real_embeddings(real_services):
    result = CoachChat(real_services).ask("demo", None, "How often should peer mentors meet?")
    assert result.error is None and result.reply.strip()
    assert result.model == "coach-engine" and result.act == "guidance_question"
    assert any(s.source == "meetings-and-follow-up.md" for s in result.sources)
    assert "Meet weekly" in result.reply


def test_real_model_wording_is_gated_and_never_advises(real_services):
    real_services.settings.coach_model_text = "always"
    try:
        coach = CoachChat(real_services)
        for message in ("I missed the report deadline again and I'm annoyed with myself.",
                        "Tom cancelled our meeting for the third time and I'm fed up."):
            result = coach.ask("demo", None, message)
            assert result.tokens_out > 0  # the bundled model really wrote something
            assert result.model_text_used or result.gate_failed  # kept only through the gate
            assert not any(is_suggestion(s, strict=True) for s in split_sentences(result.reply)
                           if PERMISSION_OFFER not in s)
            assert not result.reply.lower().startswith(("i'm glad", "great", "that's great"))
    finally:
        real_services.settings.coach_model_text = "auto"


def test_real_model_never_advises_someone_who_only_vents(real_services):
    result = CoachChat(real_services).ask("demo", None, "My partner cancelled our meeting again. I'm so tired of this.")
    assert not result.asked
    offending = [s for s in split_sentences(result.reply) if PERMISSION_OFFER not in s and is_suggestion(s)]
    assert offending == []


def test_real_model_answers_from_the_pairs_contract(real_services):
    result = CoachChat(real_services).ask("demo", None, "What are Tom's goals in our contract?")
    assert any(s.kind == "contract" for s in result.sources)
    assert "SQL" in result.reply and result.act == "contract_question"


def test_cli_chat_json_offline(tmp_path, real_services):
    """The one-shot CLI answers offline with guidance sources (its wall time is measured in
    benchmarks/cli_latency.py, not asserted here: timings on shared machines are noisy)."""
    env = {**os.environ, "KICKCOACH_HOME": str(real_services.settings.home), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "kickcoach.cli.main", "chat", "-m", "How often should peer mentors meet?", "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["reply"] and data["model"] == "coach-engine" and data["latency_s"] > 0
    assert any(s["source"].endswith(".md") and s["heading"] for s in data["sources"])


@pytest.mark.xfail(strict=True, reason="known false alarm of the safety head: an ordinary setback about a manager "
                   "gets the gentle check-in (blind false alarms 4.9%); remove this mark when it is fixed")
def test_an_ordinary_setback_about_a_manager_is_not_a_safety_turn(real_services):
    result = CoachChat(real_services).ask("demo", None, "I missed the report deadline again and my manager noticed.")
    assert result.safety is None


def test_lines_said_without_a_request_never_read_as_advice_to_the_real_detector(real_services):
    """The strict detector with its learned head (warm): a bank line it reads as a suggestion is never picked when
    nobody asked, and the reply falls back to a stock question ("Of course. Go ahead, I'm listening." did)."""
    from kickcoach.bootstrap import warm
    from kickcoach.flows.coach import bank_files as banks

    warm(real_services)
    moves = banks.moves()
    lines = [*moves.invite, *moves.judgement["normal"], *moves.judgement["weighing_normal"],
             *moves.judgement["weighing_plain"], *moves.reflections["news_only"]]
    assert not [line for line in lines if is_suggestion(line, strict=True)]
    coach = CoachChat(real_services)
    real_services.storage.ensure_pair("demo", "Demo pair")
    reply = coach.ask("demo", None, "Hi, can I talk through something from this week?").reply
    assert reply in moves.invite, reply
