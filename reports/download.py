"""One export as bytes, the same for the page and `qamqor report`."""

from __future__ import annotations

import asyncio

from reports.export import render, render_grant
from reports.figures import Figures
from reports.grant import grant_sheets
from reports.period import Period
from reports.tables import registry_table, summary_table

# registry: a row per contact; summary: indicators by month; grant: the grant report's tables.
KINDS = ("registry", "summary", "grant")


async def build(figures: Figures, kind: str, period: Period, lang: str, form: str) -> bytes:
    # Writing the file takes seconds for a year's registry: off the event loop.
    if kind == "grant":
        sheets = await grant_sheets(figures, period, lang)
        return await asyncio.to_thread(render_grant, sheets, form, lang)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    table = await (registry_table if kind == "registry" else summary_table)(figures, period, lang)
    return await asyncio.to_thread(render, table, form)
