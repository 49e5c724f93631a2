"""The closed vocabularies of the registry, with Russian and Kazakh labels for the reports.

Codes are what other packages pass to `Registry.update`; labels are what staff read.
Regions are Kazakhstan's 17 regions and 3 cities of republican significance (2022 division),
coded as in /work/shared/kz-contacts.yaml, with their population (thousands, 2024 estimates
of the Bureau of National Statistics, rounded) used to weigh generated demo data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Label:
    ru: str
    kk: str

    def get(self, lang: str) -> str:
        return self.kk if lang == "kk" else self.ru


CHANNELS: dict[str, Label] = {
    "telegram": Label("Telegram", "Telegram"),
    "whatsapp": Label("WhatsApp", "WhatsApp"),
    "console": Label("Консоль (проверка)", "Консоль (тексеру)"),
}

LANGS: dict[str, Label] = {
    "ru": Label("русский", "орыс тілі"),
    "kk": Label("казахский", "қазақ тілі"),
    "en": Label("английский", "ағылшын тілі"),
}

ROLES: dict[str, Label] = {
    "victim": Label("пострадавшие", "зардап шеккендер"),
    "witness": Label("свидетели, близкие", "куәгерлер, жақындар"),
    "aggressor": Label("применяющие насилие", "зорлық көрсетушілер"),
    "unknown": Label("не указано", "көрсетілмеген"),
}

DANGER_LEVELS: dict[str, Label] = {
    "high": Label("высокая", "жоғары"),
    "elevated": Label("повышенная", "жоғарылаған"),
    "low": Label("низкая", "төмен"),
}

# The NLU intents (docs/nlu-labels.md) as topics of a contact.
TOPICS: dict[str, Label] = {
    "help": Label("рассказ о ситуации, помощь", "жағдайын айту, көмек"),
    "contacts": Label("контакты служб", "қызметтердің байланыстары"),
    "shelter": Label("убежище, кризисный центр", "баспана, дағдарыс орталығы"),
    "legal": Label("правовые вопросы, полиция", "құқықтық сұрақтар, полиция"),
    "safety_plan": Label("план безопасности", "қауіпсіздік жоспары"),
    "book": Label("запись к специалисту", "маманға жазылу"),
    "human": Label("живой консультант", "кеңесшіге жүгіну"),
    "exit": Label("быстрый выход", "жылдам шығу"),
    "greet": Label("приветствие", "сәлемдесу"),
    "thanks": Label("благодарность", "алғыс"),
    "other": Label("другое", "басқа"),
}

# Who referred a person to the family service's programme (issue 16), as the person said in
# the chat or staff set it. The grant's figures: line 150 (over 60 %), the crisis centre
# through partners who agreed, police inspectors for the protection of women.
REFERRALS: dict[str, Label] = {
    "self": Label("сам(а)", "өзі"),
    "line150": Label("телефон доверия 150", "150 сенім телефоны"),
    "police": Label("инспектор полиции", "полиция инспекторы"),
    "court": Label("суд", "сот"),
    "crisis_centre": Label("кризисный центр", "дағдарыс орталығы"),
    "family": Label("партнёр или родные", "жұбайы немесе туыстары"),
    "other": Label("другое", "басқа"),
}

# The writer's age band (issue 17), as the NLU read it or a path told (nlu/age.py): a child is 13
# or younger, a young person 14-17 or a minor who did not say their age; NULL is unknown.
AGE_BANDS: dict[str, Label] = {
    "child": Label("ребёнок (до 14 лет)", "бала (14 жасқа дейін)"),
    "young": Label(
        "подросток (14–17 лет или несовершеннолетний без возраста)",
        "жасөспірім (14–17 жас немесе жасы айтылмаған кәмелетке толмаған)",
    ),
    "adult": Label("взрослый", "ересек"),
}

# Kinds of violence the person opened in the victim path (dialogues/flows/victim.py KINDS).
VIOLENCE: dict[str, Label] = {
    "physical": Label("физическое", "физикалық"),
    "psychological": Label("психологическое", "психологиялық"),
    "economic": Label("экономическое", "экономикалық"),
    "sexual": Label("сексуальное", "жыныстық"),
    "control": Label("контроль, изоляция", "бақылау, оқшаулау"),
}

# The writer's sex, only if they chose to say (the optional question after the feedback).
SEXES: dict[str, Label] = {
    "female": Label("женщина", "әйел"),
    "male": Label("мужчина", "ер адам"),
    "declined": Label("не захотел(а) отвечать", "жауап бергісі келмеді"),
}

# The optional demographics question of a contact: asked (shown, no answer yet), answered
# (sex or age given), declined («не хочу отвечать»); NULL = never asked.
DEMOGRAPHICS: dict[str, Label] = {
    "asked": Label("спросили, без ответа", "сұралды, жауапсыз"),
    "answered": Label("ответил(а)", "жауап берді"),
    "declined": Label("отказался(ась) отвечать", "жауап беруден бас тартты"),
}

# Whether the person wrote before this contact (registry.service.new_in): distinct people.
NEW_IN: dict[str, Label] = {
    "new": Label("впервые", "алғаш рет"),
    "year": Label("впервые в этом году", "осы жылы алғаш рет"),
    "quarter": Label("впервые в этом квартале", "осы тоқсанда алғаш рет"),
    "month": Label("впервые в этом месяце", "осы айда алғаш рет"),
}

# How a correctional course ended (booking/course.py OUTCOMES), for the reports; the course
# page says the same in staff-course-outcome-code (tests/test_reports_programme.py checks).
COURSE_OUTCOMES: dict[str, Label] = {
    "completed_change": Label("завершил, изменения отмечены", "аяқтады, өзгеріс байқалды"),
    "completed": Label("завершил", "аяқтады"),
    "partly": Label("прошёл частично", "ішінара өтті"),
    "dropped_out": Label("выбыл", "шығып қалды"),
    "excluded_risk": Label("исключён из-за риска", "қауіпке байланысты шығарылды"),
    "referred": Label("направлен в другую службу", "басқа қызметке жіберілді"),
}

# What the aggressor path's first conversation notes for the specialist on the booking: codes,
# never free text. The specialist's assessment sheet decides what they mean.
INTAKE_NOTES: dict[str, Label] = {
    "substances": Label(
        "алкоголь или наркотики — часть проблемы", "ішімдік немесе есірткі — мәселенің бір бөлігі"
    ),
    "substances_chaotic": Label(
        "трудно остановиться: направлен(а) к наркологу",
        "тоқтау қиын: наркологқа бағытталды",
    ),
    "weapon_unsure": Label("оружие: не уверен", "қару: сенімді емес"),
    "harm_unsure": Label("мысли навредить: не уверен", "зиян ойы: сенімді емес"),
    "empty_home": Label("партнёр ушла: риск преследования", "жұбайы кетіп қалған: із кесу қаупі"),
    "urgent": Label("в разговоре была срочная ситуация", "әңгімеде шұғыл жағдай болды"),
    # The self-check (dialogues/flows/aggressor.py CHECK), only when he agreed to share it:
    # check_shared always, then each item he answered "yes" to.
    "check_shared": Label(
        "ответы самопроверки переданы с его согласия",
        "өзін-өзі тексеру жауаптары оның келісімімен берілді",
    ),
    "check_physical": Label(
        "самопроверка: толкал, бил, хватал близкого или бросал в него вещи, да",
        "өзін-өзі тексеру: жақынын итерген, ұрған, жұлқылаған немесе оған зат лақтырған, иә",
    ),
    "check_threats": Label(
        "самопроверка: угрожал, кричал или ломал вещи так, что близкие боялись, да",
        "өзін-өзі тексеру: жақындары қорыққандай қорқытқан, айғайлаған немесе зат сындырған, иә",
    ),
    "check_control": Label(
        "самопроверка: проверяет телефон партнёра, запрещает видеться с людьми, "
        "контролирует деньги, да",
        "өзін-өзі тексеру: жұбайының телефонын тексереді, адамдармен көрісуге тыйым салады, "
        "ақшасын бақылайды, иә",
    ),
    "check_sex": Label(
        "самопроверка: добивался близости, когда партнёр не хотел, да",
        "өзін-өзі тексеру: жұбайы қаламаса да, жыныстық қатынасқа қысым жасаған, иә",
    ),
    "check_fear": Label(
        "самопроверка: семья затихает и подстраивается, чтобы его не разозлить, да",
        "өзін-өзі тексеру: отбасы оны ашуландырмау үшін тынышталып, оған бейімделеді, иә",
    ),
    # Asked of a man sent by police or a court; the consent itself is given in writing.
    "confirm_wanted": Label(
        "просит подтверждать посещение (нужно письменное согласие)",
        "қатысуын растауды сұрайды (жазбаша келісім керек)",
    ),
    "confirm_declined": Label(
        "подтверждение посещения не нужно или пока не решил",
        "қатысуды растау керек емес немесе әлі шешпеген",
    ),
}

# Outcome codes of a handoff are set by the handoff package; these have labels, any other
# code (a-z, 0-9, _) is accepted and shown as is.
# Outcome codes of a handoff case: the single list, used by the consoles (what a consultant
# may choose), by the bot (how a case ended on its own) and by the reports.
CONSULTANT_OUTCOMES: dict[str, Label] = {
    "helped": Label("поддержка и информация", "қолдау және ақпарат"),
    "referred": Label(
        "направлен(а) в службы (полиция, кризисный центр, юрист)",
        "қызметтерге жіберілді (полиция, дағдарыс орталығы, заңгер)",
    ),
    "booked": Label("записан(а) в семейную службу", "отбасы қызметіне жазылды"),
    "emergency": Label("экстренная ситуация: 102/112", "төтенше жағдай: 102/112"),
    "no_reply": Label("человек перестал отвечать", "адам жауап бермей қалды"),
    "not_dv": Label("не по теме", "тақырыпқа қатысы жоқ"),
    "other": Label("другое", "басқа"),
}
SYSTEM_OUTCOMES: dict[str, Label] = {
    "exit": Label("человек скрыл переписку", "адам хат алмасуды жасырды"),
    "erased": Label("данные удалены по просьбе", "деректер өтініш бойынша өшірілді"),
    "cancelled": Label("запрос отменён", "сұраныс тоқтатылды"),
    "unclaimed": Label("не принят вовремя", "уақытында қабылданбады"),
}
HANDOFF_OUTCOMES: dict[str, Label] = {**CONSULTANT_OUTCOMES, **SYSTEM_OUTCOMES}


# Feedback questions and answers (codes chosen by the feedback flow; unknown ones shown as is).
# The keys are the feedback flow's questions (dialogues/flows/feedback.py QUESTIONS).
FEEDBACK_QUESTIONS: dict[str, Label] = {
    "helpful": Label("Насколько помог разговор (1–5)", "Әңгіме қаншалықты көмектесті (1–5)"),
    "next_steps": Label("Знает, что делать дальше", "Әрі қарай не істеу керегін біледі"),
    "again": Label("Напишет ли снова", "Қайта жаза ма"),
}
FEEDBACK_ANSWERS: dict[str, Label] = {
    "yes": Label("да", "иә"),
    "no": Label("нет", "жоқ"),
    "partly": Label("отчасти", "ішінара"),
    "unsure": Label("не знаю", "білмеймін"),
}


@dataclass(frozen=True, slots=True)
class Region:
    label: Label
    population: int  # thousands


REGIONS: dict[str, Region] = {
    "almaty_city": Region(Label("г. Алматы", "Алматы қ."), 2229),
    "astana_city": Region(Label("г. Астана", "Астана қ."), 1424),
    "shymkent_city": Region(Label("г. Шымкент", "Шымкент қ."), 1229),
    "abai": Region(Label("область Абай", "Абай облысы"), 602),
    "akmola": Region(Label("Акмолинская область", "Ақмола облысы"), 788),
    "aktobe": Region(Label("Актюбинская область", "Ақтөбе облысы"), 941),
    "almaty_region": Region(Label("Алматинская область", "Алматы облысы"), 1526),
    "atyrau": Region(Label("Атырауская область", "Атырау облысы"), 706),
    "east_kz": Region(Label("Восточно-Казахстанская область", "Шығыс Қазақстан облысы"), 733),
    "zhambyl": Region(Label("Жамбылская область", "Жамбыл облысы"), 1224),
    "zhetysu": Region(Label("область Жетісу", "Жетісу облысы"), 699),
    "west_kz": Region(Label("Западно-Казахстанская область", "Батыс Қазақстан облысы"), 693),
    "karaganda": Region(Label("Карагандинская область", "Қарағанды облысы"), 1134),
    "kostanay": Region(Label("Костанайская область", "Қостанай облысы"), 828),
    "kyzylorda": Region(Label("Кызылординская область", "Қызылорда облысы"), 836),
    "mangystau": Region(Label("Мангистауская область", "Маңғыстау облысы"), 768),
    "pavlodar": Region(Label("Павлодарская область", "Павлодар облысы"), 751),
    "north_kz": Region(Label("Северо-Казахстанская область", "Солтүстік Қазақстан облысы"), 530),
    "turkistan": Region(Label("Туркестанская область", "Түркістан облысы"), 2142),
    "ulytau": Region(Label("область Ұлытау", "Ұлытау облысы"), 221),
    "abroad": Region(Label("за пределами Казахстана", "Қазақстаннан тыс"), 0),
}

NOT_GIVEN = Label("не указано", "көрсетілмеген")
YES = Label("да", "иә")
NO = Label("нет", "жоқ")


def label(vocabulary: dict[str, Label], code: str | None, lang: str) -> str:
    """The label of a code; an unknown code is shown as is, a missing one as "not given"."""
    if code is None or code == "":
        return NOT_GIVEN.get(lang)
    found = vocabulary.get(code)
    return found.get(lang) if found else code


def region_label(code: str | None, lang: str) -> str:
    if code is None:
        return NOT_GIVEN.get(lang)
    found = REGIONS.get(code)
    return found.label.get(lang) if found else code
