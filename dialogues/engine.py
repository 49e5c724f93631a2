"""The dialogue engine: one inbound message and its NLU labels in, replies and effects out.

Channel-free and storage-free: the caller loads the state, calls `handle`, stores the state.
Order of precedence on every turn (house rule: safety before any flow):
1. a button press (payload) is resolved against the declared steps;
2. a command (/start, /help, /lang, /menu, /forget, /exit);
3. a message that is exactly the label of a button on screen presses it: the words are the
   bot's own, so what they mean is what the button does (a button that means danger leads to
   the urgent path itself), not what the model reads into them ("Не сейчас", "Басқа көмек"
   and "Өзімді тексеру" read as urgent to it); a message that is only a language's name
   («Қазақша», «по-русски») chooses that language, as the language button does;
4. an urgent message interrupts whatever step the person is in (a typed answer to the
   question on screen is recorded first, and the conversation resumes after it; outside any
   path, a parent's or young person's message resumes in their own path: safety.call_consultant);
5. possible danger: the numbers and a one-tap check go first, then the turn goes on;
6. "what do I do?" within an hour of an urgent reply: the immediate-safety steps;
7. a typed answer that means a button (an answer class, or the button's words) presses it;
8. the current step's free-text handler;
9. a question that insists is asked again; otherwise routing on NLU intent and role.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from core.messages import Button, Effect, Inbound, Reply
from dialogues.answers import Answers, default_answers
from dialogues.context import Ctx
from dialogues.flow import MENU, RESUME, STAY, Action, Flow, Option, Step
from dialogues.regions import default_regions
from dialogues.routes import Routes
from dialogues.services import Services
from dialogues.state import ADULT_SAID, NOT_PARENT_SAID, URGENT_SEEN, YOUNG_UNSURE, State
from dialogues.texts import Texts
from nlu.result import NluResult

log = logging.getLogger(__name__)

URGENT = "!urgent"
EXIT = "!exit"
MENU_PAYLOAD = "!menu"
LANG = "!lang"
RESUME_PAYLOAD = "!resume"

SAFETY_URGENT = "safety.urgent"
SAFETY_EXIT = "safety.exit"
SAFETY_EXIT_URGENT = "safety.exit_urgent"
SAFETY_CHECK = "safety.check"  # the one-tap check of possible danger (its options are the buttons)
SAFETY_NOW = "safety.now"  # what to do right now, after an urgent reply
START = "start.welcome"
LANGUAGE = "start.language"
# A shared location: the region's contacts (the region question's button for it), or, for a
# point outside Kazakhstan, a calm request for the region by name.
LOCATED = "contacts.region"
LOCATED_NOWHERE = "contacts.location_unknown"
HELP = "menu.help"
FORGET = "safety.forget"

COMMANDS: Mapping[str, str] = {
    "start": START,
    "help": HELP,
    "lang": LANGUAGE,
    "language": LANGUAGE,
    "menu": MENU,
    "forget": FORGET,
    "exit": SAFETY_EXIT,
    "stop": SAFETY_EXIT,
    "bookings": "booking.mine",  # the person's sessions with the family service
}
SUPPORTED_LANGS = ("ru", "kk")
STATE_TTL = timedelta(hours=12)  # a conversation idle this long starts afresh
MAX_REDIRECTS = 6
# After an urgent reply, "what do I do?" means "right now" for this long.
URGENT_WINDOW = timedelta(hours=1)
# The possible-danger check is not repeated within this time (nor within URGENT_WINDOW of an
# urgent reply: the numbers were just given).
CHECK_WINDOW = timedelta(minutes=10)
# Language stickiness: a message in the other language switches the conversation when it has at
# least LANG_SWITCH_LONG words, or at least LANG_SWITCH_WORDS words twice in a row.
LANG_SWITCH_WORDS = 3
LANG_SWITCH_LONG = 8
_COMMAND = re.compile(r"^/([a-z_]+)(?:@\w+)?(?:\s|$)", re.IGNORECASE)
_LABEL_NOISE = re.compile(r"[^\w]+", re.UNICODE)


@dataclass
class Turn:
    replies: list[Reply]
    effects: list[Effect]
    state: State
    step: str | None  # where the person is now (for logs and tests)


class FlowError(ValueError):
    pass


class Engine:
    def __init__(
        self,
        flows: Iterable[Flow],
        actions: Mapping[str, Action],
        texts: Texts,
        routes: Routes,
        answers: Answers | None = None,
    ) -> None:
        self.answers = answers or default_answers()
        self.flows = tuple(flows)
        self.steps: dict[str, Step] = {}
        self.step_roles: dict[str, str] = {}  # a step -> the role of the path it belongs to
        self.step_finer: dict[str, str] = {}  # a step -> the finer role of its path (issue 17)
        for flow in self.flows:
            for step in flow.steps:
                if step.id in self.steps:
                    raise FlowError(f"step {step.id} declared twice")
                self.steps[step.id] = step
                if flow.role:
                    self.step_roles[step.id] = flow.role
                if flow.finer:
                    self.step_finer[step.id] = flow.finer
        self.actions = dict(actions)
        self.texts = texts
        self.routes = routes
        self._validate()

    def _validate(self) -> None:
        problems: list[str] = []
        known = set(self.steps) | {RESUME, STAY}
        for step in self.steps.values():
            for name in (step.on_enter, step.on_text, step.on_pick):
                if name and name not in self.actions:
                    problems.append(f"{step.id}: unknown action {name}")
            for opt in step.options:
                for name in opt.answers:
                    if name not in self.answers.classes:
                        problems.append(f"{step.id}#{opt.id}: unknown answer class {name}")
                if opt.goto and opt.goto not in known:
                    problems.append(f"{step.id}#{opt.id}: unknown target {opt.goto}")
                if opt.do and opt.do not in self.actions:
                    problems.append(f"{step.id}#{opt.id}: unknown action {opt.do}")
            if step.insist:
                for lang in self.texts.langs:
                    if not self.texts.has(lang, step.insist):
                        problems.append(f"{step.id}: text {lang}:{step.insist} missing")
            if step.next and step.next not in known:
                problems.append(f"{step.id}: unknown next {step.next}")
            for key in (*step.say, *(o.label for o in step.options)):
                for lang in self.texts.langs:
                    if not self.texts.has(lang, key):
                        problems.append(f"{step.id}: text {lang}:{key} missing")
        for target in self.routes.targets():
            if target not in known:
                problems.append(f"route to unknown step {target}")
        required_steps = (
            MENU,
            SAFETY_URGENT,
            SAFETY_EXIT,
            SAFETY_EXIT_URGENT,
            SAFETY_CHECK,
            SAFETY_NOW,
            START,
            LANGUAGE,
            LOCATED,
            LOCATED_NOWHERE,
        )
        for required in required_steps:
            if required not in self.steps:
                problems.append(f"required step {required} is not declared")
        if problems:
            raise FlowError("; ".join(problems))

    async def handle(
        self,
        state: State,
        inbound: Inbound,
        nlu: NluResult | None,
        services: Services,
        person_id: int | None = None,
    ) -> Turn:
        now = services.clock.now()
        touched = state.touched()
        if touched is not None and now - touched > STATE_TTL:
            state = State(lang=state.lang, lang_locked=state.lang_locked)
        _settle_lang(state, nlu, inbound)
        nlu = _as_told(state, nlu)
        _note_age(state, nlu)
        run = _Run(self, state, inbound, nlu, services, person_id)
        if inbound.payload is not None:
            await run.press(inbound.payload)
        elif inbound.located:
            await run.located(inbound.region)
        elif inbound.unsupported:
            run.replies.append(Reply(run.t("common-text-only")))
            await run.enter(state.step or MENU)
            run.ensure_sos()
        elif inbound.text and inbound.text.strip():
            await run.text(inbound.text.strip())
        else:
            await run.enter(state.step or MENU)
        state.updated_at = now.isoformat()
        return Turn(run.replies, run.effects, state, state.step)

    async def enter(
        self,
        state: State,
        step_id: str,
        services: Services,
        channel: str = "system",
        person_id: int | None = None,
    ) -> Turn:
        """Put a person at a step without a message from them (feedback, a reminder)."""
        now = services.clock.now()
        run = _Run(self, state, Inbound(channel, "", now), None, services, person_id)
        await run.enter(step_id)
        state.updated_at = now.isoformat()
        return Turn(run.replies, run.effects, state, state.step)


async def _noop() -> None:
    return None


def _settle_lang(state: State, nlu: NluResult | None, inbound: Inbound) -> None:
    """The first message sets the language; after that it switches only when the person
    clearly writes in the other one (see LANG_SWITCH_*); a chosen language never switches."""
    if state.lang_locked:
        return
    if inbound.text and default_regions().names_only(inbound.text):
        # "Aktobe" in a Kazakh chat is the name of a place, not a word of Russian: a message
        # that is only a place name never sets or switches the conversation's language.
        if state.lang is None and inbound.lang_hint in SUPPORTED_LANGS:
            state.lang = inbound.lang_hint
        return
    if nlu is None or not nlu.lang_confident or nlu.lang not in SUPPORTED_LANGS:
        if state.lang is None and inbound.lang_hint in SUPPORTED_LANGS:
            state.lang = inbound.lang_hint
        return
    if not state.lang_settled or state.lang is None or nlu.lang == state.lang:
        state.lang, state.lang_settled, state.lang_vote = nlu.lang, True, None
        return
    words = sum(1 for w in (inbound.text or "").split() if any(c.isalpha() for c in w))
    if words >= LANG_SWITCH_LONG or (words >= LANG_SWITCH_WORDS and state.lang_vote == nlu.lang):
        state.lang, state.lang_vote = nlu.lang, None
    elif words >= LANG_SWITCH_WORDS:
        state.lang_vote = nlu.lang


def _within(state: State, key: str, now: datetime, window: timedelta) -> bool:
    value = state.vars.get(key)
    if not isinstance(value, str):
        return False
    try:
        return now - datetime.fromisoformat(value) < window
    except ValueError:
        return False


def _as_told(state: State, nlu: NluResult | None) -> NluResult | None:
    """An adult who said so in one tap (young.adult) stays an adult: a later message the NLU
    reads as a young writer's neither marks them young again nor routes them to the young path.
    Likewise a parent who said another adult hurts their child (parent.not_me) is not sent back
    to the parents' path."""
    if nlu is not None and nlu.finer == "parent" and state.vars.get(NOT_PARENT_SAID):
        nlu = replace(nlu, finer=None)
    if nlu is None or not state.vars.get(ADULT_SAID):
        return nlu
    young = nlu.finer == "young_person" or nlu.age in ("child", "young")
    if not young:
        return nlu  # a parent's reading stands: an adult may well be one
    return replace(
        nlu,
        finer=None if nlu.finer == "young_person" else nlu.finer,
        age=None if nlu.age in ("child", "young") else nlu.age,
    )


