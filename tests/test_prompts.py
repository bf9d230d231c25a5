import pytest

from kickcoach import prompts
from kickcoach.errors import ConfigError


def test_chat_prompt_renders_with_history_and_has_version():
    from langchain_core.messages import AIMessage, HumanMessage

    prompt = prompts.load("coach/chat")
    assert prompt.id == "coach/chat@v1"
    messages = prompt.render(mode="MODE", sources="SRC", history=[HumanMessage("hi"), AIMessage("hello")], message="Q?")
    assert [m.type for m in messages] == ["system", "human", "ai", "human"]
    assert "MODE" in messages[0].content and "SRC" in messages[0].content
    assert messages[-1].content == "Q?"


def test_missing_variable_is_an_error_naming_it():
    with pytest.raises(ConfigError, match="message"):
        prompts.load("coach/chat").render(mode="m", sources="s", history=[])


def test_unknown_prompt_names_the_file_to_add(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.v1\.yaml"):
        prompts.load("coach/nope", directory=tmp_path)


def test_highest_version_wins(tmp_path):
    (tmp_path / "x").mkdir()
    for v in (1, 2):
        (tmp_path / "x" / f"p.v{v}.yaml").write_text(f"messages:\n  - role: user\n    content: 'v{v} {{a}}'\n")
    assert prompts.load("x/p", directory=tmp_path).version == 2
    assert prompts.load("x/p", version=1, directory=tmp_path).render(a="z")[0].content == "v1 z"
