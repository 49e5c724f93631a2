"""Logging set-up. Handlers log events and counts, never message texts or platform ids."""

from __future__ import annotations

import logging
import sys


def setup_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # aiogram logs every update with the user id at INFO: keep it to warnings.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
