# The staff pages for bookings and the family service's schedule (staffweb/bookings.py), and
# why a change to the schedule was refused (booking/schedule.py).

staff-kind = { $kind ->
    [self] для себя
    [stop] прекратить насилие
    [family] семья
    [parent] родителю: воспитание без насилия
   *[other] { $kind }
}
staff-mode = { $mode ->
    [office] очно
    [online] онлайн
   *[other] { $mode }
}
staff-booking-status = { $status ->
    [booked] записан
    [attended] пришёл
    [no_show] не пришёл
    [cancelled] отменена
   *[other] { $status }
}
staff-specialist-role = { $role ->
    [psychologist] психолог
    [psychotherapist] психотерапевт
   *[other] { $role }
}
staff-weekday = { $day ->
    [mon] пн
    [tue] вт
    [wed] ср
    [thu] чт
    [fri] пт
    [sat] сб
   *[sun] вс
}

## The week of bookings
staff-bookings-title = Записи на встречи
staff-bookings-unlinked = Ваша учётная запись не связана с профилем специалиста. Попросите координатора указать ваш логин в расписании.
staff-bookings-week = неделя
staff-bookings-today = сегодня
staff-bookings-specialist = Специалист
staff-bookings-all = все
staff-bookings-intro = Время — Астаны (UTC+5). Имя — то, как человек попросил к себе обращаться; настоящее не спрашиваем.
staff-bookings-none = Записей нет.
staff-bookings-time = Время
staff-bookings-kind = Вид
staff-bookings-mode = Формат
staff-bookings-name = Имя
staff-bookings-status = Статус
staff-bookings-actions = Действия
staff-bookings-confirmed = подтвердил(а)
staff-bookings-attended = Пришёл
staff-bookings-no-show = Не пришёл
staff-bookings-cancel = Отменить
staff-bookings-cancel-note = Сообщение человеку (необязательно; придёт на телефон — пишите нейтрально, без слов «психолог», «насилие»)
staff-bookings-cancel-submit = Отменить встречу
staff-bookings-done-marked = Отмечено.
staff-bookings-done-cancelled = Запись отменена, человеку отправлено сообщение.
staff-bookings-done-saved = Сохранено.
staff-bookings-error-cancelled = Запись отменена — отметить нельзя.
staff-bookings-error-not-started = Встреча ещё не началась — отметить можно после начала.
staff-bookings-error-changed = Запись изменилась, обновите страницу.
staff-bookings-error-inactive = Эта запись уже не активна.
staff-bookings-done-link = Ссылка отправлена человеку.
staff-bookings-done-moved = Запись перенесена, человеку отправлено сообщение.
staff-bookings-error-slot-taken = Это время уже занято. Обновите страницу и выберите другое.

