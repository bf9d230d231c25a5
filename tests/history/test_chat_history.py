"""The coach answers from the pair's history through the real chat turn (cited), and opens a new week's
conversation with one open commitment, as a question, once; "not now" is respected."""

from __future__ import annotations

from kickcoach import guard
from kickcoach.flows.chat import CoachChat
from kickcoach.flows.coach.history_bank import bank, topic
from tests.history.conftest import TODAY


def test_commitment_answers_are_the_recorded_facts_with_the_review_cited(scripted):
    services, _ = scripted
    chat = CoachChat(services)
    mine = chat.ask("demo", None, "What did I commit to in our last review?", speaker="a")
    assert "Run the full talk once without notes" in mine.reply and "Save three queries" not in mine.reply
    assert "“Send the second article draft to Tom”: not done." in mine.reply  # marked at the latest review
    assert mine.moves == ["answer_history"] and any(s.id.startswith("review:") for s in mine.sources)
    his = chat.ask("demo", None, "What did Tom commit to?", speaker="a")
    assert "Save three queries in the team's query library" in his.reply and "Run the full talk" not in his.reply


def test_progress_next_meeting_and_due_are_answered_with_dates_and_numbers(scripted):
    services, _ = scripted
    chat = CoachChat(services)
    progress = chat.ask("demo", None, "How am I doing on my presentation goal?", speaker="a")
    assert "1.5 of 4" in progress.reply and "behind" in progress.reply and "1 → 1.5 → 1.5" in progress.reply
    assert {"contract:goal:a.g1"} <= {s.id for s in progress.sources}
    meeting = chat.ask("demo", None, "When is our next meeting?", speaker="b")
    assert "Friday 11 December 2026" in meeting.reply and "moved from Thursday 10 December" in meeting.reply
    inside = chat.ask("demo", None, "Other topic. Priya has cancelled on me twice. When do we meet next? I want to "
                                    "confirm it.", speaker="b")  # the question inside a longer message
    assert "Friday 11 December 2026" in inside.reply and inside.moves == ["answer_history"]
    due = chat.ask("demo", None, "What is due?", speaker="b")
    assert "Build a first draft of the Looker dashboard" in due.reply and "Run the full talk" not in due.reply


def test_a_new_weeks_greeting_raises_one_open_commitment_once_never_as_advice(scripted):
    services, _ = scripted
    chat = CoachChat(services)
    first = chat.ask("demo", None, "Hi", speaker="a")
    assert "raise_commitment" in first.moves and first.reply.endswith("?")
    assert "Run the full talk once without notes" in first.reply
    assert guard.filter_text(first.reply, asked=False, user_message="Hi")[1].removed == []
    later = chat.ask("demo", first.conversation_id, "It went fine.", speaker="a")
    assert "raise_commitment" not in later.moves
    another = chat.ask("demo", None, "Hello again", speaker="a")  # same week, new conversation: not again
    assert "raise_commitment" not in another.moves


def test_not_now_is_respected(scripted):
    services, _ = scripted
    chat = CoachChat(services)
    first = chat.ask("demo", None, "Good morning", speaker="b")
    assert "raise_commitment" in first.moves
    answer = chat.ask("demo", first.conversation_id, "Not now, thanks", speaker="b")
    assert answer.reply.startswith(bank().opening["not_now"])
    follow = chat.ask("demo", first.conversation_id, "ok", speaker="b")
    assert "raise_commitment" not in follow.moves and "Save three queries" not in follow.reply


def test_questions_in_other_voices_are_answered_and_requests_for_ideas_are_not(scripted):
    services, _ = scripted
    chat = CoachChat(services)
    reminders = chat.ask("demo", None, "Any reminders for me?", speaker="b")  # heard as a request, asks for the list
    assert reminders.moves == ["answer_history"] and "Build a first draft of the Looker dashboard" in reminders.reply
    typed = chat.ask("demo", None, "wat did tom say hed do", speaker="a")
    assert typed.moves == ["answer_history"] and "Save three queries in the team's query library" in typed.reply
    ideas = chat.ask("demo", None, "I missed the deadline again. What should I do now?", speaker="b")
    assert "answer_history" not in ideas.moves


class _Head:
    """A history head that names one topic for one text (the wiring, not the learning, is under test here)."""

    def __init__(self, text: str, topic: str) -> None:
        self.text, self.named, self.asked_for = text, topic, []

    def topic(self, text: str) -> str | None:
        self.asked_for.append(text)
        return self.named if text == self.text else None


def test_a_question_the_patterns_miss_is_answered_when_the_head_names_it(scripted):
    from kickcoach.flows.coach.history_turn import from_history

    services, data = scripted
    chat = CoachChat(services)
    question = "toms list from the last sync?"
    assert topic(question) is None  # no bank pattern names it
    repo = services.pair("demo")
    engine = chat.engine
    u, state = engine.understand([], question, contract=None, speaker="a")
    drafted = engine.compose(u, state, engine.decide(u, state, question), message=question, contract=None, speaker="a",
                             sources=[])
    head = _Head(question, "commitments")
    answered = from_history(repo, None, question, [{"role": "user", "text": "hi"}] * 5, drafted, TODAY, head=head)
    assert answered.moves == ["answer_history"] and "Save three queries in the team's query library" in answered.text
    request = "Any ideas for how I keep Tom on board?"
    assert topic(request) is None
    u, state = engine.understand([], request, contract=None, speaker="a")
    assert u.asked
    drafted = engine.compose(u, state, engine.decide(u, state, request), message=request, contract=None, speaker="a",
                             sources=[])
    head = _Head(request, "commitments")
    kept = from_history(repo, None, request, [{"role": "user", "text": "hi"}] * 5, drafted, TODAY, head=head)
    assert "answer_history" not in kept.moves and head.asked_for == []  # a request for ideas never reaches the head


def test_a_goodbye_that_names_next_week_is_not_a_question_about_the_next_meeting(scripted):
    services, _ = scripted
    chat = CoachChat(services)
    first = chat.ask("demo", None, "I had a good week.", speaker="a")
    bye = chat.ask("demo", first.conversation_id, "ok thanks. see you next week", speaker="a")
    assert "answer_history" not in bye.moves and bye.act == "closing", bye.reply
