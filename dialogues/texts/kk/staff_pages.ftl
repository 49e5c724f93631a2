### Kazakh terms for staff texts (the full glossary, with words to avoid: docs/staff.md).
### обращение өтініш · консультант кеңесші · специалист маман · координатор үйлестіруші ·
### сотрудник қызметкер · запись жазылу · встреча кездесу (reports keep «сессия», as the
### exports do) · очно бетпе-бет · отменить болдырмау · взять / вести өтінішті алу / жүргізу ·
### срочно шұғыл · оценка опасности қауіп деңгейін бағалау · применяющий насилие зорлық
### көрсетуші · переписка хат алмасу · журнал доступа қол жеткізу журналы · снять блокировку
### бұғаттан шығару · расписание жұмыс кестесі · итог нәтиже · состояние, статус күйі ·
### смена ауысым. A placeable takes no case ending: write «Жазу уақыты: { $when }».

# The staff web pages (staffweb/): the frame, sign-in, accounts, the audit log and the
# consultants' console. Each staff member reads them in their own language (the header switch).

## Shared words
staff-lang-switch = Бет тілі
staff-lang-ru = Русский
staff-lang-kk = Қазақша
staff-logout = Шығу
staff-from = Басы
staff-to = Соңы
staff-show = Көрсету
staff-save = Сақтау
staff-add = Қосу
staff-remove = өшіру
staff-loading = Жүктелуде…
staff-urgent = ШҰҒЫЛ
staff-error-title = Қате
staff-to-home = Басты бетке
staff-no-access = Бұл бетке кіруге рұқсатыңыз жоқ.

## The menu
staff-nav-handoff = Кеңес беру
staff-nav-telegram = Telegram
staff-nav-bookings = Жазылулар
staff-nav-schedule = Жұмыс кестесі
staff-nav-reports = Есептер
staff-nav-users = Қызметкерлер
staff-nav-audit = Қол жеткізу журналы

## Sign-in
staff-login-title = Кіру
staff-login-heading = Қызметкер ретінде кіру
staff-login-username = Пайдаланушы аты
staff-login-password = Құпиясөз
staff-login-submit = Кіру
staff-login-wrong = Пайдаланушы аты немесе құпиясөз қате.
staff-login-locked = Сәтсіз кіру әрекеттері тым көп. 15 минуттан кейін қайталаңыз немесе үйлестірушіден бұғаттан шығаруды сұраңыз.
staff-login-busy = Қазір кіру әрекеттері тым көп. Бір минуттан кейін қайталаңыз.

