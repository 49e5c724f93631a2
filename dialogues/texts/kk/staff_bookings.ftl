### Kazakh terms for staff texts (the full glossary, with words to avoid: docs/staff.md).
### обращение өтініш · консультант кеңесші · специалист маман · координатор үйлестіруші ·
### сотрудник қызметкер · запись жазылу · встреча кездесу (reports keep «сессия», as the
### exports do) · очно бетпе-бет · отменить болдырмау · взять / вести өтінішті алу / жүргізу ·
### срочно шұғыл · оценка опасности қауіп деңгейін бағалау · применяющий насилие зорлық
### көрсетуші · переписка хат алмасу · журнал доступа қол жеткізу журналы · снять блокировку
### бұғаттан шығару · расписание жұмыс кестесі · итог нәтиже · состояние, статус күйі ·
### смена ауысым. A placeable takes no case ending: write «Жазу уақыты: { $when }».

# The staff pages for bookings and the family service's schedule (staffweb/bookings.py), and
# why a change to the schedule was refused (booking/schedule.py).

staff-kind = { $kind ->
    [self] өзі үшін
    [stop] зорлық-зомбылықты тоқтату
    [family] отбасы
    [parent] ата-анаға: зорлықсыз тәрбие
   *[other] { $kind }
}
staff-mode = { $mode ->
    [office] бетпе-бет
    [online] онлайн
   *[other] { $mode }
}
staff-booking-status = { $status ->
    [booked] жазылған
    [attended] келді
    [no_show] келмеді
    [cancelled] болдырылмады
   *[other] { $status }
}
staff-specialist-role = { $role ->
    [psychologist] психолог
    [psychotherapist] психотерапевт
   *[other] { $role }
}
staff-weekday = { $day ->
    [mon] дс
    [tue] сс
    [wed] ср
    [thu] бс
    [fri] жм
    [sat] сб
   *[sun] жс
}

## The week of bookings
staff-bookings-title = Кездесуге жазылулар
staff-bookings-unlinked = Есептік жазбаңыз маман профиліне байланыстырылмаған. Үйлестірушіден жұмыс кестесінде логиніңізді көрсетуді сұраңыз.
staff-bookings-week = апта
staff-bookings-today = бүгін
staff-bookings-specialist = Маман
staff-bookings-all = барлығы
staff-bookings-intro = Уақыт — Астана уақыты (UTC+5). Аты — адам өзін қалай атауды сұраса, солай; шын атын сұрамаймыз.
staff-bookings-none = Жазылулар жоқ.
staff-bookings-time = Уақыты
staff-bookings-kind = Түрі
staff-bookings-mode = Форматы
staff-bookings-name = Аты
staff-bookings-status = Күйі
staff-bookings-actions = Әрекеттер
staff-bookings-confirmed = растады
staff-bookings-attended = Келді
staff-bookings-no-show = Келмеді
staff-bookings-cancel = Болдырмау
staff-bookings-cancel-note = Адамға хабарлама (міндетті емес; телефонына келеді — бейтарап жазыңыз, «психолог», «зорлық» сөздерінсіз)
staff-bookings-cancel-submit = Кездесуді болдырмау
staff-bookings-done-marked = Белгіленді.
staff-bookings-done-cancelled = Жазылу болдырылмады, адамға хабарлама жіберілді.
staff-bookings-done-saved = Сақталды.
staff-bookings-error-cancelled = Бұл жазылу болдырылмады — оны белгілеуге болмайды.
staff-bookings-error-not-started = Кездесу әлі басталған жоқ — басталғаннан кейін белгілеуге болады.
staff-bookings-error-changed = Жазылу өзгертілді, бетті жаңартыңыз.
staff-bookings-error-inactive = Бұл жазылу енді белсенді емес.
staff-bookings-done-link = Сілтеме адамға жіберілді.
staff-bookings-done-moved = Жазылу басқа уақытқа ауыстырылды, адамға хабарлама жіберілді.
staff-bookings-error-slot-taken = Бұл уақыт бос емес. Бетті жаңартып, басқа уақытты таңдаңыз.

