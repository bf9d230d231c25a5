"""No sentence reused within a conversation, closing summaries included (issue 18: a blind reader found 12% of
replies repeating the coach, mostly closing summaries that re-listed earlier reflections). Every scripted
conversation of the tuning sets runs through the engine (hashing vectors, demo pair, no retrieval)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kickcoach import guard
from kickcoach.contracts.files import demo_contract
from kickcoach.flows.coach import bank_files as banks
from kickcoach.flows.coach.classifier import TurnClassifier
from kickcoach.flows.coach.engine import CoachEngine
from kickcoach.flows.coach.said import tidy_clause
from kickcoach.knowledge.embeddings import HashingEmbeddings

ROOT = Path(__file__).resolve().parents[3]
SETS = [ROOT / "evals" / "tuning" / "coach_conversations.yaml", ROOT / "evals" / "cases" / "coach" / "conversations.yaml"]
RUN = 6  # words: a sentence sharing this many in a row with an earlier reply re-says it
# a two-sided reflection may bring back what they said before ("…, and at the same time …"): that is its point
TWO_SIDES = [re.compile("^" + banks.SLOT.sub(".+", re.escape(t).replace(r"\{", "{").replace(r"\}", "}")) + "$")
             for t in banks.moves().reflections["sides"]]


def _conversations() -> list[tuple[str, list[str]]]:
    out = []
    for path in SETS:
        for c in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            turns = [t if isinstance(t, str) else t["user"] for t in c["turns"]]
            out.append((f"{path.stem}:{c['id']}", turns))
    return out


@pytest.fixture(scope="module")
def engine() -> CoachEngine:
    return CoachEngine(TurnClassifier(HashingEmbeddings()))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def _own_sentences(reply: str) -> list[str]:
    """The coach's own sentences: not the quoted idea bullets (never repeated, tested apart) nor the offer."""
    body = "\n".join(line for line in reply.splitlines() if not line.startswith("- "))
    return [s.strip() for s in guard.split_sentences(body) if s.strip() and not guard.is_offer(s)]


@pytest.mark.parametrize(("name", "turns"), _conversations(), ids=[n for n, _ in _conversations()])
def test_no_sentence_or_run_of_words_is_said_twice_in_a_conversation(engine, name, turns):
    history: list[dict] = []
    said: list[str] = []
    openings: list[str] = []
    for message in turns:
        reply = engine.reply(history, message, contract=demo_contract(), speaker="a", sources=[])
        history += [{"role": "user", "content": message},
                    {"role": "assistant", "content": reply.text, "coach": reply.record}]
        if reply.understanding.act == "contract_question":
            continue  # the pair's own agreed words, quoted on request
        earlier = {tuple(w[i:i + RUN]) for s in said for w in [_words(s)] for i in range(len(w) - RUN + 1)}
        for sentence in _own_sentences(reply.text):
            assert sentence not in said, (message, sentence)
            w = _words(sentence)
            if not any(p.match(sentence) for p in TWO_SIDES):
                assert not any(tuple(w[i:i + RUN]) in earlier for i in range(len(w) - RUN + 1)), (message, sentence)
        said += _own_sentences(reply.text)
        openings.append(" ".join(_words(reply.text)[:3]))
    assert len(set(openings)) == len(openings), openings


@pytest.mark.parametrize(("clause", "tidy"), [
    ("sooo you failed the aws practice exam again lol", "you failed the aws practice exam again"),
    ("you hate selling, feels fake", "you hate selling"),
    ("it wasn't a great lesson, if you're honest", "it wasn't a great lesson"),
    ("you're not sure you'll have it", ""),  # what "it" is, they said elsewhere: no reflection beats a wrong one
    ("you can never say no to her", "you can never say no to her"),  # negation kept
    ("when you get home, you crash", "when you get home, you crash"),  # a subordinate clause is not cut off
])
def test_a_gist_is_tidied_before_it_is_reflected(clause, tidy):
    assert tidy_clause(clause) == tidy
