"""The NLU entry point: ``NluPipeline`` (built-in model) and ``load_pipeline``.

``parse`` never raises: whatever arrives, the dialogue engine gets an ``NluResult``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from nlu.age import read_age_in
from nlu.data import DATA_DIR, training_files
from nlu.finer_head import CUE as FINER_CUE
from nlu.finer_head import FinerReader, Reading
from nlu.langid import decide
from nlu.model import MAX_MODEL_CHARS, MODEL_PATH, LinearModel, data_fingerprint
from nlu.result import INTENTS, Intent, Lang, NluResult, Role, Understander
from nlu.second_opinion import RULE as SECOND_OPINION
from nlu.second_opinion import SecondOpinion
from nlu.text import canon, normalize
from nlu.urgency import MAX_SCAN_CHARS, RULES_DIR, Facts, RoleCue, RuleHit, UrgencyRules

log = logging.getLogger(__name__)

# Intents that tell nothing about who is writing: the encoder is not asked (nlu/finer_head.py).
_SAYS_NOTHING = frozenset({"greet", "thanks", "exit", "other"})
# Urgency reported for a rule hit when the model itself is less sure.
RULE_URGENCY = 0.95


def _scaled(p: float, thr: float) -> float:
    """Map the model probability so that the tuned threshold lands on 0.5:
    downstream code can read ``urgency >= 0.5`` as ``urgent`` without knowing the threshold."""
    thr = min(max(thr, 1e-6), 1 - 1e-6)
    return 0.5 * p / thr if p < thr else 0.5 + 0.5 * (p - thr) / (1 - thr)


class NluPipeline:
    """Built-in NLU: linear model + language cues + urgency rules. Implements ``Understander``."""

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        data_dir: Path | None = None,
        rules_dir: Path | None = None,
        check_fingerprint: bool = True,
        second_opinion: bool | SecondOpinion = True,
    ) -> None:
        self.model_path = model_path or MODEL_PATH
        self.data_dir = data_dir or DATA_DIR
        self.rules_dir = rules_dir or RULES_DIR
        self.check_fingerprint = check_fingerprint
        self._model: LinearModel | None = None
        self._rules: UrgencyRules | None = None
        self._lock = threading.Lock()
        self.stale = False  # True when the shipped artefact did not match the data files
        # The encoder's reading of a *possible* message (nlu/second_opinion.py).
        self.second: SecondOpinion | None = (
            second_opinion
            if isinstance(second_opinion, SecondOpinion)
            else (SecondOpinion() if second_opinion else None)
        )
        # The same encoder's reading of who is writing, where no age cue told (issue 17).
        self.finer: FinerReader | None = (
            FinerReader(self.second.vector) if self.second is not None else None
        )

    # --- loading -------------------------------------------------------------------------------
    def load(self) -> NluPipeline:
        """Load the artefact (retraining in memory if it is missing or stale). Idempotent."""
        with self._lock:
            if self._model is None:
                self._rules = UrgencyRules.load(self.rules_dir)
                self._rules.build_prefilter()  # here, under the lock, not in the first parse
                self._model = self._load_model()
        return self

    def _load_model(self) -> LinearModel:
        model: LinearModel | None = None
        if self.model_path.exists():
            try:
                model = LinearModel.load(self.model_path)
            except Exception as e:  # a broken artefact must not take the bot down
                log.warning(
                    "NLU model %s unreadable (%s); retraining in memory", self.model_path, e
                )
        if model is not None and not self.check_fingerprint:
            return model
        try:
            if not training_files(self.data_dir):
                if model is not None:
                    return model  # an install without the data files: trust the artefact
                raise FileNotFoundError(f"no training data under {self.data_dir}")
            current = data_fingerprint(self.data_dir)
        except OSError as e:
            if model is None:
                raise
            log.warning("cannot fingerprint NLU data (%s); using the shipped model", e)
            return model
        if model is not None and model.fingerprint == current:
            return model
        if model is not None:
            log.warning(
                "NLU model %s is stale (trained on data %s…, data files now %s…); "
                "retraining in memory — run `qamqor nlu train` to ship a fresh one",
                self.model_path,
                model.fingerprint[:12],
                current[:12],
            )
            self.stale = True
        else:
            log.warning("no NLU model at %s; training one in memory", self.model_path)
        from nlu.model import train

        try:
            fresh = train(self.data_dir, cv=False)
        except Exception:
            if model is None:
                raise
            log.exception("retraining the NLU model failed; using the shipped one")
            return model
        if model is not None:
            # tuned by CV at the last `train`
            fresh.urgent_threshold = model.urgent_threshold
            fresh.possible_threshold = model.possible_threshold
        return fresh

    @property
    def model(self) -> LinearModel:
        if self._model is None:
            self.load()
        assert self._model is not None
        return self._model

    @property
    def rules(self) -> UrgencyRules:
        if self._rules is None:
            self.load()
        assert self._rules is not None
        return self._rules

    # --- parsing -------------------------------------------------------------------------------
    async def parse(
        self, text: str, *, context_lang: Lang | None = None, quick: bool = False
    ) -> NluResult:
        if self._model is None:  # first use: train/load off the event loop
            await asyncio.to_thread(self.load)
        res = self.parse_sync(text, context_lang=context_lang)
        if self.consults(res) or (not quick and self.reads_finer(res)):
            return await self._encoder_read_async(text, res, finer=not quick)
        return res

    async def finish(self, text: str, res: NluResult) -> NluResult:
        """Who is writing, where a quick parse left it unread (the encoder, in a thread)."""
        if self.reads_finer(res):
            return await self._encoder_read_async(text, res, finer=True)
        return res

    async def _encoder_read_async(self, text: str, res: NluResult, *, finer: bool) -> NluResult:
        try:
            # ~30 ms of native code, off the event loop (ctypes releases the GIL)
            return await asyncio.to_thread(self._encoder_read, text, res, finer=finer)
        except Exception:  # e.g. the executor shut down: the fast read stands
            log.exception("the encoder unavailable for a message")
            return res

    def parse_sync(
        self, text: str, *, context_lang: Lang | None = None, second_opinion: bool = False
    ) -> NluResult:
        """The fast read. With ``second_opinion`` the encoder also reads what it reads in the
        bot (a possible message's danger, who is writing where no cue told), here and now (the
        CLI's evaluate; the bot's `parse` does it in a thread)."""
        try:
            res = self._parse(text, context_lang)
        except Exception:  # never let one odd message break the conversation
            log.exception("NLU failed on a message of %d chars", len(text) if text else 0)
            return self._fallback(context_lang)
        if second_opinion and (self.consults(res) or self.reads_finer(res)):
            return self._encoder_read(text, res)
        return res

    def consults(self, res: NluResult) -> bool:
        """Only the possible tier is read again: urgent stays urgent, calm stays calm."""
        return self.second is not None and res.possible_danger and not res.urgent

    def reads_finer(self, res: NluResult) -> bool:
        """Who is writing is read by the encoder only where no age cue told anything (a cue of
        an adult's life keeps an adult an adult) and the message asks or tells something: not a
        greeting, a thanks, an exit or an unclear word with nothing in it about anyone."""
        if self.finer is None or res.finer is not None or res.age_cues:
            return False
        says = res.intent not in _SAYS_NOTHING or res.role != "unknown"
        return says or res.urgent or res.possible_danger

    def _encoder_read(self, text: str, res: NluResult, *, finer: bool = True) -> NluResult:
        text = text if isinstance(text, str) else str(text)
        if self.consults(res):
            assert self.second is not None
            res = _reconsidered(res, self.second.score(text), self.second)
        if finer and self.reads_finer(res):
            assert self.finer is not None
            res = _with_finer(res, self.finer.read(text))
        return res

    @staticmethod
    def _fallback(context_lang: Lang | None) -> NluResult:
        return NluResult(
            lang=context_lang or "ru",
            role="unknown",
            intent="other",
            urgent=False,
            urgency=0.0,
            lang_confident=False,
        )

    def _parse(self, text: str, context_lang: Lang | None) -> NluResult:
        return self._parse_as(text, context_lang, plain=False)

    def _parse_plain(self, text: str, context_lang: Lang | None) -> NluResult:
        """The reference path: each rule method on its own, no prefilter, no shared facts.
        Kept for tests/nlu/test_fast_scan.py, which holds ``_parse`` equal to it."""
        return self._parse_as(text, context_lang, plain=True)

    def _parse_as(self, text: str, context_lang: Lang | None, *, plain: bool) -> NluResult:
        if not isinstance(text, str):
            text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        if context_lang not in (None, "ru", "kk", "en"):
            context_lang = None
        normed = normalize(text[:MAX_SCAN_CHARS])
        if not normed:
            return self._fallback(context_lang)
        model, rules = self.model, self.rules
        short = normed[:MAX_MODEL_CHARS]
        if plain:
            facts: Facts | _PlainFacts = _PlainFacts(rules, normed)
            sfacts: Facts | _PlainFacts = _PlainFacts(rules, short)
            scores = model.raw_scores(short)
        else:
            # One canonical view and one set of rule verdicts per text (``Facts``): the whole
            # text for the urgency rules, the model's part for the model and the role cue.
            facts = rules.facts(normed)
            sfacts = facts if short == facts.normed else rules.facts(short)
            scores = model.raw_scores(short, sfacts.c)
        lang_p = model.head_probs(scores, "lang")
        role_p = model.head_probs(scores, "role")
        intent_p = model.head_probs(scores, "intent")
        lang, confident = decide(short, lang_p, context_lang)

        hits = facts.scan()  # the whole text, not just the model's part
        thr = model.urgent_threshold
        p = model.urgency_p(
            short,
            rules,
            whole_logit=model.urgent_logit(scores),
            facts=None if isinstance(sfacts, _PlainFacts) else sfacts,
        )
        urgent = bool(hits) or p >= thr
        # The middle tier: just below the threshold, or a soft signal («он вернулся»).
        signal = None if urgent else facts.possible_signal()
        possible = not urgent and (p >= model.possible_threshold or signal is not None)
        urgency = _scaled(p, thr)
        if hits:
            urgency = max(urgency, RULE_URGENCY)
        role = cast(Role, max(role_p, key=role_p.__getitem__))
        cue = sfacts.role_cue()
        if cue is not None:  # grammar the bag of n-grams cannot see: "I will kill him"
            role = cast(Role, cue.role)
        intent = cast(Intent, max(intent_p, key=intent_p.__getitem__))
        age = read_age_in(short, sfacts.c if isinstance(sfacts, Facts) else canon(short))
        return NluResult(
            lang=lang,
            role=role,
            intent=intent,
            urgent=urgent,
            urgency=round(min(1.0, max(0.0, urgency)), 4),
            scores={
                "lang": _rounded(lang_p),
                "role": _rounded(role_p),
                "intent": _rounded(intent_p),
                "urgent": {
                    "model": round(p, 4),
                    "threshold": thr,
                    "possible": model.possible_threshold,
                },
            },
            lang_confident=confident,
            urgent_rules=tuple(h.name for h in hits),
            role_rule=cue.rule.name if cue is not None else None,
            possible_danger=possible,
            possible_signal=signal if possible else None,
            age=age.band,
            finer=age.finer,
            age_cues=age.cues,
        )


@dataclasses.dataclass(frozen=True)
class _PlainFacts:
    """The reference path's view of one text: each question asked of the rules directly."""

    rules: UrgencyRules
    normed: str

    def scan(self) -> list[RuleHit]:
        return self.rules.scan(self.normed)

    def possible_signal(self) -> str | None:
        return self.rules.possible_signal(self.normed)

    def role_cue(self) -> RoleCue | None:
        return self.rules.role_cue(self.normed)


def _reconsidered(res: NluResult, q: float | None, second: SecondOpinion | None) -> NluResult:
    """A possible message the second opinion reads as urgent becomes urgent; otherwise the
    result stays as it was (with the opinion in its scores)."""
    if q is None or second is None or second.threshold is None:
        return res
    scores = dict(res.scores)
    scores["urgent"] = {**res.scores["urgent"], "second_opinion": round(q, 4)}
    if q < second.threshold:
        return dataclasses.replace(res, scores=scores)
    return dataclasses.replace(
        res,
        urgent=True,
        urgency=round(max(res.urgency, 0.5 + 0.45 * q), 4),
        scores=scores,
        urgent_rules=(*res.urgent_rules, SECOND_OPINION),
        possible_danger=False,
        possible_signal=None,
    )


def _with_finer(res: NluResult, read: Reading | None) -> NluResult:
    """The finer role the encoder's head read, with its probability in the scores; a parent is
    an adult. Nothing read leaves the result as it was; a reading that leans young without
    deciding marks the result `young_unsure` (while no cue told the age)."""
    if read is None:
        return res
    finer, p, _ = read
    scores: dict[str, Mapping[str, float]] = {**res.scores, "finer": {finer or "none": round(p, 4)}}
    if finer is None:
        unsure = read.leans_young and res.age is None
        return dataclasses.replace(res, scores=scores, young_unsure=unsure)
    return dataclasses.replace(
        res,
        finer=finer,
        age="adult" if finer == "parent" else res.age,
        age_cues=(FINER_CUE,),
        scores=scores,
    )


def _rounded(d: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in d.items()}


class RasaPipeline:
    """Intent from a Rasa server, everything else (lang, role, urgency) local.

    A Rasa outage, timeout or malformed answer falls back to the built-in intent: the
    urgency path never depends on the network.
    """

    def __init__(self, rasa_url: str, local: NluPipeline, timeout_s: float = 1.0) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.local = local
        self.timeout_s = timeout_s
        self._session: Any = None

    async def _rasa_intent(self, text: str) -> tuple[Intent, float] | None:
        import aiohttp

        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout_s)
            )
        try:
            async with self._session.post(
                f"{self.rasa_url}/model/parse", json={"text": text}
            ) as resp:
                if resp.status != 200:
                    raise ValueError(f"HTTP {resp.status}")
                body = await resp.json(content_type=None)
            intent = body["intent"]
            name, conf = intent["name"], float(intent.get("confidence", 0.0))
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as e:
            log.warning(
                "Rasa parse failed (%s: %s); using the built-in intent", type(e).__name__, e
            )
            return None
        if name not in INTENTS or not math.isfinite(conf):
            log.warning("Rasa returned unknown intent %r; using the built-in intent", name)
            return None
        return name, conf

    async def parse(
        self, text: str, *, context_lang: Lang | None = None, quick: bool = False
    ) -> NluResult:
        local = await self.local.parse(text, context_lang=context_lang, quick=quick)
        if not isinstance(text, str) or not text.strip():
            return local
        try:
            got = await self._rasa_intent(text[:MAX_MODEL_CHARS])
        except Exception:  # belt and braces: the contract is "never raise"
            log.exception("Rasa backend error")
            got = None
        if got is None:
            return local
        name, conf = got
        scores = dict(local.scores)
        scores["rasa_intent"] = {name: round(conf, 4)}
        return dataclasses.replace(local, intent=name, scores=scores)

    async def finish(self, text: str, res: NluResult) -> NluResult:
        return await self.local.finish(text, res)

    def parse_sync(self, text: str, *, context_lang: Lang | None = None) -> NluResult:
        return self.local.parse_sync(text, context_lang=context_lang)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def load_pipeline(
    backend: str = "builtin", rasa_url: str | None = None, model_path: Path | None = None
) -> Understander:
    """The configured NLU. ``backend`` is "builtin" or "rasa" (then ``rasa_url`` is needed)."""
    local = NluPipeline(model_path).load()
    if backend == "builtin":
        return local
    if backend == "rasa":
        if not rasa_url:
            raise ValueError("backend 'rasa' needs rasa_url")
        return RasaPipeline(rasa_url, local)
    raise ValueError(f"unknown NLU backend {backend!r} (builtin, rasa)")