## The link to an online session
staff-link-send = Отправить ссылку на встречу
staff-link-resend = Отправить ссылку ещё раз
staff-link-label = Ссылка (https://…)
staff-link-submit = Отправить
staff-link-hint = Человек получит на своём языке нейтральное сообщение: «Встреча сегодня в 15:00. Ссылка для входа:» и ссылку — без названия службы. Сама ссылка нигде не сохраняется.
staff-link-sent = ссылка отправлена: { $when }, всего: { $times }
staff-link-error-empty = Вставьте ссылку.
staff-link-error-long = Ссылка слишком длинная: не больше { $max } знаков.
staff-link-error-https = Нужна ссылка, которая начинается с https://, без пробелов.
staff-link-error-not-online = Ссылку можно отправить только на онлайн-встречу, которая не отменена и ещё не отмечена.
staff-link-error-over = Эта встреча уже закончилась.
staff-link-error-not-sent = Сообщение не удалось поставить в очередь. Попробуйте ещё раз.

## The bookings CSV: headings and values in words
staff-bookings-csv-column = { $column ->
    [id] № записи
    [date] Дата
    [start] Начало
    [end] Конец
    [specialists] Специалисты
    [kind] Для кого
    [lang] Язык
    [mode] Формат
    [status] Статус
    [confirmed] Подтвердил(а), что придёт
    [link] Ссылка отправлена
   *[other] { $column }
}
staff-bookings-csv-yes = да
staff-bookings-csv-no = нет
staff-bookings-csv-lang = { $lang ->
    [ru] русский
    [kk] казахский
   *[other] { $lang }
}

## A day off and the sessions already booked on it
staff-dayoff-title = Выходной и записи на эти дни
staff-dayoff-span = С { $first } по { $last }, кто: { $who }
staff-dayoff-none = На эти дни записей нет — ничего делать не нужно.
staff-dayoff-hits = { $count ->
    [one] На эти дни уже есть { $count } запись. Перенесите или отмените её.
    [few] На эти дни уже есть { $count } записи. Перенесите или отмените каждую.
   *[many] На эти дни уже есть { $count } записей. Перенесите или отмените каждую.
}
staff-dayoff-hint = Сами они не отменяются. Человек получит на своём языке нейтральное сообщение о переносе или отмене (и ваш текст, если вы его напишете).
staff-dayoff-move-to = Перенести на свободное время:
staff-dayoff-no-slots = Свободного времени для этой встречи сейчас нет — отмените её с сообщением.
staff-dayoff-back = ← К расписанию
staff-dayoff-open = Записи

## The schedule
staff-schedule-title = Расписание семейной службы
staff-schedule-intro = Время — Астаны (UTC+5). Изменения сразу видны в чате: свободное время считается из этих данных. Уже сделанные записи не меняются.
staff-schedule-specialists = Специалисты
staff-schedule-specialists-intro = Имя — рабочее, как его увидят сотрудники (людям в чате имя специалиста не показывается). «Логин» связывает профиль с учётной записью сотрудника: специалист увидит свои записи.
staff-schedule-role = Роль
staff-schedule-langs = Языки
staff-schedule-kinds = Виды встреч
staff-schedule-login = Логин
staff-schedule-active = Активен
staff-schedule-new-specialist = Новый специалист
staff-schedule-hours = Часы работы по неделе
staff-schedule-inactive = не активен
staff-schedule-days-off = Выходные и отпуска
staff-schedule-who = Кто
staff-schedule-note = Примечание
staff-schedule-whole-service = вся служба
staff-schedule-days-off-note = Записи, уже сделанные на эти дни, не отменяются сами: после сохранения откроется список таких записей — перенесите или отмените каждую, человеку придёт сообщение. Список доступен и позже, по кнопке «Записи» у выходного.
staff-schedule-rules = Правила
staff-schedule-session-minutes = Длительность встречи, мин
staff-schedule-break-minutes = Перерыв между встречами, мин
staff-schedule-horizon-days = Записывать вперёд, дней
staff-schedule-min-notice = Записывать не позже чем за, мин до начала
staff-schedule-max-active = Предстоящих записей на человека
staff-schedule-pair = Вдвоём (пара специалистов)
staff-schedule-address-ru = Адрес офиса (рус)
staff-schedule-address-kk = Адрес офиса (каз)
staff-schedule-online-ru = Онлайн: как пришлём ссылку (рус)
staff-schedule-online-kk = Онлайн: как пришлём ссылку (каз)
staff-schedule-save-rules = Сохранить правила

## Why a change to the schedule was refused
staff-schedule-window-format = время работы должно быть вида 10:00-13:00, а не «{ $text }»
staff-schedule-no-such-time = нет такого времени: «{ $text }»
staff-schedule-end-before-start = конец раньше начала: «{ $text }»
staff-schedule-choose = { $field ->
    [role] роль
    [langs] языки
    [kinds] виды встреч
    [modes] формат
    [weekday] день недели
   *[other] { $field }
}: выберите из { $allowed }
staff-schedule-name-length = имя специалиста: от 1 до 64 символов
staff-schedule-integer = { $field }: нужно целое число
staff-schedule-range = { $field }: от { $low } до { $high }
staff-schedule-both-langs = { $field }: нужен текст и на русском, и на казахском
staff-schedule-unknown-rule = неизвестная настройка { $field }
staff-schedule-no-specialist = нет такого специалиста
staff-schedule-weekday-range = день недели: от пн до вс
staff-schedule-overlap = это время пересекается с уже заданным
staff-schedule-last-before-first = последний день раньше первого
staff-schedule-at-most-year = не больше года за раз
staff-schedule-not-mapping = { $path }: ожидался словарь настроек
staff-schedule-date-format = дата должна быть вида 2026-12-16, а не «{ $value }»
staff-schedule-dates-needed = укажите даты
staff-schedule-number-needed = поле { $field }: нужно число
# Issue 20: a link whose words tell what the meeting is (docs/lockscreen.md).
staff-link-error-telling = В ссылке есть слова, по которым на экране телефона видно, что это за встреча (например, «psiholog», «krizis», номер линии). Создайте комнату с нейтральным названием.
