"""A multi-pattern prefilter for the urgency rules: one Hyperscan scan per text tells which
rule patterns *can* match it; only those are then run with Python ``re``.

Each pattern is reduced to literals one of which any match must contain («душит|задыхаюс»
for ``\\b(душит|задыхаюс)\\b.{0,30}…``), read off Python's own parse of the pattern: the
test is exact code-point substring search, so no difference between PCRE and Python ``re``
(``\\w``, ``\\b``, ``{,3}``, lookbehind) can make a rule be skipped that would have matched.
A pattern with no such literals (``\\d{3}``), or when Hyperscan is not installed, is always
run. Compiling the rules themselves in Hyperscan's prefilter mode took 2.1 s at load (the
``.{0,80}`` gaps in UTF-8 mode); the literals compile in milliseconds.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

_hs: Any
try:  # optional: Linux x86-64 wheels only
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the platform
    _hs = None

try:
    import re._constants as _c  # type: ignore[import-not-found,unused-ignore]
    import re._parser as _p  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c
    import sre_parse as _p

# Bounds that keep the literal sets small: a class of more letters, or a cross product of
# more strings, stops the run of exact text there.
_MAX_CLASS = 8
_MAX_SET = 64

Lits = frozenset[str]


def _better(a: Lits | None, b: Lits | None) -> Lits | None:
    """The more selective of two literal sets: longer shortest literal, then fewer literals."""
    if a is None or not a or "" in a:
        return b if b and "" not in b else None
    if b is None or not b or "" in b:
        return a
    ka, kb = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return a if ka >= kb else b


def _seq(items: Iterable[tuple[Any, Any]]) -> tuple[Lits | None, Lits | None]:
    """(every string the sequence can match if few, else None; necessary literals or None)."""
    exact: Lits | None = frozenset({""})
    best: Lits | None = None
    run: Lits | None = frozenset({""})
    for op, av in items:
        ex, req = _node(op, av)
        best = _better(best, req)
        if ex is not None and run is not None and len(run) * len(ex) <= _MAX_SET:
            run = frozenset(a + b for a, b in itertools.product(run, ex))
        else:
            best = _better(best, run)
            run = ex if ex is not None and len(ex) <= _MAX_SET else frozenset({""})
            exact = None
        if exact is not None:
            exact = run
    best = _better(best, run)
    return exact, best


def _node(op: Any, av: Any) -> tuple[Lits | None, Lits | None]:
    if op is _c.LITERAL:
        s = frozenset({chr(av)})
        return s, s
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):  # zero-width: adds no text to the match
        return frozenset({""}), None
    if op is _c.SUBPATTERN:
        if av[1] or av[2]:  # local flags ((?i:…)): no claim
            return None, None
        return _seq(av[3])
    if op is _c.ATOMIC_GROUP:
        return _seq(av)
    if op is _c.BRANCH:
        alts = [_seq(a) for a in av[1]]
        exact: Lits | None = None
        if all(e is not None for e, _ in alts):
            u = frozenset().union(*(e for e, _ in alts if e is not None))
            exact = u if len(u) <= _MAX_SET else None
        reqs = [_better(r, e) for e, r in alts]
        if any(r is None for r in reqs):
            return exact, None
        req = frozenset().union(*(r for r in reqs if r is not None))
        return exact, (req if len(req) <= _MAX_SET else None)
    if op is _c.IN:
        chars: set[str] = set()
        for iop, iav in av:
            if iop is _c.LITERAL:
                chars.add(chr(iav))
            elif iop is _c.RANGE and iav[1] - iav[0] < _MAX_CLASS:
                chars.update(chr(x) for x in range(iav[0], iav[1] + 1))
            else:  # a negation, a category (\w), a wide range: no claim
                return None, None
        return (frozenset(chars), frozenset(chars)) if len(chars) <= _MAX_CLASS else (None, None)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        lo, hi, sub = av
        if lo == 0:
            return None, None
        body, need = _seq(sub)
        if lo == hi == 1:
            return body, need
        return None, _better(need, body)  # the body occurs at least once
    return None, None  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, …: matches unknown text


def required_literals(rx: re.Pattern[str]) -> frozenset[str] | None:
    """Literals one of which every match of ``rx`` contains, or None when there are none."""
    if rx.flags & ~(re.UNICODE | re.DOTALL | re.MULTILINE) or not isinstance(rx.pattern, str):
        return None  # IGNORECASE, VERBOSE, …: no claim
    try:
        _, req = _seq(_p.parse(rx.pattern, rx.flags))
    except Exception:  # an unexpected parse tree: the rule simply always runs
        return None
    return req if req and "" not in req else None


class Prefilter:
    """Which of ``patterns`` can match a text. Patterns are identified by their position.

    With Hyperscan: one scan of the text for all the literals. Without it (``hyperscan``
    wheels are Linux x86-64 only), Python's substring search for each pattern's literals,
    slower but still far cheaper than running every regex."""

    def __init__(self, patterns: Sequence[re.Pattern[str]], *, use_hyperscan: bool = True) -> None:
        self.n = len(patterns)
        lits = [required_literals(p) for p in patterns]
        # Positions that are always run: patterns with no literal every match contains.
        self.always = frozenset(i for i, ls in enumerate(lits) if ls is None)
        self._lits = [(i, tuple(sorted(ls))) for i, ls in enumerate(lits) if ls is not None]
        self._db: Any = None
        if _hs is None or not use_hyperscan or not self._lits:
            return
        exprs = [lit.encode("utf-8") for _, ls in self._lits for lit in ls]
        ids = [i for i, ls in self._lits for _ in ls]
        try:
            db = _hs.Database()
            db.compile(
                expressions=exprs,
                ids=ids,
                elements=len(exprs),
                flags=_hs.HS_FLAG_SINGLEMATCH,
                literal=True,
            )
        except Exception:  # pragma: no cover - e.g. a CPU Hyperscan does not support
            return
        self._db = db

    @property
    def uses_hyperscan(self) -> bool:
        return self._db is not None

    def candidates(self, text: str) -> set[int]:
        """Positions of the patterns that may match ``text`` (a superset of those that do)."""
        found = set(self.always)
        if self._db is not None:
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates: Python's search below
                pass
            else:

                def on_match(i: int, _from: int, _to: int, _flags: int, _ctx: object) -> None:
                    found.add(i)

                self._db.scan(data, match_event_handler=on_match)
                return found
        found.update(i for i, ls in self._lits if any(lit in text for lit in ls))
        return found
