# Отбасы қызметіне жазылу. Еске салу мен қызметкердің бас тартуы сұралмай жіберіледі:
# сөздері бейтарап болуы тиіс (телефонды басқа біреу көруі мүмкін).
booking-intro =
    Отбасы қызметі психологпен немесе психотерапевтпен тегін кездесу өткізеді — қазақ немесе орыс тілінде, бетпе-бет немесе онлайн. Атыңызды айтудың қажеті жоқ.
    «Отбасым үшін» кездесуі — сізге балаларыңызбен немесе жақындарыңызбен бірге. Сізді ауыртатын адаммен бірлескен кездесу өткізілмейді: бұл қауіпті.
    Кездесу кім үшін?
booking-kind-self = Өзім үшін
booking-kind-stop = Жақындарымды ауыртуды тоқтатқым келеді
booking-kind-family = Отбасым үшін
booking-kind-parent = Ата-анаға: балаға қол көтермей тәрбиелеу
booking-mine-button = Менің жазылуларым
booking-day-noted = Жақсы, күн таңдалды: { $date }.
booking-ask-lang = Сізге қай тілде сөйлескен ыңғайлы?
booking-lang-ru = орыс тілінде
booking-lang-kk = қазақ тілінде
booking-ask-mode = Қалай кездескен ыңғайлы?
booking-mode-office = Бетпе-бет, кеңседе
booking-mode-online = Онлайн, бейнебайланыс арқылы
booking-ask-day = Күнді таңдаңыз:
booking-want-full = Бұл күні ({ $date }) бос уақыт жоқ. Бос уақыты бар күндер:
booking-no-days = Алдағы екі аптада мұндай түрдегі кездесуге бос уақыт жоқ. Басқа түрін немесе тілін таңдап көріңіз. Қазір сөйлесу керек болса — 150-ге қоңырау шалыңыз, тәулік бойы жауап береді.
booking-change-mode = Басқа түрі
booking-change-lang = Басқа тіл
booking-day-full = Бұл күні бос уақыт қалмады. Басқа күнді таңдаңыз:
booking-ask-time = { $date }. Уақытты таңдаңыз (Астана уақытымен):
booking-other-day = Басқа күн
booking-taken = Бұл уақытты жаңа ғана біреу алып қойды. Ең жақын бос уақыт:
booking-taken-none = Бұл уақытты жаңа ғана біреу алып қойды, ал қазір басқа бос уақыт жоқ.
booking-ask-name = Сізді қалай атайық? Кез келген есім немесе бүркеншік ат болады — шын атыңыз керек емес. Өткізіп жіберуге де болады.
booking-name-skip = Өткізіп жіберу
booking-name-too-long = Қысқа есім жеткілікті, { $max } таңбаға дейін. Немесе «Өткізіп жіберу» батырмасын басыңыз.
booking-name-none = көрсетілмеген
booking-summary =
    Жазылуды тексеріңіз:
    { $kind }
    { $date }, { $time } (Астана уақыты), { $duration } минут
    { $mode }, { $lang }
    Сізді қалай атаймыз: { $name }
booking-confirm-yes = ✅ Жазылу
booking-change-time = Басқа уақыт
booking-confirm-no = Жазылмаймын
booking-too-many = Сізде алдағы { $max } жазылу бар — әзірге одан көп болмайды. Біреуін ауыстыруға немесе одан бас тартуға болады:
booking-done = Сіз жазылдыңыз: { $date }, { $time } (Астана уақыты).
booking-moved = Жазылу ауыстырылды: { $date }, { $time } (Астана уақыты).
booking-done-office = Кездесу бетпе-бет. { $address }
booking-done-online = Кездесу онлайн. { $policy }
booking-mine-none = Сізде алдағы жазылу жоқ.
booking-mine-list = Сіздің жазылуларыңыз. Ауыстыру немесе бас тарту үшін таңдаңыз:
booking-new = Жазылу
booking-details = Жазылу: { $date }, { $time } (Астана уақыты). { $kind }; { $mode }, { $lang }.
booking-move = Ауыстыру
booking-cancel = Жазылудан бас тарту
booking-back = Артқа
booking-moving = Жазылуды ауыстырамыз (қазіргі уақыты: { $date }, { $time }). Жаңасын растағанша ескі жазылу сақталады.
booking-cancel-ask = Жазылудан бас тартасыз ба? Уақыты: { $date }, { $time }.
booking-yes-cancel = Иә, бас тартамын
booking-no-keep = Жоқ, қалсын
booking-cancelled = Жазылудан бас тарттыңыз. Кез келген уақытта қайта жазылуға болады.
booking-gone = Бұл жазылу енді жоқ: одан бас тартылған немесе уақыты өтіп кеткен.
booking-unavailable = Қазір чатта жазылу мүмкін емес. 150-ге қоңырау шалыңыз — қалай жазылуға болатынын айтады.
booking-reminder = Еске салу: кездесу { $day }, сағат { $time }.
booking-reminder-yes = Барамын
booking-reminder-no = Бас тарту
booking-reminder-thanks = Рахмет, кездескенше.
booking-reminder-cancel-ask = Кездесуден бас тартасыз ба?
booking-reminder-cancelled = Жарайды, кездесу болмайды. Басқа уақытты /bookings командасымен таңдауға болады.
booking-reminder-gone = Бұл кездесу енді өтпейді.
booking-staff-cancelled = { $day }, сағат { $time } болатын кездесу өтпейді. Кешіріңіз.
booking-staff-moved = Кездесу басқа уақытқа ауыстырылды. Бұрынғы уақыты: { $old_day }, сағат { $old_time }. Жаңа уақыты: { $day }, сағат { $time }. Кешіріңіз.
booking-online-link =
    Кездесу { $day }, сағат { $time }. Кіру сілтемесі:
    { $link }
