"""What keeps a bot process small (docs/benchmarks.md, "Memory"): no heavy optional library on
the run path, aiogram's types built on first use yet exactly as aiogram builds them, and a
database at the head started without Alembic. No RSS figures: `python -m bench e2e` prints them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storage.db import Database, alembic_config, migration_heads

ROOT = Path(__file__).resolve().parent.parent

# Libraries the serving process must not load: training (sklearn, scipy, joblib), XLSX reports
# (openpyxl), migrations (alembic, mako: run apart, see bot/cli.py) and test/dev-only tools.
HEAVY = (
    "sklearn",
    "scipy",
    "joblib",
    "openpyxl",
    "alembic",
    "mako",
    "hypothesis",
    "playwright",
    "pytest",
    "pyinstrument",
    "lingua",
)

# Builds the process as `qamqor run` does (webhook mode, SQLite), then reports what is loaded.
WIRING = """
import asyncio, json, sys
from bot.cli import _migrate_apart, _settings

async def main():
    from bot.app import App
    from bot.channels.telegram.channel import TelegramChannel
    from bot.web.server import make_web_app

    settings = _settings()
    await _migrate_apart(settings)
    app = await App.create(settings)
    telegram = TelegramChannel(app)
    make_web_app(app, telegram, None)
    await app.conversations.nlu.parse("помогите, он бьёт меня")
    from aiogram.types import Message
    loaded = sorted({m.split(".")[0] for m in sys.modules})
    print(json.dumps({"loaded": loaded, "message_built": Message.__pydantic_complete__}))
    await telegram.close()
    await app.close()

asyncio.run(main())
"""


def _python(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_the_run_path_loads_no_heavy_optional_library(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env.update(
        QAMQOR_DATA_DIR=str(tmp_path),
        QAMQOR_SECRET_KEY="test-secret-key-0123456789abcdef",
        QAMQOR_TELEGRAM_TOKEN="123456:TEST",
        QAMQOR_TELEGRAM_API_BASE="http://127.0.0.1:9",
        QAMQOR_TELEGRAM_MODE="webhook",
        QAMQOR_WEBHOOK_SECRET="test-webhook-secret-0123456789",
    )
    report = json.loads(_python(WIRING, env))
    assert sorted(set(HEAVY) & set(report["loaded"])) == []
    # aiogram came in through bot/channels/telegram/lean.py: a type nobody used is not built.
    assert report["message_built"] is False


# Types and methods a turn meets, and one the bot never uses; each model's JSON schema
# covers its fields, nested types, aliases and defaults.
SCHEMAS = """
import json, sys, warnings
warnings.simplefilter("ignore")
if sys.argv[1] == "lazy":
    from bot.channels.telegram.lean import import_aiogram
    import_aiogram()
from aiogram import methods, types
from aiogram.methods.base import Response
models = [
    types.Update, types.Message, types.CallbackQuery, types.InlineKeyboardMarkup,
    types.ChatMemberUpdated, methods.SendMessage, methods.EditMessageReplyMarkup,
    methods.CreateForumTopic, methods.DeleteMessages, methods.GetChat, types.ChatFullInfo,
    Response[types.Message], Response[types.ForumTopic],
]
print(json.dumps([m.model_json_schema() for m in models], sort_keys=True, default=str))
"""


@pytest.mark.slow
def test_lazy_aiogram_types_are_built_as_aiogram_builds_them() -> None:
    def schemas(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", SCHEMAS, mode],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    assert schemas("lazy") == schemas("eager")


def test_lazy_aiogram_parses_an_update_and_builds_a_reply() -> None:
    from aiogram.methods import SendMessage
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update

    from bot.channels.telegram import lean  # noqa: F401  (aiogram through it, as in the bot)

    update = Update.model_validate(
        {
            "update_id": 1,
            "message": {
                "message_id": 5,
                "date": 0,
                "chat": {"id": 7, "type": "private"},
                "from": {"id": 7, "is_bot": False, "first_name": "A"},
                "text": "привет",
                "reply_to_message": {
                    "message_id": 4,
                    "date": 0,
                    "chat": {"id": 7, "type": "private"},
                    "photo": [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}],
                },
            },
        }
    )
    assert update.message is not None and update.message.text == "привет"
    assert update.message.reply_to_message is not None
    assert update.message.reply_to_message.photo is not None
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="yes")]]
    )
    sent = SendMessage(chat_id=7, text="ok", reply_markup=markup)
    assert sent.model_dump(exclude_none=True)["reply_markup"] == {
        "inline_keyboard": [[{"text": "Да", "callback_data": "yes"}]]
    }


def test_migration_heads_are_alembics_heads() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite:///:memory:"))
    assert migration_heads() == frozenset(script.get_heads())


def test_migration_heads_empty_when_a_file_is_not_plain(tmp_path: Path) -> None:
    (tmp_path / "0001_x.py").write_text('revision = "0001"\ndown_revision = None\n')
    assert migration_heads(tmp_path) == {"0001"}
    (tmp_path / "0002_y.py").write_text('revision = make()\ndown_revision = "0001"\n')
    assert migration_heads(tmp_path) == frozenset()  # unsure: Alembic decides


async def test_at_head_only_after_the_migrations(db_url: str) -> None:
    db = Database(db_url)
    try:
        assert not await db.at_head()
        await db.upgrade()
        assert await db.at_head()
    finally:
        await db.dispose()


def test_what_warm_up_built_outlives_a_garbage_collection() -> None:
    # pydantic keeps a parametrised generic only weakly: Response[Message], what a group post's
    # answer is read with, was collected and built again on the next case card, ~120 ms of
    # the event loop under the burst (issue 21).
    import gc
    import weakref

    from aiogram.methods.base import Response
    from aiogram.types import Message

    from bot.channels.telegram.lean import warm_up

    warm_up()
    built = weakref.ref(Response[Message])
    gc.collect()
    answer = built()
    assert answer is not None and answer.__pydantic_complete__
    assert Response[Message] is answer
