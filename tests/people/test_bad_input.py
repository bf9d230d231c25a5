"""Hostile input: YAML bombs, oversized files, bad encodings, huge or invisible-character messages."""

import time

import pytest

from kickcoach.errors import InputInvalid
from kickcoach.inputs import MAX_MESSAGE_CHARS, clean_message, strip_controls
from kickcoach.yamlfile import MAX_USER_YAML_BYTES, check_user_yaml, parse

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
