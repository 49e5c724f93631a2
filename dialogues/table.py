"""The flows as one Markdown table per flow, for counsellors to review without reading code.

`python -m dialogues.table` (or `qamqor flows table`) writes docs/flows.md; `--check` fails
when the file is out of date (a test runs it, so the table always matches the declarations).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dialogues.build import build_engine
from dialogues.engine import Engine
from dialogues.flow import RESUME, Step
from dialogues.routes import Routes

DOC = Path(__file__).resolve().parents[1] / "docs" / "flows.md"
LANG = "ru"
MAX_SAY = 110  # characters of each text shown


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SAY else text[: MAX_SAY - 1].rstrip() + "…"


def _target(goto: str | None) -> str:
    if goto == RESUME:
        return "(back to where the person was)"
    return f"`{goto}`" if goto else "(stays)"


def _row(engine: Engine, step: Step) -> str:
    t = engine.texts
    says = "<br>".join(_cell(_short(t.get(LANG, key))) for key in step.say) or "—"
    if step.lines:
        says += "<br>*+ the phone lines, unless this turn gave them*"
    buttons = []
    for opt in step.options:
        action = f" (does `{opt.do}`)" if opt.do else ""
        buttons.append(f"{_cell(t.get(LANG, opt.label))} → {_target(opt.goto)}{action}")
    if step.on_pick:
        buttons.append(f"buttons made by `{step.on_enter}` → `{step.on_pick}`")
    if step.next:
        buttons.append(f"goes on to {_target(step.next)}")
    free = f"`{step.on_text}`, else NLU routing" if step.on_text else "NLU routing"
    actions = ", ".join(
        f"{label} `{name}`" for label, name in (("on enter", step.on_enter),) if name
    )
    controls = []
    if step.next:
        pass  # no buttons of its own: the next step's are shown
    elif step.menu_button and step.id != "menu.main":
        controls.append("menu")
    if step.controls and not step.next:
        controls.append("urgent, quick exit")
    if controls:
        buttons.append(f"*+ {', '.join(controls)}*")
    return f"| `{step.id}` | {says} | {'<br>'.join(buttons) or '—'} | {free} | {actions or '—'} |"


def render(engine: Engine | None = None) -> str:
    engine = engine or build_engine()
    out = [
        "# Flows: steps, texts, buttons and transitions",
        "",
        "Generated from the flow declarations by `python -m dialogues.table` (or "
        "`qamqor flows table`); do not edit by hand. Texts are the Russian ones, shortened; "
        "the Kazakh texts have the same keys (dialogues/texts/kk).",
        "",
        "On every step, before anything else: a **button press** is resolved against these "
        "declarations; **commands** /start, /help, /lang, /menu, /forget, /exit work anywhere; "
        "a message that is exactly a **button's label on screen** presses it; "
        "an **urgent message** (NLU) interrupts any step with the emergency numbers "
        "(`safety.urgent`, resumable); then typed answers that mean a button; then the step's "
        "free-text handler; then NLU routing (table at the end). *urgent, quick exit* marks "
        "the two buttons present on every menu.",
        "",
    ]
    for flow in engine.flows:
        out += [f"## {flow.name}", ""]
        if flow.summary:
            out += [_cell(flow.summary), ""]
        out += [
            "| step | says | buttons → target | free text | actions |",
            "|---|---|---|---|---|",
        ]
        out += [_row(engine, step) for step in flow.steps]
        out.append("")
    routes = Routes()
    out += ["## Free text routing (NLU)", "", "| intent / role | step |", "|---|---|"]
    out += [f"| intent `{i}` | `{s}` |" for i, s in routes.by_intent.items()]
    out += [f"| intent `help`, role `{r}` | `{s}` |" for r, s in routes.help_by_role.items()]
    out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if docs/flows.md is stale")
    parser.add_argument("--output", type=Path, default=DOC)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run `python -m dialogues.table`", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
