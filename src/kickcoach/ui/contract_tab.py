"""The Contract tab: read the pair's contract, see every goal's SMART verdict, edit (form or YAML),
draft a goal with AI help, sign as each partner, export as YAML, Markdown or a calendar file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import gradio as gr

from kickcoach.contracts.files import dump_yaml, load_yaml, to_ics, to_markdown
from kickcoach.contracts.models import Contract
from kickcoach.contracts.service import LIFECYCLE_NOTE, ignored_lifecycle, load_contract, save_contract, sign_contract
from kickcoach.contracts.smart import CRITERIA, check_goal
from kickcoach.core.errors import KickcoachError, NotFound
from kickcoach.services import Services
from kickcoach.ui import goal_form
from kickcoach.ui.identity import Identity
from kickcoach.ui.widgets import DOWNLOAD_BOX


def criterion_name(name: str) -> str:
    """A SMART criterion as people write it: ``time_bound`` → "Time-bound"."""
    return name.replace("_", "-").capitalize()


# S M A R T as narrow columns, so the verdicts stay visible beside the contract (the goal text is on the left)
SMART_HEADERS = ["Partner", "Goal", *[c[0].upper() for c in CRITERIA], "To fix"]


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


class ContractHandlers:
    def __init__(self, services: Services, identity: Identity, today: dt.date | None = None) -> None:
        self.services = services
        self.identity = identity
        self._today = today

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def _services(self, request: gr.Request) -> Services:
        return self.identity.services(self.services, request)

    def _contract(self, request: gr.Request) -> Contract:
        pair_id = self.identity.pair_id(request)
        contract = load_contract(self._services(request), pair_id)
        if contract is None:
            raise NotFound(f"Pair {pair_id!r} has no contract yet", "paste one in the YAML editor below and save it")
        return contract

    # --- reading ---------------------------------------------------------------------------------
    def smart_rows(self, contract: Contract) -> list[list[str]]:
        rows = []
        for partner, goal in contract.all_goals():
            verdict = check_goal(goal, today=self.today, needs=partner.needs, aims=partner.aims)
            marks = ["✓" if verdict.criteria[c].ok else "✗" for c in CRITERIA]
            fixes = "; ".join(verdict.criteria[c].reason for c in verdict.failed) or "—"
            rows.append([partner.name.split()[0], goal.id, *marks, fixes])
        return rows

    def view(self, request: gr.Request) -> tuple[str, list[list[str]], str, str]:
        """(contract as markdown, SMART table, status line, YAML for the editor)."""
        try:
            contract = self._contract(request)
        except NotFound as exc:
            return f"*{exc}*", [], "No contract yet.", ""
        signed = [p.name for p in contract.partners if contract.has_signed(p.id)]
        status = f"**Version {contract.version} · {contract.status}**" + (f" · signed by {', '.join(signed)}" if signed else "")
        return to_markdown(contract), self.smart_rows(contract), status, dump_yaml(contract)

    # --- editing ---------------------------------------------------------------------------------
    def save_yaml(self, text: str, request: gr.Request) -> str:
        """Validate and save the editor's YAML; on error nothing is saved and the message names field and line."""
        pair_id = self.identity.pair_id(request)
        try:
            contract = load_yaml(text)
            if contract.pair_id != pair_id:
                return f"❌ This file is for pair `{contract.pair_id}`; you can only save pair `{pair_id}`. Nothing was saved."
            services = self._services(request)
            current = load_contract(services, pair_id)
            ignored = ignored_lifecycle(contract, current)
            if current is not None:  # only the content is taken from the editor; status and signatures never
                contract = current.edited(**{k: getattr(contract, k) for k in ("title", "partners", "cadence", "terms", "start_date", "review_date")})
            saved = save_contract(services, contract)
        except KickcoachError as exc:
            line = getattr(exc, "line", None)
            where = f" (line {line})" if line else ""
            return f"❌ {exc}{where}. Nothing was saved."
        note = f"\n\n*Note: {LIFECYCLE_NOTE}*" if ignored else ""
        if current is not None and saved.version == current.version and saved == current:
            return "No changes to save." + note
        return f"✅ Saved as version {saved.version} ({saved.status})." + note

    def goal_choices(self, request: gr.Request) -> list[tuple[str, str]]:
        try:
            return goal_form.goal_choices(self._contract(request))
        except KickcoachError:
            return goal_form.goal_choices(None)

    def load_goal(self, choice: str | None, request: gr.Request) -> tuple[str, dict[str, str]]:
        """(partner id, the form's values) for the chosen goal; a new goal: the speaker's side, empty fields."""
        partner_id, _, goal_id = (choice or "").partition("/")
        goal = None
        if goal_id:
            try:
                goal = next((g for g in self._contract(request).partner(partner_id).goals if g.id == goal_id), None)
            except KickcoachError:
                goal = None
        if goal is None:
            speaker = self._services(request).speaker
            partner_id = (speaker.partner if speaker and speaker.partner else None) or "a"
        return partner_id, goal_form.form_values(goal)

    def save_goal(self, choice: str | None, partner_id: str, form: dict[str, str], original: dict[str, str] | None,
                  request: gr.Request) -> tuple[str, str | None]:
        """Add a goal, or change only what was changed in the chosen one; (message, the goal's choice id)."""
        try:
            contract = self._contract(request)
            chosen_partner, _, goal_id = (choice or "").partition("/")
            partner = contract.partner(chosen_partner or partner_id)
            old = next((g for g in partner.goals if g.id == goal_id), None)
            if old is None:
                taken = {g.id for g in partner.goals}
                goal_id = next(f"g{n}" for n in range(len(partner.goals) + 1, 999) if f"g{n}" not in taken)
            goal = goal_form.build_goal(old, goal_id, form, original, self.today)
            if old is not None and goal == old:
                return "No changes to save.", choice
            goals = [goal if g.id == goal_id else g for g in partner.goals] if old else [*partner.goals, goal]
            new_partner = partner.model_copy(update={"goals": goals})
            partners = tuple(new_partner if p.id == partner.id else p for p in contract.partners)
            saved = save_contract(self._services(request), contract.edited(partners=partners))
        except goal_form.FormProblem as exc:
            return f"❌ {exc} Nothing was saved.", choice
        except KickcoachError as exc:
            return f"❌ {exc}. Nothing was saved.", choice
        verdict = check_goal(goal, today=self.today, needs=partner.needs, aims=partner.aims)
        smart = "passes SMART" if verdict.passed else "still to fix: " + ", ".join(map(criterion_name, verdict.failed))
        return (f"✅ Saved {partner.name}'s goal {goal_id} (version {saved.version}); {smart}.",
                goal_form.choice_id(partner.id, goal_id))

    def sign(self, request: gr.Request) -> str:
        """Sign the current version as the logged-in person: their own partner slot, never the other."""
        try:
            services = self._services(request)
            pair_id = self.identity.pair_id(request)
            contract = sign_contract(services, pair_id)
            assert services.speaker is not None and services.speaker.partner is not None
            name = contract.partner(services.speaker.partner).name
        except KickcoachError as exc:
            return f"❌ {exc}"
        return f"✅ {name} signed version {contract.version}; status: {contract.status}."

    def sign_button(self, request: gr.Request) -> dict[str, Any]:
        """The Sign button: named for the speaker, and gone once they have signed this version."""
        try:
            contract = self._contract(request)
            speaker = self._services(request).speaker
            assert speaker is not None and speaker.partner is not None
        except KickcoachError:
            return gr.update(value="Sign", visible=False)
        first = contract.partner(speaker.partner).name.split()[0]
        return gr.update(value=f"Sign as {first} (partner {speaker.partner.upper()})",
                         visible=not contract.has_signed(speaker.partner))

    def export(self, fmt: str, request: gr.Request) -> str | None:
        contract = self._contract(request)
        render, suffix = {"YAML": (dump_yaml, ".yaml"), "Markdown": (to_markdown, ".md"), "Calendar (.ics)": (to_ics, ".ics")}[fmt]
        return self.identity.export(request, f"contract-{contract.pair_id}-v{contract.version}", suffix, render(contract))

    # --- drafting with AI help -------------------------------------------------------------------
    def draft_goal(self, vague: str, partner_id: str, answers: str, request: gr.Request) -> tuple[str, list[list[str]], str, dict[str, Any]]:
        """(proposal markdown, criteria rows, questions, form values) for a vague goal plus any answers so far."""
        from kickcoach.flows.smarten import smarten

        if not (vague or "").strip():
            return "Write the goal in your own words first.", [], "", {}
        contract = load_contract(self._services(request), self.identity.pair_id(request))
        partner = contract.partner(partner_id) if contract else None
        parsed = dict(line.split(":", 1) for line in _lines(answers) if ":" in line)
        result = smarten(
            self.services.model, vague, today=self.today,
            needs=partner.needs if partner else (), aims=partner.aims if partner else None,
            answers={k.strip().lower(): v.strip() for k, v in parsed.items()} or None,
            attempts=self.services.settings.attempts,
        )
        rows = [[name.replace("_", "-"), "✓" if c.ok else "✗", c.reason] for name, c in result.criteria.items()]
        proposal = (
            f"**Proposed goal** ({'drafted by the model' if result.source == 'model' else 'composed from what you said'}):\n\n"
            f"> {result.goal}\n\n**How:** " + ("; ".join(result.how) or "—") + f"\n\n**Target:** {result.target} · "
            f"**Deadline:** {result.deadline or '—'}\n\n**Indicators:** " + ("; ".join(result.indicators) or "—")
        )
        questions = "\n".join(f"- {q}" for q in result.questions)
        form = {"partner": partner_id, "what": result.goal, "how": "\n".join(result.how), "target": result.target,
                "value": result.target_value, "unit": result.unit or "", "deadline": result.deadline or "",
                "indicators": "\n".join(result.indicators)}
        return proposal, rows, questions, form


