"""One settings object for the whole app: ``KICKCOACH_*`` environment variables, or a ``.env`` file.

``get_settings()`` returns the process-wide instance; tests build their own ``Settings(...)``.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kickcoach.core.errors import ConfigError

GUIDANCE = "__guidance__"
"""The pseudo pair id under which the shared guidance is indexed (readable by every pair)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KICKCOACH_", env_file=".env", extra="ignore")

    # --- model backend -------------------------------------------------------------------------
    backend: str = Field(
        "embedded",
        description='"embedded" (bundled SmolLM2 GGUF, in-process), "openai:<model>" (any '
        'OpenAI-compatible server), or "fake" (scripted, for tests and demos)',
    )
    gguf_path: Path | None = Field(None, description="A local GGUF to run instead of the bundled model")
    openai_base_url: str | None = Field(None, description="e.g. http://localhost:11434/v1 for Ollama")
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("KICKCOACH_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    connect_timeout_s: float = 3.0  # x (1 + max_retries) stays under 10 s for a dead host
    first_token_timeout_s: float = Field(
        10.0,
        description="Seconds a model server may take to send its first token, and each next one: a silent or "
        "stalled server fails after this, once (a sent request is never retried)",
    )
    request_timeout_s: float = Field(60.0, description="Seconds for a model server's whole answer")
    max_retries: int = Field(1, description="Retries of a refused connection to the model server (never of a sent request)")
    temperature: float = 0.3
    max_tokens: int = 160
    n_ctx: int = 2048
    n_threads: int | None = Field(None, description="llama.cpp threads; default: all cores")
    structured_attempts: int | None = Field(
        None,
        description="Model calls per structured answer (1 = no re-ask). Default: 2, but 1 for the embedded "
        "model, whose re-asks recovered 0 of 28 goal drafts in our eval while doubling the wait",
    )

    coach_model_text: Literal["auto", "always", "never"] = Field(
        "auto",
        description="Model wording for the coach's chat replies. auto: a server model (openai:…) rewords the "
        "engine's reply within its moves; the embedded model does not (it passed the quality gate too rarely "
        "to be worth the wait). always / never: force it on or off. Model text is kept only if it passes the gate",
    )

    # --- retrieval ------------------------------------------------------------------------------
    embeddings: Literal["minilm", "hashing"] = Field(
        "minilm", description='"minilm" (bundled all-MiniLM-L6-v2) or "hashing" (deterministic, for tests)'
    )
    chroma_host: str | None = Field(None, description="Use a Chroma server instead of the embedded store")
    chroma_port: int = 8000
    top_k: int = 3
    token_budget: int = Field(
        700,
        description="Prompt tokens for system text, sources and history. SmolLM2 reads ~110 prompt tokens/s on "
        "2 cores, so the default keeps time-to-first-token near 5 s; raise it for a server-backed model",
    )

    # --- safety ---------------------------------------------------------------------------------
    help_contacts: Path | None = Field(
        None,
        description="A YAML file of the programme's help contacts (keys: emergency, crisis_line, eap, hr, ombuds, "
        "abuse_line, legal; one line each), shown when the safety check hears risk; unset: general defaults",
    )

    # --- storage and identity -------------------------------------------------------------------
    home: Path = Field(Path.home() / ".kickcoach", description="Data folder: SQLite file and Chroma index")
    derived_cache: Path | None = Field(
        default_factory=lambda: Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kickcoach" / "derived",
        description="Machine-wide folder for what is computed from bundled files only (the encoder's ONNX export, the "
        "example and idea vectors, the fitted turn heads), shared by every data home and keyed by a digest of its "
        "inputs; unset (empty): kept under the data home. Nothing a person writes is stored there.",
    )
    database_url: str | None = Field(None, description="SQLAlchemy URL, e.g. postgresql+psycopg://…")
    pair_id: str = Field("demo", description="The pair this server (and the CLI) serves when there are no accounts")
    users_file: Path | None = Field(
        None, description="An old YAML of {username: {password, pair_id}}: imported once into hashed accounts"
    )
    facilitator: str | None = Field(
        None, description="Comma-separated login names who act as programme facilitator (with a users file)"
    )

    today: dt.date | None = Field(
        None, description="The date the coach's history and reminders count from (scripted evals, tests); default: today"
    )

    # --- reminders by email (kickcoach notify) ---------------------------------------------------
    smtp_host: str | None = Field(None, description="SMTP server for reminder emails; unset: no email is sent")
    smtp_port: int = Field(587, description="587 for STARTTLS, 465 for TLS from the start, 25 for neither")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description='"starttls" (upgrade after connecting), "tls" (implicit TLS, port 465) or "none"'
    )
    smtp_user: str | None = Field(None, description="SMTP login; unset: no authentication")
    smtp_password: SecretStr | None = None
    smtp_ca_file: Path | None = Field(
        None, description="PEM file of the CA that signed the SMTP server's certificate (a private CA); unset: the system's"
    )
    smtp_from: str = Field("kickcoach@localhost", description="The sender address of reminder emails")
    smtp_timeout_s: float = Field(20.0, description="Seconds to wait for the SMTP server")

    # --- web UI ---------------------------------------------------------------------------------
    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    ui_share: bool = False
    ui_chat_concurrency: int | None = Field(
        None, ge=1, description="Chat turns one UI process runs at once; more wait in Gradio's queue and see their "
        "place in it. Default: 1 when a turn reaches the in-process embedded model (it answers one at a time), else 4",
    )
    ui_trusted_proxies: str = Field(
        "", description="Comma-separated addresses or CIDR ranges of the reverse proxies in front of the UI (e.g. "
        "127.0.0.1 for the README's nginx). Only a request from one of them has its client address read from "
        "X-Forwarded-For (for login throttling); unset: the connecting address is the client",
    )
    ui_allowed_origins: str = Field(
        "", description="Comma-separated extra origins (https://coach.example.org) allowed to POST to the UI; the "
        "page's own host is always allowed, every other site is refused",
    )

    # --- log in with the organisation's account (OpenID Connect) ---------------------------------
    oidc_issuer: str | None = Field(
        None, description="The organisation's OpenID Connect issuer (https://login.example.org/realms/staff). With "
        "oidc_client_id set, the login page offers 'Log in with <oidc_label>'; accounts are matched by email",
    )
    oidc_discovery_url: str | None = Field(
        None, description="The provider's discovery document; default: <issuer>/.well-known/openid-configuration",
    )
    oidc_client_id: str | None = Field(None, description="kickcoach's client id at the provider")
    oidc_client_secret: SecretStr | None = Field(None, description="Its secret; unset: a public client (PKCE only)")
    oidc_scopes: str = Field("openid email profile", description="Scopes asked for; must include openid")
    oidc_label: str = Field("your organisation", max_length=60, description="Shown as 'Log in with <label>'")
    oidc_redirect_url: str | None = Field(
        None, description="The callback registered at the provider, e.g. https://coach.example.org/oidc/callback; "
        "default: the address the browser used + oidc/callback (set it behind a proxy)",
    )
    oidc_email_claim: str = Field("email", description="The ID-token claim with the person's email (links the account)")
    oidc_name_claim: str = Field("name", description="The claim with the person's name (fills an empty display name)")
    oidc_role_claim: str | None = Field(
        None, description="A claim listing roles or groups (e.g. groups). When set, it must agree with the account: "
        "it holds oidc_facilitator_value exactly when the account is a facilitator; else the login is refused",
    )
    oidc_facilitator_value: str = Field("kickcoach-facilitator", description="The role or group that means facilitator")
    oidc_state_secret: SecretStr | None = Field(
        None, description="Key signing the 10-minute login-state cookie; default: derived from the client secret, "
        "else random per process (set it for a public client served by several UI processes)",
    )

    @field_validator("oidc_issuer", "oidc_discovery_url", "oidc_redirect_url")
    @classmethod
    def _oidc_url(cls, value: str | None) -> str | None:
        from urllib.parse import urlsplit

        if value is None:
            return None
        parts = urlsplit(value)
        loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
        if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
            raise ValueError(f"{value!r}: an OpenID Connect address must be https:// (http:// only on loopback)")
        return value

    @field_validator("derived_cache", mode="before")
    @classmethod
    def _derived_cache_empty(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value  # "" keeps it in the data home

    @field_validator("oidc_scopes")
    @classmethod
    def _oidc_openid_scope(cls, value: str) -> str:
        if "openid" not in value.split():
            raise ValueError(f"{value!r}: the OpenID Connect scopes must include openid (it asks for the ID token)")
        return value

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def oidc_discovery(self) -> str:
        return self.oidc_discovery_url or f"{(self.oidc_issuer or '').rstrip('/')}/.well-known/openid-configuration"

    @field_validator("ui_trusted_proxies")
    @classmethod
    def _proxies_parse(cls, value: str) -> str:
        import ipaddress

        for entry in filter(None, (v.strip() for v in value.split(","))):
            ipaddress.ip_network(entry, strict=False)  # a ValueError names the bad entry
        return value

    @property
    def trusted_proxies(self) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.ui_trusted_proxies.split(",") if v.strip())

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        return tuple(v.strip().rstrip("/") for v in self.ui_allowed_origins.split(",") if v.strip())

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if value in {"embedded", "fake"} or (value.startswith("openai:") and len(value) > len("openai:")):
            return value
        raise ValueError(f'unknown backend {value!r}: use "embedded", "fake" or "openai:<model>"')

    @property
    def attempts(self) -> int:
        if self.structured_attempts is not None:
            return max(1, self.structured_attempts)
        return 1 if self.backend == "embedded" else 2

    @property
    def coach_rewords(self) -> bool:
        if self.coach_model_text == "auto":
            return self.backend.startswith("openai:")
        return self.coach_model_text == "always"

    @property
    def today_date(self) -> dt.date:
        return self.today or dt.date.today()

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'kickcoach.db'}"

    @property
    def cache_dir(self) -> Path:
        """Where values derived from bundled files only are kept (see ``derived_cache``)."""
        return self.derived_cache or self.home / "cache"

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    def ensure_home(self) -> Path:
        """The data folder, created private (0700): it holds every pair's chats, drafts and the database."""
        try:
            self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"Cannot create data folder {self.home} ({exc})", "set KICKCOACH_HOME to a writable folder") from exc
        try:
            if self.home.stat().st_mode & 0o077:
                self.home.chmod(0o700)  # a folder made by an older kickcoach (0755): private from now on
        except OSError:  # not ours to change (a shared mount): leave it as the administrator set it
            pass
        return self.home


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ConfigError(f"Invalid setting: {exc}", "check your KICKCOACH_* environment variables or .env") from exc
