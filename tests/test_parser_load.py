"""A separate ``kickcoach ui`` process: four people saving 200 kB of nested ``[`` as their contract over HTTP,
over and over, are each refused with the nesting message, and another person's chat keeps answering meanwhile.
How much the savers slow her chat is measured in ``benchmarks/parser_load.py`` (a ratio, not a timed test)."""

from __future__ import annotations

import threading
from contextlib import closing

from tests.support import ui_server
from tests.support.nested_saves import NESTED, PEOPLE, chat_times, client_of, save_over_http


def test_four_nested_yaml_savers_are_refused_and_chat_still_answers(tmp_path):
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    ui_server.add_accounts(database, [(n, f"{n}-password-1", p, s) for n, p, s in PEOPLE])
    ui = ui_server.start_ui(tmp_path / "home", {"KICKCOACH_DATABASE_URL": database})
    try:
        with closing(client_of(ui, "priya")) as priya:
            stop, answers = threading.Event(), []

            def attack(name: str) -> None:
                with closing(client_of(ui, name)) as client:
                    while not stop.is_set() or not answers:
                        answers.append(save_over_http(client, NESTED))

            threads = [threading.Thread(target=attack, args=(n,)) for n in ("tom", "ana", "ben", "tom")]
            for thread in threads:
                thread.start()
            try:
                answered = chat_times(priya, 3)  # each asserts its turn completed
            finally:
                stop.set()
                for thread in threads:
                    thread.join(60)
    finally:
        ui.stop()
    assert len(answered) == 3
    assert answers and all("nested too deeply" in answer for answer in answers)
