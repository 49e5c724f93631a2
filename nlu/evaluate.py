"""Evaluation on labelled JSON lines ({"text","lang","slice","role","intent","urgent"})."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from nlu.pipeline import NluPipeline
from nlu.result import INTENTS, LANGS, ROLES, NluResult

LABEL_CLASSES: dict[str, tuple[str, ...]] = {"lang": LANGS, "role": ROLES, "intent": INTENTS}


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    lang: str
    slice: str
    role: str
    intent: str
    urgent: bool


def parse_items(rows: Iterable[dict[str, Any]], errors: list[str] | None = None) -> list[Item]:
    """Labelled items; a row missing a label is skipped (and listed in ``errors``)."""
    out = []
    for n, r in enumerate(rows, 1):
        try:
            out.append(
                Item(
                    text=str(r["text"]),
                    lang=str(r["lang"]),
                    slice=str(r.get("slice") or r["lang"]),
                    role=str(r["role"]),
                    intent=str(r["intent"]),
                    urgent=bool(r["urgent"]),
                )
            )
        except (KeyError, TypeError, AttributeError) as e:
            if errors is not None:
                errors.append(f"item {n}: {type(e).__name__}: {e}")
    return out


def macro_f1(truth: Sequence[str], pred: Sequence[str], classes: Sequence[str]) -> float:
    f1s = []
    for c in classes:
        tp = sum(1 for t, p in zip(truth, pred, strict=True) if t == c and p == c)
        fp = sum(1 for t, p in zip(truth, pred, strict=True) if t != c and p == c)
        fn = sum(1 for t, p in zip(truth, pred, strict=True) if t == c and p != c)
        if tp + fp + fn == 0:
            continue  # class absent from both: not part of the average
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s) if f1s else 0.0


def _group_metrics(items: Sequence[Item], preds: Sequence[NluResult]) -> dict[str, Any]:
    n = len(items)
    m: dict[str, Any] = {"n": n}
    for label, classes in LABEL_CLASSES.items():
        t = [getattr(i, label) for i in items]
        p = [getattr(r, label) for r in preds]
        m[f"{label}_acc"] = round(sum(a == b for a, b in zip(t, p, strict=True)) / max(1, n), 4)
        m[f"{label}_macro_f1"] = round(macro_f1(t, p, classes), 4)
    tp = sum(1 for i, r in zip(items, preds, strict=True) if i.urgent and r.urgent)
    pos = sum(i.urgent for i in items)
    flagged = sum(r.urgent for r in preds)
    m["urgent_n"] = pos
    m["urgent_recall"] = round(tp / pos, 4) if pos else None
    m["urgent_precision"] = round(tp / flagged, 4) if flagged else None
    # The danger tier: an urgent message read as "possible" still gets the numbers first.
    at_risk = [r.danger != "none" for r in preds]
    tp_d = sum(1 for i, d in zip(items, at_risk, strict=True) if i.urgent and d)
    neg = n - pos
    m["danger_recall"] = round(tp_d / pos, 4) if pos else None
    m["calm_flagged"] = (
        round(sum(1 for i, d in zip(items, at_risk, strict=True) if not i.urgent and d) / neg, 4)
        if neg
        else None
    )
    return m


def confusion(
    items: Sequence[Item], preds: Sequence[NluResult], label: str
) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    c = Counter(
        (str(getattr(i, label)).lower(), str(getattr(r, label)).lower())
        for i, r in zip(items, preds, strict=True)
    )
    for (t, p), k in sorted(c.items()):
        out[t][p] = k
    return dict(out)


def evaluate(pipeline: NluPipeline, items: Sequence[Item]) -> dict[str, Any]:
    preds = [pipeline.parse_sync(i.text, second_opinion=True) for i in items]
    report: dict[str, Any] = {"overall": _group_metrics(items, preds)}
    for key in ("slice", "lang"):
        groups: dict[str, list[int]] = defaultdict(list)
        for k, i in enumerate(items):
            groups[getattr(i, key)].append(k)
        report[f"by_{key}"] = {
            g: _group_metrics([items[k] for k in ks], [preds[k] for k in ks])
            for g, ks in sorted(groups.items())
        }
    report["confusion"] = {
        label: confusion(items, preds, label) for label in ("lang", "role", "intent")
    }
    report["confusion"]["urgent"] = confusion(items, preds, "urgent")
    report["errors"] = [
        {
            "text": i.text,
            "slice": i.slice,
            "want": {k: getattr(i, k) for k in ("lang", "role", "intent", "urgent")},
            "got": {k: getattr(r, k) for k in ("lang", "role", "intent", "urgent")},
            "urgency": r.urgency,
            "danger": r.danger,
        }
        for i, r in zip(items, preds, strict=True)
        if (i.lang, i.role, i.intent, i.urgent) != (r.lang, r.role, r.intent, r.urgent)
    ]
    report["threshold"] = pipeline.model.urgent_threshold
    report["possible_threshold"] = pipeline.model.possible_threshold
    return report


def format_report(rep: dict[str, Any]) -> str:
    cols = ("n", "lang_acc", "role_acc", "role_macro_f1", "intent_acc", "intent_macro_f1",
            "urgent_n", "urgent_recall", "urgent_precision", "danger_recall",
            "calm_flagged")  # fmt: skip
    lines = ["group        " + " ".join(f"{c:>15}" for c in cols)]

    def row(name: str, m: dict[str, Any]) -> str:
        vals = []
        for c in cols:
            v = m.get(c)
            vals.append(f"{'-' if v is None else v:>15}")
        return f"{name:<12} " + " ".join(vals)

    lines.append(row("overall", rep["overall"]))
    for key in ("by_slice", "by_lang"):
        lines.append(f"-- {key}")
        lines.extend(row(g, m) for g, m in rep[key].items())
    for label, mat in rep["confusion"].items():
        lines.append(f"-- confusion {label} (rows: truth, columns: predicted)")
        classes = sorted({*mat, *(p for r in mat.values() for p in r)})
        lines.append(" " * 12 + "".join(f"{c[:9]:>10}" for c in classes))
        for t in classes:
            lines.append(
                f"{t[:11]:<12}" + "".join(f"{mat.get(t, {}).get(p, 0):>10}" for p in classes)
            )
    lines.append(
        f"urgency threshold: {rep['threshold']}; possible band from "
        f"{rep.get('possible_threshold')}; errors: {len(rep['errors'])}"
    )
    lines.append(
        "danger_recall: urgent items read as urgent or possible; "
        "calm_flagged: non-urgent items read as urgent or possible"
    )
    return "\n".join(lines)
