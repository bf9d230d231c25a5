from langchain_core.messages import AIMessage, HumanMessage

from kickcoach.core import tokens


def test_counts_offline_and_truncates():
    assert tokens.count("hello world") == 2
    long = "word " * 500
    cut = tokens.truncate(long, 10)
    assert tokens.count(cut) <= 12 and cut.endswith("…")
    assert tokens.truncate("short", 10) == "short"


def test_fit_history_keeps_most_recent_within_budget():
    history = [HumanMessage("old " * 50), AIMessage("mid " * 50), HumanMessage("new")]
    kept = tokens.fit_history(history, budget=60)
    assert [m.content for m in kept] == ["mid " * 50, "new"]
    assert tokens.fit_history(history, budget=0) == []
