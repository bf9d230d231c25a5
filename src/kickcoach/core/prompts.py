"""Versioned prompt files: ``prompts/<group>/<name>.v<N>.yaml``, rendered strictly.

A prompt file holds ``description`` and ``messages`` (role + template). Templates use ``{variable}``;
``{history}`` as a whole message of role ``placeholder`` splices in earlier chat turns. Rendering goes
through LangChain's ``ChatPromptTemplate``, which raises on a missing variable, so a typo in a prompt
fails loudly instead of sending the model a hole. Every rendered prompt carries ``name@vN`` so calls
are logged with the exact prompt version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate

from kickcoach.core.errors import ConfigError
from kickcoach.core.paths import bundled

_VERSIONED = re.compile(r"^(?P<stem>.+)\.v(?P<version>\d+)\.yaml$")


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    description: str
    template: ChatPromptTemplate

    @property
    def id(self) -> str:
        return f"{self.name}@v{self.version}"

    def render(self, **variables: Any) -> list[BaseMessage]:
        missing = set(self.template.input_variables) - set(variables)
        if missing:
            raise ConfigError(
                f"Prompt {self.id} needs variables {sorted(missing)}",
                "pass them to render() or fix the prompt file",
            )
        return self.template.invoke(variables).to_messages()


def prompts_dir() -> Path:
    return bundled("prompts")


@lru_cache(maxsize=64)
def load(name: str, version: int | None = None, directory: Path | None = None) -> Prompt:
    """Load prompt ``name`` (e.g. ``"coach/chat"``) at ``version``, or its highest version."""
    root = directory or prompts_dir()
    folder = (root / name).parent
    stem = Path(name).name
    found: dict[int, Path] = {}
    for path in folder.glob(f"{stem}.v*.yaml"):
        match = _VERSIONED.match(path.name)
        if match and match["stem"] == stem:
            found[int(match["version"])] = path
    if not found:
        raise ConfigError(f"No prompt file for {name!r} in {folder}", f"add {folder / stem}.v1.yaml")
    chosen = version if version is not None else max(found)
    if chosen not in found:
        raise ConfigError(f"Prompt {name!r} has no version {chosen}", f"versions present: {sorted(found)}")
    data = yaml.safe_load(found[chosen].read_text(encoding="utf-8"))
    try:
        messages = [
            ("placeholder", "{history}") if m["role"] == "placeholder" else (m["role"], m["content"])
            for m in data["messages"]
        ]
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"Prompt file {found[chosen]} is malformed ({exc})", "each message needs role and content") from exc
    return Prompt(name, chosen, data.get("description", ""), ChatPromptTemplate.from_messages(messages))


def render(name: str, **variables: Any) -> tuple[Prompt, list[BaseMessage]]:
    prompt = load(name)
    return prompt, prompt.render(**variables)
