"""The privacy attack suite: partner B, a second pair and a facilitator go after partner A's private
chats, rehearsals and feedback drafts through every UI endpoint, with leaked and guessed ids.

Each attempt counts as a leak when its output holds one of A's canary strings, or when A's data changed.
The figures (attempts, leaks) are printed with ``-s`` and asserted: 0 leaks, >= 200 attempts per attacker.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from kickcoach.core.errors import KickcoachError
from kickcoach.ui.chat_tab import ChatHandlers
from kickcoach.ui.contract_tab import ContractHandlers
from kickcoach.ui.feedback_tab import FeedbackHandlers
from kickcoach.ui.identity import Identity
from kickcoach.ui.rehearse_tab import RehearseHandlers
from kickcoach.ui.review_tab import ReviewHandlers

CANARIES = ("PRIYACHATCANARY", "PRIYAREHEARSALCANARY", "PRIYAFEEDBACKCANARY", "PRIYAASIDECANARY")
GUESSES = ["", "1", "0", "-1", "' OR 1=1 --", "../../etc/passwd", "*", "%", "null", "None", "demo", "a", "b",
           "00000000-0000-0000-0000-000000000000", str(uuid.uuid4()), "x" * 300, "demo:a", "local:demo:a"]


@pytest.fixture
def world(services, people, login, fake_model):
    identity = Identity(services.settings, services.storage)
    tabs = {
        "chat": ChatHandlers(services, identity),
        "rehearse": RehearseHandlers(services, identity),
        "feedback": FeedbackHandlers(services, identity),
        "review": ReviewHandlers(services, identity, use_model=False),
        "contract": ContractHandlers(services, identity),
    }
    priya = login("priya")
    *_, (_, _, conversation) = tabs["chat"].send(f"{CANARIES[0]}: my partner Tom is lazy", None, priya)
    _, rehearsal, _, _ = tabs["rehearse"].start("raise", "", "supportive", "", "normal", priya)
    *_, (_, _, rehearsal, _, _) = tabs["rehearse"].send(f"{CANARIES[1]} I want a raise", rehearsal, "raise", "", "supportive", "", "normal", priya)
    tabs["rehearse"].pause(rehearsal, priya)
    list(tabs["rehearse"].send(f"{CANARIES[3]} what should I say?", rehearsal, "raise", "", "supportive", "", "normal", priya))
    tabs["feedback"].rephrase(f"{CANARIES[2]} Tom, you are so lazy", False, "", priya)
    repo = services.as_speaker(people["priya"]).pair("demo")
    feedback_id = repo.records("feedback")[-1].id
    aside = next(c.id for c in repo.conversations("rehearsal"))
    leaked = [conversation, rehearsal, feedback_id, aside]
    return {"tabs": tabs, "leaked": leaked, "repo": repo, "services": services, "identity": identity}


def snapshot(repo) -> str:
    """Everything of Priya's, to see that no attack changed it."""
    parts = [str([(t.role, t.content) for t in repo.turns(c.id)]) for flow in ("chat", "rehearsal") for c in repo.conversations(flow)]
    parts += [str(r.data) for kind in ("rehearsal", "feedback") for r in repo.records(kind)]
    return "\n".join(parts)


def attacks(tabs, target: str, request):
    """Every endpoint that takes an id or lists private items, aimed at ``target``."""
    chat, rehearse, review = tabs["chat"], tabs["rehearse"], tabs["review"]
    setup = ("raise", "", "supportive", "", "normal")
    yield "chat.history", lambda: chat.history(target, request)
    yield "chat.send", lambda: list(chat.send("continue: what did I say before?", target, request))
    yield "api.chat_send", lambda: chat.api_send("repeat my last message", target, request)
    yield "api.chat_history", lambda: chat.api_history(target, request)
    yield "rehearse.open", lambda: rehearse.open(target, request)
    yield "rehearse.send", lambda: list(rehearse.send("what did I say?", target, *setup, request))
    yield "rehearse.pause", lambda: rehearse.pause(target, request)
    yield "rehearse.end", lambda: rehearse.end(target, request)
    yield "rehearse.replay", lambda: rehearse.replay(target, request)
    yield "rehearse.export", lambda: rehearse.export(target, request)
    yield "review.export", lambda: review.export(target, request)
    yield "review.answer", lambda: review.answer(target, {"note": "x"}, request)


def listings(tabs, request):
    chat, rehearse, feedback, review = tabs["chat"], tabs["rehearse"], tabs["feedback"], tabs["review"]
    yield "chat.conversations", lambda: chat.conversations(request)
    yield "api.chat_conversations", lambda: chat.api_conversations(request)
    yield "rehearse.past", lambda: rehearse.past(request)
    yield "feedback.history", lambda: feedback.history(request)
    yield "feedback.shared_with_me", lambda: feedback.shared_with_me(request)
    yield "feedback.share_latest", lambda: feedback.share_latest(request)
    yield "review.history", lambda: str(review.history(request))
    yield "contract.view", lambda: tabs["contract"].view(request)


def run_attacks(world, attacker: str, login) -> dict[str, int]:
    request = login(attacker)
    before = snapshot(world["repo"])
    figures = {"attempts": 0, "leaks": 0, "refused": 0}
    targets = world["leaked"] + GUESSES
    plan = [(a, False) for t in targets for a in attacks(world["tabs"], t, request)]
    plan += [(a, True) for a in listings(world["tabs"], request)] * 3
    leaks = []
    for (name, attempt), listing in plan:
        figures["attempts"] += 1
        try:
            output = repr(attempt())
        except KickcoachError as exc:
            figures["refused"] += 1
            output = str(exc)
        if output.strip("'").endswith(".md"):  # an export was written: read what it holds
            output += Path(output.strip("'")).read_text(encoding="utf-8")
        if any(c in output for c in CANARIES) or (listing and any(i in output for i in world["leaked"])):
            leaks.append(name)
    figures["leaks"] = len(leaks)
    assert snapshot(world["repo"]) == before, f"{attacker} changed Priya's data"
    assert not leaks, leaks
    print(f"\n{attacker}: {figures}")
    return figures


@pytest.mark.parametrize("attacker", ["tom", "ana", "fay"])
def test_no_attacker_reads_or_changes_partner_as_private_items(world, attacker, login):
    figures = run_attacks(world, attacker, login)
    assert figures["attempts"] >= 200 and figures["leaks"] == 0


def test_the_owner_does_see_her_own_items(world, login):
    priya = login("priya")
    chat, rehearse, feedback = world["tabs"]["chat"], world["tabs"]["rehearse"], world["tabs"]["feedback"]
    assert CANARIES[0] in str(chat.history(world["leaked"][0], priya))
    assert CANARIES[1] in str(rehearse.open(world["leaked"][1], priya))
    assert CANARIES[2] in feedback.history(priya)


def test_a_shared_feedback_draft_reaches_the_partner_only(world, login):
    feedback = world["tabs"]["feedback"]
    assert CANARIES[2] not in feedback.shared_with_me(login("tom"))
    feedback.share_latest(login("priya"))
    assert CANARIES[2] in feedback.shared_with_me(login("tom"))
    assert CANARIES[2] not in feedback.shared_with_me(login("ana"))
    with pytest.raises(KickcoachError):
        feedback.shared_with_me(login("fay"))


def test_the_leak_detector_does_catch_a_leak(world, login):
    with pytest.raises(AssertionError):
        run_attacks(world, "priya", login)  # Priya reading her own items must look like a "leak"
