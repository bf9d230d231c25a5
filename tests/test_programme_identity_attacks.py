"""My programme under attack: nobody acts for another programme participant.

Two targets (one in each published pair). Against each, four attackers: the target's partner, a participant
of the other pair, the facilitator, and an anonymous client. Each tries every participant action (see the
pairing, accept, decline, sign, record a meeting, submit the private check-in, opt in) with whatever names the
target (their email, their pair id, the programme in other spellings, injection strings), first through the
tab's handlers, then through the running app's HTTP API (``/gradio_api/call/programme_*``, with an extra
email argument too, and an anonymous client with a forged session cookie).

An attempt succeeds when the target's state changed (their answer, their signature, their check-in, their
enrolment, their pair's state or meetings) or when its output shows what only the target's pair may see
(the target's private check-in text; for anyone but the partner, the pairing itself). The figures are
printed with ``-s`` and asserted: >= 300 attempts, 0 successes. A control run as the owner succeeds, and the
detector flags the owner's own view (so it would catch a leak).

Declining one's own pairing is one's own to do, and ends that pair: the partner never declines, and another
participant declines only with texts that do not name their own programme. The partner's own meetings count
for the target's pair too, and the partner's own signature may complete an agreement the target signed
earlier, so the partner's snapshot leaves the meeting count and the pair's signing date out (the target's
own answer, signature and check-in stay in).
"""

from __future__ import annotations

import datetime as dt
import secrets
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kickcoach.core.errors import KickcoachError
from kickcoach.programme.service import ProgrammeService
from kickcoach.storage.models import ContractSignature
from kickcoach.ui.identity import Identity
from kickcoach.ui.programme_participant_tab import ParticipantHandlers
from kickcoach.ui.programme_tab import ProgrammeHandlers
from tests.support.web import serve

PROGRAMME = "Spring 2027"
COHORT = """name,email,team,manager,offers,needs
Ada Lovelace,ada@example.org,Data,,SQL queries; Python scripts,public speaking practice
Ben Okafor,ben@example.org,Sales,,public speaking practice; negotiation,SQL queries
Chloe Diaz,chloe@example.org,Design,,Figma design,negotiation help
Dev Patel,dev@example.org,Sales,,negotiation help; Excel models,Figma design
"""
PEOPLE = ("ada", "ben", "chloe", "dev")
ATTACK_TEXT = "ATTACKERWROTETHIS"


def password(name: str) -> str:
    return f"{name}-password-1"


@dataclass
class Target:
    name: str
    email: str
    partner: str
    other: str  # a participant of the other pair
    pair_id: str
    canary: str = field(default="")

    def markers(self, attacker: str) -> list[str]:
        """What must never show in ``attacker``'s output: the private check-in; the pairing but to the partner."""
        shown = [self.canary]
        if attacker != self.partner:
            shown += [f"{self.partner}@example.org", f"`{self.pair_id}`"]
        return shown


@pytest.fixture
def world(services, fast_hashes, login):
    from kickcoach.bootstrap import prepare
    from kickcoach.people.accounts import Accounts

    prepare(services)
    accounts = Accounts(services.storage)
    for i, name in enumerate(PEOPLE):  # each their own home pair; the email in another case than the CSV's
        accounts.add(name, password(name), pair_id=f"home-{i}", partner="a", email=f"{name.title()}@EXAMPLE.org")
    accounts.add("fay", password("fay"), role="facilitator", email="fay@example.org")
    service = ProgrammeService(services)
    today = dt.date.today()
    service.create(PROGRAMME, today=today)
    service.import_csv(PROGRAMME, COHORT)
    service.match(PROGRAMME)
    rows = service.publish(PROGRAMME, today=today)
    assert len(rows) == 2
    identity = Identity(services.settings, services.storage)
    facilitator = ProgrammeHandlers(services, identity=identity)
    me = ParticipantHandlers(services, facilitator)
    first, second = ({r.a_email.split("@")[0], r.b_email.split("@")[0]} for r in rows)
    targets = []
    for row, own, others in ((rows[0], first, second), (rows[1], second, first)):
        name = row.a_email.split("@")[0]
        partner = next(iter(own - {name}))
        target = Target(name, row.a_email, partner, sorted(others)[0], row.pair_id or "",
                        canary=f"{name.upper()}PRIVATECHECKINCANARY")
        assert "saved" in me.checkin("", 2, 1, target.canary, "CANARY: my partner never prepares", login(name))
        targets.append(target)
    return {"services": services, "service": service, "me": me, "targets": targets, "identity": identity}


