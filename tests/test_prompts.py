import pytest

from kickcoach.core import prompts
from kickcoach.core.errors import ConfigError


def test_reword_prompt_renders_with_history_and_has_version():
    from langchain_core.messages import AIMessage, HumanMessage

    prompt = prompts.load("coach/reword")
    assert prompt.id == "coach/reword@v1"
    messages = prompt.render(moves="MOVES", permission="P", max_sentences="3", valence="V", draft="D",
                             history=[HumanMessage("hi"), AIMessage("hello")], message="Q?")
    assert [m.type for m in messages] == ["system", "human", "ai", "human"]
    assert "MOVES" in messages[0].content and "V" in messages[0].content
    assert "The person said: Q?" in messages[-1].content


def test_missing_variable_is_an_error_naming_it():
    with pytest.raises(ConfigError, match="message"):
        prompts.load("coach/reword").render(moves="m", permission="p", max_sentences="3", valence="v", draft="d",
                                            history=[])


def test_unknown_prompt_names_the_file_to_add(tmp_path):
    with pytest.raises(ConfigError, match=r"nope\.v1\.yaml"):
        prompts.load("coach/nope", directory=tmp_path)


def test_highest_version_wins(tmp_path):
    (tmp_path / "x").mkdir()
    for v in (1, 2):
        (tmp_path / "x" / f"p.v{v}.yaml").write_text(f"messages:\n  - role: user\n    content: 'v{v} {{a}}'\n")
    assert prompts.load("x/p", directory=tmp_path).version == 2
    assert prompts.load("x/p", version=1, directory=tmp_path).render(a="z")[0].content == "v1 z"
