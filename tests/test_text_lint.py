"""The text lint (issue 20): every .ftl text in Russian and Kazakh is checked for
(a) the words to avoid in docs/glossary.yaml (the glossary is docs/glossary.md);
(b) Kazakh placeables that would need a case ending («{ $opens } бастап», «{ $n }-ге»);
(c) the length of a message on a phone screen;
(d) the emergency lines (102, 112 and 150) in every urgent, fallback and first reply.
Each check also gets a bad sample, so that a lint that passes everything fails here."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fluent.syntax import FluentParser, ast

from dialogues.flows import all_flows
from dialogues.texts import TEXT_ROOT, Texts, catalogue

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.yaml"
LANGS = ("ru", "kk")
STAFF = "staff"  # staff_*.ftl: the counsellors' web pages, not read on a phone

# -- (a) words to avoid ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Avoid:
    pattern: re.Pattern[str]
    allow: tuple[str, ...]
    use: str
    users_only: bool  # scope "user": not checked in staff_*.ftl


def avoid_rules() -> dict[str, list[Avoid]]:
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    rules: dict[str, list[Avoid]] = {}
    for lang in LANGS:
        rules[lang] = [
            Avoid(
                re.compile(str(item["pattern"]), re.IGNORECASE),
                tuple(str(a) for a in item.get("allow", ())),
                str(item["use"]),
                item["scope"] == "user",
            )
            for item in data[lang]
        ]
    return rules


def avoided(text: str, rules: list[Avoid], *, staff: bool = False) -> list[str]:
    """The avoided words found in `text`, each with what to write instead."""
    found: list[str] = []
    for rule in rules:
        if staff and rule.users_only:
            continue
        checked = text
        for phrase in rule.allow:
            checked = re.sub(re.escape(phrase), " ", checked, flags=re.IGNORECASE)
        found += [f"«{m.group(0)}» → {rule.use}" for m in rule.pattern.finditer(checked)]
    return found


# -- reading the .ftl files -----------------------------------------------------------------


def patterns(source: str) -> Iterator[tuple[str, ast.Pattern]]:
    """(key, pattern) of every message and term value and attribute in an .ftl source."""
    resource = FluentParser().parse(source)
    for entry in resource.body:
        if isinstance(entry, ast.Junk):
            raise AssertionError(f"unparsable Fluent: {(entry.content or '')[:80]}")
        if not isinstance(entry, ast.Message | ast.Term):
            continue
        key = entry.id.name
        if entry.value is not None:
            yield key, entry.value
        for attribute in entry.attributes:
            yield f"{key}.{attribute.id.name}", attribute.value


def plain(pattern: ast.Pattern) -> str:
    """The words of a pattern, every variant of a selector included, placeables as «{…}»."""
    parts: list[str] = []
    for element in pattern.elements:
        if isinstance(element, ast.TextElement):
            parts.append(element.value)
        elif isinstance(element.expression, ast.SelectExpression):
            parts += [plain(variant.value) for variant in element.expression.variants]
        else:
            parts.append("{…}")
    return " ".join(parts)


def ftl_files(lang: str) -> list[Path]:
    return sorted((TEXT_ROOT / lang).glob("*.ftl"))


def test_the_glossary_lists_words_to_avoid_in_both_languages() -> None:
    rules = avoid_rules()
    assert len(rules["ru"]) >= 5 and len(rules["kk"]) >= 10


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_uses_a_word_the_glossary_avoids(lang: str) -> None:
    rules = avoid_rules()[lang]
    problems: list[str] = []
    for path in ftl_files(lang):
        for key, pattern in patterns(path.read_text(encoding="utf-8")):
            for found in avoided(plain(pattern), rules, staff=path.name.startswith(STAFF)):
                problems.append(f"{lang}/{path.name} {key}: {found}")
    assert not problems, "\n".join(problems)


# The errors the reviewer found (issue 20): each must be caught by the glossary's list.
BAD_WORDS = [
    ("kk", "Сізге тірі кеңесші жауап береді"),
    ("kk", "Сізге бот емес, тірі адам жауап береді"),
    ("kk", "Сізге қалай жүгінейік?"),
    ("kk", "Қалай жүгіну: Айгүл"),
    ("kk", "✓ Құпия сөз. Жақын адаммен келісіңіз"),
    ("kk", "⚠️ Қауіпті бағалау"),
    ("kk", "Жақындыққа мәжбүрлейді"),
    ("kk", "жақындыққа қол жеткізген кезіңіз"),
    ("kk", "Тұруға болатын дағдарыс орталығын 150 мен 111-де айтады."),
    ("kk", "Telegram тек 48 сағаттан жас хабарламаларды өшіреді"),
    ("kk", "Сондықтан ол жерге қоңырау арқылы жетесіз."),
    ("kk", "(полицейден нақтылаңыз)"),
    ("kk", "103 немесе травмпункт"),
    ("kk", "Ары қарай не көмектесе алады:"),
    ("kk", "Жақыныма зиян келтіруді тоқтатқым келеді"),
    ("kk", "Ұрыс басталса — есікке жақын болыңыз"),
    ("kk", "Балаларға ұрысқа араласпауды үйретіңіз"),
    ("kk", "📞 102 не 112 нөміріне"),
    ("kk", "«иә», «жоқ» не «білмеймін»"),
    ("ru", "Если начинается ссора — уходите из кухни"),
    ("ru", "Научите детей не вмешиваться в ссору"),
    ("ru", "Хорошо, запомнил день: суббота"),
    ("ru", "Не узнал это место."),
    ("ru", "Сейчас живой консультант в чате недоступен."),
    ("ru", "Бывало ли, что вы добивались близости?"),
    ("ru", "Бывают ли мысли навредить партнёрше?"),
    ("ru", "удалять только сообщения младше 48 часов"),
    ("ru", "Потерпите, ради детей"),
    ("ru", "Звоните 102 — согласие пострадавшей не нужно."),
    ("ru", "скажите: «Ты не виновата. Ты не одна»"),
    ("ru", "Мы пишем «он» — это может быть и она."),
    ("kk", "Ең алдымен зардап шеккен әйелдің қауіпсіздігі"),
]


@pytest.mark.parametrize(("lang", "text"), BAD_WORDS)
def test_the_words_the_reviewer_found_are_caught(lang: str, text: str) -> None:
    assert avoided(text, avoid_rules()[lang]), text


def test_allowed_phrases_and_word_edges_are_not_caught() -> None:
    kk = avoid_rules()["kk"]
    assert not avoided("Алдын ала келіскен дұрыс.", kk)  # «ұрыс» inside «дұрыс»
    assert not avoided("денсаулыққа қасақана жеңіл зиян келтіру — қылмыс", kk)  # the legal term
    assert not avoided("Өзіңе зиян келтіргің келе ме?", kk)  # self-harm
    assert not avoided("Телефонға құпиясөз қойыңыз", kk)  # a phone's password
    assert not avoided("Бұл не? 102-ге қоңырау шалыңыз немесе 112-ге.", kk)
    assert not avoided("Сабырлы кезде 102 немесе 112", kk)


# -- (b) Kazakh placeables that need a case ending ------------------------------------------

# Postpositions that govern a case ending on the word before them: a placeable cannot carry it.
POSTPOSITIONS = ("бастап", "дейін", "кейін", "арқылы", "бері", "соң", "қарай", "гөрі")
# A letter right after «}», or a hyphen and a case ending («{ $n }-ге»); a hyphen and a noun is
# an ordinal and is right («{ $count }-ескерту», the third reminder).
CASE_ENDINGS = (
    *("ға", "ге", "қа", "ке", "а", "е", "на", "не"),  # dative
    *("да", "де", "та", "те", "нда", "нде"),  # locative
    *("дан", "ден", "тан", "тен", "нан", "нен"),  # ablative
    *("ның", "нің", "дың", "дің", "тың", "тің", "н"),  # genitive
    *("ны", "ні", "ды", "ді", "ты", "ті"),  # accusative
    *("мен", "бен", "пен", "дағы", "дегі", "тағы", "тегі"),
)
SUFFIX = re.compile(r"^([^\W\d_]|-(" + "|".join(CASE_ENDINGS) + r")\b)", re.IGNORECASE)
POSTPOSITION = re.compile(r"^\s+(" + "|".join(POSTPOSITIONS) + r")\b", re.IGNORECASE)


def bare_placeables(pattern: ast.Pattern) -> list[str]:
    """Where a variable placeable is followed by a suffix or by a postposition."""
    found: list[str] = []
    elements = pattern.elements
    for here, after in itertools.pairwise(elements):
        if not isinstance(here, ast.Placeable) or not isinstance(after, ast.TextElement):
            continue
        if not isinstance(here.expression, ast.VariableReference):
            continue
        name = here.expression.id.name
        if SUFFIX.match(after.value) or POSTPOSITION.match(after.value):
            found.append(f"{{ ${name} }}{after.value[:12]}")
    for element in elements:
        if isinstance(element, ast.Placeable) and isinstance(
            element.expression, ast.SelectExpression
        ):
            for variant in element.expression.variants:
                found += bare_placeables(variant.value)
    return found


def test_no_kazakh_placeable_needs_a_case_ending() -> None:
    problems = [
        f"kk/{path.name} {key}: {found}"
        for path in ftl_files("kk")
        for key, pattern in patterns(path.read_text(encoding="utf-8"))
        for found in bare_placeables(pattern)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("x = олар { $opens } бастап жауап береді.", True),
        ("x = Курс деректері { $day } дейін сақталады.", True),
        ("x = { $n }-ге қоңырау шалыңыз.", True),
        ("x = { $region }да орын жоқ.", True),
        ("x = { $n ->\n    [one] { $n } кейін\n   *[other] { $n }\n}", True),
        ("x = чат қайта ашылатын уақыт: { $opens }.", False),
        ("x = { $day } күнінен бастап", False),
        ("x = Тағы { $left } хабарламаны өшіре алмайды", False),
        ("x = ({ $count }-ескерту)", False),
        ("x = Дәл қазір қауіпті болса: { common-lines }", False),
    ],
)
def test_a_bare_placeable_is_caught(source: str, bad: bool) -> None:
    (_, pattern), *_ = patterns(source)
    assert bool(bare_placeables(pattern)) == bad


# -- (c) the length of a message on a phone screen ------------------------------------------

MAX_CHARS = 900  # about two phone screens; the whole message, referenced texts included
# Messages allowed to be longer, each with why (none so far).
LONG_ON_PURPOSE: Mapping[str, str] = {}
SAMPLE = "0123456789"  # each placeholder rendered as ten characters


def rendered(texts: Texts, lang: str, key: str, names: set[str]) -> str:
    return texts.get(lang, key, dict.fromkeys(names, SAMPLE))


def too_long(text: str, limit: int = MAX_CHARS) -> bool:
    return len(text) > limit


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_fits_on_a_phone_screen(lang: str) -> None:
    texts = Texts()
    user_keys = {
        key
        for path in ftl_files(lang)
        if not path.name.startswith(STAFF)
        for key, _ in patterns(path.read_text(encoding="utf-8"))
        if "." not in key
    }
    problems = []
    for key, names in catalogue()[lang].items():
        if key not in user_keys or key in LONG_ON_PURPOSE:
            continue
        text = rendered(texts, lang, key, names)
        if too_long(text):
            problems.append(f"{lang}:{key} has {len(text)} characters (at most {MAX_CHARS})")
    assert not problems, "\n".join(problems)


def test_a_long_message_is_caught() -> None:
    assert too_long("Слово. " * 150) and not too_long("Коротко.")


# -- (d) the emergency lines in urgent, fallback and first replies --------------------------

EMERGENCY = ("102", "112", "150")
# Urgent steps that say nothing themselves: what their action says first.
URGENT_OPENERS: Mapping[str, tuple[str, ...]] = {
    "safety.quiet": ("safety-exit-urgent",),
    "safety.exit_urgent": ("safety-exit-urgent",),
    "safety.now": ("safety-now-numbers",),
}
# The engine's own replies when it cannot go on, and the very first message.
FALLBACKS = (
    "common-lines",  # added to a screen where the bot lands people it cannot place (lines=True)
    "common-stale",
    "common-text-only",
    "flood-slow-down",
    "unavailable",
    "menu-not-understood",
)
FIRST = ("start-welcome",)
# What a victim is told to do right now (said without safety-now-numbers before it).
ALSO = ("safety-now-steps", "safety-urgent", "handoff-timeout", "handoff-still-queued")
VARIANTS = [(None, None), ("whatsapp", None), (None, "young"), ("whatsapp", "young")]


def missing_lines(text: str) -> list[str]:
    return [number for number in EMERGENCY if number not in text]


def emergency_replies() -> dict[str, tuple[str, ...]]:
    """What must carry the lines: name → the text keys said together."""
    replies: dict[str, tuple[str, ...]] = {}
    for flow in all_flows():
        for step in flow.steps:
            if step.urgent:
                said = step.say or URGENT_OPENERS.get(step.id, ())
                assert said, f"urgent step {step.id}: add what it says to URGENT_OPENERS"
                replies[f"step {step.id}"] = said
            if step.lines:
                replies[f"step {step.id} (lines)"] = ("common-lines",)
    for key in (*FALLBACKS, *FIRST, *ALSO):
        replies[key] = (key,)
    return replies


@pytest.mark.parametrize("lang", LANGS)
def test_every_urgent_fallback_and_first_reply_carries_102_112_and_150(lang: str) -> None:
    texts = Texts()
    names = catalogue()[lang]
    problems = []
    for name, keys in emergency_replies().items():
        for channel, audience in VARIANTS:
            text = "\n".join(
                texts.get(
                    lang,
                    key,
                    dict.fromkeys(names[key], SAMPLE),
                    channel=channel,
                    audience=audience,
                )
                for key in keys
            )
            if missing := missing_lines(text):
                problems.append(f"{lang} {name} ({channel}, {audience}): no {missing}")
    assert not problems, "\n".join(problems)


def test_urgent_steps_are_found() -> None:
    replies = emergency_replies()
    assert "step safety.urgent" in replies and "step safety.check" in replies


def test_a_reply_without_the_lines_is_caught() -> None:
    assert missing_lines("Если опасно — звоните 102.") == ["112", "150"]
    assert not missing_lines("📞 102 · 112 · 150")