def snapshot(service: ProgrammeService, target: Target, attacker: str = "") -> Any:
    """Everything of the target's that an attack could change (the partner's own meetings and signing aside)."""
    store = service.store
    programme = store.get(PROGRAMME)
    row = store.pair(programme.id, target.email)
    side = "a" if row.a_email == target.email else "b"
    with service.services.storage.session() as s:
        signatures = [(r.partner, r.person_id, r.version) for r in s.scalars(select(ContractSignature).where(
            ContractSignature.pair_id == target.pair_id, ContractSignature.partner == side))]
    return {
        "enrolment": store.participant(programme.id, target.email).model_dump(),
        "answer": getattr(row, f"{side}_response"), "state": row.state,
        "signed_on": None if attacker == target.partner else row.agreement_signed_on,
        "signatures": signatures,
        "meetings": None if attacker == target.partner else len(store.meetings(programme.id, row.id)),
        "checkins": [tuple(c) for c in store.checkins(programme.id, row.id) if c.email == target.email],
    }


def names_for(target: Target, programme_id: str) -> list[str]:
    """Every way an attacker may try to name the target (or the programme) in the one text field there is."""
    return ["", PROGRAMME, programme_id, PROGRAMME.upper(), f" {PROGRAMME} ", target.email, target.email.upper(),
            f"{PROGRAMME} {target.email}", f"{PROGRAMME}\n{target.email}", f"{PROGRAMME}\x00{target.email}",
            target.pair_id, target.name, "' OR 1=1 --", "%", "*", "1"]


def may_decline(target: Target, attacker: str, text: str) -> bool:
    """Not the partner; a participant only with a text that does not name their own programme."""
    own = {"", PROGRAMME, f" {PROGRAMME} ", "spring-2027"}
    return attacker != target.partner and (attacker in ("fay", "anonymous") or text not in own)


def handler_attacks(me: ParticipantHandlers, target: Target, attacker: str, text: str, request: Any):
    yield "my_pair", lambda: me.my_pair(text, request)
    yield "accept", lambda: me.accept(text, request)
    if may_decline(target, attacker, text):
        yield "decline", lambda: me.decline(text, request)
    yield "sign", lambda: me.sign(text, 1, request)
    yield "meeting", lambda: me.meeting(text, "", True, request)
    yield "checkin", lambda: me.checkin(text, 5, 5, ATTACK_TEXT, ATTACK_TEXT, request)
    yield "opt_in", lambda: me.opt_in(text, target.name, "Data", "", "anything", "anything", True, request)


def request_of(attacker: str, login) -> Any:
    return login(None) if attacker == "anonymous" else login(attacker)


def attackers_of(target: Target) -> list[str]:
    return [target.partner, target.other, "fay", "anonymous"]


def judge(figures: dict[str, int], successes: list[str], label: str, output: str, target: Target, attacker: str) -> None:
    figures["attempts"] += 1
    if any(m in output for m in target.markers(attacker)):
        successes.append(f"{label}: {output[:200]}")


def test_no_one_acts_for_another_participant_through_the_handlers(world, login):
    me, service = world["me"], world["service"]
    programme_id = service.store.get(PROGRAMME).id
    figures = {"attempts": 0, "successes": 0}
    for target in world["targets"]:
        for attacker in attackers_of(target):
            before = snapshot(service, target, attacker)
            successes: list[str] = []
            request = request_of(attacker, login)
            for text in names_for(target, programme_id):
                for action, attempt in handler_attacks(me, target, attacker, text, request):
                    try:
                        output = repr(attempt())
                    except KickcoachError as exc:  # a refusal the handler did not turn into a message
                        output = str(exc)
                    judge(figures, successes, f"{attacker}→{target.name} {action}({text!r})", output, target, attacker)
            after = snapshot(service, target, attacker)
            if after != before:
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                successes.append(f"{attacker} changed {target.name}'s programme data: {changed}")
            figures["successes"] += len(successes)
            assert not successes, successes
    print(f"\nhandlers: {figures}")
    assert figures["attempts"] >= 300 and figures["successes"] == 0


# --- the running app, over HTTP ---------------------------------------------------------------------
@pytest.fixture
def served(world):
    with serve(world["services"], prepare=False) as ui:
        yield ui.url


def http_client(url: str, who: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30.0)
    if who == "anonymous":  # no login; a forged session cookie instead
        client.cookies.set("kickcoach-session", secrets.token_urlsafe(32))
        client.cookies.set("access-token", secrets.token_urlsafe(32))
    else:
        assert client.post("login", data={"username": who, "password": password(who)}).status_code == 200
    return client