## Home, accounts, audit log
staff-home-title = Басты бет
staff-home-hello = Сәлеметсіз бе, { $name }
staff-home-roles = Рөлдеріңіз: { $roles }
staff-users-title = Қызметкерлер
staff-users-intro = Бірнеше рет сәтсіз әрекеттен кейін кіру 15 минутқа бұғатталады. Бұғаттан үйлестіруші шығара алады; бұл қол жеткізу журналына жазылады.
staff-users-name = Аты
staff-users-roles = Рөлдері
staff-users-access = Кіру
staff-users-disabled = өшірілген
staff-users-locked = бұғатталған
staff-users-open = ашық
staff-users-unlock = Бұғаттан шығару
staff-audit-title = Қол жеткізу журналы
staff-audit-time = Уақыты (UTC)
staff-audit-who = Қызметкер
staff-audit-action = Әрекет
staff-audit-subject = Нысан
staff-audit-reason = Себебі
staff-audit-code = код: { $code }
# The audit log keeps codes (stable for searching and for investigations, whatever the reader's
# language); the page says them in words. An unknown code is shown as it is.
staff-audit-act = { $action ->
    [login] Кіру
    [login-failed] Сәтсіз кіру әрекеті
    [staff-unlock] Кіру бұғаттан шығарылды
    [bookings-view] Жазылуларды қарау
    [bookings-export] Жазылуларды жүктеп алу (CSV)
    [booking-attended] Белгіленді: келді
    [booking-no_show] Белгіленді: келмеді
    [booking-cancel] Жазылу болдырылмады
    [booking-move] Жазылу басқа уақытқа ауыстырылды
    [booking-link] Кездесу сілтемесі жіберілді
    [dayoff-view] Демалыс күніне түскен жазылуларды қарау
    [schedule-specialist] Жұмыс кестесі: маман сақталды
    [schedule-hours] Жұмыс кестесі: жұмыс уақыты қосылды
    [schedule-hours-delete] Жұмыс кестесі: жұмыс уақыты өшірілді
    [schedule-dayoff] Жұмыс кестесі: демалыс күні қосылды
    [schedule-dayoff-delete] Жұмыс кестесі: демалыс күні өшірілді
    [schedule-rules] Жұмыс кестесі: ережелер сақталды
    [report-export] Есепті жүктеп алу
    [case-claim] Өтініш алынды
    [case-note] Өтінішке жазба
    [case-close] Өтініш жабылды
    [case-reopen] Өтініш қайта ашылды
    [case-view] Өтінішті қарау
    [case-read] Хат алмасуды оқу
    [case-erased] Өтініш өшірілді
    [case-card-to-group] Өтініш картасы топқа жіберілді
    [telegram-link] Telegram байланыстырылды
    [telegram-link-code] Telegram-ды байланыстыру коды
    [telegram-unlink] Telegram ажыратылды
    [case-reassign] Өтініш басқа кеңесшіге берілді
    [canned-add] Дайын жауап қосылды
    [canned-edit] Дайын жауап өзгертілді
    [canned-move] Дайын жауаптың орны ауыстырылды
    [canned-retire] Дайын жауап алынып тасталды
    [canned-restore] Дайын жауап қайтарылды
    [assessment-view] Бағалау парағы қаралды
    [assessment-save] Бағалау парағы сақталды
    [assessment-refused] Бағалау парағына кіруге рұқсат берілмеді
    [course-list] Курстар тізімін қарау
    [course-view] Курсты қарау
    [course-enrol] Бағдарламаға қабылдау
    [course-mark] Курсқа қатысу белгіленді
    [course-plan] Курс кездесуі жоспарланды
    [course-move] Курс кездесуі ауыстырылды
    [course-note] Курс жазбасы
    [course-end] Курс жабылды
    [course-follow-up] Курстан кейінгі қайта сұрақ
    [course-refused] Курсқа кіруге рұқсат берілмеді
    [case-refer] Отбасы қызметіне жазылу ұсынылды
    [booking-referral] Кім жібергені белгіленді
    [course-consent] Қатысуды растауға жазбаша келісім тіркелді
    [course-consent-withdraw] Қатысуды растауға келісім кері алынды
    [course-confirmation] Қатысу туралы растама берілді
    [contact-add] Анықтамалық: жазба қосылды
    [contact-edit] Анықтамалық: жазба өзгертілді
    [contact-verify] Анықтамалық: жазба тексерілді
    [contact-retire] Анықтамалық: жазба алынды
    [contact-import] Анықтамалық: жазба файлдан жүктелді
   *[other] { $action }
}

## The consultants' console: the queue
staff-queue-title = Өтініштер кезегі
staff-queue-intro = Алдымен шұғыл және қауіпті өтініштер, одан кейін ұзағырақ күтіп тұрғандары. Тізім өздігінен жаңарады.
staff-queue-case = Өтініш
staff-queue-state = Күйі
staff-queue-waits = Күту уақыты
staff-queue-consultant = Кеңесші
staff-queue-noscript = Консоль жұмыс істеуі үшін JavaScript керек.
staff-queue-back = Кезек

