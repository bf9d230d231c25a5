"""The coach eval: held-out labelled turns (understanding) and multi-turn conversations (the whole chat turn).

Understanding (``evals/cases/coach/turns.yaml``): act, topic, valence and "did they ask" against labels
written by someone who never saw the training examples; answers to an offer are judged after an offer.

Conversations (``evals/cases/coach/conversations.yaml``), each turn through the real chat pipeline, coded
MITI-style from the reply itself plus the engine's per-sentence codes:
- reflections (simple SR, complex CR) and questions (every sentence ending in "?", offers included);
- persuasion without permission: a sentence of an unasked reply that the guard's strict detector calls a
  suggestion (the permission offer aside), with the regex baseline as a second opinion;
- asked turns: at least two concrete suggestions, each from a guidance section serving an expected topic;
- every substantive unasked turn reflects; no junk (markup, invented numbers or names, runaway length);
  no cheerful opener to bad news; no sentence repeated within a conversation; contract facts present.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from tqdm import tqdm

from kickcoach import guard
from kickcoach.contracts.service import DEMO_PAIR, ensure_demo, load_contract
from kickcoach.core.paths import bundled
from kickcoach.core.person import local_owner
from kickcoach.evals.report import CaseResult, FlowReport
from kickcoach.flows.chat import CoachChat
from kickcoach.flows.coach.understand import is_cheerful, understand
from kickcoach.guard.baseline import regex_advice

if TYPE_CHECKING:
    from kickcoach.services import Services

MAX_PROSE_SENTENCES = 4
MAX_WORDS = 120
_MARKUP = re.compile(r"<[^>]{1,80}>|\*\*|^#{1,6}\s|```|\{[a-z_]+\}", re.MULTILINE)
_CITATION = re.compile(r"\(([\w.-]+\.md) › [^)]*\)")
NO_REFLECTION_NEEDED = frozenset({"greeting", "closing", "off_topic"})


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((bundled("evals") / "cases" / "coach" / name).read_text(encoding="utf-8")) or {}


def _file_topics() -> dict[str, tuple[str, ...]]:
    from kickcoach.flows.coach.ideas import _file_topics as topics_of

    return {p.name: topics_of(p) for p in Path(bundled("knowledge")).glob("*.md")}


def understanding_report(services: Services) -> dict[str, float]:
    turns = _load("turns.yaml").get("turns", [])
    offer = [{"role": "user", "content": "It's been a hard week."}, {"role": "assistant", "content": guard.PERMISSION_OFFER}]
    right = {"act": 0, "topic": 0, "valence": 0, "asked": 0}
    for case in turns:
        history = offer if case.get("after_offer") else []
        u = understand(history, case["text"], services.turn_classifier, partner="Tom")
        right["act"] += u.act == case["act"]
        right["topic"] += u.topic == case["topic"] or u.topic in case.get("alt_topics", [])
        right["valence"] += u.valence == case["valence"]
        right["asked"] += u.asked == case["asked"]
    n = max(1, len(turns))
    return {f"understanding: {k} accuracy ({len(turns)} held-out turns)": v / n for k, v in right.items()}


def _prose(reply: str) -> list[str]:
    text = "\n".join(line for line in reply.splitlines() if not line.startswith("- "))
    return [s.strip() for s in guard.split_sentences(text) if s.strip()]


def _known(services: Services, contract_text: str, sources: list[str], message: str) -> tuple[set[str], set[str]]:
    months = "January February March April May June July August September October November December"
    joined = " ".join([contract_text, message, months, *sources])
    return set(re.findall(r"\b\d+(?:[.:]\d+)?\b", joined)), {w.lower() for w in re.findall(r"[A-Za-z]+", joined)}


def run(services: Services, *, progress: bool = False) -> FlowReport:
    ensure_demo(services)
    contract = load_contract(services, DEMO_PAIR)
    contract_text = yaml.safe_dump(contract.model_dump(mode="json")) if contract else ""
    knowledge_text = " ".join(p.read_text(encoding="utf-8") for p in Path(bundled("knowledge")).glob("*.md"))
    topics_of = _file_topics()
    coach = CoachChat(services)
    started = time.perf_counter()
    results: list[CaseResult] = []
    totals = {"R": 0, "CR": 0, "Q": 0, "advice": 0, "unasked": 0, "asked": 0, "helpful": 0, "reflected": 0,
              "need_reflection": 0, "junk": 0, "cheerful": 0, "repeats": 0, "turns": 0, "act": 0, "topic": 0,
              "asked_right": 0, "mentions": 0, "mention_turns": 0, "regex_flags": 0, "model_used": 0, "model_tried": 0, "facts": 0}
    latencies: list[float] = []
    transcripts: list[str] = []
    for conv in tqdm(_load("conversations.yaml").get("conversations", []), desc="coach", unit="conv",
                     disable=not progress):
        speaker = conv.get("speaker", "a")
        repo = services.storage.for_person(local_owner(DEMO_PAIR, speaker), DEMO_PAIR)
        cid = repo.new_conversation("eval", title=conv["id"])
        said: set[str] = set()
        heard: list[str] = []
        failures: list[str] = []
        lines = [f"### {conv['id']}"]
        for turn in conv["turns"]:
            expect = turn["expect"]
            last = repo.turns(cid)[-1:] if repo.turns(cid) else []
            if turn.get("after_offer") and not (last and guard.is_offer(last[0].content)):
                repo.add_turn(cid, "assistant", guard.PERMISSION_OFFER,
                              engine_state={"coach": {"moves": ["offer"], "topic": expect.get("topic")}})
            result = coach.ask(DEMO_PAIR, cid, turn["user"], speaker=speaker)
            latencies.append(result.latency_s)
            reply = result.reply
            totals["model_used"] += result.model_text_used
            totals["model_tried"] += result.model_text_used or bool(result.gate_failed)
            lines += [f"- **{'Tom' if speaker == 'b' else 'Priya'}:** {turn['user']}",
                      f"- **Coach** ({result.act}/{result.topic}, {' '.join(result.codes)}): {reply}"]
            totals["turns"] += 1
            totals["act"] += result.act == expect["act"]
            totals["topic"] += result.topic == expect["topic"] or result.topic in expect.get("alt_topics", [])
            totals["asked_right"] += result.asked == expect["asked"]
            reflections = sum(c in ("SR", "CR") for c in result.codes)
            totals["R"] += reflections
            totals["CR"] += result.codes.count("CR")
            totals["Q"] += sum(s.endswith("?") for s in _prose(reply))
            # bullets (suggestions, listed facts) are judged whole, with their citation; prose by sentence
            sentences = _prose(reply) + [line[2:].strip() for line in reply.splitlines() if line.startswith("- ")]
            if not result.asked:
                totals["unasked"] += 1
                judged = [s for s in sentences if not guard.is_offer(s) and not any(s in f for f in result.facts)]
                totals["facts"] += len(sentences) - len(judged)
                advice = [s for s in judged if guard.is_suggestion(s, strict=True)]
                totals["advice"] += bool(advice)
                totals["regex_flags"] += any(regex_advice(s) for s in judged)
                if advice:
                    failures.append(f"advice unasked: {advice[0]}")
                if expect["act"] not in NO_REFLECTION_NEEDED:
                    totals["need_reflection"] += 1
                    totals["reflected"] += reflections > 0
                    if not reflections:
                        failures.append(f"no reflection: {turn['user'][:40]}")
            if expect["asked"]:
                totals["asked"] += 1
                wanted = set(expect.get("suggestion_topics") or [expect["topic"]])
                cited = [m for m in _CITATION.findall(reply) if set(topics_of.get(m, ())) & wanted]
                on_topic = sum(1 for line in reply.splitlines()
                               if line.startswith("- ") and (m := _CITATION.search(line)) and m.group(1) in cited)
                totals["helpful"] += on_topic >= 2
                if on_topic < 2:
                    failures.append(f"asked, {on_topic} on-topic suggestions: {turn['user'][:40]} "
                                    f"(topic {result.topic}, wanted {sorted(wanted)}, cited {_CITATION.findall(reply)})")
            heard.append(turn["user"])
            numbers, words = _known(services, contract_text, [knowledge_text], " ".join(heard))
            prose = _prose(reply)
            invented = [n for n in re.findall(r"\b\d+(?:[.:]\d+)?\b", reply) if n not in numbers]
            invented += [w for w in re.findall(r"(?<![.!?:]\s)(?<!^)\b[A-Z][a-z]{2,}\b", reply) if w.lower() not in words]
            junk = bool(_MARKUP.search(reply)) or bool(invented) or len(prose) > MAX_PROSE_SENTENCES + 1 \
                or len(" ".join(prose).split()) > MAX_WORDS
            totals["junk"] += junk
            if junk:
                failures.append(f"junk: {invented[:3]} {reply[:60]}")
            if expect.get("valence") == "negative" and prose and is_cheerful(prose[0]):
                totals["cheerful"] += 1
                failures.append(f"cheerful to bad news: {prose[0]}")
            repeated = [s for s in sentences if s in said and not guard.is_offer(s)]
            totals["repeats"] += len(repeated)
            if repeated:
                failures.append(f"repeated: {repeated[0][:80]}")
            said.update(sentences)
            if expect.get("must_mention"):
                totals["mention_turns"] += 1
                ok = all(w.lower() in reply.lower() for w in expect["must_mention"])
                totals["mentions"] += ok
                if not ok:
                    failures.append(f"missing {expect['must_mention']}")
        transcripts.append("\n".join(lines))
        results.append(CaseResult(id=conv["id"], category="hard" if conv.get("hard") else "regular",
                                  passed=not failures, checks={"clean": not failures},
                                  detail={"failures": failures}))
    report = FlowReport(flow="coach", backend=services.settings.backend, cases=results,
                        seconds=time.perf_counter() - started)
    t = totals
    report.metrics = {
        **understanding_report(services),
        "conversation turns: act accuracy": t["act"] / max(1, t["turns"]),
        "conversation turns: topic accuracy": t["topic"] / max(1, t["turns"]),
        "conversation turns: asked accuracy": t["asked_right"] / max(1, t["turns"]),
        "unasked turns with advice (persuasion without permission)": t["advice"] / max(1, t["unasked"]),
        "unasked turns the regex baseline flags (second opinion)": t["regex_flags"] / max(1, t["unasked"]),
        "asked turns with >= 2 on-topic suggestions": t["helpful"] / max(1, t["asked"]),
        "complex reflections share (MITI good >= 50%)": t["CR"] / max(1, t["R"]),
        "substantive unasked turns that reflect": t["reflected"] / max(1, t["need_reflection"]),
        "turns with junk (markup, invented facts, runaway length)": t["junk"] / max(1, t["turns"]),
        "bad news met with a cheerful opener": t["cheerful"] / max(1, t["turns"]),
        "contract answers with the expected facts": t["mentions"] / max(1, t["mention_turns"]),
    }
    report.figures = {
        "conversations / turns": f"{len(results)} / {t['turns']}",
        "reflection-to-question ratio (MITI good >= 2:1)": f"{t['R'] / max(1, t['Q']):.2f} : 1 ({t['R']} R, {t['Q']} Q)",
        "repeated sentences within a conversation": str(t["repeats"]),
        "information quoted in unasked turns (contract facts, guidance answering their question; not judged as advice)":
            str(t["facts"]),
        "turn latency p50 / p95 (s)": f"{statistics.median(latencies):.3f} / {sorted(latencies)[int(0.95 * (len(latencies) - 1))]:.3f}"
        if latencies else "–",
        "model wording kept / tried (quality gate)": f"{t['model_used']} / {t['model_tried']}",
    }
    report.appendix = "\n\n".join(transcripts)
    return report
