"""The Contract tab: read the pair's contract, see every goal's SMART verdict, edit (form or YAML),
draft a goal with AI help, sign as each partner, export as YAML, Markdown or a calendar file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import gradio as gr

from kickcoach.contracts.files import dump_yaml, load_yaml, to_ics, to_markdown
from kickcoach.contracts.models import Contract, Goal
from kickcoach.contracts.service import LIFECYCLE_NOTE, ignored_lifecycle, load_contract, save_contract, sign_contract
from kickcoach.contracts.smart import CRITERIA, check_goal
from kickcoach.errors import KickcoachError, NotFound
from kickcoach.services import Services
from kickcoach.ui.identity import Identity

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

    def save_goal(self, partner_id: str, goal_id: str, what: str, how: str, target: str, target_value: float | None,
                  unit: str, deadline: str, indicators: str, request: gr.Request) -> str:
        """Add or replace one goal from the form; the contract's other content is untouched."""
        try:
            contract = self._contract(request)
            partner = contract.partner(partner_id)
            goal_id = (goal_id or "").strip() or f"g{len(partner.goals) + 1}"
            goal = Goal(
                id=goal_id, what=what, how=_lines(how), target=target, target_value=target_value, unit=unit or None,
                deadline=dt.date.fromisoformat(deadline.strip()) if (deadline or "").strip() else None,
                indicators=_lines(indicators), start_date=self.today,
            )
            goals = [g for g in partner.goals if g.id != goal_id]
            old = next((g for g in partner.goals if g.id == goal_id), None)
            if old:
                goal = goal.model_copy(update={"start_date": old.start_date, "start_value": old.start_value, "status": old.status})
                goals.insert(partner.goals.index(old), goal)
            else:
                goals.append(goal)
            new_partner = partner.model_copy(update={"goals": goals})
            partners = tuple(new_partner if p.id == partner_id else p for p in contract.partners)
            saved = save_contract(self._services(request), contract.edited(partners=partners))
        except ValueError as exc:
            return f"❌ {exc}. Nothing was saved."
        except KickcoachError as exc:
            return f"❌ {exc}. Nothing was saved."
        verdict = check_goal(goal, today=self.today, needs=partner.needs, aims=partner.aims)
        smart = "passes SMART" if verdict.passed else "still to fix: " + ", ".join(verdict.failed)
        return f"✅ Saved {partner.name}'s goal {goal_id} (version {saved.version}); {smart}."

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

    def sign_label(self, request: gr.Request) -> str:
        try:
            contract = self._contract(request)
            speaker = self._services(request).speaker
            assert speaker is not None and speaker.partner is not None
            return f"Sign as {contract.partner(speaker.partner).name.split()[0]} (partner {speaker.partner.upper()})"
        except KickcoachError:
            return "Sign"

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


DRAFT_FIELDS = ("partner", "what", "how", "target", "value", "unit", "deadline", "indicators")


def draft_form(form: dict[str, Any]) -> tuple[Any, ...]:
    """The goal form's values from a draft ("Use this draft"): partner, what, how, target, number, unit, deadline,
    indicators; an empty draft leaves the form as it is."""
    if not form:
        return tuple(gr.update() for _ in DRAFT_FIELDS)
    return tuple(form.get(name, "") if name != "value" else form.get("value") for name in DRAFT_FIELDS)


def render(handlers: ContractHandlers) -> Any:
    """Lay out the tab; returns the function that refreshes it (for the app's load event) and its outputs."""
    status = gr.Markdown(elem_id="contract-status")
    with gr.Row():
        with gr.Column(scale=3):
            document = gr.Markdown(elem_id="contract-view")
        with gr.Column(scale=2):
            gr.Markdown("### SMART check\nSpecific · Measurable · Achievable · Relevant · Time-bound")
            smart = gr.Dataframe(headers=SMART_HEADERS, interactive=False, wrap=True, elem_id="contract-smart")
            sign_me = gr.Button("Sign", elem_id="contract-sign")
            with gr.Row():
                fmt = gr.Radio(["YAML", "Markdown", "Calendar (.ics)"], value="YAML", label="Export as")
                export = gr.Button("Export")
            download = gr.File(label="Download", interactive=False)
            message = gr.Markdown(elem_id="contract-message")
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
    with gr.Accordion("Add or edit a goal", open=False):
        with gr.Row():
            g_partner = gr.Radio(["a", "b"], value="a", label="Partner")
            g_id = gr.Textbox(label="Goal id (blank = new goal)", placeholder="g1")
        g_what = gr.Textbox(label="What (the goal)")
        g_how = gr.Textbox(label="How (one strategy per line)", lines=3)
        with gr.Row():
            g_target = gr.Textbox(label="Target")
            g_value = gr.Number(label="Target number", value=None)
            g_unit = gr.Textbox(label="Unit")
            g_deadline = gr.Textbox(label="Deadline (YYYY-MM-DD)")
        g_indicators = gr.Textbox(label="Indicators: how will you know you're there? (one per line)", lines=3)
        save_goal = gr.Button("Save goal", variant="primary")
    with gr.Accordion("Edit the whole contract as YAML", open=False):
        editor = gr.Code(language="yaml", label="contract.yaml", lines=20)
        save_yaml = gr.Button("Validate and save")

    def refresh(request: gr.Request):
        return (*handlers.view(request), gr.update(value=handlers.sign_label(request)))

    outputs = [document, smart, status, editor, sign_me]

    def drafted(vague_text, partner_id, answer_text, request: gr.Request):
        return handlers.draft_goal(vague_text, partner_id, answer_text, request)

    draft.click(drafted, [vague, whose, answers], [proposal, criteria, questions, last_draft])
    use_draft.click(draft_form, [last_draft], [g_partner, g_what, g_how, g_target, g_value, g_unit, g_deadline, g_indicators])
    save_goal.click(handlers.save_goal, [g_partner, g_id, g_what, g_how, g_target, g_value, g_unit, g_deadline, g_indicators],
                    message).then(refresh, None, outputs)
    save_yaml.click(handlers.save_yaml, [editor], message).then(refresh, None, outputs)

    def sign(request: gr.Request) -> str:
        return handlers.sign(request)

    sign_me.click(sign, None, message).then(refresh, None, outputs)
    export.click(handlers.export, [fmt], download)
    return refresh, outputs
