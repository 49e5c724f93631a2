"""The examples table of docs/nlu-labels.md, read straight from the document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlu.pipeline import NluPipeline

DOC = Path(__file__).resolve().parents[2] / "docs" / "nlu-labels.md"


def _rows() -> list[tuple[str, str, str, str, bool]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("## Examples", 1)[1]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("text", "") or re.fullmatch(r"-+", cells[0]):
            continue
        rows.append((cells[0], cells[1], cells[2], cells[3], cells[4] == "true"))
    return rows


ROWS = _rows()


def test_table_found() -> None:
    assert len(ROWS) >= 9


@pytest.mark.parametrize(("text", "lang", "role", "intent", "urgent"), ROWS)
def test_contract_example(
    pipe: NluPipeline, text: str, lang: str, role: str, intent: str, urgent: bool
) -> None:
    r = pipe.parse_sync(text)
    assert (r.lang, r.role, r.intent, r.urgent) == (lang, role, intent, urgent), r
    assert 0.0 <= r.urgency <= 1.0
    assert (r.urgency >= 0.5) == r.urgent  # urgency is scaled so 0.5 is the decision point


async def test_async_parse_matches_sync(pipe: NluPipeline) -> None:
    """The bot's parse is the CLI's full read (the encoder's readings too); quick, the fast one."""
    text = ROWS[1][0]
    assert await pipe.parse(text) == pipe.parse_sync(text, second_opinion=True)
    assert await pipe.parse(text, quick=True) == pipe.parse_sync(text)
