"""Logging set-up: JSON lines for services, plain text for the console.

Handlers log events and counts, never message texts or platform ids (a test checks it);
third-party loggers that would log user ids or payloads are kept at WARNING.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

QUIET = (
    "aiogram.event",
    "aiogram.dispatcher",
    "aiohttp.access",
    "sqlalchemy.engine",
    "apscheduler",
)


_LONG_NUMBER = re.compile(r"\d{6,}")
_PAYLOAD_TAIL = re.compile(r"(Content:|input_value=).*", re.DOTALL)


class Redact(logging.Filter):
    """Third-party messages may quote payloads (aiogram logs a whole undecodable update):
    cut the payload off and mask anything that looks like a platform id."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _LONG_NUMBER.sub("<n>", _PAYLOAD_TAIL.sub(r"\1 <redacted>", message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            # The exception type and place, not its message: messages can quote input.
            exc_type = record.exc_info[0]
            entry["error"] = exc_type.__name__ if exc_type else "unknown"
            entry["trace"] = self.formatException(record.exc_info).splitlines()[-3:-1]
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: str = "INFO", *, json_lines: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(Redact())
    handler.set_name("qamqor")
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if h.get_name() != "qamqor"] + [handler]
    root.setLevel(level.upper())
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
