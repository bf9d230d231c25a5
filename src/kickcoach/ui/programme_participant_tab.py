"""The My programme tab, for participants: opt in with your inventory, see your pairing, accept or decline,
sign the agreement, record a meeting, and answer the monthly check-in privately.

Who you are comes from ``programme.access.participant_email`` (your login). Until accounts exist, a UI
without logins is one local user, who says which enrolled email they act for (a demo seam, not security).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import gradio as gr

from kickcoach.errors import InputInvalid, KickcoachError
from kickcoach.programme.access import participant_email, ui_identity
from kickcoach.programme.followup import record_checkin, record_meeting
from kickcoach.programme.scoring import why_text
from kickcoach.services import Services
from kickcoach.ui.programme_tab import ProgrammeHandlers

PRIVATE_NOTE = "Your answers go to the programme's facilitator, never to your partner."


class ParticipantHandlers:
    def __init__(self, services: Services, shared: ProgrammeHandlers) -> None:
        self.services = services
        self.shared = shared

    def _email(self, typed: str, request: Any) -> str:
        email = participant_email(ui_identity(request), self.services.settings)
        if email:
            return email
        if self.services.settings.users_file:
            raise InputInvalid("Your login has no email", "ask the administrator to add `email:` to your entry")
        if not (typed or "").strip():
            raise InputInvalid("Say which participant you are", "type your email in the box at the top")
        return typed.strip().lower()

    def opt_in(self, programme: str, name: str, email: str, team: str, manager: str, offers: str, needs: str,
               consent: bool, request: gr.Request) -> str:
        try:
            fields = {"name": name, "email": self._email(email, request), "team": team, "manager": manager,
                      "offers": offers, "needs": needs}
            person = self.shared.service.opt_in(programme.strip(), fields, consent=consent)
        except KickcoachError as exc:
            return f"❌ {exc}"
        return f"✅ Welcome, {person.name}: you are enrolled with {len(person.offers)} offers and {len(person.needs)} needs."

    def my_pair(self, programme: str, email: str, request: gr.Request) -> str:
        try:
            me = self._email(email, request)
            store = self.shared.service.store
            row = store.pair(store.get(programme.strip()).id, me)
        except KickcoachError as exc:
            return f"❌ {exc}"
        if row.state != "published":
            return "Your pairing is being prepared; the facilitator has not published it yet."
        side = "a" if row.a_email == me else "b"
        partner = row.b_email if side == "a" else row.a_email
        return (f"**Your partner: {partner}** (pair `{row.pair_id}`, agreement due {row.agreement_due}).\n\n"
                f"Why: {why_text(row.why, row.a_email, row.b_email)}\n\n"
                f"Your answer: {getattr(row, f'{side}_response')}.")

    def respond(self, programme: str, email: str, accept: bool, request: gr.Request) -> str:
        try:
            row = self.shared.service.respond(programme.strip(), self._email(email, request), accept=accept)
        except KickcoachError as exc:
            return f"❌ {exc}"
        if not accept:
            return "You declined; the facilitator will propose someone else."
        return f"✅ Accepted. Your draft agreement is pair `{row.pair_id}`: sign it when you are both happy."

    def accept(self, programme: str, email: str, request: gr.Request) -> str:
        return self.respond(programme, email, True, request)

    def decline(self, programme: str, email: str, request: gr.Request) -> str:
        return self.respond(programme, email, False, request)

    def sign(self, programme: str, email: str, request: gr.Request) -> str:
        try:
            status = self.shared.service.sign(programme.strip(), self._email(email, request))
        except KickcoachError as exc:
            return f"❌ {exc}"
        return f"✅ Signed; the agreement is now {status}."

    def meeting(self, programme: str, email: str, day: str, action_plan: bool, request: gr.Request) -> str:
        try:
            store = self.shared.service.store
            held = dt.date.fromisoformat(day.strip()) if (day or "").strip() else self.shared.today
            row = record_meeting(store, store.get(programme.strip()), self._email(email, request), held,
                                 action_plan=action_plan, today=self.shared.today)
        except ValueError:
            return "❌ Write the date as YYYY-MM-DD."
        except KickcoachError as exc:
            return f"❌ {exc}"
        return f"✅ Meeting on {held} recorded for {row.pair_id}."

    def checkin(self, programme: str, email: str, going: float, equal: float, going_text: str, improve: str,
                request: gr.Request) -> str:
        try:
            store = self.shared.service.store
            row = record_checkin(store, store.get(programme.strip()), self._email(email, request), going=int(going),
                                 equal=int(equal), going_text=going_text, improve_text=improve, today=self.shared.today)
        except KickcoachError as exc:
            return f"❌ {exc}"
        return f"✅ Thank you: your check-in for {row.month} is saved. {PRIVATE_NOTE}"


def render(handlers: ParticipantHandlers) -> None:
    with gr.Row():
        programme = gr.Textbox(label="Programme", placeholder="Spring 2027", elem_id="my-programme", scale=2)
        email = gr.Textbox(label="Your email (until logins arrive)", elem_id="my-email", scale=2)
    status = gr.Markdown(elem_id="my-status")
    with gr.Accordion("Opt in for the trial period", open=False):
        name = gr.Textbox(label="Name")
        with gr.Row():
            team = gr.Textbox(label="Team")
            manager = gr.Textbox(label="Your manager's email (if enrolled)")
        offers = gr.Textbox(label="What you can offer (separate items with ;)")
        needs = gr.Textbox(label="What you want to acquire (separate items with ;)")
        consent = gr.Checkbox(label="I opt in for the trial period; the facilitator may see my offers and needs")
        join = gr.Button("Opt in", elem_id="my-opt-in")
    with gr.Accordion("My pairing", open=True):
        show = gr.Button("Show my pairing", elem_id="my-show")
        pair = gr.Markdown(elem_id="my-pair")
        with gr.Row():
            accept = gr.Button("Accept", variant="primary", elem_id="my-accept")
            decline = gr.Button("Decline", elem_id="my-decline")
            sign = gr.Button("Sign the agreement", elem_id="my-sign")
        with gr.Row():
            day = gr.Textbox(label="Meeting date (YYYY-MM-DD, empty = today)", scale=2)
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

    join.click(handlers.opt_in, [programme, name, email, team, manager, offers, needs, consent], [status],
               api_name="programme_opt_in")
    show.click(handlers.my_pair, [programme, email], [pair], api_name="programme_my_pair")
    accept.click(handlers.accept, [programme, email], [status], api_name="programme_accept")
    decline.click(handlers.decline, [programme, email], [status], api_name="programme_decline")
    sign.click(handlers.sign, [programme, email], [status], api_name="programme_sign")
    met.click(handlers.meeting, [programme, email, day, plan], [status], api_name="programme_meeting")
    send.click(handlers.checkin, [programme, email, going, equal, going_text, improve], [status],
               api_name="programme_checkin")