## The consultants' console: one case
staff-case-title = Өтініш { $number }
staff-case-state = Күйі
staff-case-state-name = { $state ->
    [queued] кезекте
    [claimed] алынды
    [active] әңгіме жүріп жатыр
    [closed] жабылды
    [abandoned] тоқтатылды
    [timed_out] жауапсыз қалды
   *[other] { $state }
}
staff-case-danger = Қауіп
staff-case-lang = Тілі
staff-case-role = Кім жазып отыр
staff-case-region = Өңір
staff-case-screen = { $kind ->
    [child] Балаға төнген қауіп туралы сұрақтар: баланың жауаптары
   *[other] Қауіп деңгейін бағалау: адамның жауаптары
}
staff-case-callback = Жазу уақыты: { $when } (Алматы уақыты)
staff-case-quiet = 🤫 Адам хат алмасуды жасырды (жылдам шығу). Өзіңіз бірінші жазбаңыз — адамның өзі жазғанын күтіңіз.
staff-case-before = Өтінішке дейін ботпен хат алмасу ({ $count })
staff-case-last-in = Адамның соңғы хабарламасы
staff-case-earlier = Осы адамның бұрынғы өтініштері ({ $count })
staff-case-refer = Отбасы қызметіне жазылуды ұсыну
staff-case-refer-hint = Адам өз чатында отбасы қызметінің психологына жазылу ұсынысын алады (зорлық көрсететін адам — бағдарламаға); онда 150 желісі жібергені белгіленеді. Сізбен әңгіме жалғаса береді.
staff-case-referred = Ұсыныс жіберілді.
staff-case-claim = Өтінішті алу
staff-case-reply-placeholder = Адамға хабарлама…
staff-case-send = Жіберу
staff-case-notes = Жазбалар
staff-case-save-note = Жазбаны сақтау
staff-case-close-heading = Жабу
staff-case-outcome = Өтініштің нәтижесі…
staff-case-close = Өтінішті жабу
staff-case-reopen = ↺ Қайта ашу
staff-case-reopen-hint = Қателесіп жаптыңыз ба? Өтінішті 30 минут ішінде қайта ашуға болады.
staff-close-confirm = Өтінішті жабасыз ба? Адамға әңгіменің аяқталғаны туралы хабар және қысқа анонимді сауалнама барады.
staff-close-unanswered = ⚠ Адамның соңғы хабарламасы жауапсыз қалды.
staff-close-yes = Иә, жабу
staff-close-no = Болдырмау
staff-case-not-yours = Бұл өтініш жабылған, сіз оған қатыспағансыз.
staff-case-reason-needed = Өтініш жабылған. Қарау себебін жазыңыз — ол қол жеткізу журналына жазылады.
staff-reason-label = Себебі
staff-reason-open = Ашу
staff-canned-emergency = Жедел қызмет нөмірлері
staff-canned-contacts = Байланыстар
staff-canned-booking = Психологқа жазылу

## Words the console's script shows (an argument in braces is filled in by the script)
staff-js-queue-empty = Кезек бос.
staff-js-callback = (жазу уақыты: { $when })
staff-js-alerts = ⚠ Мерзімінен ұзақ жауапсыз тұрған өтініштер: { $count }. Кеңесші керек.
staff-js-waited = { $minutes } мин { $seconds } с
staff-js-waited-seconds = { $seconds } с
staff-js-error = Қате { $status }
staff-js-you = сіз:
staff-js-undelivered = жеткізілмеді
staff-session-ended = Сессия аяқталды: бет енді жаңармайды, адамның жаңа хабарламалары мұнда көрінбейді. Жазып жатқан мәтініңіз осы қойындыда сақталды.
staff-session-login = Қайта кіру
staff-js-alert-new = Жаңа өтініш { $number }
staff-js-alert-urgent = 🔴 ШҰҒЫЛ өтініш { $number }
staff-js-alert-again = 🔴 { $number } әлі кеңесшіні күтіп тұр (еске салу: { $count })
staff-js-alert-body = Кеңесшілер кезегін ашыңыз.
staff-alerts-enable = 🔔 Дыбыс пен хабарландыруды қосу
staff-alerts-on = 🔔 Дыбыс пен хабарландыру қосулы
staff-alerts-blocked = 🔕 Браузер хабарландыруға тыйым салды: дыбыс пен қойындыдағы белгі қалады. Сайт баптауларынан хабарландыруға рұқсат беріңіз.

