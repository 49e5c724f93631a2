"""Leave one strangers' corpus out: the urgency decision on a corpus its model never saw.

    python tools/loco.py 7 8 9 10 [--no-cv] [--sweep 0.40,0.45,0.50]

For each corpus K it trains on nlu/data without `strangersK.yml` (with the threshold picked by
cross-validation, as `qamqor nlu train` does, unless --no-cv keeps the shipped threshold), then
reads tests/nlu/danger_corpus_src/used/corpusK.jsonl (or tests/nlu/danger_corpusK.jsonl when K
is not in the training data) through the pipeline's own decision: a rule hit, or the model's
probability at the threshold. It prints urgent recall and the calm false alarms (items that
are not urgent and do not ask for a human: the ones the end-to-end bench counts as *paged*).

Every corpus was written by authors who never saw the training data, so this is the honest
estimate of what a fresh corpus will do; use it to choose settings, never a test corpus.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nlu.data import DATA_DIR, read_jsonl, training_files
from nlu.model import MODEL_PATH, LinearModel, TrainConfig, train
from nlu.pipeline import NluPipeline

ROOT = Path(__file__).resolve().parent.parent
USED = ROOT / "tests" / "nlu" / "danger_corpus_src" / "used"
FRESH = ROOT / "tests" / "nlu"


@dataclass(frozen=True)
class Scored:
    urgent: bool  # the authors' label
    calm: bool  # not urgent, not asking for a human: a case for it is a false page
    slice: str
    ruled: bool  # an urgency rule fired
    p: float  # the model's urgency probability
    text: str


def corpus_path(k: int) -> tuple[Path, bool]:
    """The corpus file and whether it is in the training data."""
    used = USED / f"corpus{k}.jsonl"
    if used.exists():
        return used, True
    return FRESH / f"danger_corpus{k}.jsonl", False


def without(k: int, into: Path) -> Path:
    """A copy of the data directory (as links) without strangers{k}.yml."""
    for f in training_files(DATA_DIR):
        if f.name == f"strangers{k}.yml":
            continue
        dest = into / f.relative_to(DATA_DIR)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.symlink_to(f)
    return into


def score(model_path: Path, data_dir: Path, corpus: Path) -> list[Scored]:
    pipe = NluPipeline(model_path, data_dir=data_dir, check_fingerprint=False).load()
    out = []
    for _, row in read_jsonl(corpus):
        r = pipe.parse_sync(str(row["text"]))
        urgent = bool(row["urgent"])
        out.append(
            Scored(
                urgent=urgent,
                calm=not urgent and not row.get("asks_human", False),
                slice=str(row["slice"]),
                ruled=bool(r.urgent_rules),
                p=float(r.scores["urgent"]["model"]),
                text=str(row["text"]),
            )
        )
    return out


def figures(items: list[Scored], thr: float) -> tuple[float, float, int, int]:
    urgent = [s for s in items if s.urgent]
    calm = [s for s in items if s.calm]
    caught = sum(1 for s in urgent if s.ruled or s.p >= thr)
    paged = sum(1 for s in calm if s.ruled or s.p >= thr)
    return caught / max(1, len(urgent)), paged / max(1, len(calm)), len(urgent) - caught, paged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpora", nargs="+", type=int)
    ap.add_argument("--no-cv", action="store_true", help="keep the shipped model's threshold")
    ap.add_argument("--sweep", default="", help="comma-separated thresholds to report as well")
    ap.add_argument(
        "--retrain", action="store_true", help="train on today's data files for a fresh corpus too"
    )
    ap.add_argument("--show", action="store_true", help="print the misses and the false pages")
    args = ap.parse_args()
    shipped = LinearModel.load(MODEL_PATH)
    sweep = [float(t) for t in args.sweep.split(",") if t]
    total: dict[str, list[int]] = {}
    for k in args.corpora:
        corpus, trained_on = corpus_path(k)
        with tempfile.TemporaryDirectory() as tmp:
            if trained_on or args.retrain:
                data = without(k, Path(tmp) / "data")
                model = train(data, TrainConfig(), cv=not args.no_cv)
                if args.no_cv:
                    model.urgent_threshold = shipped.urgent_threshold
                    model.possible_threshold = shipped.possible_threshold
                path = Path(tmp) / "model.npz"
                model.save(path)
            else:
                data, path, model = DATA_DIR, MODEL_PATH, shipped
            items = score(path, data, corpus)
        thr = model.urgent_threshold
        for i, t in enumerate([thr, *sweep]):
            rec, fa, missed, paged = figures(items, t)
            acc = total.setdefault("model's" if i == 0 else f"{t:.2f}", [0, 0, 0, 0])
            acc[0] += missed
            acc[1] += sum(1 for s in items if s.urgent)
            acc[2] += paged
            acc[3] += sum(1 for s in items if s.calm)
            mark = "*" if i == 0 else " "
            print(
                f"corpus {k:>2} thr {t:.2f}{mark} urgent recall {rec:.4f} ({missed} missed)"
                f"  calm paged {fa:.4f} ({paged})"
            )
        if args.show:
            for s in items:
                hit = s.ruled or s.p >= thr
                if s.urgent != hit and (s.urgent or s.calm):
                    tag = "MISS" if s.urgent else "PAGE"
                    print(f"  {tag} {s.slice:<9} p={s.p:.2f} rule={int(s.ruled)} {s.text[:140]}")
    for label, (missed, n_urgent, paged, n_calm) in total.items():
        print(
            f"pooled thr {label}: urgent recall {1 - missed / max(1, n_urgent):.4f}"
            f" ({missed}/{n_urgent} missed), calm paged {paged / max(1, n_calm):.4f}"
            f" ({paged}/{n_calm})"
        )


if __name__ == "__main__":
    main()
