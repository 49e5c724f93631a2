"""Training data: Rasa NLU YAML files under ``nlu/data/<lang>/*.yml`` (format in docs/nlu.md)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlu.result import INTENTS, ROLES, Intent, Lang, Role

DATA_DIR = Path(__file__).parent / "data"
SLICES = ("ru", "kk", "kk_nodiac", "kk_latin", "mixed", "translit", "en")
SLICE_LANG: dict[str, Lang] = {
    "ru": "ru",
    "translit": "ru",
    "kk": "kk",
    "kk_nodiac": "kk",
    "kk_latin": "kk",
    "mixed": "kk",
    "en": "en",
}
# Rasa entity annotations: "[Алматы](city)" or "[Алматы]{...}" → "Алматы".
_ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    lang: Lang
    slice: str
    role: Role
    intent: Intent
    urgent: bool
    source: str = ""


class DataError(ValueError):
    pass


def training_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted(p for p in data_dir.glob("*/*.yml") if p.parent.name in ("ru", "kk", "en"))


def fingerprint(files: Iterable[Path], data_dir: Path = DATA_DIR, extra: str = "") -> str:
    """sha256 over the relative names and bytes of the training files (order-independent)."""
    h = hashlib.sha256(extra.encode())
    for p in sorted(files):
        h.update(p.relative_to(data_dir).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def _as_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return v.strip().lower() in ("true", "yes", "1")
    raise DataError(f"urgent must be true/false, got {v!r}")


def parse_yaml_file(path: Path) -> list[Example]:
    import yaml  # lazy: only training needs it

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise DataError(f"{path}: YAML error: {e}") from e
    if not doc:
        return []
    blocks = doc.get("nlu") or [] if isinstance(doc, dict) else None
    if not isinstance(blocks, list):
        raise DataError(f"{path}: top level must be a mapping with an 'nlu' list")
    out: list[Example] = []
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or "intent" not in block:
            continue  # synonyms, regexes, lookups: not ours
        where = f"{path}: block {i} ({block.get('intent')})"
        intent, meta = block["intent"], block.get("metadata") or {}
        role, slc = meta.get("role", "unknown"), meta.get("slice")
        if intent not in INTENTS:
            raise DataError(f"{where}: unknown intent {intent!r}")
        if role not in ROLES:
            raise DataError(f"{where}: unknown role {role!r}")
        if slc not in SLICE_LANG:
            raise DataError(f"{where}: unknown slice {slc!r}")
        urgent = _as_bool(meta.get("urgent", False))
        # A mixed message takes its language from its grammar (the contract), so a mixed block
        # may name it; every other slice implies its language.
        lang = meta.get("lang", SLICE_LANG[slc]) if slc == "mixed" else SLICE_LANG[slc]
        if slc == "mixed" and lang not in ("ru", "kk"):
            raise DataError(f"{where}: a mixed block's lang must be ru or kk, got {lang!r}")
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if not line.startswith("- "):
                continue
            text = _ENTITY.sub(r"\1", line[2:]).strip()
            if text:
                out.append(Example(text, lang, slc, role, intent, urgent, path.name))
    return out


def load_training(
    data_dir: Path = DATA_DIR, *, strict: bool = False, errors: list[str] | None = None
) -> list[Example]:
    """All examples, deduplicated on (text, labels), in a stable order.

    A file that fails to parse is skipped (and reported in ``errors``) unless ``strict``:
    a colleague's half-written file must not take the bot down.
    """
    seen: set[tuple[str, str, str, bool, str]] = set()
    out: list[Example] = []
    for path in training_files(data_dir):
        try:
            exs = parse_yaml_file(path)
        except (DataError, OSError, UnicodeDecodeError) as e:
            if strict:
                raise
            if errors is not None:
                errors.append(str(e))
            continue
        for ex in exs:
            key = (ex.text, ex.role, ex.intent, ex.urgent, ex.slice)
            if key not in seen:
                seen.add(key)
                out.append(ex)
    return out


def read_jsonl(path: Path, errors: list[str] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) per JSON line; bad lines are skipped and listed in ``errors``
    (raised when ``errors`` is None)."""
    with path.open(encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError("not a JSON object")
            except ValueError as e:
                if errors is None:
                    raise
                errors.append(f"line {n}: {e}")
                continue
            yield n, obj
