### Kazakh terms for staff texts (the full glossary, with words to avoid: docs/staff.md).
### обращение өтініш · консультант кеңесші · специалист маман · координатор үйлестіруші ·
### сотрудник қызметкер · запись жазылу · встреча кездесу (reports keep «сессия», as the
### exports do) · очно бетпе-бет · отменить болдырмау · взять / вести өтінішті алу / жүргізу ·
### срочно шұғыл · оценка опасности қауіп деңгейін бағалау · применяющий насилие зорлық
### көрсетуші · переписка хат алмасу · журнал доступа қол жеткізу журналы · снять блокировку
### бұғаттан шығару · расписание жұмыс кестесі · итог нәтиже · состояние, статус күйі ·
### смена ауысым. A placeable takes no case ending: write «Жазу уақыты: { $when }».

# What the desk writes to the consultants' Telegram group (cards, notices, button answers) and
# the case lines the consoles show; in the group's language (QAMQOR_HANDOFF_GROUP_LANG).

## The case card
staff-role = { $role ->
    [victim] зардап шеккен адам
    [witness] куә
    [aggressor] зорлық көрсетуші
   *[other] белгісіз
}
staff-writer = { $finer ->
    [parent] өз баласына қол көтеріп қоюдан қорқатын ата-ана
   *[other] { $age ->
        [child] бала (14 жасқа дейін)
        [young] жасөспірім (14–17 жас)
       *[other] бала немесе жасөспірім
    }
}
staff-danger = { $danger ->
    [high] жоғары
    [elevated] жоғарылаған
    [low] төмен
   *[other] бағаланбаған
}
staff-card-head = { $urgent ->
    [true] 🔴 ШҰҒЫЛ · Өтініш { $number }
   *[other] Өтініш { $number }
}
staff-card-facts = Қауіп: { $danger } · Тілі: { $lang } · Кім жазып отыр: { $role } · Өңір: { $region } · Себебі: { $reason }
staff-card-reason = { $reason ->
    [urgent] шұғыл хабарлама
    [urgent-exit] шұғыл, жылдам шығу
    [asked] кеңесшіні сұрады
    [callback] кейінірек жазуды сұрайды
   *[other] { $reason }
}
staff-card-quiet = 🤫 Адам хат алмасуды жасырды (жылдам шығу). Қасында зорлық көрсетуші болуы мүмкін: бірінші болып жазбаңыз, адамның өзі жазғанын күтіңіз.
staff-card-callback = Кейінірек жазуды сұрайды: { $when } (Алматы уақыты)
staff-card-screen = { $kind ->
    [child] Балаға төнген қауіп туралы сұрақтар
   *[other] Қауіп деңгейін бағалау
}: { $answers }
staff-screen-q = { $q ->
    [weapon] Қару қолданған немесе қарумен қорқытқан
    [threat_to_kill] Өлтіремін деп қорқытқан (адамды немесе балаларын)
    [believes_may_kill] Адам «ол мені өлтіруі мүмкін» деп ойлайды
    [gun_access] Атыс қаруы бар немесе оңай таба алады
    [strangling] Тұншықтырған немесе тұншықтыруға әрекеттенген
    [jealousy_control] Қатты қызғанады, үнемі бақылайды
    [separation] Адам одан кетіп қалған немесе ажырасқан
    [unemployed] Ол жұмыссыз
    [suicide] Ол өз-өзіне қол жұмсамақ болған немесе солай қорқытқан
    [child_not_his] Одан емес бала бар, ол мұны біледі
    [stalking] Аңдиды, ізіне түседі, қорқытып хабар жібереді
   *[other] { $q }
}
staff-child-q = { $q ->
    [harm] Бірге тұратын үлкен адам ренжітеді немесе ұрады
    [injury_now] Қазір жарақаты бар немесе бір жері қатты ауырып тұр
    [locked_now] Қазір қамап қойған, сыртқа шығармайды
    [food_sleep] Тамақ бермейді, ұйықтатпайды немесе үйден қуады
    [threat_to_kill] Өзін немесе үйдегі біреуді өлтіремін деп қорқытқан
    [sexual] Еркінен тыс қол тигізген немесе шешінуге мәжбүрлеген
    [self_harm] Өзіне зиян келтіру немесе өмір сүрмеу туралы ойлайды
   *[other] { $q }
}
staff-screen-a = { $a ->
    [yes] иә
    [no] жоқ
    [not_sure] білмейді
   *[other] { $a }
}
staff-card-recent = — Соңғы хабарламалар —
staff-card-claim = ✋ Алу
staff-card-close = ✖ Жабу
staff-card-back = ↩ Артқа

## Lines in the case (shown in the topic and on the web console)
staff-line-claimed = ✋ Өтінішті { $name } алды ({ $via })
staff-line-closed = ✔ Жабылды ({ $outcome }): { $name }
staff-line-timeout = ⚠ Күту уақыты бітті: адамға телефон нөмірлері жіберілді.
staff-line-unclaimed = Өтінішті ешкім алмады — ол жауапсыз қалды деп жабылды.
staff-line-now-urgent = 🔴 Өтініш шұғыл санатына өтті.
staff-line-cancelled = Адам кеңесшіні шақырудан бас тартты.
staff-line-unsupported = [{ $kind ->
    [none] хабарлама
   *[other] { $kind }
}: бот мұны жеткізе алмайды]
staff-line-undelivered = ⚠ Хабарлама адамға жеткізілмеді (мессенджер қабылдамады). Консольді тексеріңіз немесе кейінірек қайталаңыз.
# What a copy in the group says once it could no longer be deleted (after 48 hours).
staff-copy-erased = — адамның сұрауы бойынша өшірілді
staff-line-erased = Адамның деректері өшірілді (өз сұрауы бойынша немесе сақтау мерзімі өткендіктен): өтініштегі хат алмасу өшіріледі, тақырып жабылады.

