"""Who is writing, by age (issue 17), on the strangers' sets: the finer role and urgency.

`python -m bench.young [FILE ...]` reads each set (tests/nlu/young_*.jsonl by default) and
prints, per set: the finer role right among its young people and parents, each of the two,
adults taken for either, and urgent young people or parents the NLU missed. The last line is
JSON. tests/nlu/test_age.py gates the development sets on the same figures; a blind set is
measured here once, before anyone reads it (docs/nlu.md, «Who is writing, by age»).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nlu.data import read_jsonl
from nlu.pipeline import NluPipeline

HERE = Path(__file__).parent.parent.joinpath("tests", "nlu")
SETS = sorted(HERE.glob("young_*.jsonl"))
# The development sets: the cues were widened on them and the finer-role head is trained on them
# (tools/train_finer_head.py). The held-out sets (young_heldout*.jsonl) are never trained on.
DEV_SETS = sorted(HERE.glob("young_dev*.jsonl"))
FINER = ("young_person", "parent")


def dev_rows() -> list[tuple[str, str, str]]:
    """(text, finer label or "none", set name) for every message of the development sets."""
    return [
        (item["text"], item["finer"] or "none", path.name)
        for path in DEV_SETS
        for _, item in read_jsonl(path)
    ]


@dataclass
class Score:
    name: str
    theirs: int = 0  # young people and parents
    right: int = 0
    young: tuple[int, int] = (0, 0)  # (right, of)
    parents: tuple[int, int] = (0, 0)
    adults: int = 0
    adults_taken: list[str] = field(default_factory=list)
    urgent: int = 0  # urgent young people and parents
    missed: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.right / self.theirs if self.theirs else 0.0


def score(name: str, rows: list[dict[str, Any]], pipe: NluPipeline) -> Score:
    s = Score(name)
    by = {f: [0, 0] for f in FINER}
    for r in rows:
        # As the bot reads it: the cues, then the encoder where no cue told (and the second
        # opinion on a possible message's danger).
        res = pipe.parse_sync(r["text"], second_opinion=True)
        read = res.finer
        if r["finer"] in FINER:
            s.theirs += 1
            by[r["finer"]][1] += 1
            if read == r["finer"]:
                s.right += 1
                by[r["finer"]][0] += 1
            if r["urgent"]:
                s.urgent += 1
                if not res.urgent:
                    s.missed.append(r["text"])
        else:
            s.adults += 1
            if read is not None:
                s.adults_taken.append(r["text"])
    s.young, s.parents = (
        (by["young_person"][0], by["young_person"][1]),
        (
            by["parent"][0],
            by["parent"][1],
        ),
    )
    return s


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=SETS)
    args = parser.parse_args(argv)
    pipe = NluPipeline().load()
    out = []
    for path in args.files:
        s = score(path.name, [row for _, row in read_jsonl(path)], pipe)
        print(
            f"{s.name}: finer {s.share:.3f} ({s.right}/{s.theirs}); young people "
            f"{s.young[0]}/{s.young[1]}, parents {s.parents[0]}/{s.parents[1]}; adults taken "
            f"{len(s.adults_taken)}/{s.adults}; urgent missed {len(s.missed)}/{s.urgent}"
        )
        for text in s.missed:
            print(f"  missed: {text[:120]}")
        out.append({**asdict(s), "share": round(s.share, 4)})
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
