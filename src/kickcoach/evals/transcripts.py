"""Run scripted conversations through the real chat pipeline and write the transcripts for a reader.

A set is YAML ``conversations: [{id, speaker: a|b, voice?, turns: [person's messages]}]``; the coach's replies are
generated live (demo pair, the embedded default). The transcripts go to a reader who did not write the code: they
judge every reply against the definitions in ``evals/judging.md``; the engine's own labels are not shown to them.

    python scripts/run_transcripts.py evals/blind/coach_conversations.yaml --out evals/report/transcripts.md
"""

from __future__ import annotations

from typing import Any

from kickcoach.flows.chat import CoachChat


def run(conversations: list[dict[str, Any]], chat: CoachChat, pair_id: str = "demo") -> list[dict[str, Any]]:
    """Each conversation with its exchanges: [{"person": …, "coach": …}]; the engine's record kept aside."""
    out = []
    for conversation in conversations:
        conversation_id: str | None = None
        exchanges = []
        for message in conversation["turns"]:
            result = chat.ask(pair_id, conversation_id, message, speaker=conversation.get("speaker", "a"))
            conversation_id = result.conversation_id
            exchanges.append({"person": message, "coach": result.reply, "act": result.act, "topic": result.topic,
                              "asked": result.asked, "moves": result.moves, "safety": result.safety})
        out.append({"id": conversation["id"], "voice": conversation.get("voice", ""), "exchanges": exchanges})
    return out


def markdown(transcripts: list[dict[str, Any]], *, labels: bool = False) -> str:
    """The transcripts as a reader sees them (``labels`` adds the engine's own reading, for developers only)."""
    lines = []
    for t in transcripts:
        lines += [f"## Conversation {t['id']}", ""]
        for n, ex in enumerate(t["exchanges"], 1):
            lines += [f"**[{t['id']}.{n}] Person:** {ex['person']}", "", f"**Coach:** {ex['coach']}", ""]
            if labels:
                lines += [f"*engine: act={ex['act']} topic={ex['topic']} asked={ex['asked']} moves={ex['moves']} "
                          f"safety={ex['safety']}*", ""]
    return "\n".join(lines)
