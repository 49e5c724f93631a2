"""The layers of docs/architecture.md hold: no module imports a layer above its own, no two
parts import each other (directly or round a loop), and the serving CLI loads no benchmark
and no fake (issue 21).

Every .py file is read with `ast`; imports at module level and inside functions count alike,
and so do imports under `if TYPE_CHECKING:` everywhere but in the wiring (`bot/app.py`): a type
named from a layer above is a dependency on it even when the import never runs."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".venv", ".git", "build", "dist", "qamqor.egg-info", "node_modules"}

# Bottom to top. A module may import its own layer's parts (without loops) and lower layers.
# Layers of the same rank are siblings: neither imports the other.
RANKS = {
    "core": 0,  # messages, notifier interface and reply codec, clock, priorities
    "nlu": 1,  # understanding a text: numpy only, no storage
    "storage": 1,  # database, people, state, transcripts, crypto, migrations
    "domain": 2,  # registry, reports, booking, handoff, staff accounts
    "dialogues": 3,  # the channel-free conversation engine and its flows
    "staff-ui": 3,  # the staff web pages (staffweb/)
    "bot": 4,  # channels, inboxes, the pipeline, the web server, and the wiring (bot/app.py)
    "dev": 5,  # benchmarks, fakes, tools and tests: import anything, imported by none above
}

# Module name prefix → (layer, part). The longest matching prefix wins. A part is what the
# loop check looks at: usually a top-level package.
PARTS = {
    "core": "core",
    "nlu": "nlu",
    "storage": "storage",
    "registry": "domain",
    "booking": "domain",
    "handoff": "domain",
    # The one way out: outbox, send budget and per-chat pace, notifier, flood gate.
    "delivery": "domain",
    # Staff accounts, sign-in and the audit trail: domain code checks who may act with them.
    "staffweb.auth": "domain",
    "staffweb.models": "domain",
    # Figures and exports for grant reports, from the registry (their page is staffweb/reports.py).
    "reports": "domain",
    # The live directory of help contacts (its page is staffweb/contacts.py).
    "contacts": "domain",
    "dialogues": "dialogues",
    # Every staff page, above the domain: each is handed the services it uses, never the App.
    "staffweb": "staff-ui",
    "bot": "bot",
    "bench": "dev",
    "devtools": "dev",
    "bot.testing": "dev",  # where the fakes lived before devtools/: never again in the bot
    "tools": "dev",
    "tests": "dev",
}


def part_of(module: str) -> str | None:
    """The longest prefix of `module` in PARTS, or None for a module outside the project."""
    pieces = module.split(".")
    for n in range(len(pieces), 0, -1):
        prefix = ".".join(pieces[:n])
        if prefix in PARTS:
            return prefix
    return None


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    names = list(rel.parts)
    if names[-1] == "__init__":
        names.pop()
    return ".".join(names)


def type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of the statements under `if TYPE_CHECKING:` (never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for stmt in node.body:
                for inner in ast.walk(stmt):
                    if isinstance(inner, ast.stmt):
                        lines.add(inner.lineno)
    return lines


WIRING = "bot.app"  # the one module whose `if TYPE_CHECKING:` imports are not counted


def imports_of(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, imported module) for every import, wherever it is in the file; in the wiring,
    those under `if TYPE_CHECKING:` (which never run) are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = type_checking_only(tree) if module == WIRING else set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                here = package.split(".")
                base = ".".join([*here[: len(here) - node.level + 1], *filter(None, [base])])
            # `from pkg import mod` may name a submodule: count the deepest part it reaches
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def project_files() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if not SKIP_DIRS.intersection(p.relative_to(ROOT).parts) and part_of(module_name(p))
    )


def edges() -> list[tuple[str, str, str]]:
    """(importing part, imported part, where) for every import between two parts."""
    out = []
    for path in project_files():
        module = module_name(path)
        source = part_of(module)
        assert source is not None
        for line, target_module in imports_of(path, module):
            target = part_of(target_module)
            if target is not None and target != source:
                out.append((source, target, f"{path.relative_to(ROOT)}:{line} {target_module}"))
    return out


def test_every_package_has_a_layer() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} | {"tools"}
    assert packages - SKIP_DIRS <= set(PARTS), "add the new package to PARTS and the docs"


def test_every_package_is_installed() -> None:
    """A package missing from pyproject's list imports from the checkout but not from an
    install: `qamqor` run from another directory fails (as `delivery/` did at first)."""
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["packages"]["find"]["include"]
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - SKIP_DIRS - {"tests"}
    missing = {p for p in packages if f"{p}*" not in include}
    assert not missing, f"add to [tool.setuptools.packages.find] include: {sorted(missing)}"


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = []
    for source, target, where in edges():
        a, b = PARTS[source], PARTS[target]
        if RANKS[b] > RANKS[a] or (RANKS[b] == RANKS[a] and a != b):
            upward.append(f"{where}  ({a} → {b})")
    assert not upward, "imports upward or sideways:\n" + "\n".join(upward)


def test_no_import_cycle_between_parts() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], str] = {}
    for source, target, at in edges():
        graph[source].add(target)
        where.setdefault((source, target), at)
    loops = [c for c in strongly_connected(graph) if len(c) > 1]
    details = [
        f"{sorted(c)}: " + "; ".join(where[e] for e in where if e[0] in c and e[1] in c)
        for c in loops
    ]
    assert not loops, "import cycles:\n" + "\n".join(details)


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm (the graph has a few dozen nodes: recursion is fine)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            out.append(component)

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def test_the_checker_counts_type_checking_imports_outside_the_wiring(tmp_path: Path) -> None:
    code = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bot.app import App\n"
        "def f():\n    from bench.e2e import main\n"
    )
    path = tmp_path / "probe.py"
    path.write_text(code)
    found = [m for _, m in imports_of(path, "storage.probe")]
    assert found == ["typing.TYPE_CHECKING", "bot.app.App", "bench.e2e.main"]
    assert [m for _, m in imports_of(path, WIRING)] == ["typing.TYPE_CHECKING", "bench.e2e.main"]


def source_of(module: str) -> Path | None:
    """The file of `module`, or of its longest prefix that is a module (`pkg.mod.Name`)."""
    pieces = module.split(".")
    for n in range(len(pieces), 0, -1):
        base = ROOT.joinpath(*pieces[:n])
        for path in (base.with_suffix(".py"), base / "__init__.py"):
            if path.is_file():
                return path
    return None


def test_nothing_the_serving_cli_can_reach_is_a_benchmark_or_a_fake() -> None:
    """Follows every import from bot/cli.py, those run by commands too (the lazy ones)."""
    seen: dict[str, str] = {"bot.cli": "qamqor"}
    todo = ["bot.cli"]
    while todo:
        module = todo.pop()
        path = source_of(module)
        if path is None:
            continue
        for line, target in imports_of(path, module_name(path)):
            found = source_of(target)
            if found is None or not part_of(target):
                continue
            name = module_name(found)
            if name not in seen:
                seen[name] = f"{path.relative_to(ROOT)}:{line}"
                todo.append(name)
    dev = {m: at for m, at in seen.items() if PARTS[part_of(m) or ""] == "dev"}
    assert not dev, f"the serving CLI can import development code: {dev}"


def test_the_serving_cli_loads_no_benchmark_and_no_fake() -> None:
    probe = "import json, sys; import bot.cli; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    loaded = json.loads(run.stdout)
    dev = [m for m in loaded if (part := part_of(m)) and PARTS[part] == "dev"]
    assert not dev, f"the serving CLI imports development code: {dev}"


def test_autogenerate_sees_every_table(tmp_path: Path) -> None:
    """The tables are registered by bot/models.py now, which alembic.ini names: `alembic check`
    at the head finds nothing to add or drop (without it, it would drop the channels' tables)."""
    ini = (ROOT / "alembic.ini").read_text(encoding="utf-8")
    url = f"sqlite+aiosqlite:///{tmp_path / 'check.db'}"
    config = tmp_path / "alembic.ini"
    config.write_text(
        "\n".join(
            f"sqlalchemy.url = {url}" if line.startswith("sqlalchemy.url") else line
            for line in ini.splitlines()
        ).replace(
            "script_location = storage/migrations", f"script_location = {ROOT}/storage/migrations"
        )
    )
    for command in (["upgrade", "head"], ["check"]):
        run = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(config), *command],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr[-2000:]
