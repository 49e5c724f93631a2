"""Urgency rules: regex patterns kept in ``nlu/data/urgency/*.txt`` (format in that folder).

Rules are the recall backstop for the classifier: a hit makes a message urgent whatever the
model says. ``ru.txt``/``kk.txt`` patterns match the *canonical* view (Latin transliterated,
Kazakh letters folded: one pattern covers Cyrillic, no-diacritic, Latin Kazakh and
translit); patterns are folded the same way on load, so authors may write "өлтіремін".
``en.txt`` matches the plain normalised text. ``idioms.txt`` lists violent-sounding idioms
("убить готова за посуду", "өлердей шаршадым"): a *soft* rule hit inside an idiom is
dropped, and idiom spans are blanked before the classifier scores the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from nlu.prefilter import Prefilter
from nlu.text import canon, canon_map, fold_kazakh

RULES_DIR = Path(__file__).parent / "data" / "urgency"
# Rule scanning is linear in the text, but a multi-megabyte paste should not stall the bot.
MAX_SCAN_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    view: str  # "canon" or "norm"
    soft: bool  # may be an idiom or a joke: suppressed by idioms.txt
    calm_sensitive: bool = False  # "~": dropped in a calm context (film, news, the past…)


@dataclass(frozen=True, slots=True)
class RuleHit:
    name: str
    start: int
    end: int
    view: str


def _parse_file(path: Path, view: str, prefix: str) -> list[Rule]:
    rules: list[Rule] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, pat = line.partition(" ")
        flags = name[: len(name) - len(name.lstrip("?~"))]
        soft = "?" in flags
        calm_sensitive = "~" in flags
        name = name.lstrip("?~")
        pat = pat.strip()
        if view == "canon":
            pat = fold_kazakh(_lower(pat).replace("ё", "е"))
        try:
            rx = re.compile(pat)
        except re.error as e:
            raise ValueError(f"{path}:{n}: bad pattern {pat!r}: {e}") from e
        rules.append(Rule(f"{prefix}:{name}", rx, view, soft, calm_sensitive))
    return rules


_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+")


def _lower(pat: str) -> str:
    """Lower-case a pattern's text but not its escapes: ``\\W``, ``\\A``, ``\\Z`` keep their
    meaning (a plain ``lower()`` turned ``\\W`` into ``\\w``)."""
    return _ESCAPE_OR_TEXT.sub(
        lambda m: m.group(0) if m.group(0).startswith("\\") else m.group(0).lower(), pat
    )


@dataclass(frozen=True, slots=True)
class RoleCue:
    role: str  # "victim" | "witness" | "aggressor"
    rule: Rule


def _parse_roles(path: Path) -> tuple[list[RoleCue], list[Rule]]:
    """``roles.txt``: ``ROLE NAME REGEX`` lines; ROLE ``-`` marks a blocker."""
    cues: list[RoleCue] = []
    blockers: list[Rule] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        role, _, rest = line.partition(" ")
        if role not in ("-", "victim", "witness", "aggressor"):
            raise ValueError(f"{path}:{n}: unknown role {role!r}")
        name, _, pat = rest.strip().partition(" ")
        plain = name.startswith("en_")
        pat = pat.strip() if plain else fold_kazakh(_lower(pat.strip()).replace("ё", "е"))
        try:
            rx = re.compile(pat)
        except re.error as e:
            raise ValueError(f"{path}:{n}: bad pattern {pat!r}: {e}") from e
        rule = Rule(f"role:{name}", rx, "norm" if plain else "canon", False)
        if role == "-":
            blockers.append(rule)
        else:
            cues.append(RoleCue(role, rule))
    return cues, blockers


# English entries ("en_…", "calm_en_…") match the plain text: the canonical view spells
# English in Cyrillic, which only a few old entries (``petty_en``) are written in.
_PLAIN_NAME = re.compile(r"(?:^|_)en_")


def _canon_or_plain(path: Path, prefix: str) -> list[Rule]:
    """A rules file on the canonical view, except English entries: the plain text."""
    if not path.exists():
        return []
    return [
        _plain(r) if _PLAIN_NAME.search(r.name.partition(":")[2]) else r
        for r in _parse_file(path, "canon", prefix)
    ]


class UrgencyRules:
    def __init__(
        self,
        rules: list[Rule],
        idioms: list[Rule],
        jokes: list[Rule],
        role_cues: list[RoleCue] | None = None,
        role_blockers: list[Rule] | None = None,
        safety: list[Rule] | None = None,
        possible: list[Rule] | None = None,
    ) -> None:
        self.rules, self.idioms, self.jokes = rules, idioms, jokes
        self.role_cues = role_cues or []
        self.role_blockers = role_blockers or []
        safety = safety or []
        self.safety = [r for r in safety if "danger" not in r.name]
        self.danger = [r for r in safety if "danger" in r.name]
        # A plain «я в безопасности» outweighs the past told beside it; only a word of danger
        # now or ahead (``danger_soon``) outweighs it.
        self.declared = [r for r in self.safety if "declared" in r.name]
        self.soon = [r for r in self.danger if "danger_soon" in r.name]
        self.possible = possible or []
        self.calm: list[Rule] = []
        self.now: list[Rule] = []
        self.safe: list[Rule] = []
        self.petty: list[Rule] = []
        self.grave: list[Rule] = []
        self.damp: list[Rule] = []
        self._prefilter: Prefilter | None = None
        self.pattern_index: dict[int, int] = {}  # id(pattern) -> its position in the prefilter

    @classmethod
    def load(cls, rules_dir: Path = RULES_DIR) -> UrgencyRules:
        rules: list[Rule] = []
        for name, view in (("ru", "canon"), ("kk", "canon"), ("en", "norm"), ("all", "norm")):
            path = rules_dir / f"{name}.txt"
            if path.exists():
                rules += _parse_file(path, view, name)
        idioms = _canon_or_plain(rules_dir / "idioms.txt", "idiom")
        jokes = [r for r in idioms if r.name.startswith("idiom:joke")]
        # Round four: calm contexts (a film, the news, a law question, the distant past) and
        # the present-danger words that cancel them; neither is an idiom span.
        calm_kinds = (
            "idiom:calm_",
            "idiom:damp_",
            "idiom:now_",
            "idiom:safe_",
            "idiom:petty_",
            "idiom:grave_",
        )
        calm = [r for r in idioms if r.name.startswith(calm_kinds)]
        idioms = [r for r in idioms if r not in calm]
        cues: list[RoleCue] = []
        blockers: list[Rule] = []
        path = rules_dir / "roles.txt"
        if path.exists():
            cues, blockers = _parse_roles(path)
        safety = _canon_or_plain(rules_dir / "safety.txt", "safety")
        possible = _canon_or_plain(rules_dir / "possible.txt", "possible")
        inst = cls(
            rules, [r for r in idioms if r not in jokes], jokes, cues, blockers, safety, possible
        )
        inst.calm = [r for r in calm if r.name.startswith("idiom:calm_")]
        inst.now = [r for r in calm if r.name.startswith("idiom:now_")]
        inst.safe = [r for r in calm if r.name.startswith("idiom:safe_")]
        inst.petty = [r for r in calm if r.name.startswith("idiom:petty_")]
        inst.grave = [r for r in calm if r.name.startswith("idiom:grave_")]
        inst.damp = [r for r in calm if r.name.startswith("idiom:damp_")]
        return inst

    @property
    def prefilter(self) -> Prefilter:
        """One prefilter over every pattern of every group, built on first use."""
        if self._prefilter is None:
            return self.build_prefilter()
        return self._prefilter

    def build_prefilter(self, *, use_hyperscan: bool = True) -> Prefilter:
        """(Re)build the prefilter; ``use_hyperscan=False`` tests the pure-Python search."""
        # Every list of rules the instance holds, so that a group added later is prefiltered
        # too (a pattern the prefilter does not know is simply always run).
        patterns: dict[int, re.Pattern[str]] = {}
        for group in vars(self).values():
            if isinstance(group, list):
                for item in group:
                    r = item.rule if isinstance(item, RoleCue) else item
                    if isinstance(r, Rule):
                        patterns.setdefault(id(r.pattern), r.pattern)
        # The prefilter holds the patterns alive, so their ids stay theirs.
        pf = Prefilter(list(patterns.values()), use_hyperscan=use_hyperscan)
        self.pattern_index = {k: i for i, k in enumerate(patterns)}
        self._prefilter = pf
        return pf

    def facts(self, normed: str) -> Facts:
        """The fast path's view of one normalised message (see ``Facts``)."""
        return Facts(self, normed[:MAX_SCAN_CHARS])

    @staticmethod
    def _found(rules: list[Rule], c: str, normed: str) -> bool:
        return any(r.pattern.search(c if r.view == "canon" else normed) for r in rules)

    def is_calm_context(self, c: str, normed: str) -> bool:
        """The message talks about a film, the news, sport, a law question or the distant
        past, and says nothing of danger now (``now_*`` entries in idioms.txt), or says plainly
        that the writer is safe now (``safe_*``); or it vents over a petty cause."""
        if self.is_petty(c):
            return True
        if not self._found(self.calm, c, normed):
            return False
        return not self._found(self.now, c, normed) or self._found(self.safe, c, normed)

    def is_damped(self, c: str, normed: str) -> bool:
        """A frame that lowers the classifier's urgency but never drops a rule (``damp_*``):
        a fear about later («бір күні», "one day"), a third party asking how to help. A
        conditional threat told with it («кетсем өлтіреді… бір күні») is still a rule."""
        return self._found(self.damp, c, normed) and not self._found(self.now, c, normed)

    def is_petty(self, c: str) -> bool:
        """A threat vented over socks, a cake or a deadline (``petty_*``), with no word of real
        harm (``grave_*``): hyperbole, not danger."""
        return any(r.pattern.search(c) for r in self.petty) and not any(
            r.pattern.search(c) for r in self.grave
        )

    def possible_signal(self, normed: str) -> str | None:
        """The name of the first soft danger signal in the text («он вернулся», «скоро
        придёт», a vague threat), unless the message is a joke or says the writer is safe."""
        if not self.possible:
            return None
        normed = normed[:MAX_SCAN_CHARS]
        c = canon(normed)
        for r in self.possible:
            if r.pattern.search(c if r.view == "canon" else normed):
                if self.is_joking(c) or self.is_safe_now(normed, c):
                    return None
                return r.name
        return None

    def is_safe_now(self, normed: str, c: str | None = None) -> bool:
        """The message says the writer is safe now and names no danger."""
        if not self.safety:
            return False
        c = canon(normed) if c is None else c
        if self.is_declared_safe(normed, c):
            return True
        return self._found(self.safety, c, normed) and not self._found(self.danger, c, normed)

    def is_declared_safe(self, normed: str, c: str) -> bool:
        """The writer says in so many words that they are safe now («я уже у мамы, я в
        безопасности», «қазір қауіпсізбін») and nothing is coming: the violence told beside it
        is over. Such a message is a calm context for the calm-sensitive rules too."""
        return self._found(self.declared, c, normed) and not self._found(self.soon, c, normed)

    def role_cue(self, normed: str) -> RoleCue | None:
        """The first role cue in the text, unless a blocker (reported speech, self-defence)
        or a joke marker is there: then the role head decides alone."""
        if not self.role_cues:
            return None
        normed = normed[:MAX_SCAN_CHARS]
        c = canon(normed)
        for cue in self.role_cues:
            if cue.rule.pattern.search(c if cue.rule.view == "canon" else normed):
                break
        else:
            return None
        if self.is_joking(c):
            return None
        if any(b.pattern.search(c if b.view == "canon" else normed) for b in self.role_blockers):
            return None
        return cue

    @staticmethod
    def _to_norm(span: tuple[int, int], idx: list[int], n: int) -> tuple[int, int]:
        s, e = span
        if s >= len(idx):
            return n, n
        return idx[s], (idx[e] if e < len(idx) else n)

    def _idioms_present(self, normed: str, c: str) -> bool:
        return any(r.pattern.search(c if r.view == "canon" else normed) for r in self.idioms)

    def idiom_spans(self, normed: str) -> list[tuple[int, int]]:
        """Idiom spans in ``normed`` coordinates."""
        c, idx = canon_map(normed)
        spans = []
        for r in self.idioms:
            text = c if r.view == "canon" else normed
            for m in r.pattern.finditer(text):
                span = m.span()
                spans.append(self._to_norm(span, idx, len(normed)) if r.view == "canon" else span)
        return spans

    def is_joking(self, c: str) -> bool:
        return any(r.pattern.search(c) for r in self.jokes)

    def scan(self, normed: str) -> list[RuleHit]:
        """Rule hits in an already normalised text, idioms and jokes taken out. Spans are
        in the coordinates of the view the rule matched (canonical or normalised)."""
        normed = normed[:MAX_SCAN_CHARS]
        c = canon(normed)
        joking = self.is_joking(c) or self.is_petty(c)
        calm: bool | None = None  # computed on the first calm-sensitive hit
        # The char-by-char offset map is only needed when an idiom is there to overlap.
        mapped: tuple[str, list[int]] | None = None
        spans: list[tuple[int, int]] = []
        if self._idioms_present(normed, c):
            mapped = canon_map(normed)
            spans = self.idiom_spans(normed)
        hits: list[RuleHit] = []
        for r in self.rules:
            text = c if r.view == "canon" else normed
            for m in r.pattern.finditer(text):
                if r.calm_sensitive:
                    if calm is None:
                        calm = self.is_calm_context(c, normed) or self.is_declared_safe(normed, c)
                    if calm:
                        break
                # Soft hits go in jokes and idioms; calm-sensitive (hard) ones in idioms only
                # («меня душит обида», «ыстықтан тұншығып отырмыз»).
                if (r.soft and (joking or spans)) or (r.calm_sensitive and spans):
                    span = m.span()
                    if mapped is not None and r.view == "canon":
                        span = self._to_norm(span, mapped[1], len(normed))
                    if (r.soft and joking) or any(
                        span[0] < ie and is_ < span[1] for is_, ie in spans
                    ):
                        continue
                hits.append(RuleHit(r.name, m.start(), m.end(), r.view))
                break
        return hits

    def mask_idioms(self, normed: str) -> str:
        """The text with idiom spans blanked, for the classifier."""
        if not self._idioms_present(normed, canon(normed)):  # the common, cheap case
            return normed
        spans = self.idiom_spans(normed)
        if not spans:
            return normed
        chars = list(normed)
        for a, b in spans:
            chars[a:b] = " " * (b - a)
        return " ".join("".join(chars).split())


