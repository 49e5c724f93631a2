"""Assemble a strangers' held-out corpus from its authors' files, without reading it.

    python tools/assemble_corpus.py OUT.jsonl TAG author1.jsonl author2.jsonl ...

Drops lines that repeat across authors and lines that are training examples word for word
(case and spacing ignored), tags each item with its author, and prints only counts: the lead
who tunes the NLU must not read a held-out text before it has been measured.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from nlu.data import load_training, read_jsonl


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def assemble(out: Path, tag: str, authors: list[Path]) -> Counter[str]:
    training = {_key(e.text) for e in load_training()}
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    with out.open("w", encoding="utf-8") as f:
        for n, path in enumerate(authors, 1):
            for _, row in read_jsonl(path):
                key = _key(str(row["text"]))
                if key in seen or key in training:
                    counts["dropped: repeated" if key in seen else "dropped: in training"] += 1
                    continue
                seen.add(key)
                row["author"] = f"{tag}-{n}"
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                counts["kept"] += 1
                counts[f"category {row['category']}"] += 1
                counts[f"slice {row['slice']}"] += 1
    return counts


if __name__ == "__main__":
    result = assemble(Path(sys.argv[1]), sys.argv[2], [Path(a) for a in sys.argv[3:]])
    for k, v in sorted(result.items()):
        print(f"{k}: {v}")
