"""Reproduce the language-identification comparison in docs/nlu.md.

    python tools/langid_compare.py [heldout.jsonl]

Cross-validated (5 folds, fixed seed) on the training data, per slice, for:
lingua restricted to {ru, kk, en}; our char-n-gram lang head; the head + script cues
(what the pipeline does); lingua + script cues. With a JSON-lines file, also on that file
(the model then trained on all data). Prints load time and RSS growth of lingua.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from nlu.data import load_training
from nlu.langid import decide
from nlu.model import SEED, TrainConfig, fit
from nlu.text import normalize


def lingua_detector() -> tuple[Callable[[str], dict[str, float]], float, float]:
    from lingua import Language, LanguageDetectorBuilder

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    det = (
        LanguageDetectorBuilder.from_languages(Language.RUSSIAN, Language.KAZAKH, Language.ENGLISH)
        .with_preloaded_language_models()
        .build()
    )
    load = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss0
    names = {Language.RUSSIAN: "ru", Language.KAZAKH: "kk", Language.ENGLISH: "en"}

    def probs(text: str) -> dict[str, float]:
        return {names[c.language]: c.value for c in det.compute_language_confidence_values(text)}

    return probs, load, rss


def table(rows: list[tuple[str, str, dict[str, str]]], methods: list[str]) -> None:
    by: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    for slc, gold, pred in rows:
        by[slc].append((gold, pred))
        by["ALL"].append((gold, pred))
    print(f"{'slice':<10}{'n':>6}" + "".join(f"{m:>16}" for m in methods))
    for slc in sorted(by, key=lambda s: (s == "ALL", s)):
        items = by[slc]
        accs = [sum(p[m] == g for g, p in items) / len(items) for m in methods]
        print(f"{slc:<10}{len(items):>6}" + "".join(f"{a:>16.3f}" for a in accs))


def main() -> None:
    probs_lingua, load, rss = lingua_detector()
    print(f"lingua {{ru,kk,en}} preloaded: load {load:.2f} s, RSS +{rss:.0f} MB")
    methods = ["lingua", "lingua+cues", "model", "model+cues"]

    def predict(model_p: dict[str, float], text: str) -> dict[str, str]:
        normed = normalize(text)
        lp = probs_lingua(text)
        return {
            "lingua": max(lp, key=lp.__getitem__),
            "lingua+cues": decide(normed, lp, None)[0],
            "model": max(model_p, key=model_p.__getitem__),
            "model+cues": decide(normed, model_p, None)[0],
        }

    ex = load_training()
    skf = StratifiedKFold(5, shuffle=True, random_state=SEED)
    rows = []
    for tr, te in skf.split(np.zeros(len(ex)), [e.slice for e in ex]):
        m = fit([ex[i] for i in tr], TrainConfig(), ("lang",))
        for i in te:
            mp = m.head_probs(m.raw_scores(normalize(ex[i].text)), "lang")
            rows.append((ex[i].slice, ex[i].lang, predict(mp, ex[i].text)))
    print(f"\n5-fold CV on the training data ({len(ex)} examples), language accuracy:")
    table(rows, methods)
    if len(sys.argv) > 1:
        m = fit(ex, TrainConfig(), ("lang",))
        rows = []
        for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                mp = m.head_probs(m.raw_scores(normalize(r["text"])), "lang")
                rows.append((r["slice"], r["lang"], predict(mp, r["text"])))
        print(f"\n{sys.argv[1]} ({len(rows)} items), language accuracy:")
        table(rows, methods)


if __name__ == "__main__":
    main()
