# The staff web pages (staffweb/): the frame, sign-in, accounts, the audit log and the
# consultants' console. Each staff member reads them in their own language (the header switch).

## Shared words
staff-lang-switch = Беттердің тілі
staff-lang-ru = Русский
staff-lang-kk = Қазақша
staff-logout = Шығу
staff-from = Бастап
staff-to = Дейін
staff-show = Көрсету
staff-save = Сақтау
staff-add = Қосу
staff-remove = алып тастау
staff-loading = Жүктелуде…
staff-urgent = ШҰҒЫЛ
staff-error-title = Қате
staff-to-home = Басты бетке
staff-no-access = Бұл бетке кіруге рұқсатыңыз жоқ.

## The menu
staff-nav-handoff = Кеңес беру
staff-nav-telegram = Telegram
staff-nav-bookings = Жазылулар
staff-nav-schedule = Кесте
staff-nav-reports = Есептер
staff-nav-users = Қызметкерлер
staff-nav-audit = Кіру журналы

## Sign-in
staff-login-title = Кіру
staff-login-heading = Қызметкерлерге арналған кіру
staff-login-username = Пайдаланушы аты
staff-login-password = Құпиясөз
staff-login-submit = Кіру
staff-login-wrong = Пайдаланушы аты немесе құпиясөз қате.
staff-login-locked = Сәтсіз кіру әрекеттері тым көп. 15 минуттан кейін қайталаңыз немесе үйлестірушіден бұғатты алуды сұраңыз.
staff-login-busy = Қазір кіру әрекеттері тым көп. Бір минуттан кейін қайталаңыз.

## Home, accounts, audit log
staff-home-title = Басты бет
staff-home-hello = Сәлеметсіз бе, { $name }
staff-home-roles = Рөлдері: { $roles }
staff-users-title = Қызметкерлер
staff-users-intro = Бірнеше рет сәтсіз әрекеттен кейін кіру 15 минутқа бұғатталады. Бұғатты үйлестіруші ала алады; бұл кіру журналына жазылады.
staff-users-name = Аты
staff-users-roles = Рөлдері
staff-users-access = Кіру
staff-users-disabled = өшірілген
staff-users-locked = бұғатталған
staff-users-open = ашық
staff-users-unlock = Бұғатты алу
staff-audit-title = Кіру журналы
staff-audit-time = Уақыты (UTC)
staff-audit-who = Қызметкер
staff-audit-action = Әрекет
staff-audit-subject = Нысан
staff-audit-reason = Себебі

## The consultants' console: the queue
staff-queue-title = Өтініштер кезегі
staff-queue-intro = Алдымен шұғыл және қауіпті өтініштер, содан кейін күту уақыты бойынша. Өзі жаңарып отырады.
staff-queue-case = Өтініш
staff-queue-state = Күйі
staff-queue-waits = Күтіп тұр
staff-queue-consultant = Кеңесші
staff-queue-noscript = Консоль жұмыс істеуі үшін JavaScript керек.
staff-queue-back = Кезек

## The consultants' console: one case
staff-case-title = Өтініш { $number }
staff-case-state = Күйі
staff-case-state-name = { $state ->
    [queued] кезекте
    [claimed] алынды
    [active] сөйлесу жүріп жатыр
    [closed] жабылды
    [abandoned] тоқтатылды
    [timed_out] жауапсыз қалды
   *[other] { $state }
}
staff-case-danger = Қауіп
staff-case-lang = Тілі
staff-case-role = Кім жазып отыр
staff-case-region = Өңір
staff-case-callback = { $when } кезінде жазу керек (Алматы уақыты)
staff-case-quiet = 🤫 Адам хат алмасуды жасырды (жылдам шығу). Бірінші болып жазбаңыз — оның хабарламасын күтіңіз.
staff-case-before = Өтінішке дейінгі бот пен хат алмасу ({ $count })
staff-case-claim = Өтінішті алу
staff-case-reply-placeholder = Адамға хабарлама…
staff-case-send = Жіберу
staff-case-notes = Жазбалар
staff-case-save-note = Жазбаны сақтау
staff-case-close-heading = Жабу
staff-case-outcome = Өтініштің нәтижесі…
staff-case-close = Өтінішті жабу
staff-case-not-yours = Бұл өтініш жабылған, сіз оған қатыспағансыз.
staff-case-reason-needed = Өтініш жабылған. Қарау себебін жазыңыз — ол кіру журналына жазылады.
staff-reason-label = Себебі
staff-reason-open = Ашу
staff-canned-emergency = Шұғыл нөмірлер
staff-canned-contacts = Байланыстар
staff-canned-booking = Психологқа жазылу

## Words the console's script shows (an argument in braces is filled in by the script)
staff-js-queue-empty = Кезек бос.
staff-js-callback = ({ $when } кезінде жазу керек)
staff-js-alerts = ⚠ Белгіленген уақыттан артық жауапсыз тұр: { $count }. Кеңесші керек.
staff-js-waited = { $minutes } мин { $seconds } с
staff-js-waited-seconds = { $seconds } с
staff-js-error = Қате { $status }
staff-js-you = сіз:
staff-js-undelivered = жеткізілмеді