def _plain(r: Rule) -> Rule:
    return Rule(r.name, r.pattern, "norm", r.soft)


class Facts:
    """One message as the rules see it, for the pipeline's fast path: the canonical view and
    each rule group's verdict (joke, calm, safety, idioms…) computed at most once, and a
    prefilter scan that skips the patterns which cannot match. Decisions are those of the
    plain methods of ``UrgencyRules`` (``scan``, ``possible_signal``, ``role_cue``,
    ``mask_idioms``, ``is_safe_now``…), which stay the reference: change both together
    (tests/nlu/test_fast_scan.py holds them equal)."""

    __slots__ = ("_cand_c", "_cand_n", "_mapped", "_memo", "_spans", "c", "normed", "rules")

    def __init__(self, rules: UrgencyRules, normed: str) -> None:
        self.rules = rules
        self.normed = normed
        self.c = canon(normed)
        pf = rules.prefilter
        self._cand_c = pf.candidates(self.c)
        self._cand_n = pf.candidates(normed)
        self._memo: dict[str, bool] = {}
        self._spans: list[tuple[int, int]] | None = None
        self._mapped: tuple[str, list[int]] | None = None

    def _may(self, r: Rule, on_c: bool) -> bool:
        cand = self._cand_c if on_c else self._cand_n
        i = self.rules.pattern_index.get(id(r.pattern))
        return i is None or i in cand  # a pattern added after the prefilter was built: run it

    def _search(self, r: Rule, on_c: bool) -> bool:
        if not self._may(r, on_c):
            return False
        return r.pattern.search(self.c if on_c else self.normed) is not None

    def found(self, key: str, group: list[Rule], canon_only: bool = False) -> bool:
        """Any rule of ``group`` matches (on its own view, or on the canonical one)."""
        got = self._memo.get(key)
        if got is None:
            got = any(self._search(r, canon_only or r.view == "canon") for r in group)
            self._memo[key] = got
        return got

    @property
    def joking(self) -> bool:
        return self.found("jokes", self.rules.jokes, True)

    @property
    def petty(self) -> bool:
        r = self.rules
        return self.found("petty", r.petty, True) and not self.found("grave", r.grave, True)

    @property
    def joking_or_petty(self) -> bool:
        return self.joking or self.petty

    @property
    def calm_context(self) -> bool:
        r = self.rules
        if self.petty:
            return True
        if not self.found("calm", r.calm):
            return False
        return not self.found("now", r.now) or self.found("safe", r.safe)

    @property
    def damped(self) -> bool:
        r = self.rules
        return self.found("damp", r.damp) and not self.found("now", r.now)

    @property
    def declared_safe(self) -> bool:
        r = self.rules
        return self.found("declared", r.declared) and not self.found("soon", r.soon)

    @property
    def safe_now(self) -> bool:
        r = self.rules
        if not r.safety:
            return False
        if self.declared_safe:
            return True
        return self.found("safety", r.safety) and not self.found("danger", r.danger)

    def idiom_spans(self) -> list[tuple[int, int]]:
        """``UrgencyRules.idiom_spans``, once, and only when an idiom is there at all."""
        if self._spans is None:
            spans: list[tuple[int, int]] = []
            if self.found("idioms", self.rules.idioms):
                self._mapped = mapped = canon_map(self.normed)
                c, idx = mapped
                n = len(self.normed)
                for r in self.rules.idioms:
                    on_c = r.view == "canon"
                    if not self._may(r, on_c):
                        continue
                    for m in r.pattern.finditer(c if on_c else self.normed):
                        span = m.span()
                        spans.append(UrgencyRules._to_norm(span, idx, n) if on_c else span)
            self._spans = spans
        return self._spans

    def scan(self) -> list[RuleHit]:
        """``UrgencyRules.scan``."""
        c, normed = self.c, self.normed
        spans = self.idiom_spans()
        mapped = self._mapped
        calm: bool | None = None
        hits: list[RuleHit] = []
        for r in self.rules.rules:
            on_c = r.view == "canon"
            if not self._may(r, on_c):
                continue
            for m in r.pattern.finditer(c if on_c else normed):
                if r.calm_sensitive:
                    if calm is None:
                        calm = self.calm_context or self.declared_safe
                    if calm:
                        break
                # As in ``UrgencyRules.scan``; the joke/petty verdict only when it matters.
                if (r.soft and (spans or self.joking_or_petty)) or (r.calm_sensitive and spans):
                    span = m.span()
                    if mapped is not None and on_c:
                        span = UrgencyRules._to_norm(span, mapped[1], len(normed))
                    if (r.soft and self.joking_or_petty) or any(
                        span[0] < ie and is_ < span[1] for is_, ie in spans
                    ):
                        continue
                hits.append(RuleHit(r.name, m.start(), m.end(), r.view))
                break
        return hits

    def possible_signal(self) -> str | None:
        """``UrgencyRules.possible_signal``."""
        for r in self.rules.possible:
            if self._search(r, r.view == "canon"):
                if self.joking or self.safe_now:
                    return None
                return r.name
        return None

    def role_cue(self) -> RoleCue | None:
        """``UrgencyRules.role_cue``."""
        for cue in self.rules.role_cues:
            if self._search(cue.rule, cue.rule.view == "canon"):
                break
        else:
            return None
        if self.joking:
            return None
        if any(self._search(b, b.view == "canon") for b in self.rules.role_blockers):
            return None
        return cue

    def masked(self) -> str:
        """``UrgencyRules.mask_idioms``."""
        spans = self.idiom_spans()
        if not spans:
            return self.normed
        chars = list(self.normed)
        for a, b in spans:
            chars[a:b] = " " * (b - a)
        return " ".join("".join(chars).split())
