"""Hostile input: YAML bombs, oversized files, bad encodings, huge or invisible-character messages."""

import time

import pytest

from kickcoach.core.errors import InputInvalid
from kickcoach.core.inputs import MAX_MESSAGE_CHARS, clean_message, strip_controls
from kickcoach.core.yamlfile import MAX_USER_YAML_BYTES, check_user_yaml, parse

BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_the_yaml_bomb_is_refused_quickly_with_its_line():
    assert len(BOMB.encode()) < 400 and "&a" in BOMB
    started = time.perf_counter()
    with pytest.raises(InputInvalid, match="anchor or alias at line 1") as caught:
        parse(BOMB, "contract")
    assert time.perf_counter() - started < 1.0 and caught.value.line == 1


def test_size_limit_boundary_and_encoding_errors():
    at_limit = "a: " + "x" * (MAX_USER_YAML_BYTES - 4) + "\n"
    assert len(at_limit.encode()) == MAX_USER_YAML_BYTES
    assert check_user_yaml(at_limit, "contract") == at_limit
    with pytest.raises(InputInvalid, match="over the 256 kB limit"):
        check_user_yaml(at_limit + "b", "contract")
    with pytest.raises(InputInvalid, match="over the 256 kB limit"):
        check_user_yaml(b"a: " + b"x" * MAX_USER_YAML_BYTES, "contract")
    with pytest.raises(InputInvalid, match=r"not UTF-8 text \(line 2\)"):
        check_user_yaml(b"a: 1\nb: \xff\n", "contract")


def test_deep_nesting_is_reported_not_crashed():
    deep = "[" * 5000 + "]" * 5000
    with pytest.raises(InputInvalid, match="nested too deeply|not valid YAML"):
        parse(deep, "contract")


def test_syntax_errors_still_name_the_line():
    with pytest.raises(InputInvalid, match="line 2"):
        parse("a: 1\n- b\n", "contract")


def test_message_cap_boundary_and_control_characters():
    assert len(clean_message("x" * MAX_MESSAGE_CHARS)) == MAX_MESSAGE_CHARS
    with pytest.raises(InputInvalid, match="limit is 4,000"):
        clean_message("x" * (MAX_MESSAGE_CHARS + 1))
    assert strip_controls("he\u200bllo\u202e\x00\x1b[31m\r\nnext\tline") == "hello[31m\nnext\tline"
    assert clean_message("  two\nlines  ") == "two\nlines"


def test_a_1mb_chat_message_gets_a_clear_error_and_stores_nothing(services):
    from kickcoach.bootstrap import prepare
    from kickcoach.flows.chat import CoachChat

    prepare(services)
    with pytest.raises(InputInvalid, match="characters long"):
        CoachChat(services).ask("demo", None, "x" * 1_000_000)
    assert services.pair("demo").conversations() == []


def test_a_1mb_rehearsal_line_is_refused_and_not_stored(services):
    from kickcoach.bootstrap import prepare
    from kickcoach.flows.rehearsal import RehearsalFlow

    prepare(services)
    flow = RehearsalFlow(services)
    step = flow.start("demo", "raise", "supportive")
    with pytest.raises(InputInvalid, match="characters long"):
        flow.say("demo", step.rehearsal.id, "x" * 1_000_000)
    assert len(flow.get("demo", step.rehearsal.id).transcript) == 1  # only the boss's opening


@pytest.mark.parametrize("empty", ["", "   ", "\n\t ", "\u200b", "\u200b\u200c\u200d\ufeff", " \u200b \u2060 \x00"])
def test_an_empty_or_invisible_chat_message_is_refused_and_stores_nothing(services, empty):
    from kickcoach.bootstrap import prepare
    from kickcoach.core.inputs import clean_nonempty_message
    from kickcoach.flows.chat import CoachChat
    from kickcoach.ui.chat_tab import ChatHandlers
    from kickcoach.ui.identity import Identity

    with pytest.raises(InputInvalid, match="message is empty"):
        clean_nonempty_message(empty)
    prepare(services)
    with pytest.raises(InputInvalid, match="message is empty"):
        CoachChat(services).ask("demo", None, empty)
    handlers = ChatHandlers(services, Identity(services.settings, services.storage))
    shown, box, conversation = list(handlers.send(empty, None, None))[-1]
    assert "Your message is empty" in shown[-1]["content"] and box == "" and conversation is None
    assert handlers.api_send(empty, None, None)["error"].startswith("The message is empty")
    assert services.pair("demo").conversations() == []


def test_the_data_folder_is_0700_and_the_database_file_0600(tmp_path):
    import stat

    from kickcoach.core.config import Settings
    from kickcoach.storage import Storage

    home = tmp_path / "new-home"
    settings = Settings(backend="fake", embeddings="hashing", home=home, _env_file=None)
    settings.ensure_home()
    storage = Storage(settings.db_url)
    storage.engine.dispose()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "kickcoach.db").stat().st_mode) == 0o600
    old = tmp_path / "old-home"  # as an older kickcoach left it
    old.mkdir(mode=0o755)
    old.chmod(0o755)
    (old / "kickcoach.db").touch(mode=0o644)
    (old / "kickcoach.db").chmod(0o644)
    older = Settings(backend="fake", embeddings="hashing", home=old, _env_file=None)
    older.ensure_home()
    Storage(older.db_url).engine.dispose()
    assert stat.S_IMODE(old.stat().st_mode) == 0o700
    assert stat.S_IMODE((old / "kickcoach.db").stat().st_mode) == 0o600