## The link to an online session
staff-link-send = Кездесу сілтемесін жіберу
staff-link-resend = Сілтемені қайта жіберу
staff-link-label = Сілтеме (https://…)
staff-link-submit = Жіберу
staff-link-hint = Адамға өз тілінде бейтарап хабарлама келеді: «Кездесу бүгін, сағат 15:00. Кіру сілтемесі:» және сілтеменің өзі — қызметтің атауы жазылмайды. Сілтеме еш жерде сақталмайды.
staff-link-sent = сілтеме жіберілді: { $when }, барлығы: { $times }
staff-link-error-empty = Сілтемені қойыңыз.
staff-link-error-long = Сілтеме тым ұзын: ең көбі { $max } таңба болуы керек.
staff-link-error-https = Сілтеме https:// деп басталып, бос орынсыз жазылуы керек.
staff-link-error-not-online = Сілтемені болдырылмаған әрі әлі белгіленбеген онлайн кездесуге ғана жіберуге болады.
staff-link-error-over = Бұл кездесу аяқталып қойған.
staff-link-error-not-sent = Хабарламаны кезекке қою мүмкін болмады. Қайталап көріңіз.

## The bookings CSV: headings and values in words
staff-bookings-csv-column = { $column ->
    [id] Жазылу №
    [date] Күні
    [start] Басталуы
    [end] Аяқталуы
    [specialists] Мамандар
    [kind] Кім үшін
    [lang] Тілі
    [mode] Форматы
    [status] Күйі
    [confirmed] Келетінін растады
    [link] Сілтеме жіберілді
   *[other] { $column }
}
staff-bookings-csv-yes = иә
staff-bookings-csv-no = жоқ
staff-bookings-csv-lang = { $lang ->
    [ru] орыс тілі
    [kk] қазақ тілі
   *[other] { $lang }
}

## A day off and the sessions already booked on it
staff-dayoff-title = Демалыс күні және сол күндерге жазылулар
staff-dayoff-span = Мерзімі: { $first } – { $last }. Кім: { $who }
staff-dayoff-none = Бұл күндерге жазылу жоқ — ештеңе істеудің қажеті жоқ.
staff-dayoff-hits = Бұл күндерге жасалған жазылулар: { $count }. Әрқайсысын басқа уақытқа ауыстырыңыз немесе болдырмаңыз.
staff-dayoff-hint = Олар өздігінен болдырылмайды. Адамға өз тілінде ауыстыру немесе болдырмау туралы бейтарап хабарлама келеді (жазсаңыз, сіздің мәтініңіз де).
staff-dayoff-move-to = Бос уақытқа ауыстыру:
staff-dayoff-no-slots = Бұл кездесуге қазір бос уақыт жоқ — адамға хабарлама жазып, кездесуді болдырмаңыз.
staff-dayoff-back = ← Жұмыс кестесіне
staff-dayoff-open = Жазылулар

## The schedule
staff-schedule-title = Отбасы қызметінің жұмыс кестесі
staff-schedule-intro = Уақыт — Астана уақыты (UTC+5). Өзгерістер чатта бірден көрінеді: бос уақыт осы деректерден есептеледі. Бұрын жасалған жазылулар өзгермейді.
staff-schedule-specialists = Мамандар
staff-schedule-specialists-intro = Аты — жұмыстағы аты: қызметкерлер оны осылай көреді (чатта адамдарға маманның аты көрсетілмейді). «Логин» профильді қызметкердің есептік жазбасымен байланыстырады: маман өз жазылуларын көреді.
staff-schedule-role = Рөлі
staff-schedule-langs = Тілдері
staff-schedule-kinds = Кездесу түрлері
staff-schedule-login = Логин
staff-schedule-active = Белсенді
staff-schedule-new-specialist = Жаңа маман
staff-schedule-hours = Апталық жұмыс уақыты
staff-schedule-inactive = белсенді емес
staff-schedule-days-off = Демалыс күндері және еңбек демалысы
staff-schedule-who = Кім
staff-schedule-note = Ескертпе
staff-schedule-whole-service = бүкіл қызмет
staff-schedule-days-off-note = Осы күндерге жасалған жазылулар өздігінен болдырылмайды: сақтағаннан кейін олардың тізімі ашылады — әрқайсысын басқа уақытқа ауыстырыңыз немесе болдырмаңыз, адамға хабарлама келеді. Тізімді кейін де демалыс күнінің жанындағы «Жазылулар» түймесі арқылы ашуға болады.
staff-schedule-rules = Ережелер
staff-schedule-session-minutes = Кездесу ұзақтығы, мин
staff-schedule-break-minutes = Кездесулер арасындағы үзіліс, мин
staff-schedule-horizon-days = Алдын ала жазылу мерзімі, күн
staff-schedule-min-notice = Басталудан кемінде қанша бұрын жазылуға болады, мин
staff-schedule-max-active = Бір адамның алдағы жазылулары, ең көбі
staff-schedule-pair = Екі маман бірге
staff-schedule-address-ru = Кеңсе мекенжайы (орысша)
staff-schedule-address-kk = Кеңсе мекенжайы (қазақша)
staff-schedule-online-ru = Онлайн: сілтемені қалай жібереміз (орысша)
staff-schedule-online-kk = Онлайн: сілтемені қалай жібереміз (қазақша)
staff-schedule-save-rules = Ережелерді сақтау

## Why a change to the schedule was refused
staff-schedule-window-format = жұмыс уақыты 10:00-13:00 түрінде болуы керек, «{ $text }» емес
staff-schedule-no-such-time = мұндай уақыт жоқ: «{ $text }»
staff-schedule-end-before-start = аяғы басынан ерте: «{ $text }»
staff-schedule-choose = { $field ->
    [role] рөлі
    [langs] тілдері
    [kinds] кездесу түрлері
    [modes] форматы
    [weekday] апта күні
   *[other] { $field }
}: мыналардан таңдаңыз: { $allowed }
staff-schedule-name-length = маманның аты: 1-ден 64 таңбаға дейін
staff-schedule-integer = { $field }: бүтін сан керек
staff-schedule-range = { $field }: ең азы { $low }, ең көбі { $high }
staff-schedule-both-langs = { $field }: мәтін орысша да, қазақша да керек
staff-schedule-unknown-rule = белгісіз баптау: { $field }
staff-schedule-no-specialist = мұндай маман жоқ
staff-schedule-weekday-range = апта күні: дүйсенбіден жексенбіге дейін
staff-schedule-overlap = бұл уақыт бұрын белгіленген уақытпен қиылысады
staff-schedule-last-before-first = соңғы күн бірінші күннен ерте
staff-schedule-at-most-year = бір ретте бір жылдан аспауы керек
staff-schedule-not-mapping = { $path }: баптаулар сөздігі күтілген еді
staff-schedule-date-format = күні 2026-12-16 түрінде болуы керек, «{ $value }» емес
staff-schedule-dates-needed = күндерді көрсетіңіз
staff-schedule-number-needed = { $field } өрісі: сан керек
# Issue 20: a link whose words tell what the meeting is (docs/lockscreen.md).
staff-link-error-telling = Сілтемеде бұл қандай кездесу екенін телефон экранында ашып көрсететін сөздер бар (мысалы, «psiholog», «krizis», желі нөмірі). Бейтарап атауы бар бөлме жасаңыз.