def _note_age(state: State, nlu: NluResult | None) -> None:
    """Keep what a message told about the writer's age: later messages rarely repeat it ("мне
    14" once, then only what happened). A path chosen by button (Flow.finer) says more than a
    reading, so a reading never replaces it; an adult who says so clears both (young.adult)."""
    if nlu is None:
        return
    if nlu.age is not None:
        state.age = nlu.age
    if nlu.finer is not None and state.finer is None:
        state.finer = nlu.finer
    if nlu.young_unsure and not state.vars.get(ADULT_SAID):
        state.vars[YOUNG_UNSURE] = True


def _norm_label(text: str) -> str:
    return _LABEL_NOISE.sub(" ", text.casefold()).strip()


@dataclass
class _Run:
    engine: Engine
    state: State
    inbound: Inbound
    nlu: NluResult | None
    services: Services
    person_id: int | None = None
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    # -- entry points -------------------------------------------------------------------

    async def press(self, payload: str) -> None:
        if payload.startswith("!"):
            await self._control(payload)
            return
        if "#" in payload:
            step_id, _, opt_id = payload.partition("#")
            step = self.engine.steps.get(step_id)
            option = next((o for o in step.options if o.id == opt_id), None) if step else None
            if step is None or option is None:
                await self._stale()
                return
            ctx = self._ctx(value=option.id, step=step.id)
            if option.do:
                await self.engine.actions[option.do](ctx)
                self._collect(ctx)
            await self.enter(ctx.redirect or option.goto or step.id)
            return
        if "=" in payload:
            step_id, _, value = payload.partition("=")
            step = self.engine.steps.get(step_id)
            if step is None or step.on_pick is None:
                await self._stale()
                return
            self.state.step = step_id
            ctx = self._ctx(value=value, step=step_id)
            await self.engine.actions[step.on_pick](ctx)
            self._collect(ctx)
            await self.enter(ctx.redirect or step.id)
            return
        await self._stale()

    async def located(self, region: str | None) -> None:
        """A shared location: its region's contacts, as if picked at the region question."""
        step = self.engine.steps[LOCATED]
        if region is not None and any(o.id == region for o in step.options):
            await self.press(f"{LOCATED}#{region}")
        else:
            await self.enter(LOCATED_NOWHERE)

    async def text(self, text: str) -> None:
        command = _COMMAND.match(text)
        if command and command.group(1).lower() in COMMANDS:
            target = COMMANDS[command.group(1).lower()]
            if target == START:
                self.state.step = None
                self.state.resume = None
                self.state.vars.clear()
                self.state.role = self.state.finer = self.state.age = None
                if self.state.lang_locked:
                    target = "start.hello"  # language already chosen: greet in it
            await self.enter(target)
            return
        typed = _norm_label(text)
        for label, payload, *_ in self.state.offered:
            if typed and _norm_label(label) == typed:
                await self.press(payload)
                return
        answers = self.engine.answers
        chosen = answers.language(text)
        if chosen in SUPPORTED_LANGS:
            # A button on screen that names it (the session's language when booking) is what
            # was meant; otherwise the conversation's language, as the language button.
            on_screen = [
                p for label, p, *_ in self.state.offered if answers.language(label) == chosen
            ]
            await self.press(on_screen[0] if on_screen else f"{LANG}={chosen}")
            return
        nlu = self.nlu
        step = self.engine.steps.get(self.state.step or "")
        if nlu is not None and nlu.urgent:
            if nlu.intent == "exit":
                await self.enter(SAFETY_EXIT_URGENT)
                return
            # Danger first: the numbers come at once. A typed answer to the question on screen
            # ("да, ножом угрожал" to the weapon question) is still recorded, and the
            # conversation goes on after the urgent reply (docs/danger-screen.md).
            answered = self._typed_option(step, text) if step is not None else None
            after: str | None = None
            if step is not None and answered is not None and answered.answers:
                ctx = self._ctx(value=answered.id, step=step.id)
                if answered.do:
                    await self.engine.actions[answered.do](ctx)
                self.effects.extend(ctx.effects)
                after = ctx.redirect or answered.goto or step.id
                self.state.step = after
                if after == SAFETY_URGENT:
                    # The answer itself means danger now (a weapon, in the aggressor's risk
                    # questions): one urgent reply, and the action has set where to resume.
                    after = None
            self._suspend()
            await self.enter(SAFETY_URGENT)
            if after is not None:
                urgent_buttons = self.state.offered
                await self.enter(after)
                self.state.offered = [*self.state.offered, *urgent_buttons]  # both on screen
            return
        checked = False
        if nlu is not None and nlu.danger == "possible" and self._may_check():
            self.replies.append(self._check_reply())
            self.state.vars["check_at"] = self.now.isoformat()
            checked = True
        await self._text_turn(text, step)
        if checked:
            self.state.offered.extend([[b.label, b.payload] for b in self.replies[0].flat_buttons])

    async def _text_turn(self, text: str, step: Step | None) -> None:
        answers = self.engine.answers
        if _within(self.state, "urgent_at", self.now, URGENT_WINDOW) and answers.asks_what_now(
            text
        ):
            if self.state.step and not self.state.step.startswith("safety."):
                self.state.resume = self.state.step
            await self.enter(SAFETY_NOW)
            return
        option = self._typed_option(step, text) if step is not None else None
        if step is not None and option is not None:
            await self.press(f"{step.id}#{option.id}")
            return
        offered = self._typed_offer(text)
        if offered is not None:
            await self.press(offered)
            return
        if step is not None and step.on_text:
            ctx = self._ctx(value=text, step=step.id)
            await self.engine.actions[step.on_text](ctx)
            if not ctx.declined:
                self._collect(ctx)
                await self.enter(ctx.redirect or step.id)
                return
        if step is not None and step.insist:
            self.replies.append(Reply(self.t(step.insist)))
            await self.enter(step.id)
            return
        await self.enter(self.engine.routes.resolve(self.nlu))

    def _typed_option(self, step: Step, text: str) -> Option | None:
        """The button of this step that a typed answer means, if exactly one does."""
        answers = self.engine.answers
        name = answers.answer_class(text)
        if name is not None:
            for option in step.options:
                if name in option.answers:
                    return option
        hits = [o for o in step.options if o.words and answers.mentions(text, o.words)]
        return hits[0] if len(hits) == 1 else None

    def _typed_offer(self, text: str) -> str | None:
        """The payload of a dynamic button on screen whose answer class the reply is in."""
        name = self.engine.answers.answer_class(text)
        if name is None:
            return None
        return next((entry[1] for entry in self.state.offered if name in entry[2:]), None)

    def _may_check(self) -> bool:
        step = self.state.step or ""
        return not (
            step.startswith("safety.")
            or _within(self.state, "urgent_at", self.now, URGENT_WINDOW)
            or _within(self.state, "check_at", self.now, CHECK_WINDOW)
        )

    def _check_reply(self) -> Reply:
        step = self.engine.steps[SAFETY_CHECK]
        buttons = tuple((Button(self.t(o.label), f"{step.id}#{o.id}"),) for o in step.options)
        return Reply(" ".join(self.t(k) for k in step.say), buttons, urgent=True)

    def ensure_sos(self) -> None:
        """A fallback reply always leaves the 🆘 button on screen."""
        if any(b.payload == URGENT for r in self.replies for b in r.flat_buttons):
            return
        sos = Button(self.t("control-urgent"), URGENT)
        last = self.replies[-1] if self.replies else Reply(self.t("common-choose"))
        rows = (*last.buttons, (sos,))
        if self.replies:
            self.replies[-1] = Reply(last.text, rows, last.urgent)
        else:
            self.replies.append(Reply(last.text, rows))
        self.state.offered.append([sos.label, sos.payload])

    @property
    def now(self) -> datetime:
        return self.services.clock.now()

    # -- steps --------------------------------------------------------------------------

    async def enter(self, step_id: str, depth: int = 0) -> None:
        if step_id == STAY:
            return  # the person stays at their step; its buttons are still on screen
        if step_id == RESUME:
            step_id = self.state.resume or MENU
            self.state.resume = None
        step = self.engine.steps.get(step_id)
        if step is None:
            log.error("unknown step %s; showing the menu", step_id)
            step = self.engine.steps[MENU]
        self.state.step = step.id
        self.state.role = self.engine.step_roles.get(step.id, self.state.role)
        self.state.finer = self.engine.step_finer.get(step.id, self.state.finer)
        if step.urgent:
            self.state.vars[URGENT_SEEN] = True
        messages = [Reply(self.t(key), urgent=step.urgent) for key in step.say]
        offers: list[tuple[str, str]] = []
        offer_answers: dict[str, tuple[str, ...]] = {}
        if step.on_enter:
            ctx = self._ctx(step=step.id)
            await self.engine.actions[step.on_enter](ctx)
            self.effects.extend(ctx.effects)
            messages.extend(ctx.messages)
            offers = ctx.offers
            offer_answers = ctx.offer_answers
            if ctx.redirect and depth < MAX_REDIRECTS:
                self.replies.extend(messages)
                await self.enter(ctx.redirect, depth + 1)
                return
        if step.next and depth < MAX_REDIRECTS:
            self.replies.extend(messages)
            await self.enter(step.next, depth + 1)
            return
        if step.lines and messages:
            lines = self.t("common-lines")
            if not any(lines in m.text for m in (*self.replies, *messages)):
                last = messages[-1]
                messages[-1] = Reply(f"{last.text}\n{lines}", last.buttons, last.urgent)
        buttons = self._buttons(step, offers)
        if buttons:
            if not messages:
                messages.append(Reply(self.t("common-choose")))
            last = messages[-1]
            messages[-1] = Reply(last.text, buttons, last.urgent or step.urgent)
        # [label, payload, *answer classes of a dynamic button]: what a typed reply may press.
        self.state.offered = [
            [b.label, b.payload, *offer_answers.get(b.payload.partition("=")[2], ())]
            if b.payload.startswith(f"{step.id}=")
            else [b.label, b.payload]
            for row in buttons
            for b in row
        ]
        self.replies.extend(messages)

    def _buttons(self, step: Step, offers: list[tuple[str, str]]) -> tuple[tuple[Button, ...], ...]:
        single = [Button(self.t(o.label), f"{step.id}#{o.id}") for o in step.options]
        single += [Button(label, f"{step.id}={value}") for label, value in offers]
        cols = max(1, step.columns)
        rows = [tuple(single[i : i + cols]) for i in range(0, len(single), cols)]
        controls: list[Button] = []
        if step.menu_button and step.id != MENU:
            controls.append(Button(self.t("control-menu"), MENU_PAYLOAD))
        if step.controls:
            # The very first screen comes before the language is known: its controls speak
            # both languages, as its greeting does (issue 20).
            both = "-both" if step.id == START else ""
            controls.append(Button(self.t(f"control-urgent{both}"), URGENT))
            controls.append(Button(self.t(f"control-exit{both}"), EXIT))
        if controls:
            rows.append(tuple(controls))
        return tuple(rows)

    async def _control(self, payload: str) -> None:
        name, _, value = payload.partition("=")
        if name == URGENT:
            self._suspend()
            await self.enter(SAFETY_URGENT)
        elif name == EXIT:
            await self.enter(SAFETY_EXIT)
        elif name == MENU_PAYLOAD:
            await self.enter(MENU)
        elif name == RESUME_PAYLOAD:
            await self.enter(RESUME)
        elif name == LANG and value in SUPPORTED_LANGS:
            self.state.lang, self.state.lang_locked = value, True
            await self.enter(self.state.step or MENU)
        elif name == LANG:
            await self.enter(LANGUAGE)
        else:
            await self._stale()

    async def _stale(self) -> None:
        self.replies.append(Reply(self.t("common-stale")))
        await self.enter(self.state.step or MENU)
        self.ensure_sos()

    def _suspend(self) -> None:
        current = self.state.step
        if current and not current.startswith("safety.") and current != MENU:
            self.state.resume = current

    # -- helpers ------------------------------------------------------------------------

    def _ctx(self, value: str | None = None, step: str | None = None) -> Ctx:
        return Ctx(
            state=self.state,
            inbound=self.inbound,
            nlu=self.nlu,
            services=self.services,
            texts=self.engine.texts,
            value=value,
            person_id=self.person_id,
            step=step,
        )

    def _collect(self, ctx: Ctx) -> None:
        self.replies.extend(ctx.messages)
        self.effects.extend(ctx.effects)

    def t(self, key: str) -> str:
        return self.engine.texts.get(
            self.state.lang or "ru",
            key,
            channel=self.inbound.channel,
            audience=self.state.audience,
        )
