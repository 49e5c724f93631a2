"""`qamqor chat` as a person would run it: a real process, scripted through standard input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY

ROOT = Path(__file__).resolve().parents[1]


def chat(
    tmp_path: Path, script: str, *args: str, key: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAMQOR_")}
    env["QAMQOR_DATA_DIR"] = str(tmp_path / "data")
    if key:
        env["QAMQOR_SECRET_KEY"] = TEST_KEY
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )


def test_a_russian_conversation_through_buttons_and_numbers(tmp_path: Path) -> None:
    out = chat(tmp_path, "/start\n1\nКонтакты помощи\n").stdout
    assert "Сәлеметсіз бе" in out and "Выберите язык" in out
    assert "[1] Русский" in out and "[2] Қазақша" in out
    assert "Чем я могу помочь?" in out
    assert "150 — телефон доверия" in out


def test_a_kazakh_conversation(tmp_path: Path) -> None:
    out = chat(tmp_path, "/start\nҚазақша\n1\n").stdout
    assert "Сізге қалай көмектесе аламын?" in out
    assert "сіз кінәлі емессіз" in out


def test_lang_option_and_a_fresh_user(tmp_path: Path) -> None:
    out = chat(tmp_path, "/start\n", "--lang", "kk", "--new").stdout
    assert "Мен — Qamqor" in out  # language known: greets in Kazakh only
    assert "[1] Маған көмек керек" in out


def test_state_survives_a_restart(tmp_path: Path) -> None:
    chat(tmp_path, "/start\n1\n2\n")  # witness path, in Russian
    out = chat(tmp_path, "1\n").stdout  # "[1] ☰ Меню" of the step we stopped at
    assert "Чем я могу помочь?" in out


def test_an_urgent_message_gets_the_numbers_first(tmp_path: Path) -> None:
    out = chat(tmp_path, "/start\n1\nпомогите он сказал что убьёт меня\n").stdout
    after = out.split("> помогите он сказал что убьёт меня", 1)[1]
    first_reply = after.split("Qamqor: ", 2)[1]
    assert "102" in first_reply and "112" in first_reply and "150" in first_reply


def test_empty_binary_and_huge_lines_get_calm_replies(tmp_path: Path) -> None:
    script = "/start\n\x00\x01\x02\n" + "а" * 100_000 + "\n\n"
    result = chat(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_eof_ends_cleanly_and_the_default_key_is_generated(tmp_path: Path) -> None:
    result = chat(tmp_path, "", key=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "secret.key").exists()


@pytest.mark.parametrize("args", [("--lang", "en")])
def test_bad_options_are_refused_clearly(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = chat(tmp_path, "", *args)
    assert result.returncode == 2 and "Invalid value" in result.stderr
