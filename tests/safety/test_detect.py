"""The safety check's rules, its learned head's decision logic, and the help reply (no encoder needed)."""

from __future__ import annotations

import numpy as np
import pytest

from kickcoach.core.errors import ConfigError
from kickcoach.safety import check, help_reply, notice_for
from kickcoach.safety.detect import normalise
from kickcoach.safety.head import HeadWeights, SafetyHead
from kickcoach.safety.reply import default_contacts, load_contacts

PLAIN_RISK = {
    "suicide_selfharm": [
        "i dont want to be alive anymore",
        "Honestly I think everyone would be better off without me.",
        "I've been cutting myself again since the review.",
        "My mentee told me she's thinking about ending her life.",
    ],
    "harm_to_others": ["If he humiliates me once more I'm going to break his jaw, I swear."],
    "abuse_or_violence": ["My husband pushed me against the wall last night and I'm scared to go home."],
    "harassment_at_work": [
        "My boss keeps commenting on my body in meetings.",
        "the director said i'd get the promotion if i slept with him",
    ],
    "discrimination": ["Since I told them I was pregnant I've been taken off every client project.",
                       # remarks aimed at who they are, without a rule word (release 3, sixth session)
                       "In the retro Dave put on my accent to read out my comments.",
                       "my lead says my slides are good for someone from abroad",
                       "The client joked about whether my wife lets me stay late.",
                       "He makes remarks about 'you people' whenever I speak up in the stand-up."],
    "medical_emergency": ["My colleague just collapsed and he's not breathing, what do I do",
                          "the forklift battery is smoking and there are people right next to it",
                          "I can smell gas in the kitchen at work and nobody is doing anything",
                          "smoke is pouring out of the server room"],
    "legal_emergency": ["My manager is pressuring me to falsify the audit numbers before Friday."],
}

ORDINARY = [
    "I was fired last week and I am smoking again",
    "this project is a dumpster fire",
    "the printer is on fire today, printed 300 pages no jams",
    "This deadline is killing me.",
    "I could murder a coffee right now.",
    "I'm dying to get this article finished.",
    "My boss will kill me if the deck is late again.",
    "I nearly died of embarrassment when the demo crashed.",
    "I absolutely killed it in the pitch today!",
    "I'm running the anti-harassment training next week, any tips on the opening?",
    "I'd never hurt myself, I'm just exhausted by this quarter.",
    "Tom cancelled our Thursday session again and I'm fed up.",
    "I cried after my review, it was a rough day.",
    "This migration is a suicide mission and I volunteered for it.",
    "I'm building an overdose statistics dashboard for the health team.",
    "I did an impression of my old boss at the leaving party and everyone laughed.",
    "Can you play Tom doing an impression of a tough client?",
]


@pytest.mark.parametrize(("category", "text"), [(c, t) for c, texts in PLAIN_RISK.items() for t in texts])
def test_plain_risk_is_heard_in_its_category(category: str, text: str) -> None:
    verdict = check(text)
    assert verdict.flagged and verdict.category == category and verdict.source == "rule", verdict


@pytest.mark.parametrize("text", ORDINARY)
def test_venting_idioms_denials_and_topics_are_not_alarms(text: str) -> None:
    assert not check(text).flagged, check(text)


def test_risk_after_ordinary_talk_is_still_heard() -> None:
    text = "Quick one about my OKRs. Also, I keep thinking I won't be around to see them finished."
    assert check(text).category == "suicide_selfharm"


def test_text_speak_is_normalised() -> None:
    assert normalise("Im   SO done, i cant  do this, wanna quit") == "i'm so done, i can't do this, want to quit"


def test_empty_text_is_no_verdict() -> None:
    assert not check("").flagged and not check("   ").flagged and not check(None).flagged


class _OneHot:
    """A fake encoder: texts containing 'lantern' point at the risk class, the rest at ordinary."""

    def __init__(self) -> None:
        self.seen: list[list[str]] = []

    def encode(self, sentences: list[str]) -> np.ndarray:
        self.seen.append(list(sentences))
        return np.asarray([[1.0, 0.0] if "lantern" in s else [0.0, 1.0] for s in sentences], dtype=np.float32)


def _weights(threshold: float) -> HeadWeights:
    coef = np.asarray([[4.0, -4.0], [-4.0, 4.0]], dtype=np.float32)  # classes: suicide_selfharm, ordinary
    return HeadWeights(("suicide_selfharm", "ordinary"), coef, np.zeros(2, dtype=np.float32), threshold, "test")