DRAFT_FIELDS = ("choice", "original", "partner", *goal_form.FIELDS)


def draft_form(form: dict[str, Any]) -> tuple[Any, ...]:
    """The goal form from a draft ("Use this draft"): a new goal (choice and loaded values cleared), the partner,
    then the form's fields in ``goal_form.FIELDS`` order; an empty draft leaves the form as it is."""
    if not form:
        return tuple(gr.skip() for _ in DRAFT_FIELDS)
    value = form.get("value")
    number = "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    named = {**form, "target_value": number}
    return (goal_form.NEW, None, form.get("partner", "a"), *(named.get(name) or "" for name in goal_form.FIELDS))


def render(handlers: ContractHandlers) -> Any:
    """Lay out the tab; returns the function that refreshes it (for the app's load event) and its outputs."""
    status = gr.Markdown(elem_id="contract-status")
    with gr.Row():
        with gr.Column(scale=3):
            document = gr.Markdown(elem_id="contract-view")
        with gr.Column(scale=2):
            gr.Markdown("### SMART check\nSpecific · Measurable · Achievable · Relevant · Time-bound")
            smart = gr.Dataframe(headers=SMART_HEADERS, interactive=False, wrap=True, elem_id="contract-smart",
                                 column_widths=["76px", "52px", *["36px"] * 5, "170px"])  # fixed: a phone scrolls it
            sign_me = gr.Button("Sign", elem_id="contract-sign", visible=False)
            message = gr.Markdown(elem_id="contract-message")  # next to Sign: what signing did
            with gr.Row():
                fmt = gr.Radio(["YAML", "Markdown", "Calendar (.ics)"], value="YAML", label="Export as")
                export = gr.Button("Export")
            download = gr.File(label="Download", interactive=False, elem_classes=DOWNLOAD_BOX)
    with gr.Accordion("Draft a goal with AI help", open=False):
        with gr.Row():
            vague = gr.Textbox(label="Your goal, in your own words", placeholder="e.g. Grow my network", scale=3)
            whose = gr.Radio(["a", "b"], value="a", label="Whose goal (partner a or b)", scale=1)
        answers = gr.Textbox(label="Answers to the coach's questions (one per line, e.g. 'deadline: end of March')", lines=2)
        draft = gr.Button("Make it SMART", variant="primary", elem_id="smarten")
        proposal = gr.Markdown()
        criteria = gr.Dataframe(headers=["criterion", "ok", "why"], interactive=False, wrap=True)
        questions = gr.Markdown()
        use_draft = gr.Button("Use this draft", elem_id="use-draft")
        last_draft = gr.State({})
    with gr.Accordion("Add or edit a goal", open=False, elem_id="goal-form"):
        original = gr.State(None)  # the form's values as loaded: saving changes only what differs
        with gr.Row():
            g_choice = gr.Dropdown(choices=goal_form.goal_choices(None), value=goal_form.NEW, label="Goal to edit",
                                   elem_id="goal-choice", scale=3)
            g_partner = gr.Radio(["a", "b"], value="a", label="Partner (for a new goal)", elem_id="goal-partner", scale=1)
        g_what = gr.Textbox(label="What (the goal)", elem_id="goal-what")
        g_how = gr.Textbox(label="How (one strategy per line)", lines=3, elem_id="goal-how")
        with gr.Row():
            g_target = gr.Textbox(label="Target", placeholder="e.g. 4 talks given", elem_id="goal-target")
            g_value = gr.Textbox(label="Target number (optional)", placeholder="e.g. 4", elem_id="goal-value")
            g_unit = gr.Textbox(label="Unit", placeholder="e.g. talks", elem_id="goal-unit")
            g_deadline = gr.Textbox(label="Deadline", placeholder="2027-03-31, or 'end of March'", elem_id="goal-deadline")
        g_indicators = gr.Textbox(label="Indicators: how will you know you're there? (one per line)", lines=3,
                                  elem_id="goal-indicators")
        save_goal = gr.Button("Save goal", variant="primary", elem_id="goal-save")
        goal_note = gr.Markdown(elem_id="goal-message")
    with gr.Accordion("Edit the whole contract as YAML", open=False):
        editor = gr.Code(language="yaml", label="contract.yaml", lines=20)
        save_yaml = gr.Button("Validate and save")
        yaml_note = gr.Markdown(elem_id="contract-yaml-message")

    fields = [g_what, g_how, g_target, g_value, g_unit, g_deadline, g_indicators]

    def refresh(request: gr.Request):
        return (*handlers.view(request), handlers.sign_button(request),
                gr.update(choices=handlers.goal_choices(request)))

    outputs = [document, smart, status, editor, sign_me, g_choice]

    def drafted(vague_text, partner_id, answer_text, request: gr.Request):
        return handlers.draft_goal(vague_text, partner_id, answer_text, request)

    def load(choice, request: gr.Request):
        partner_id, values = handlers.load_goal(choice, request)
        return (partner_id, *(values[k] for k in goal_form.FIELDS), values if choice else None, "")

    def save(request: gr.Request, choice, partner_id, original_values, *values):
        form = dict(zip(goal_form.FIELDS, (v or "" for v in values), strict=True))
        note, chosen = handlers.save_goal(choice, partner_id, form, original_values, request)
        if chosen is None or note.startswith("❌"):
            return note, gr.skip(), gr.skip()
        _, loaded = handlers.load_goal(chosen, request)
        return note, gr.update(choices=handlers.goal_choices(request), value=chosen), loaded

    draft.click(drafted, [vague, whose, answers], [proposal, criteria, questions, last_draft])
    # "Use this draft": the form becomes a new goal with the draft's values, target number, unit and deadline too
    use_draft.click(draft_form, [last_draft], [g_choice, original, g_partner, *fields])
    g_choice.input(load, [g_choice], [g_partner, *fields, original, goal_note])
    save_goal.click(save, [g_choice, g_partner, original, *fields], [goal_note, g_choice, original]).then(
        refresh, None, outputs)
    save_yaml.click(handlers.save_yaml, [editor], yaml_note).then(refresh, None, outputs)

    def sign(request: gr.Request) -> str:
        return handlers.sign(request)

    sign_me.click(sign, None, message).then(refresh, None, outputs)
    export.click(handlers.export, [fmt], download)
    return refresh, outputs