## The aggressor programme: the correctional course (staffweb/course.py)
staff-schedule-course-sessions = Бағдарлама курсындағы кездесулер саны (әдепкі)
staff-schedule-course-every = Курс ырғағы: неше күнде бір рет
staff-schedule-follow-up = Курстан кейінгі қайта сұрақ: неше айдан соң
staff-course-link = курс
staff-course-open = № { $number } курс
staff-course-enrol = Бағдарламаға қабылдау
staff-course-enrol-hint = Курсты екі маман жұп болып жүргізеді, кездесулер таңдалған ырғақпен жоспарланады. Бағалау парағының соңғы нұсқасында «бағдарлама» деп белгіленгенде ғана қабылдауға болады.
staff-course-sessions = Кездесулер саны
staff-course-every = Неше күнде бір рет
staff-course-enrol-button = Қабылдау
staff-course-refused = Орындалмады: { $why }
staff-course-error-not-programme = Бұл бағдарлама кездесуі емес.
staff-course-error-not-eligible = Бағалау парағының соңғы нұсқасында «бағдарлама» деп белгіленгенде ғана қабылдауға болады.
staff-course-error-enrolled = Адам қазір № { $number } курстан өтіп жатыр.
staff-course-error-range = Сан кемінде { $low }, ең көбі { $high } болуы керек.
staff-course-error-not-active = Курс аяқталып қойған.
staff-course-error-not-session = Бұл осы курстың кездесуі емес.
staff-course-error-choice = Ұсынылған нұсқалардың бірін таңдаңыз.
staff-course-error-mismatch = Себеп пен нәтиже сәйкес емес: «курс толық өтті» тек «аяқтады» нәтижесімен болады.
staff-course-error-why = Курс неге аяқталмағанын жазыңыз.
staff-course-error-note = Жазба бос.
staff-course-error-consent-signed = Адамның келісімге қол қойғанын және қағаздың қызметте сақталатынын белгілеңіз.
staff-course-error-no-consent = Қатысу туралы растама тек адамның жазбаша келісімімен беріледі, ал келісім тіркелмеген.
staff-course-error-no-slot = Жұптың бос уақыты жоқ: төменнен уақыт таңдаңыз немесе жұмыс кестесіне сағат қосыңыз.
staff-course-error-taken = Бұл уақыт бос емес. Басқасын таңдаңыз.
staff-courses-title = Бағдарлама курстары
staff-courses-intro = Маман өзі жұпта жүрген курстарды көреді, үйлестіруші — барлығын.
staff-courses-none = Әзірге курс жоқ.
staff-course-number = Курс
staff-course-status = Күйі
staff-course-progress = Кездесулер
staff-course-pair = Жұп
staff-course-next = Келесі кездесу
staff-course-state = { $status ->
    [active] жүріп жатыр
    [completed] аяқталды
   *[ended] тоқтатылды
}
staff-course-follow-up-due-short = қайта сұрақ қоятын уақыт келді
staff-course-count = келгені: { $attended } / { $done }, барлығы: { $planned }
staff-course-title = Бағдарлама курсы № { $number }
staff-course-done = { $what ->
    [enrolled] Адам қабылданды; жұптың бос уақыты болса, алғашқы кездесу жоспарланды.
    [mark] Белгі сақталды.
    [plan] Кездесу жоспарланды.
    [move] Кездесу ауыстырылды, адамға жаңа уақыт туралы еске салу келеді.
    [note] Жазба сақталды.
    [end] Курс жабылды.
    [consent] Жазбаша келісім тіркелді.
    [consent-withdraw] Келісім кері алынды: қатысу туралы растама енді берілмейді.
   *[other] Сақталды.
}
staff-course-rhythm = { $days } күнде бір рет
staff-course-enrolled = Қабылданған күні: { $when }, қабылдаған: { $who }
staff-course-safety = Ең алдымен зардап шеккендердің қауіпсіздігі: жаңа қауіп пайда болса, бағалау парағын қайта қарап, қажет болса курсты «қауіпке байланысты шығарылды» нәтижесімен тоқтатыңыз.
staff-course-sessions-title = Курс кездесулері
staff-course-no-sessions = Әзірге кездесу жоқ.
staff-course-attendance = Қатысуы
staff-course-session-state = { $status ->
    [booked] жоспарланған
    [attended] келді
    [no_show] келмеді
   *[cancelled] болдырылмады
}
staff-course-mark = { $attendance ->
    [attended] Келді
   *[missed] Келмеді
}
staff-course-plan-title = Жоспарлау
staff-course-move-hint = Келесі кездесу жоспарланған. Ауыстыру үшін жұптың бос уақытын таңдаңыз:
staff-course-plan-hint = Келесі кездесу жоқ. Оны курс ырғағымен жоспарлаңыз немесе уақыт таңдаңыз:
staff-course-plan-next = Келесісін жоспарлау
staff-course-notes = Курс жазбалары
staff-course-note = Жазба (шифрланып сақталады)
staff-course-note-add = Жазба қосу
staff-course-end-title = Курсты аяқтау
staff-course-reason = Себебі
staff-course-reason-code = { $reason ->
    [course_done] курс толық өтті
    [stopped_attending] келуді қойды
    [withdrew] өзі бас тартты
    [risk_escalated] қауіп күшейді
    [referred_elsewhere] басқа қызметке жіберілді
    [moved_away] көшіп кетті
   *[other] басқа
}
staff-course-outcome = Нәтижесі
staff-course-outcome-code = { $outcome ->
    [completed_change] аяқтады, өзгеріс байқалды
    [completed] аяқтады
    [partly] ішінара өтті
    [dropped_out] шығып қалды
    [excluded_risk] қауіпке байланысты шығарылды
   *[referred] басқа қызметке жіберілді
}
staff-course-end-note = Неге (курс аяқталмаса, міндетті)
staff-course-end-button = Курсты жабу
staff-course-ended = Курс жабылды: { $when }
staff-course-follow-up = Қайта сұрақ
staff-course-follow-up-result = { $result ->
    [no_violence] зорлық жоқ (өз сөзі мен қызметтердің дерегі бойынша)
    [concerns] алаңдататын белгілер бар
    [violence_again] зорлық қайталанды
   *[no_answer] жауап бермеді
}
staff-course-follow-up-due = Қайта сұрақ қоятын уақыт келді ({ $day } күнінен бастап): адаммен байланысып, жауабын белгілеңіз.
staff-course-follow-up-on = Қайта сұрақ — { $day }.
staff-course-follow-up-hint = Бір ғана қарапайым сұрақ: үйде қазір қалай, зорлықсыз ба. Жұбайына қауіп төнсе — қызметтер арқылы әрекет етіңіз (150, 111, 102).
staff-course-kept-until = Курс деректері { $day } күніне дейін сақталады, кейін жалпы ереже бойынша хат алмасумен бірге өшіріледі.
staff-course-kept-enrolled = Адам курстан өтіп жүргенде (және курстан кейінгі қайта сұраққа дейін) курс деректері сақталады. Адам сұраса, бірден өшіріледі.
staff-course-confirm-title = Қатысуды растау
staff-course-confirm-referral = Кім жіберді: { $who }
staff-course-confirm-asked = { $asked ->
    [confirm_wanted] Чатта растама өзіне керек екенін айтты.
    [confirm_declined] Чатта растама керек емес немесе әзірге білмейтінін айтты.
   *[other] Чатта бұл туралы сұралмаған.
}
staff-course-confirm-hint = Растама (қанша кездесуге және қашан келгені, кездесулердің мазмұнынсыз) тек адамның жазбаша келісімімен беріледі: ол келісімге кездесуде қол қояды, қағаз қызметте сақталады. Келісімін кез келген уақытта кері алуға болады.
staff-course-confirm-signed = Ол келісімге қол қойды, қағаз қызметте сақтаулы
staff-course-confirm-record = Келісімді тіркеу
staff-course-confirm-given = Жазбаша келісім тіркелген уақыт: { $when }, тіркеген: { $who }.
staff-course-confirm-open = Басып шығаруға арналған растаманы ашу
staff-course-confirm-withdraw = Ол келісімін кері алды
staff-course-confirmation-heading = Бағдарламаға қатысуды растау
staff-course-confirmation-body = Отбасындағы зорлық-зомбылық мәселелері жөніндегі отбасы қызметі № { $number } курс қатысушысының { $since } күнінен бастап отбасында зорлық-зомбылық көрсеткен адамдарға арналған түзету бағдарламасына қатысып жүргенін растайды.
staff-course-confirmation-name = Қатысушының тегі, аты (қолмен жазылады):
staff-course-confirmation-count = Келген кездесулері: жоспарланған { $planned } кездесудің { $attended }; келмегені: { $missed }.
staff-course-confirmation-dates = Келген кездесулерінің күндері:
staff-course-confirmation-state = { $status ->
    [active] Курс жалғасып жатыр.
    [completed] Курсты толық өтті, аяқталған күні: { $ended }.
   *[ended] Курсқа қатысуы тоқтатылды, күні: { $ended }.
}
staff-course-confirmation-consent = Қатысушының жазбаша келісімі бойынша берілді (келісім күні: { $consent }).
staff-course-confirmation-sign = Бағдарлама маманы: ____________________  Қолы: __________  Күні: { $today }
staff-course-confirmation-print = Басып шығару
staff-course-error-planned = Келесі кездесу жоспарланып қойған.
