"""CSV import and opt-in: every problem names its line and column, and a bad file imports nothing."""

import pytest

from kickcoach.core.errors import InputInvalid
from kickcoach.programme.inventory import MAX_ITEMS, parse_csv, split_items

HEADER = "name,email,team,manager,offers,needs\n"


def test_items_are_split_on_semicolons_and_trimmed():
    assert split_items(" SQL ;public speaking;; ") == ("SQL", "public speaking")


def test_a_good_file_parses_every_row(small_csv):
    people = parse_csv(small_csv)
    assert [p.email for p in people] == ["ada@example.org", "ben@example.org", "chloe@example.org", "dev@example.org"]
    assert people[0].offers == ("SQL queries", "Python scripts") and people[3].manager == "ben@example.org"


def test_columns_may_come_in_any_order_and_emails_are_normalised():
    people = parse_csv("email,name,needs,offers,team,manager\n ADA@Example.org ,Ada,b,a,,\n")
    assert people[0].email == "ada@example.org" and people[0].offers == ("a",)


@pytest.mark.parametrize(("row", "line", "column"), [
    (",ada@example.org,T,,a,b", 3, "name"),
    ("Ada,not-an-email,T,,a,b", 3, "email"),
    ("Ada,ada@example.org,T,,,b", 3, "offers"),
    ("Ada,ada@example.org,T,,a,", 3, "needs"),
    ("Ada,ada@example.org,T,ada@example.org,a,b", 3, "manager"),
    ("Ada,ada@example.org,T,nobody@example.org,a,b", 3, "manager"),
    ("Ada,ada@example.org,T,,a", 3, "(all)"),
    ("Zed,ben@example.org,T,,a,b", 3, "email"),  # the same email twice
])
def test_bad_rows_name_line_and_column(row, line, column):
    text = HEADER + "Ben,ben@example.org,T,,x,y\n" + row + "\n"
    with pytest.raises(InputInvalid) as info:
        parse_csv(text)
    assert info.value.line == line and info.value.field == column
    assert f"line {line}, column {column}" in str(info.value) and "nothing was imported" in str(info.value)


def test_every_problem_is_listed_not_only_the_first():
    text = HEADER + ",bad,T,,,\n"
    message = str(pytest.raises(InputInvalid, parse_csv, text).value)
    for column in ("name", "email", "offers", "needs"):
        assert f"line 2, column {column}" in message


def test_line_numbers_count_quoted_multiline_cells():
    text = HEADER + 'Ben,ben@example.org,T,,"x;\ny",z\nAda,bad,T,,a,b\n'
    assert pytest.raises(InputInvalid, parse_csv, text).value.line == 4


def test_header_problems_are_reported_on_line_one():
    with pytest.raises(InputInvalid) as info:
        parse_csv("name,email,team,offers,needs,skills\nA,a@b.org,T,x,y,z\n")
    assert info.value.line == 1 and "missing column(s) manager" in str(info.value) and "'skills'" in str(info.value)


def test_a_manager_already_enrolled_is_accepted():
    text = HEADER + "Ada,ada@example.org,T,boss@example.org,a,b\n"
    assert parse_csv(text, enrolled=["boss@example.org"])[0].manager == "boss@example.org"


def test_items_limit_boundary():
    at_limit = ";".join(f"skill {i}" for i in range(MAX_ITEMS))
    over = ";".join(f"skill {i}" for i in range(MAX_ITEMS + 1))
    assert len(parse_csv(HEADER + f"Ada,ada@example.org,T,,{at_limit},b\n")[0].offers) == MAX_ITEMS
    with pytest.raises(InputInvalid, match="keep to"):
        parse_csv(HEADER + f"Ada,ada@example.org,T,,{over},b\n")


def test_empty_file_and_header_only_are_errors():
    with pytest.raises(InputInvalid, match="empty"):
        parse_csv("")
    with pytest.raises(InputInvalid, match="no participants"):
        parse_csv(HEADER)


def test_a_bad_file_imports_nothing(programme_service, spring, small_csv):
    bad = small_csv + "Eve,eve@example.org,T,,,needs\n"
    with pytest.raises(InputInvalid):
        programme_service.import_csv("Spring 2027", bad)
    assert programme_service.store.participants(spring.id) == []
    assert programme_service.import_csv("Spring 2027", small_csv) == (4, 0)
    assert programme_service.import_csv("Spring 2027", small_csv) == (0, 4)  # re-import updates


def test_opt_in_needs_consent_and_valid_fields(programme_service, spring):
    fields = {"name": "Ada", "email": "ada@example.org", "team": "", "manager": "", "offers": "SQL", "needs": "talks"}
    with pytest.raises(InputInvalid, match="consent"):
        programme_service.opt_in("Spring 2027", fields, consent=False)
    with pytest.raises(InputInvalid, match="field offers"):
        programme_service.opt_in("Spring 2027", fields | {"offers": " ; "}, consent=True)
    with pytest.raises(InputInvalid, match="not enrolled"):
        programme_service.opt_in("Spring 2027", fields | {"manager": "boss@example.org"}, consent=True)
    person = programme_service.opt_in("Spring 2027", fields, consent=True)
    assert person.source == "form" and programme_service.store.participant(spring.id, "ADA@example.org").offers == ("SQL",)
