"""One typed settings object, built once from QAMQOR_* variables and an optional .env."""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "qamqor"


class ConfigError(Exception):
    """A setting is missing or unsafe; the message says which and what to do."""


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="QAMQOR_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    secret_key: SecretStr | None = None
    redis_url: str | None = None

    telegram_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    telegram_mode: Literal["polling", "webhook"] = "polling"
    webhook_secret: SecretStr | None = None
    webhook_url: str | None = None  # public https URL; when set, the webhook is registered on start
    # The inbox (every channel): a claimed update not finished within this is retried
    inbox_lease_s: float = Field(default=30.0, ge=1.0)
    # Turns running at once per process; more wait in line, urgent ones first (bot/admission.py)
    turn_slots: int = Field(default=12, ge=1, le=1000)

    # WhatsApp Cloud API (docs/whatsapp.md)
    whatsapp_token: SecretStr | None = None
    whatsapp_phone_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None  # signs every webhook POST; required
    whatsapp_verify_token: SecretStr | None = None  # answers Meta's subscription handshake
    whatsapp_api_base: str = "https://graph.facebook.com/v21.0"  # Graph API incl. version
    whatsapp_templates: Path | None = None  # YAML: purpose -> lang -> template

    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    # Several processes on one port (SO_REUSEPORT), the kernel spreading connections.
    http_reuse_port: bool = False

    nlu_backend: Literal["builtin", "rasa"] = "builtin"
    rasa_url: str | None = None

    # The address staff open in their browser (https://… in production; behind a proxy too).
    # Staff cookies are Secure unless this is http:// on a loopback host (a local trial).
    public_url: str | None = None
    # False: staff cookies are never Secure (plain-http test setups only).
    staff_cookie_secure: bool = True

    # Booking: reminders this many hours before a session (comma-separated), and how often
    # every process wakes the reminder sweep (the database decides who sends each one).
    booking_reminder_hours: str = "24,2"
    booking_sweep_seconds: float = Field(default=30, gt=0, le=3600)
    # The seed of an empty directory table instead of dialogues/data/contacts.yaml (checked
    # with `qamqor contacts check`); the live directory is the database's (docs/contacts.md).
    contacts_file: Path | None = None
    # A regional entry whose check is overdue is still shown this many days, then hidden.
    contacts_grace_days: int = Field(default=14, ge=0, le=90)
    # How often a process rereads the directory for other processes' changes.
    contacts_refresh_seconds: float = Field(default=30, gt=0, le=3600)
    # Live handoff (docs/handoff.md). On when a consultants' group is set, or when forced on
    # (web console only); QAMQOR_HANDOFF_ENABLED=false turns it off.
    consultants_chat_id: str | None = None  # supergroup id(s) with topics, comma-separated
    handoff_enabled: bool | None = None
    handoff_urgent_timeout: int = Field(default=60, ge=5)  # seconds before the phone lines
    handoff_timeout: int = Field(default=300, ge=10)
    handoff_hours: str = "24/7"  # e.g. "mon-fri 09:00-21:00; sat-sun 10:00-18:00" (Almaty)
    # The language of the cards and notices in the consultants' group (shared by everyone
    # there; each staff member picks their own on the web pages).
    handoff_group_lang: Literal["ru", "kk"] = "ru"

    default_lang: Literal["ru", "kk"] = "ru"
    log_level: str = "INFO"
    max_message_chars: int = 4000  # longer texts are cut before NLU and storage
    # Overall send budgets (messages a second, shared through Redis when configured):
    # Telegram's ~30/s per bot, WhatsApp Cloud API's default 80/s per phone number.
    telegram_send_per_s: float = Field(default=30, gt=0)
    whatsapp_send_per_s: float = Field(default=80, gt=0)
    flood_limit: int = Field(default=20, ge=1)  # messages per person per window
    flood_window_s: int = Field(default=60, ge=1)
    retention_days: int = Field(default=30, ge=1)  # personal data kept after the last message

    @field_validator("contacts_file", mode="before")
    @classmethod
    def _empty_is_none(cls, v: object) -> object:
        return None if v == "" else v  # an empty line copied from .env.example

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, v: object) -> object:
        if v is None or v == "":
            return None
        url = str(v).strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                "QAMQOR_PUBLIC_URL must be an https:// address, e.g. https://bot.example.kz"
            )
        if parts.scheme == "http" and not _loopback(parts.hostname):
            raise ValueError(
                "QAMQOR_PUBLIC_URL must be https:// (http:// only on 127.0.0.1 or localhost): "
                "staff passwords and session cookies must not cross a network in clear"
            )
        return url

    @field_validator("telegram_api_base", "whatsapp_api_base")
    @classmethod
    def _strip_slash(cls, v: str) -> str:
        return v.rstrip("/")

    @field_validator("whatsapp_templates", mode="before")
    @classmethod
    def _empty_is_default(cls, v: object) -> object:
        return None if v == "" else v

    @field_validator("booking_reminder_hours")
    @classmethod
    def _reminder_hours(cls, v: str) -> str:
        parts = [p.strip() for p in v.split(",") if p.strip()]
        if not all(p.isdigit() and 1 <= int(p) <= 168 for p in parts):
            raise ValueError("hours before a session, 1 to 168, comma-separated (e.g. 24,2)")
        return ",".join(parts)

    def staff_cookies_secure(self) -> bool:
        """Secure by configuration, never by the Host a request names: everything but an
        explicit http:// public URL on loopback (or staff_cookie_secure=false) is Secure."""
        if not self.staff_cookie_secure:
            return False
        return not (self.public_url and self.public_url.startswith("http://"))

    def public_origin(self) -> str | None:
        """scheme://host[:port] of the public URL (what browsers send as Origin)."""
        if not self.public_url:
            return None
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def reminder_hours(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.booking_reminder_hours.split(",") if p)

    @property
    def database(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir.expanduser() / 'qamqor.db'}"

    @property
    def is_default_sqlite(self) -> bool:
        return self.database_url is None

    def secret_keys(self) -> list[str]:
        """Keys newest first. Local runs on the default SQLite get a generated key kept in the
        data dir; anything else must be given a real key (a database without its key is lost,
        a placeholder key is no protection)."""
        if self.secret_key is not None:
            keys = [k.strip() for k in self.secret_key.get_secret_value().split(",") if k.strip()]
            if not keys or any(len(k) < 16 or k.lower().startswith("change") for k in keys):
                raise ConfigError(
                    "QAMQOR_SECRET_KEY must be at least 16 random characters (not a placeholder); "
                    "generate one: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
                )
            return keys
        if not self.database.startswith("sqlite"):
            raise ConfigError("QAMQOR_SECRET_KEY is required when the database is not local SQLite")
        path = self.data_dir.expanduser() / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32))
        return [path.read_text().strip()]

    def consultant_groups(self) -> tuple[int, ...]:
        raw = (self.consultants_chat_id or "").replace(";", ",")
        try:
            return tuple(int(part) for part in raw.split(",") if part.strip())
        except ValueError as exc:
            raise ConfigError(
                "QAMQOR_CONSULTANTS_CHAT_ID must be Telegram chat ids (e.g. -1001234567890), "
                "comma-separated"
            ) from exc

    def handoff_on(self) -> bool:
        if self.handoff_enabled is not None:
            return self.handoff_enabled
        return bool(self.consultant_groups())

    def telegram_configured(self) -> bool:
        return self.telegram_token is not None and bool(self.telegram_token.get_secret_value())

    def check_telegram(self) -> None:
        if self.telegram_mode == "webhook":
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if len(secret) < 16:
                raise ConfigError(
                    "webhook mode needs QAMQOR_WEBHOOK_SECRET (at least 16 characters, "
                    "letters, digits, _ and -): Telegram sends it with every update"
                )

    def whatsapp_configured(self) -> bool:
        return self.whatsapp_token is not None and bool(self.whatsapp_token.get_secret_value())

    def check_whatsapp(self) -> None:
        """Refuse to start with a webhook nobody could trust (no silent "no signature check")."""
        if not self.whatsapp_phone_id:
            raise ConfigError(
                "WhatsApp needs QAMQOR_WHATSAPP_PHONE_ID (the phone number id in Meta's App "
                "Dashboard → WhatsApp → API Setup)"
            )
        secret = self.whatsapp_app_secret.get_secret_value() if self.whatsapp_app_secret else ""
        if len(secret) < 16:
            raise ConfigError(
                "WhatsApp needs QAMQOR_WHATSAPP_APP_SECRET (App Dashboard → App settings → Basic "
                "→ App secret): every webhook POST is checked against its signature"
            )
        verify = self.whatsapp_verify_token.get_secret_value() if self.whatsapp_verify_token else ""
        if len(verify) < 16:
            raise ConfigError(
                "WhatsApp needs QAMQOR_WHATSAPP_VERIFY_TOKEN (at least 16 random characters; "
                "the same value goes into the webhook settings in the App Dashboard)"
            )
