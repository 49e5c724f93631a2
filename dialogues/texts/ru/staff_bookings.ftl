# The staff pages for bookings and the family service's schedule (staffweb/bookings.py), and
# why a change to the schedule was refused (booking/schedule.py).

staff-kind = { $kind ->
    [self] для себя
    [stop] прекратить насилие
    [family] семья
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
staff-schedule-days-off-note = Записи, уже сделанные на эти дни, не отменяются сами: отмените их на странице «Записи» — человеку придёт сообщение.
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
