"""The paths at engine level: danger-screen rule, checklist, discreet note, regions, contacts,
the aggressor's urgent line, feedback, and the urgent interrupt on every step of every flow."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.messages import RequestHandoff
from dialogues.danger_screen import DangerScreen, default_screen
from dialogues.directory import Directory, check_file
from dialogues.engine import URGENT
from dialogues.regions import default_regions
from dialogues.table import main as table_main
from tests.dialogue_tester import DialogueTester, engine, labels

SCREEN = default_screen()
CRITICAL = [q.id for q in SCREEN.questions if q.group == "critical"]
OTHER = [q.id for q in SCREEN.questions if q.group == "other"]
# The "other" questions whose "yes" counts towards the threshold only (strangling is decisive).
PLAIN = [q.id for q in SCREEN.questions if q.group == "other" and not q.decisive]


# -- the danger screen's rule --------------------------------------------------------------


def test_the_screen_has_the_published_shape() -> None:
    assert len(SCREEN.questions) == 11 and len(CRITICAL) == 3 and len(OTHER) == 8
    assert SCREEN.thresholds == {"critical": 1, "other": 4}


@pytest.mark.parametrize("qid", CRITICAL)
def test_exactly_one_of_the_first_three_is_high(qid: str) -> None:
    answers = {q.id: "no" for q in SCREEN.questions} | {qid: "yes"}
    assert SCREEN.evaluate(answers).level == "high"


def test_three_of_the_other_eight_is_not_high_four_is() -> None:
    three = {q: "yes" for q in PLAIN[:3]}
    assert SCREEN.evaluate(three).level == "elevated"
    four = {q: "yes" for q in PLAIN[:4]}
    assert SCREEN.evaluate(four).level == "high"
    assert SCREEN.evaluate({q: "no" for q in OTHER + CRITICAL}).level == "low"


def test_not_sure_counts_as_yes_as_documented() -> None:
    assert SCREEN.not_sure_counts_as_yes
    assert SCREEN.evaluate({CRITICAL[2]: "not_sure"}).level == "high"
    mixed = {PLAIN[0]: "yes", PLAIN[1]: "yes", PLAIN[2]: "yes", PLAIN[3]: "not_sure"}
    result = SCREEN.evaluate(mixed)
    assert result.level == "high" and result.not_sure == 1


def test_not_sure_as_no_is_one_line_of_data(tmp_path: Path) -> None:
    text = (Path("dialogues/data/danger_screen.yaml")).read_text(encoding="utf-8")
    path = tmp_path / "screen.yaml"
    path.write_text(text.replace('not_sure: "yes"', 'not_sure: "no"'), encoding="utf-8")
    screen = DangerScreen.load(path)
    assert screen.evaluate({CRITICAL[0]: "not_sure"}).level == "low"
    assert screen.evaluate({q: "not_sure" for q in OTHER}).level == "low"


@pytest.mark.parametrize("qid", ["weapon", "threat_to_kill", "strangling"])
def test_a_yes_to_weapon_threat_to_kill_or_strangling_alone_is_high(qid: str) -> None:
    assert SCREEN.decided(qid, "yes") and SCREEN.decided(qid, "not_sure")
    assert not SCREEN.decided(qid, "no")
    assert SCREEN.evaluate({qid: "yes"}).level == "high"


def test_a_broken_screen_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "screen.yaml"
    path.write_text(
        "instrument: x\nnot_sure: maybe\ngroups: [{id: a, threshold: 0}]\n"
        "questions: [{id: q, group: b, text: t}]\n"
    )
    with pytest.raises(ValueError, match="unknown group"):
        DangerScreen.load(path)


async def _screen(t: DialogueTester, answers: list[str]) -> None:
    await t.text("/start")
    await t.press("!lang=ru")
    await t.press("menu.main#self")
    await t.press("victim.start#danger")
    await t.press("danger.start#go")
    for i, answer in enumerate(answers):
        await t.press(f"{SCREEN.step_id(i)}#{answer}")


async def test_high_danger_says_so_gives_numbers_and_calls_a_consultant_with_the_answers() -> None:
    t = DialogueTester()
    t.services.handoff_enabled = True
    await _screen(t, ["no", "yes"])  # "yes" to a threat to kill ends the screen at once
    assert t.state.step == "danger.result"
    text = t.texts()
    assert "высокой опасности" in text and "102" in text and "112" in text
    assert "в безопасности" not in text
    (handoff,) = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert handoff.urgent and handoff.details["danger_level"] == "high"
    assert handoff.details["danger_screen"] == {"weapon": "no", "threat_to_kill": "yes"}
    assert t.state.vars["danger_level"] == "high"
    await t.press("danger.result#human")  # asking again does not call twice
    assert not [e for e in t.effects() if isinstance(e, RequestHandoff)]
    # The rest of the questions can follow, if the person wants; no second call at the end.
    await t.press("danger.result=continue")
    assert t.state.step == SCREEN.step_id(2)
    for i in range(2, len(SCREEN.questions)):
        await t.press(f"{SCREEN.step_id(i)}#no")
    assert t.state.step == "danger.result" and "высокой опасности" in t.texts()
    assert len(t.state.vars["danger"]) == len(SCREEN.questions)
    assert not [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert "Ответить на остальные вопросы" not in t.labels()


async def test_without_live_consultants_high_danger_says_call_150() -> None:
    t = DialogueTester()
    await _screen(t, ["yes"] + ["no"] * 10)
    assert "Позвоните на 150 прямо сейчас" in t.texts()
    assert not t.effects()


async def test_a_lower_result_never_says_safe_and_offers_help() -> None:
    t = DialogueTester()
    await _screen(t, ["no"] * 3 + ["yes", "no", "yes", "yes"] + ["no"] * 4)
    assert t.state.vars["danger_level"] == "elevated"
    assert "не значит, что вы в безопасности" in t.texts()
    assert "💬 Поговорить с консультантом" in t.labels()


async def test_typed_answers_are_understood_in_both_languages() -> None:
    t = DialogueTester()
    await _screen(t, [])
    await t.text("нет", labels())
    await t.text("жоқ", labels(lang="kk"))
    await t.text("не знаю", labels())
    assert t.state.vars["danger"] == dict(zip(CRITICAL, ["no", "no", "not_sure"], strict=True))
    assert t.state.step == "danger.result"  # "not sure" to a decisive question ends the screen


# -- the safety plan ---------------------------------------------------------------------


async def test_the_checklist_toggles_and_the_note_is_discreet() -> None:
    for lang, alarming in (
        ("ru", ("насил", "полиц", "безопасн", "побег", "приют", "кризис")),
        ("kk", ("зорлық", "полиция", "қауіпсіз", "дағдарыс", "баспана")),
    ):
        t = DialogueTester()
        await t.text("/start")
        await t.press(f"!lang={lang}")
        await t.press("victim.start#plan")
        assert t.state.vars["plan"] == []
        await t.press("victim.safety_plan=documents")
        await t.press("victim.safety_plan=children")
        await t.press("victim.safety_plan=documents")
        assert t.state.vars["plan"] == ["children"]
        assert any(label.startswith("☑") for label in t.labels())
        await t.press("victim.safety_plan#note")
        note = t.replies()[0].text
        assert note.count("☑") == 1 and note.count("☐") == 5
        assert "150" in note
        for word in alarming:
            assert word not in note.casefold(), (lang, word)
        await t.press("victim.safety_plan=nonsense")  # a forged value changes nothing
        assert t.state.vars["plan"] == ["children"]


# -- regions and contacts -------------------------------------------------------------------

SPELLINGS = {
    "Өскемен": "east_kz", "Оскемен": "east_kz", "Усть-Каменогорск": "east_kz",
    "Ust-Kamenogorsk": "east_kz", "усть каменогорск": "east_kz", "Öskemen": "east_kz",
    "Риддер": "east_kz", "Уральск": "west_kz", "Орал": "west_kz", "Oral": "west_kz",
    "я живу в Уральске": "west_kz", "ЗКО": "west_kz", "Алма-Ата": "almaty_city",
    "Алматы": "almaty_city", "алмата": "almaty_city", "Almaty": "almaty_city",
    "г. Алматы": "almaty_city", "Алматинская область": "almaty_region",
    "Алматы облысы": "almaty_region", "Қонаев": "almaty_region", "Капчагай": "almaty_region",
    "Нур-Султан": "astana_city", "Астана": "astana_city", "Astana": "astana_city",
    "Kyzylorda": "kyzylorda", "Қызылорда": "kyzylorda", "Кызылорда": "kyzylorda",
    "Байконур": "kyzylorda", "караганды": "karaganda", "Караганда": "karaganda",
    "Qaragandy": "karaganda", "в Караганде": "karaganda", "Темиртау": "karaganda",
    "Шымкент": "shymkent_city", "Чимкент": "shymkent_city", "Шымкент қаласы": "shymkent_city",
    "Туркестан": "turkistan", "Түркістан": "turkistan", "Кентау": "turkistan",
    "Семей": "abai", "Семипалатинск": "abai", "Абай облысы": "abai", "Кокшетау": "akmola",
    "Көкшетау": "akmola", "Степногорск": "akmola", "Актобе": "aktobe", "Ақтөбе": "aktobe",
    "Aktobe": "aktobe", "Атырау": "atyrau", "Гурьев": "atyrau", "Тараз": "zhambyl",
    "Taraz": "zhambyl", "Кордай": "zhambyl", "Талдыкорган": "zhetysu", "Талдықорған": "zhetysu",
    "Taldyqorğan": "zhetysu", "Жетісу": "zhetysu", "Костанай": "kostanay", "Қостанай": "kostanay",
    "Рудный": "kostanay", "Актау": "mangystau", "Ақтау": "mangystau", "Жанаозен": "mangystau",
    "Павлодар": "pavlodar", "Павладар": "pavlodar", "Экибастуз": "pavlodar",
    "Петропавловск": "north_kz", "Петропавл": "north_kz", "СКО": "north_kz",
    "Жезказган": "ulytau", "Жезқазған": "ulytau", "Jezkazgan": "ulytau", "Сатпаев": "ulytau",
    "Ұлытау": "ulytau",
}  # fmt: skip
NOT_PLACES = ["привет", "мне страшно", "он меня бьёт", "Москва", "Бишкек", "спасибо", "хочу", "?"]


def test_region_resolution_table() -> None:
    regions = default_regions()
    assert len(regions.ids) == 20 and len(SPELLINGS) >= 40
    wrong = {s: regions.resolve(s) for s, r in SPELLINGS.items() if regions.resolve(s) != r}
    assert not wrong
    assert {t: regions.resolve(t) for t in NOT_PLACES} == dict.fromkeys(NOT_PLACES)


def test_the_bundled_directory_is_valid_and_shows_only_verified_phones() -> None:
    _, report = check_file(Path("dialogues/data/contacts.yaml"))
    assert report.errors == []
    directory = Directory.load()
    assert [e.phones[0] for e in directory.national_lines()] == ["102", "112", "103", "150", "111"]
    # The draft has no verified regional phone: nothing regional is shown, anywhere.
    assert all(directory.regional(r) == [] for r in default_regions().ids)
    # The North-Kazakhstan police numbers exist in the data but are unverified.
    assert "north_kz_police_women_group" in report.unverified


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = Path("dialogues/data/contacts.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "contacts.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


async def test_a_verified_regional_entry_is_shown_after_the_national_lines(tmp_path: Path) -> None:
    path = _edited(
        tmp_path,
        "  region: north_kz\n  kind: police\n  name_ru: Группа по защите женщин от насилия"
        " (полиция, Петропавловск / СКО)\n  name_kk: ''\n  phones:\n  - '+77152493158'\n"
        "  - '+77152612530'\n  shelter: false\n  verified: false\n",
        "  region: north_kz\n  kind: police\n  name_ru: Группа по защите женщин от насилия"
        " (полиция, Петропавловск / СКО)\n  name_kk: ''\n  phones:\n  - '+77152493158'\n"
        "  shelter: false\n  verified: true\n",
    )
    t = DialogueTester()
    t.services.contacts = Directory.load(path)
    await t.text("/start")
    await t.press("!lang=ru")
    await t.press("menu.main#contacts")
    await t.text("Петропавловск", labels("other"))
    text = t.texts()
    assert "+77152493158" in text and "+77152612530" not in text
    assert "Проверенного номера" not in text
    await t.text("Өскемен", labels("other"))
    assert "Проверенного местного номера у нас пока нет" in t.texts()


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("  region: abai\n", "  region: semipalatinsk\n", "unknown region"),
        ("  verified: false\n", "  verified: yes please\n", "verified must be true or false"),
        ("  - '102'\n", "  - 'call me'\n", "phones must be a list"),
        ("  kind: crisis_centre\n", "  kind: spa\n", "kind must be one of"),
    ],
)
def test_contacts_check_reports_schema_errors(
    tmp_path: Path, old: str, new: str, error: str
) -> None:
    _, report = check_file(_edited(tmp_path, old, new))
    assert any(error in e for e in report.errors), report.errors


def test_contacts_check_survives_junk(tmp_path: Path) -> None:
    for content in ("", "[1, 2", "entries: 5", "\x00\x01", "entries:\n  - 7\n"):
        path = tmp_path / "junk.yaml"
        path.write_text(content)
        _, report = check_file(path)
        assert report.errors


# -- safety interrupts on every step, and the aggressor's line --------------------------------

INTERACTIVE = sorted(
    s.id for s in engine().steps.values() if not s.id.startswith("safety.") and not s.next
)


@pytest.mark.parametrize("step", INTERACTIVE)
async def test_an_urgent_message_interrupts_every_step_and_can_resume(step: str) -> None:
    t = DialogueTester()
    t.state.lang, t.state.step = "ru", step
    await t.text("помогите, он уже идёт сюда", labels(urgent=True, role="victim"))
    first = t.replies()[0]
    assert first.urgent and all(n in first.text for n in ("102", "112", "103", "150"))
    assert t.state.resume == (None if step == "menu.main" else step)  # the menu is not "resumed"
    await t.press("safety.urgent#resume")
    # Resuming lands back in the same flow: on the step itself, or where a step that needs
    # context set earlier (a region, a booking draft) asks for it again; a step only ever
    # sent proactively (a staff cancellation) falls back to the menu without its context.
    assert t.state.step is not None
    assert t.state.step == "menu.main" or (
        t.state.step.partition(".")[0] == step.partition(".")[0]
    ), t.state.step


async def test_an_aggressor_about_to_hurt_someone_gets_the_time_out_line() -> None:
    t = DialogueTester()
    await t.text("я сейчас её ударю", labels(urgent=True, role="aggressor"))
    assert "выйдите из комнаты" in t.texts()
    t = DialogueTester()
    t.state.lang, t.state.step = "kk", "aggressor.menu"
    await t.press(URGENT)  # the button: no NLU, the path says who is writing
    assert "бөлмеден" in t.texts() and "102" in t.replies()[0].text


async def test_a_witness_urgent_message_says_consent_is_not_needed() -> None:
    t = DialogueTester()
    await t.text("сосед бьёт жену прямо сейчас", labels(urgent=True, role="witness"))
    assert "согласие пострадавшего человека не нужно" in t.texts()


async def test_the_urgent_handoff_carries_the_danger_screen_answers() -> None:
    t = DialogueTester()
    t.services.handoff_enabled = True
    await _screen(t, ["no", "no"])
    await t.text("помогите", labels(urgent=True, role="victim"))
    (handoff,) = [e for e in t.effects() if isinstance(e, RequestHandoff)]
    assert handoff.urgent and handoff.details["danger_screen"] == {
        CRITICAL[0]: "no",
        CRITICAL[1]: "no",
    }


# -- feedback, and the table -------------------------------------------------------------------


async def test_feedback_is_buttons_only_and_leaves_the_state() -> None:
    t = DialogueTester()
    t.state.lang = "kk"
    turn = await engine().enter(t.state, "feedback.start", t.services)
    t.state = turn.state
    assert [b.label for b in turn.replies[-1].flat_buttons][:6] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "Өткізіп жіберу",
    ]
    await t.press("feedback.start#4")
    await t.press("feedback.next_steps#partly")
    assert t.state.vars["feedback"] == {"helpful": 4, "next_steps": "partly"}
    await t.press("feedback.again#yes")
    assert "Рахмет" in t.texts() and "feedback" not in t.state.vars


def test_docs_flows_md_is_up_to_date() -> None:
    assert table_main(["--check"]) == 0, "run: python -m dialogues.table"