def test_head_flags_above_its_threshold_and_only_when_rules_are_silent() -> None:
    encoder = _OneHot()
    head = SafetyHead(encoder, _weights(0.9))
    verdict = check("The lantern sentence. Another one.", head)
    assert encoder.seen[-1] == ["the lantern sentence. another one."]  # the message whole
    assert verdict.flagged and verdict.source == "head" and verdict.category == "suicide_selfharm"
    assert verdict.score > 0.99 and not verdict.certain  # the head alone, however sure: the gentle check-in
    assert not check("nothing to see here", head).flagged
    assert not check("The lantern sentence.", SafetyHead(encoder, _weights(0.99999999))).flagged
    calls = len(encoder.seen)
    assert check("I want to kill myself", head).source == "rule" and len(encoder.seen) == calls  # rules first


def test_head_does_not_see_blanked_idioms() -> None:
    encoder = _OneHot()
    head = SafetyHead(encoder, _weights(0.5))
    check("This deadline is killing me", head)
    assert encoder.seen == []  # nothing left to read: the head does not run
    check("This deadline is killing me and I'm tired", head)
    assert encoder.seen[-1] == ["and i'm tired"]


def test_help_reply_hears_says_beyond_us_points_to_help_and_stays() -> None:
    text = help_reply("suicide_selfharm")
    contacts = default_contacts()
    assert "ending their life" in text and "more than a peer-mentoring coach" in text
    assert contacts.crisis_line in text and contacts.emergency in text and "112" in text
    assert text.rstrip().endswith("Nothing you write to me here is shared with your partner.")
    assert help_reply("suicide_selfharm", private=False).rstrip().endswith("if you'd like to.")
    harassment = help_reply("harassment_at_work")
    assert contacts.hr in harassment and contacts.crisis_line not in harassment


def test_an_unsure_flag_checks_in_gently_with_the_same_real_help() -> None:
    text = help_reply("harassment_at_work", certain=False)
    assert text.startswith("I want to make sure I've understood you.") and "If I've misread you" in text
    assert default_contacts().crisis_line in text and default_contacts().emergency in text
    assert "Nobody should have to put up with that" not in text
    assert check("I want to kill myself").certain  # a rule is always sure


def test_the_programme_configures_its_contacts(tmp_path) -> None:
    path = tmp_path / "help.yaml"
    path.write_text("eap: 'Acme EAP: 0800 123 456, 24/7'\nemergency: 'Call 112.'\n")
    contacts = load_contacts(path)
    text = help_reply("suicide_selfharm", contacts)
    assert "Acme EAP: 0800 123 456, 24/7" in text and "Call 112." in text
    assert contacts.hr == default_contacts().hr
    path.write_text("hotline: '123'\n")
    with pytest.raises(ConfigError, match="unknown keys: hotline"):
        load_contacts(path)


def test_notice_records_what_decided_it_but_not_for_display() -> None:
    notice = notice_for(check("I keep thinking about killing myself"))
    assert notice is not None and notice.category == "suicide_selfharm"
    assert notice.record()["matched"] and notice.record()["signals"] >= 1 and notice.matched not in notice.text
    assert notice_for(check("All good here")) is None


@pytest.mark.parametrize("text", [
    "Everyone would probably be better off if I just wasn't around.",
    "I honestly just don't want to be here anymore.",
])
def test_a_hedge_inside_the_sentence_does_not_hide_it(text: str) -> None:
    verdict = check(text)  # the rules alone, certain
    assert verdict.flagged and verdict.source == "rule" and verdict.certain, text


def test_cutting_in_work_talk_is_blanked_but_never_cutting_oneself() -> None:
    from kickcoach.safety.detect import _blanked, _signals

    _, blank, _ = _signals()
    for text in ("i need to cut three slides", "any ideas for what to cut from the talk?", "cut the intro down"):
        assert "cut" not in _blanked(normalise(text), blank), text
    for text in ("i cut myself again last night", "i cut again after the review", "started cutting my arms again"):
        assert "cut" in _blanked(normalise(text), blank), text


def test_courtesies_are_blanked_before_the_head_reads_them() -> None:
    from kickcoach.safety.detect import _blanked, _signals

    _, blank, _ = _signals()
    for text in ("I appreciate the clarification.", "thanks so much for explaining", "Okay, that helps."):
        assert not _blanked(normalise(text), blank).strip(" .,!"), text
    assert "appreciate" in _blanked(normalise("I appreciate it but I don't want to be here any more"), blank)
