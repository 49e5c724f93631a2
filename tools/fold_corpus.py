"""Move a strangers' corpus that is no longer blind into the training data.

    python tools/fold_corpus.py tests/nlu/danger_corpus3.jsonl strangers3 "header comment"

writes nlu/data/{ru,kk,en}/<name>.yml, one Rasa block per (intent, role, urgent, slice, lang),
mixed blocks keeping the language their author gave them. Once a corpus's misses have been read
it is a development set, not a test; its texts are still the best training data we have,
because they were written by people who never saw ours (tests/nlu/danger_corpus_src/README.md).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from nlu.data import DATA_DIR, read_jsonl

FOLDER = {"ru": "ru", "translit": "ru", "en": "en"}  # every other slice is Kazakh-side


def fold(corpus: Path, name: str, header: str) -> list[Path]:
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for _, row in read_jsonl(corpus):
        slc = row["slice"]
        key = (FOLDER.get(slc, "kk"), row["intent"], row["role"], str(row["urgent"]).lower(), slc)
        lang = row["lang"] if slc == "mixed" else ""
        groups[(*key, lang)].append(" ".join(str(row["text"]).split()))
    blocks: dict[str, list[str]] = defaultdict(list)
    for (folder, intent, role, urgent, slc, lang), texts in sorted(groups.items()):
        meta = f"    role: {role}\n    urgent: {urgent}\n    slice: {slc}\n"
        meta += f"    lang: {lang}\n" if lang else ""
        examples = "".join(f"    - {t}\n" for t in texts)
        blocks[folder].append(f"- intent: {intent}\n  metadata:\n{meta}  examples: |\n{examples}")
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    written = []
    for folder, bs in sorted(blocks.items()):
        path = DATA_DIR / folder / f"{name}.yml"
        path.write_text(f'version: "3.1"\n{comment}nlu:\n' + "".join(bs), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in fold(Path(sys.argv[1]), sys.argv[2], sys.argv[3]):
        print(p)
