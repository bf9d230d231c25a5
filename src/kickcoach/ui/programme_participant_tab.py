"""The My programme tab, for participants: opt in with your inventory, see your pairing and the agreement,
accept or decline, sign, record a meeting, and answer the monthly check-in privately.

It acts only for the logged-in person (``Identity.speaker``: the server-side login, never anything the page
sends): their account's email, and the programme enrolments linked to that account (``programme.links``).
No handler or API route takes an email. Without accounts (local use) there is no one to act for: the tab
says how to add accounts.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from kickcoach.contracts.dates import parse_when
from kickcoach.contracts.files import to_markdown
from kickcoach.core.errors import InputInvalid, KickcoachError
from kickcoach.core.person import Person
from kickcoach.programme.cohorts import Programme
from kickcoach.programme.followup import record_checkin, record_meeting
from kickcoach.programme.links import enrolments
from kickcoach.programme.scoring import why_text
from kickcoach.services import Services
from kickcoach.ui import due_strip
from kickcoach.ui.identity import Identity
from kickcoach.ui.programme_tab import ProgrammeHandlers

PRIVATE_NOTE = "Your answers go to the programme's facilitator, never to your partner."
NO_ACCOUNTS = InputInvalid("My programme is for logged-in participants",
                           "add accounts with an email (`kickcoach users add NAME --email ADDRESS …`), then log in")


class ParticipantHandlers:
    def __init__(self, services: Services, shared: ProgrammeHandlers) -> None:
        self.services = services
        self.shared = shared
        self.identity: Identity = shared.identity or Identity(services.settings, services.storage)

    # --- who is asking, and for which enrolment ----------------------------------------------------
    def _me(self, request: Any) -> Person:
        person = self.identity.speaker(request)  # the login's person; NotLoggedIn without a live session
        if person.is_local:
            raise NO_ACCOUNTS
        if not person.email:
            raise InputInvalid(f"Your account {person.name} has no email, so no programme enrolment is linked to it",
                               f"ask the administrator: `kickcoach users email {person.name} ADDRESS`")
        return person

    def _mine(self, programme: str, request: Any) -> tuple[Person, Programme, str]:
        """(the person, their programme, the email they are enrolled with): only an enrolment linked to them."""
        person = self._me(request)
        mine = enrolments(self.services.storage, person)
        wanted = (programme or "").strip()
        if not mine:
            raise InputInvalid(f"No programme enrolment is linked to your account ({person.email})",
                               "opt in below, or ask the facilitator to enrol you with this email")
        if wanted:
            found = [e for e in mine if wanted in (e.programme_id, e.programme_name)]
            if not found:  # the same answer whether or not the programme exists: nothing about others
                raise InputInvalid(f"You are not enrolled in a programme {wanted!r}",
                                   f"your programmes: {', '.join(e.programme_name for e in mine)}")
        elif len(mine) > 1:
            raise InputInvalid("You are enrolled in several programmes",
                               f"type one of them in the Programme box: {', '.join(e.programme_name for e in mine)}")
        else:
            found = mine
        return person, self.shared.service.store.get(found[-1].programme_id), found[-1].email

    def programme_choices(self, request: gr.Request) -> list[str]:
        """The names of the programmes the logged-in person is enrolled in (none without accounts)."""
        try:
            return [e.programme_name for e in enrolments(self.services.storage, self._me(request))]
        except KickcoachError:
            return []

    # --- actions ------------------------------------------------------------------------------------
    def opt_in(self, programme: str, name: str, team: str, manager: str, offers: str, needs: str,
               consent: bool, request: gr.Request) -> str:
        try:
            person = self._me(request)
            fields = {"name": (name or "").strip() or person.display_name or person.name, "email": person.email or "",
                      "team": team, "manager": manager, "offers": offers, "needs": needs}
            joined = self.shared.service.opt_in(programme.strip(), fields, consent=consent)
        except KickcoachError as exc:
            return f"❌ {exc}"
        return (f"✅ Welcome, {joined.name}: you are enrolled as {joined.email} with {len(joined.offers)} offers "
                f"and {len(joined.needs)} needs.")

    def my_pair(self, programme: str, request: gr.Request) -> tuple[str, str, int | None]:
        """(your pairing, the agreement you would sign, its version): shown before Sign, so you read what you sign."""
        try:
            _, chosen, me = self._mine(programme, request)
            row = self.shared.service.store.pair(chosen.id, me)
            if row.state != "published":
                return "Your pairing is being prepared; the facilitator has not published it yet.", "", None
            contract = self.shared.service.agreement(chosen.id, me)
        except KickcoachError as exc:
            return f"❌ {exc}", "", None
        side = "a" if row.a_email == me else "b"
        partner = row.b_email if side == "a" else row.a_email
        names = self.shared.names(chosen.name)  # names, not emails; the email once, to write to them

        def first(email: str) -> str:
            return names.get(email, email).split()[0]

        pairing = (f"**Your partner: {names.get(partner, partner)}** ({partner}; programme {chosen.name}, pair "
                   f"`{row.pair_id}`, agreement due {row.agreement_due}).\n\n"
                   f"Why: {why_text(row.why, first(row.a_email), first(row.b_email))}\n\n"
                   f"Your answer: {getattr(row, f'{side}_response')}.")
        if contract is None:
            return pairing, "*No agreement yet.*", None
        shown = (f"**The agreement you sign: version {contract.version}.** Signing signs exactly this text.\n\n"
                 + to_markdown(contract))
        return pairing, shown, contract.version

    def buttons(self, programme: str, request: gr.Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """Accept, Decline and Sign as the state allows: answered → no Accept/Decline; signed → no Sign."""
        try:
            _, chosen, me = self._mine(programme, request)
            row = self.shared.service.store.pair(chosen.id, me)
            contract = self.shared.service.agreement(chosen.id, me)
        except KickcoachError:
            return gr.update(visible=False), gr.update(visible=False), gr.update(visible=False)
        side = "a" if row.a_email == me else "b"
        published = row.state == "published"
        answered = getattr(row, f"{side}_response") != "pending"
        signed = contract is not None and contract.has_signed(side)
        return (gr.update(visible=published and not answered), gr.update(visible=published and not answered),
                gr.update(visible=published and contract is not None and not signed))

    def respond(self, programme: str, accept: bool, request: gr.Request) -> str:
        try:
            _, chosen, me = self._mine(programme, request)
            row = self.shared.service.respond(chosen.id, me, accept=accept)
        except KickcoachError as exc:
            return f"❌ {exc}"
        if not accept:
            return "You declined; the facilitator will propose someone else."
        return f"✅ Accepted. Your draft agreement is pair `{row.pair_id}`: read it, then sign it when you are both happy."

    def accept(self, programme: str, request: gr.Request) -> str:
        return self.respond(programme, True, request)

    def decline(self, programme: str, request: gr.Request) -> str:
        return self.respond(programme, False, request)

    def sign(self, programme: str, version: Any, request: gr.Request) -> str:
        """Sign the version the person was shown (``version``, from Show my pairing); another version is refused."""
        try:
            person, chosen, me = self._mine(programme, request)
            seen = _version(version)
            status = self.shared.service.sign(chosen.id, me, signer=person, version=seen)
        except KickcoachError as exc:
            return f"❌ {exc}"
        return f"✅ Signed version {seen}; the agreement is now {status}."

    def meeting(self, programme: str, day: str, action_plan: bool, request: gr.Request) -> str:
        try:
            _, chosen, me = self._mine(programme, request)
            held = parse_when(day, self.shared.today) if (day or "").strip() else self.shared.today
            if held is None:
                return "❌ Meeting date: use a date such as 2027-03-31, or 'last Tuesday' (empty means today)."
            row = record_meeting(self.shared.service.store, chosen, me, held, action_plan=action_plan,
                                 today=self.shared.today)
        except KickcoachError as exc:
            return f"❌ {exc}"
        return f"✅ Meeting on {held} recorded for {row.pair_id}."

    def checkin(self, programme: str, going: float, equal: float, going_text: str, improve: str,
                request: gr.Request) -> str:
        try:
            _, chosen, me = self._mine(programme, request)
            row = record_checkin(self.shared.service.store, chosen, me, going=int(going), equal=int(equal),
                                 going_text=going_text or "", improve_text=improve or "", today=self.shared.today)
        except (KickcoachError, TypeError, ValueError) as exc:
            return f"❌ {exc}"
        return f"✅ Thank you: your check-in for {row.month} is saved. {PRIVATE_NOTE}"


def _version(value: Any) -> int:
    try:
        version = int(value)
    except (TypeError, ValueError):
        version = 0
    if version < 1:
        raise InputInvalid("Read the agreement before signing it", "press Show my pairing first: it shows the text you sign")
    return version


def render(handlers: ParticipantHandlers) -> tuple[Any, Any]:
    """Lay out the tab; returns the refresher of the programme list and the list (for the app's load event)."""
    gr.Markdown("You act here as yourself: the account you logged in with, and the programmes your email is "
                "enrolled in.")
    due_strip.render(handlers.services, handlers.identity, "my-due")  # what is due (ui/due_strip.py)
    programme = gr.Dropdown(label="Programme", choices=[], value=None, allow_custom_value=True, elem_id="my-programme",
                            info="Yours are listed; type a programme's name to opt in to it.")
    status = gr.Markdown(elem_id="my-status")
    with gr.Accordion("Opt in for the trial period", open=False):
        name = gr.Textbox(label="Name (empty: your account's name)")
        with gr.Row():
            team = gr.Textbox(label="Team")
            manager = gr.Textbox(label="Your manager's email (if enrolled)")
        offers = gr.Textbox(label="What you can offer (separate items with ;)")
        needs = gr.Textbox(label="What you want to acquire (separate items with ;)")
        consent = gr.Checkbox(label="I opt in for the trial period; the facilitator may see my offers and needs")
        join = gr.Button("Opt in", elem_id="my-opt-in")
    with gr.Accordion("My pairing", open=True):
        show = gr.Button("Show my pairing and agreement", elem_id="my-show")
        pair = gr.Markdown(elem_id="my-pair")
        agreement = gr.Markdown(elem_id="my-agreement")
        version = gr.Number(None, precision=0, visible=False, elem_id="my-version")  # the version shown: Sign signs it
        with gr.Row():
            accept = gr.Button("Accept", variant="primary", elem_id="my-accept")
            decline = gr.Button("Decline", elem_id="my-decline")
            sign = gr.Button("Sign the agreement shown", elem_id="my-sign")
        with gr.Row():
            day = gr.Textbox(label="Meeting date (empty = today)", placeholder="2027-03-31, or 'last Tuesday'", scale=2)
            plan = gr.Checkbox(label="We agreed our action plan", scale=1)
            met = gr.Button("Record a meeting", scale=1)
    with gr.Accordion("Monthly check-in (private)", open=True):
        gr.Markdown(PRIVATE_NOTE)
        going = gr.Slider(1, 5, value=3, step=1, label="How is it going? (1 badly – 5 very well)", elem_id="my-going")
        equal = gr.Slider(1, 5, value=3, step=1, label="Are our contributions equal? (1 not at all – 5 fully)",
                          elem_id="my-equal")
        going_text = gr.Textbox(label="How is it going, in your words")
        improve = gr.Textbox(label="What could improve?", elem_id="my-improve")
        send = gr.Button("Send my check-in", elem_id="my-checkin")

    def shown(request: gr.Request, name: str | None) -> tuple[Any, ...]:
        """The pairing and agreement as they are now: after each action the labels say what changed."""
        return handlers.my_pair(name or "", request)

    def listed(request: gr.Request) -> Any:
        choices = handlers.programme_choices(request)
        return gr.update(choices=choices, value=choices[0] if len(choices) == 1 else None)

    view = [pair, agreement, version]
    answer = [accept, decline, sign]

    def states(request: gr.Request, name: str | None) -> tuple[Any, ...]:
        return handlers.buttons(name or "", request)

    join.click(handlers.opt_in, [programme, name, team, manager, offers, needs, consent], [status],
               api_name="programme_opt_in").then(listed, None, programme)
    show.click(handlers.my_pair, [programme], view, api_name="programme_my_pair").then(states, [programme], answer)
    for button, act, api in ((accept, handlers.accept, "programme_accept"), (decline, handlers.decline, "programme_decline")):
        button.click(act, [programme], [status], api_name=api).then(shown, [programme], view).then(
            states, [programme], answer)
    sign.click(handlers.sign, [programme, version], [status], api_name="programme_sign").then(
        shown, [programme], view).then(states, [programme], answer)
    met.click(handlers.meeting, [programme, day, plan], [status], api_name="programme_meeting")
    send.click(handlers.checkin, [programme, going, equal, going_text, improve], [status],
               api_name="programme_checkin")
    return listed, programme