booking-pick-other = Басқа уақыт таңдау
booking-day-today = бүгін
booking-day-tomorrow = ертең
booking-date = { $day } { $month }, { $weekday }
booking-date-short = { $day } { $month }
# A button for a booked or offered time (WhatsApp: the time first, see whatsapp.ftl).
booking-when = { $date }, { $time }
booking-wd-0 = дүйсенбі
booking-wd-1 = сейсенбі
booking-wd-2 = сәрсенбі
booking-wd-3 = бейсенбі
booking-wd-4 = жұма
booking-wd-5 = сенбі
booking-wd-6 = жексенбі
booking-month-1 = қаңтар
booking-month-2 = ақпан
booking-month-3 = наурыз
booking-month-4 = сәуір
booking-month-5 = мамыр
booking-month-6 = маусым
booking-month-7 = шілде
booking-month-8 = тамыз
booking-month-9 = қыркүйек
booking-month-10 = қазан
booking-month-11 = қараша
booking-month-12 = желтоқсан
# After a missed session of the course (booking/course.py): neutral, it may show on a lock screen.
booking-course-missed = Соңғы кездесуде көрісе алмадық. Келесі кездесу кесте бойынша өтеді, уақытын /bookings командасымен көруге болады.

booking-family-not-now = Қарым-қатынаста зорлық бар кезде отбасы қызметі жұбайыңызбен бірлескен кездесу өткізбейді: бәріне осылай қауіпсізірек. Басқаларды ауыртуды тоқтатқысы келетіндерге арналған кездесуге жазылуға болады — онда сіз туралы, сіздің қадамдарыңыз туралы сөйлеседі.
booking-referred = 150 желісінің кеңесшісі отбасы қызметінде тегін кездесу ұсынады — бетпе-бет немесе онлайн, қазақ немесе орыс тілінде. Қаласаңыз, төменнен өзіңізге ыңғайлысын таңдаңыз. Кеңесшімен сөйлесу жалғаса береді.

# Issue 20. A staff member's note goes out only inside the neutral message, after its first line.
booking-staff-note-line = Түсініктеме: { $note }
# The warm referral is sent unasked: a neutral first line first.
booking-referred-neutral =
    { lockscreen-answered }
    { booking-referred }
# What the reminders are, as the code sends them (booking.reminder_hours: 24 and 2 by default).
booking-done-reminders = Кездесу басталардан { $when } бұрын егжей-тегжейсіз қысқа { $count ->
        [one] еске салу
       *[other] еске салулар
    } жіберемін. Жазылуды «Менің жазылуларым» бөлімінде немесе /bookings командасымен ауыстыруға немесе одан бас тартуға болады.
booking-reminder-hours = { $hours } сағат
booking-reminder-and = және
booking-done-manage = Жазылуды «Менің жазылуларым» бөлімінде немесе /bookings командасымен ауыстыруға немесе одан бас тартуға болады.
# Issue 20: no family session is offered where the conversation speaks of violence (docs/booking.md).
booking-intro-no-family =
    Отбасы қызметі психологпен немесе психотерапевтпен тегін кездесу өткізеді — қазақ немесе орыс тілінде, бетпе-бет немесе онлайн. Атыңызды айтудың қажеті жоқ.
    Кездесу кім үшін?
booking-family-not-offered = Отбасында зорлық болса, қызмет отбасылық және бірлескен кездесулерді ұсынбайды: бәрінің алдында сөйлесу сіз үшін қауіптірек болуы және татуласуға көндіруге айналуы мүмкін. Өзіңіз үшін кездесуге жазылуға болады — онда сіз туралы және сізге не керек екені туралы сөйлеседі.