## Alerts in the group's general topic
staff-alert-waiting = ⚠ { $urgent ->
    [true] 🔴 ШҰҒЫЛ өтініш
   *[other] Өтініш
} { $number } { $minutes } мин { $seconds } с бойы жауапсыз күтіп тұр. Адамға 150/102/112 нөмірлері жіберілді. Кеңесші керек.{ $count ->
    [1] {""}
   *[other] {" "}(еске салу: { $count })
}
staff-alert-urgent = 🔴 { $number }: шұғыл хабарлама

## Answers to a button pressed on a card
staff-answer-claimed = Өтінішті сіз алдыңыз. Осы тақырыпта жазыңыз — хабарламаларыңыз адамға жіберіледі.
staff-answer-close-not-yours = Тек { $holder } жаба алады.
staff-answer-pick-outcome = Нәтижесін таңдаңыз.
staff-answer-ok = Жарайды.
staff-answer-closed = Жабылды.

## Why a consultant's action was refused (in the group and on the web console)
staff-refused-taken = Өтінішті { $holder } алып қойған.
staff-refused-taken-unknown = Өтінішті басқа кеңесші алып қойған.
staff-refused-empty = Хабарлама бос.
staff-refused-empty-note = Жазба бос.
staff-refused-quiet = Адам хат алмасуды жасырды (жылдам шығу). Өзіңіз бірінші жазбаңыз — адамның өзі жазғанын күтіңіз.
staff-refused-erased = Адам өз деректерін өшірді; оған жазу мүмкін емес.
staff-refused-no-case = Мұндай өтініш жоқ.
staff-refused-outcome = Өтініштің нәтижесін таңдаңыз.
staff-line-reopened = ↺ Өтініш қайта ашылды: { $name }
staff-refused-reopen = Қайта ашу мүмкін емес: 30 минуттан көп өтті, адамның басқа өтініші ашық немесе хат алмасу өшірілген.
staff-refused-reopen-not-yours = Өтінішті оны жүргізген кеңесші ({ $holder }) немесе үйлестіруші ғана қайта аша алады.
staff-refused-closed = Өтініш жабылып қойған.
staff-refused-closed-now = Өтініш жабылған.
staff-refused-close-not-yours = Өтінішті тек оны жүргізіп отырған кеңесші жаба алады: { $holder }.
staff-refused-claim-first = Алдымен өтінішті алыңыз.
staff-refused-not-yours = Өтінішті { $holder } жүргізіп отыр.

## The topic as a console (issue 15): earlier cases, held messages, /note, /card, /help
staff-card-earlier = ↩ Бұрын да хабарласқан: { $count } рет (соңғысы — { $when }: { $numbers })
staff-card-commands = /card — тақырып соңындағы түймелері бар карточка · /note мәтін — әріптестерге жазба · /help
staff-card-claim-send = ✋ Алу және жіберу
staff-topic-held = ⚠ Хабарлама адамға жіберілген жоқ: өтінішті әлі ешкім алмаған. Хабарлама сақталды. «Алу және жіберу» түймесін бассаңыз, өтініш сізге өтеді де, хабарлама жіберіледі.
staff-topic-noted = 📝 Жазба сақталды. Оны тек қызметкерлер көреді, адамға жіберілмейді.
staff-topic-help =
    Өтініш тақырыбындағы командалар:
    /card — тақырып соңындағы түймелері бар карточка
    /note мәтін — әріптестерге жазба (адам оны көрмейді)
    /refer — адамға отбасы қызметіне жазылуды ұсыну (өз чатында, «150 желісі жіберді» деген белгімен)
    Өтінішті алмайынша, сіздің хабарламаларыңыз адамға жіберілмейді: «Алу және жіберу» басылғанша сақталып тұрады.
staff-answer-claimed-sent = Өтініш сізде, хабарлама адамға жіберілді.
staff-answer-held-gone = Бұл хабарлама жіберіліп қойған.
staff-answer-held-not-yours = Бұл хабарламаны { $author } жазған: оны тек авторы жібере алады.

## A coordinator moves a case (the supervisor page, handoff/reassign.py)
staff-line-reassigned = ⇄ Өтініш басқа кеңесшіге берілді: { $before } → { $after } (үйлестіруші: { $by })
staff-line-requeued = ⇄ Өтініш кезекке қайтарылды (жүргізген: { $before }; үйлестіруші: { $by }). Жалғастыру үшін «Алу» түймесін басыңыз.
staff-refused-reassign-role = Өтінішті басқа кеңесшіге тек үйлестіруші бере алады.
staff-refused-reassign-not-live = Қазір жүргізіліп жатқан өтінішті ғана беруге болады: бұл өтініш әлі кезекте немесе жабылған.
staff-refused-reassign-same = Бұл өтінішті онсыз да { $holder } жүргізіп отыр.
staff-refused-reassign-off-shift = Бұл кеңесші қазір ауысымда емес (соңғы 15 минутта байланыста болмады).
staff-refused-reassign-moved = Сіз таңдап жатқанда өтініш жабылды немесе басқа біреуге берілді. Бетті жаңартыңыз.
staff-line-referred = 📅 Адамға отбасы қызметіне жазылу ұсынылды (150 желісінің жолдамасы): { $name }