def call(client: httpx.Client, api: str, data: list[Any]) -> str:
    """One call of the documented API route: POST to start it, then read its event stream to the end."""
    started = client.post(f"gradio_api/call/{api}", json={"data": data})
    if started.status_code != 200:
        return f"HTTP {started.status_code}: {started.text[:300]}"
    event = started.json()["event_id"]
    answer = client.get(f"gradio_api/call/{api}/{event}")
    return f"HTTP {answer.status_code}: {answer.text}"


def http_attacks(target: Target, attacker: str, text: str):
    e = target.email
    yield "programme_my_pair", [text]
    yield "programme_my_pair", [text, e]
    yield "programme_accept", [text]
    yield "programme_accept", [text, e]
    if may_decline(target, attacker, text):
        yield "programme_decline", [text]
        yield "programme_decline", [text, e]
    yield "programme_sign", [text, 1]
    yield "programme_sign", [text, e, 1]
    yield "programme_meeting", [text, "", True]
    yield "programme_meeting", [text, e, "", True]
    yield "programme_checkin", [text, 5, 5, ATTACK_TEXT, ATTACK_TEXT]
    yield "programme_checkin", [text, e, 5, 5, ATTACK_TEXT, ATTACK_TEXT]
    yield "programme_opt_in", [text, target.name, "Data", "", "x", "y", True]
    yield "programme_opt_in", [text, target.name, e, "Data", "", "x", "y", True]


def test_no_one_acts_for_another_participant_over_http(world, served):
    service = world["service"]
    figures = {"attempts": 0, "successes": 0, "http_refused": 0}
    for target in world["targets"]:
        for attacker in attackers_of(target):
            before = snapshot(service, target, attacker)
            successes: list[str] = []
            with closing(http_client(served, attacker)) as client:
                for text in ("", PROGRAMME, target.email):
                    for api, data in http_attacks(target, attacker, text):
                        output = call(client, api, data)
                        refused = not output.startswith("HTTP 200") or "event: error" in output or "❌" in output
                        figures["http_refused"] += refused
                        judge(figures, successes, f"{attacker}→{target.name} {api}{data!r}", output, target, attacker)
            if snapshot(service, target, attacker) != before:
                successes.append(f"{attacker} changed {target.name}'s programme data over HTTP")
            figures["successes"] += len(successes)
            assert not successes, successes
    print(f"\nHTTP: {figures}")
    assert figures["attempts"] >= 300 and figures["successes"] == 0


# --- controls: the owner does act, and the detector sees it -------------------------------------------
def test_the_owner_acts_for_herself_through_the_handlers_and_the_detector_sees_it(world, login):
    me, service = world["me"], world["service"]
    target = world["targets"][0]
    owner = login(target.name)
    before = snapshot(service, target)
    pairing, agreement, version = me.my_pair("", owner)
    assert f"{target.partner}@example.org" in pairing and "## Signatures" in agreement and version == 1
    assert "Accepted" in me.accept("", owner)
    assert "now draft" in me.sign(PROGRAMME, version, owner)
    assert "recorded" in me.meeting("", "", True, owner)
    assert "saved" in me.checkin("", 4, 4, "OWNERCHECKIN", "", owner)
    after = snapshot(service, target)
    assert after["answer"] == "accepted" and len(after["signatures"]) == 1 and after["meetings"] == 1
    assert after != before
    figures, successes = {"attempts": 0}, []
    judge(figures, successes, "owner view", pairing, target, target.name)
    judge(figures, successes, "partner reads the check-in", target.canary, target, target.partner)
    assert len(successes) == 2  # the detector flags what the attackers never got


def test_the_owner_acts_for_herself_over_http(world, served):
    target = world["targets"][0]
    with closing(http_client(served, target.name)) as client:
        shown = call(client, "programme_my_pair", [""])
        assert f"{target.partner}@example.org" in shown and "version 1" in shown
        assert "Accepted" in call(client, "programme_accept", [""])
        assert "now draft" in call(client, "programme_sign", ["", 1])
        assert "recorded" in call(client, "programme_meeting", ["", "", False])
        assert "saved" in call(client, "programme_checkin", ["", 4, 4, "OWNER", ""])
    after = snapshot(world["service"], target)
    assert after["answer"] == "accepted" and len(after["signatures"]) == 1 and after["meetings"] == 1
