# The aggressor programme on the staff site (issue 16): streams, pairs, the assessment sheet.
staff-stream = { $stream ->
    [victims] зардап шеккендер
    [aggressors] агрессорларға арналған бағдарлама
    [family] отбасы
   *[other] { $stream }
}
staff-schedule-stream = Бағыт
staff-schedule-stream-kinds = Белгіленген кездесу түрлері таңдалған бағытқа сәйкес келмейді: агрессорларға арналған бағдарламаның маманы тек осы бағдарламаны жүргізеді, ал бағдарламаны басқа ешкім жүргізбейді.
staff-schedule-fixed-pairs = Тұрақты жұптар (мамандардың нөмірлері)
staff-schedule-fixed-pairs-hint = Мысалы: 3+4, 5+6. Екі маман бірге жүргізетін кездесу түріне тұрақты жұп болса, уақыт жұптың екеуі де бос болғанда ғана ұсынылады.
staff-schedule-pairs-format = Жұптар былай жазылады: 3+4, 5+6 — мамандардың екі түрлі нөмірі.
staff-schedule-pairs-twice = Бір маман екі тұрақты жұпта бола алмайды.
staff-assessment-link = бағалау парағы
staff-assessment-title = Агрессор мәртебесін анықтауға арналған бағалау парағы
staff-assessment-booking = Жазылу № { $number }, { $when }, жүргізетіндер: { $who }
staff-assessment-intro = Бірінші кездесуде толтырылады және бағдарлама барысында қайта қаралады. Әр сақтау — күні мен сіздің қолыңыз қойылған жаңа нұсқа; бұрынғылары сақталады. Парақты тек бағдарлама мамандары мен үйлестірушілер көреді.
staff-assessment-risks = Қауіп факторлары
staff-assessment-risk = { $risk ->
    [recent_violence] Жақында болған зорлық-зомбылық
    [strangulation] Тұншықтыру
    [weapons] Қару
    [threats_to_kill] Өлтіремін деп қорқыту
    [stalking] Аңду, соңынан қалмау
    [children_home] Үйде балалар бар
    [separation] Ажырасу немесе бөлек тұру
    [substances] Ішімдікке немесе есірткіге тәуелділік
    [mental_health] Психикалық дағдарыс
   *[other] { $risk }
}
staff-assessment-answer = { $answer ->
    [yes] иә
    [no] жоқ
    [unknown] белгісіз
   *[other] { $answer }
}
staff-assessment-motivation = Өзгеруге деген ниет
staff-assessment-motive = { $motive ->
    [own] өзі өзгергісі келеді
    [partner] жұбайымен қарым-қатынасы үшін
    [children] балалары үшін
    [court_police] сот немесе полиция талап еткендіктен
    [unclear] әзірге түсініксіз
   *[other] { $motive }
}
staff-assessment-obstacles = Кедергілер
staff-assessment-obstacle = { $obstacle ->
    [denial] зорлықты мойындамайды немесе азайтып көрсетеді
    [blames_partner] жұбайын кінәлайды
    [substances] ішімдік немесе есірткі
    [work_time] жұмыс, уақыты жоқ
    [distance] келу алыс
    [none] байқалмайды
   *[other] { $obstacle }
}
staff-assessment-motivation-note = Ниет пен кедергілер туралы жазба
staff-assessment-eligibility = Шешім
staff-assessment-eligible = { $eligibility ->
    [programme] бағдарламаға қабылдау
    [refer] басқа қызметке жіберу
    [defer] кейінге қалдыру
   *[other] { $eligibility }
}
staff-assessment-reason = Шешімнің себебі
staff-assessment-partner = Жұбайының қауіпсіздігі үшін не істелді
staff-assessment-partner-hint = Жұбайымен байланыс тек қызметтер арқылы (150, 111, дағдарыс орталығы), ешқашан бағдарлама қатысушысының өзі арқылы емес; жұбайының қайда екені айтылмайды.
staff-assessment-partner-action = { $action ->
    [offered_150_111] жұбайына 150 және 111 арқылы көмек ұсынылды
    [partner_service_plan] қауіпсіздік жоспары жұбайына көмектесетін қызметпен талқыланды
    [police_informed] полицияға хабарланды
    [none_yet] әзірге ештеңе
   *[other] { $action }
}
staff-assessment-partner-note = Жұбайының қауіпсіздігі туралы жазба
staff-assessment-sign = Қол қойып сақтау
staff-assessment-revise = Жаңа нұсқаны сақтау
staff-assessment-saved = Нұсқа сақталды.
staff-referral-saved = Кім жібергені сақталды.
staff-chat-title = Чаттағы алғашқы әңгімеден
staff-chat-hint = Бұл — бот әңгіме кезінде белгілеген кодтар, адамның өз сөздері емес. Шешімді бағалау парағы бойынша өзіңіз шығарасыз.
staff-chat-referral = Кім жіберді
staff-chat-referral-none = көрсетілмеген
staff-chat-referral-save = Сақтау
staff-chat-referral-hint = Адамның бағдарламаға барлық жазылуларында және иесіздендірілген тізілімде өзгереді.
staff-chat-notes = Әңгімеде белгіленгені
staff-chat-notes-none = ештеңе белгіленбеген
staff-chat-self-check = Чаттағы өзін-өзі тексеру (жауаптарын беруге келісті)
staff-chat-self-check-none = барлық сұраққа «жоқ» деп жауап берді
staff-chat-self-check-hint = Бұл — адамның өз жауаптары, тексерілмеген: кездесуде бағалау парағымен салыстырыңыз.
staff-assessment-read-only = Үйлестіруші парақты оқиды; оны бағдарлама мамандары толтырады.
staff-assessment-versions = Нұсқалар
staff-assessment-none = Парақ әлі толтырылмаған.
staff-assessment-version = № { $number } нұсқа · { $when } · { $who }
staff-assessment-flagged = «Иә» деп белгіленгендер
staff-assessment-unreadable = Бұл нұсқаны қазіргі кілттермен оқу мүмкін емес.
staff-assessment-back = Жазылуларға оралу
staff-assessment-error-risk = Әр қауіп факторына жауап беріңіз («белгісіз» деуге болады).
staff-assessment-error-eligibility = Шешімді таңдаңыз.
staff-assessment-error-reason = Шешімнің себебін жазыңыз.
staff-assessment-error-none-yet = «Әзірге ештеңе» басқа белгілермен бірге болмайды.
staff-assessment-error-choice = Парақта мұндай нұсқа жоқ.
staff-assessment-error-not-programme = Бағалау парағы тек агрессорларға арналған бағдарламаның жазылуларына жүргізіледі.
staff-assessment-error-busy = Парақты дәл қазір басқа біреу де сақтап жатыр; қайталап көріңіз.
