"""Parsers with bounded work: hostile YAML and CSV are refused in well under a second, and every CSV export
neutralises spreadsheet formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import pytest

from kickcoach.contracts.files import demo_contract, dump_yaml, load_yaml
from kickcoach.core.errors import InputInvalid
from kickcoach.core.inputs import FORMULA_STARTS, spreadsheet_safe
from kickcoach.core.yamlfile import MAX_DEPTH, parse_user_yaml
from kickcoach.programme.inventory import MAX_ROWS, parse_csv

REFUSE_WITHIN_S = 1.0
HEADER = "name,email,team,manager,offers,needs\n"
HOSTILE_YAML = {
    "200 kB of nested [": "goals: " + "[" * 200_000,
    "200 kB of nested {": "{a: " * 50_000,
    "nested [ behind a stray quote": "title: Tom's x'" + "[" * 200_000,
    "100,000 nested block lists": "- " * 100_000 + "x",
    "600 indented levels": "".join(" " * i + f"k{i}:\n" for i in range(600)),
}
HOSTILE_CSV = {
    "200 kB of nested [": HEADER + "[" * 200_000,
    "200 kB of quotes": HEADER + '"' * 200_000,
    "one 200 kB cell": HEADER + 'A,a@x.org,T,,"' + "x;" * 100_000 + '",y\n',
    "too many rows": HEADER + "".join(f"P{i},p{i}@x.org,T,,a;b,c\n" for i in range(MAX_ROWS + 1)),
}


@pytest.mark.parametrize("name", list(HOSTILE_YAML))
def test_hostile_yaml_is_refused_within_a_second(name):
    started = time.perf_counter()
    with pytest.raises(InputInvalid, match="nested too deeply|too long"):
        load_yaml(HOSTILE_YAML[name])
    took = time.perf_counter() - started
    print(f"\n{name}: {len(HOSTILE_YAML[name]):,} characters refused in {took * 1000:.1f} ms")
    assert took < REFUSE_WITHIN_S


def test_the_depth_cap_sits_above_what_real_files_need():
    assert load_yaml(dump_yaml(demo_contract())) == demo_contract()
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # the mapping is a level too
    assert parse_user_yaml(ok, "file") is not None
    with pytest.raises(InputInvalid, match="nested too deeply"):
        parse_user_yaml("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "file")
    assert parse_user_yaml("note: 'a [[[[ quoted' # and [[[[ a comment\nname: Tom's [plan]\n", "file") == {
        "note": "a [[[[ quoted", "name": "Tom's [plan]"}


@pytest.mark.parametrize("name", list(HOSTILE_CSV))
def test_hostile_csv_is_refused_within_a_second(name):
    started = time.perf_counter()
    with pytest.raises(InputInvalid):
        parse_csv(HOSTILE_CSV[name])
    took = time.perf_counter() - started
    print(f"\n{name}: {len(HOSTILE_CSV[name]):,} characters refused in {took * 1000:.1f} ms")
    assert took < REFUSE_WITHIN_S


def test_formulas_are_neutralised_in_cells():
    for start in FORMULA_STARTS:
        assert spreadsheet_safe(f"{start}cmd|'/ccalc.exe'!a0") == f"'{start}cmd|'/ccalc.exe'!a0"
    assert spreadsheet_safe("Ada") == "Ada" and spreadsheet_safe(-3) == -3 and spreadsheet_safe(None) is None


def test_the_dashboard_csv_never_starts_a_cell_with_a_formula(services):
    from kickcoach.programme.dashboard import build_dashboard
    from kickcoach.programme.service import ProgrammeService

    service = ProgrammeService(services)
    service.create("Spring")
    evil = "=cmd|'/ccalc.exe'!a0@x.org"
    service.import_csv("Spring", HEADER + "\n".join([
        f"Ada,\"{evil}\",Data,,SQL; Python,speaking",
        "Ben,ben@example.org,Sales,,speaking; negotiation,SQL",
    ]) + "\n")
    service.match("Spring")
    service.publish("Spring")
    programme = service.store.get("Spring")
    text = build_dashboard(service.store, programme, dt.date.today()).to_csv()
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert cells and not any(c.startswith(FORMULA_STARTS) for c in cells), text
    assert "'" + evil in text  # kept, as text
