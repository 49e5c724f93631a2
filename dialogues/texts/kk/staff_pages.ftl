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
staff-audit-code = коды: { $code }
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
    [case-note] Өтінішке ескертпе
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
staff-case-screen = Қауіп деңгейін бағалау: адамның жауаптары
staff-case-callback = Жазу уақыты: { $when } (Алматы уақыты)
staff-case-quiet = 🤫 Адам хат алмасуды жасырды (жылдам шығу). Өзіңіз бірінші жазбаңыз — адамның өзі жазғанын күтіңіз.
staff-case-before = Өтінішке дейін ботпен хат алмасу ({ $count })
staff-case-last-in = Адамның соңғы хабарламасы
staff-case-earlier = Осы адамның бұрынғы өтініштері ({ $count })
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
staff-js-alert-again = 🔴 { $number } әлі кеңесшіні күтіп тұр ({ $count }-ескерту)
staff-js-alert-body = Кеңесшілер кезегін ашыңыз.
staff-alerts-enable = 🔔 Дыбыс пен хабарландыруды қосу
staff-alerts-on = 🔔 Дыбыс пен хабарландыру қосулы
staff-alerts-blocked = 🔕 Браузер хабарландыруға тыйым салды: дыбыс пен қойындыдағы белгі қалады. Сайт баптауларынан хабарландыруға рұқсат беріңіз.
