# The staff web pages (staffweb/): the frame, sign-in, accounts, the audit log and the
# consultants' console. Each staff member reads them in their own language (the header switch).

## Shared words
staff-lang-switch = Язык страниц
staff-lang-ru = Русский
staff-lang-kk = Қазақша
staff-logout = Выйти
staff-from = С
staff-to = По
staff-show = Показать
staff-save = Сохранить
staff-add = Добавить
staff-remove = убрать
staff-loading = Загрузка…
staff-urgent = СРОЧНО
staff-error-title = Ошибка
staff-to-home = На главную
staff-no-access = Нет доступа к этой странице.

## The menu
staff-nav-handoff = Консультации
staff-nav-telegram = Telegram
staff-nav-bookings = Записи
staff-nav-schedule = Расписание
staff-nav-reports = Отчёты
staff-nav-users = Сотрудники
staff-nav-audit = Журнал доступа

## Sign-in
staff-login-title = Вход
staff-login-heading = Вход для сотрудников
staff-login-username = Имя пользователя
staff-login-password = Пароль
staff-login-submit = Войти
staff-login-wrong = Неверное имя или пароль.
staff-login-locked = Слишком много неудачных попыток входа. Попробуйте через 15 минут или попросите координатора снять блокировку.
staff-login-busy = Сейчас слишком много попыток входа. Попробуйте через минуту.

## Home, accounts, audit log
staff-home-title = Главная
staff-home-hello = Здравствуйте, { $name }
staff-home-roles = Роли: { $roles }
staff-users-title = Сотрудники
staff-users-intro = Вход блокируется на 15 минут после многих неудачных попыток. Снять блокировку может координатор; это записывается в журнал доступа.
staff-users-name = Имя
staff-users-roles = Роли
staff-users-access = Вход
staff-users-disabled = отключён
staff-users-locked = заблокирован
staff-users-open = открыт
staff-users-unlock = Снять блокировку
staff-audit-title = Журнал доступа
staff-audit-time = Время (UTC)
staff-audit-who = Сотрудник
staff-audit-action = Действие
staff-audit-subject = Объект
staff-audit-reason = Причина
staff-audit-code = код: { $code }
# The audit log keeps codes (stable for searching and for investigations, whatever the reader's
# language); the page says them in words. An unknown code is shown as it is.
staff-audit-act = { $action ->
    [login] Вход
    [login-failed] Неудачный вход
    [staff-unlock] Снята блокировка входа
    [bookings-view] Просмотр записей
    [bookings-export] Выгрузка записей (CSV)
    [booking-attended] Отмечено: пришёл
    [booking-no_show] Отмечено: не пришёл
    [booking-cancel] Запись отменена
    [booking-move] Запись перенесена
    [booking-link] Отправлена ссылка на встречу
    [dayoff-view] Просмотр записей на выходной
    [schedule-specialist] Расписание: специалист сохранён
    [schedule-hours] Расписание: часы добавлены
    [schedule-hours-delete] Расписание: часы удалены
    [schedule-dayoff] Расписание: выходной добавлен
    [schedule-dayoff-delete] Расписание: выходной удалён
    [schedule-rules] Расписание: правила сохранены
    [report-export] Выгрузка отчёта
    [case-claim] Обращение взято
    [case-note] Заметка к обращению
    [case-close] Обращение закрыто
    [case-reopen] Обращение открыто снова
    [case-view] Просмотр обращения
    [case-read] Чтение переписки
    [case-erased] Обращение стёрто
    [case-card-to-group] Карточка обращения отправлена в группу
    [telegram-link] Telegram привязан
    [telegram-link-code] Код для привязки Telegram
    [telegram-unlink] Telegram отвязан
    [case-reassign] Обращение передано другому консультанту
    [canned-add] Готовый ответ добавлен
    [canned-edit] Готовый ответ изменён
    [canned-move] Готовый ответ перемещён
    [canned-retire] Готовый ответ убран
    [canned-restore] Готовый ответ возвращён
    [assessment-view] Просмотр листа оценки
    [assessment-save] Лист оценки сохранён
    [assessment-refused] Отказано в доступе к листу оценки
    [course-list] Просмотр списка курсов
    [course-view] Просмотр курса
    [course-enrol] Зачисление в программу
    [course-mark] Отмечено посещение курса
    [course-plan] Запланирована встреча курса
    [course-move] Перенесена встреча курса
    [course-note] Заметка курса
    [course-end] Курс закрыт
    [course-follow-up] Повторный вопрос после курса
    [course-refused] Отказано в доступе к курсу
    [case-refer] Предложена запись в семейную службу
    [booking-referral] Указано, кто направил
    [course-consent] Записано письменное согласие на подтверждение посещения
    [course-consent-withdraw] Согласие на подтверждение посещения отозвано
    [course-confirmation] Выдано подтверждение посещения
    [contact-add] Справочник: запись добавлена
    [contact-edit] Справочник: запись изменена
    [contact-verify] Справочник: запись проверена
    [contact-retire] Справочник: запись убрана
    [contact-import] Справочник: запись загружена из файла
   *[other] { $action }
}

## The consultants' console: the queue
staff-queue-title = Очередь обращений
staff-queue-intro = Сначала срочные и опасные, затем по времени ожидания. Обновляется сама.
staff-queue-case = Обращение
staff-queue-state = Состояние
staff-queue-waits = Ждёт
staff-queue-consultant = Консультант
staff-queue-noscript = Для консоли нужен JavaScript.
staff-queue-back = Очередь

## The consultants' console: one case
staff-case-title = Обращение { $number }
staff-case-state = Состояние
staff-case-state-name = { $state ->
    [queued] в очереди
    [claimed] взято
    [active] идёт разговор
    [closed] закрыто
    [abandoned] отменено
    [timed_out] не отвечено
   *[other] { $state }
}
staff-case-danger = Опасность
staff-case-lang = Язык
staff-case-role = Кто пишет
staff-case-region = Регион
staff-case-screen = { $kind ->
    [child] Вопросы об опасности для ребёнка: ответы ребёнка
   *[other] Скрининг опасности: ответы человека
}
staff-case-callback = Написать в { $when } (Алматы)
staff-case-quiet = 🤫 Человек скрыл переписку (быстрый выход). Не пишите первым — дождитесь его сообщения.
staff-case-before = Переписка с ботом до обращения ({ $count })
staff-case-last-in = Последнее сообщение человека
staff-case-earlier = Прежние обращения этого человека ({ $count })
staff-case-refer = Предложить запись в семейную службу
staff-case-refer-hint = Человек получит в своём чате запись к психологу семейной службы (тому, кто применяет насилие, — на программу), с пометкой, что направила линия 150. Разговор с вами продолжается.
staff-case-referred = Предложение отправлено.
staff-case-claim = Взять обращение
staff-case-reply-placeholder = Сообщение человеку…
staff-case-send = Отправить
staff-case-notes = Заметки
staff-case-save-note = Сохранить заметку
staff-case-close-heading = Закрыть
staff-case-outcome = Итог обращения…
staff-case-close = Закрыть обращение
staff-case-reopen = ↺ Открыть снова
staff-case-reopen-hint = Закрыто по ошибке? В течение 30 минут обращение можно открыть снова.
staff-close-confirm = Закрыть обращение? Человеку придёт сообщение о завершении и короткий анонимный опрос.
staff-close-unanswered = ⚠ Последнее сообщение человека осталось без ответа.
staff-close-yes = Да, закрыть
staff-close-no = Отмена
staff-case-not-yours = Это обращение закрыто, и вы в нём не участвовали.
staff-case-reason-needed = Обращение закрыто. Укажите причину просмотра — она будет записана в журнал доступа.
staff-reason-label = Причина
staff-reason-open = Открыть
staff-canned-emergency = Экстренные номера
staff-canned-contacts = Контакты
staff-canned-booking = Запись к психологу

## Words the console's script shows (an argument in braces is filled in by the script)
staff-js-queue-empty = Очередь пуста.
staff-js-callback = (написать в { $when })
staff-js-alerts = ⚠ Без ответа дольше срока: { $count }. Нужен консультант.
staff-js-waited = { $minutes } мин { $seconds } с
staff-js-waited-seconds = { $seconds } с
staff-js-error = Ошибка { $status }
staff-js-you = вы:
staff-js-undelivered = не доставлено
staff-session-ended = Сессия закончилась: страница больше не обновляется, и новые сообщения человека здесь не появятся. Ваш черновик сохранён в этой вкладке.
staff-session-login = Войти снова
staff-js-alert-new = Новое обращение { $number }
staff-js-alert-urgent = 🔴 СРОЧНОЕ обращение { $number }
staff-js-alert-again = 🔴 { $number } всё ещё ждёт консультанта (напоминание { $count })
staff-js-alert-body = Откройте очередь консультантов.
staff-alerts-enable = 🔔 Включить звук и уведомления
staff-alerts-on = 🔔 Звук и уведомления включены
staff-alerts-blocked = 🔕 Браузер запретил уведомления: звук и значок во вкладке остаются. Разрешите уведомления в настройках сайта.

## The aggressor programme: the correctional course (staffweb/course.py)
staff-schedule-course-sessions = Встреч в курсе программы (по умолчанию)
staff-schedule-course-every = Ритм курса: раз в столько дней
staff-schedule-follow-up = Повторный вопрос после курса: через столько месяцев
staff-course-link = курс
staff-course-open = Курс № { $number }
staff-course-enrol = Зачислить в программу
staff-course-enrol-hint = Курс идёт парой специалистов, встречи планируются с выбранным ритмом. Зачисление возможно, когда последняя версия листа оценки говорит «программа».
staff-course-sessions = Число встреч
staff-course-every = Раз в столько дней
staff-course-enrol-button = Зачислить
staff-course-refused = Не получилось: { $why }
staff-course-error-not-programme = Это не встреча программы.
staff-course-error-not-eligible = Зачислить можно, только когда последняя версия листа оценки говорит «программа».
staff-course-error-enrolled = Человек уже проходит курс № { $number }.
staff-course-error-range = Число должно быть от { $low } до { $high }.
staff-course-error-not-active = Курс уже завершён.
staff-course-error-not-session = Это не встреча этого курса.
staff-course-error-choice = Выберите один из предложенных вариантов.
staff-course-error-mismatch = Причина и итог не сходятся: «курс пройден» — только с итогом «завершил».
staff-course-error-why = Напишите, почему курс не завершён.
staff-course-error-note = Заметка пустая.
staff-course-error-consent-signed = Отметьте, что он подписал согласие и бумага хранится в службе.
staff-course-error-no-consent = Подтверждение посещения выдаётся только по его письменному согласию, а оно не записано.
staff-course-error-no-slot = Свободного времени у пары нет: выберите время ниже или добавьте часы в расписании.
staff-course-error-taken = Это время уже занято. Выберите другое.
staff-courses-title = Курсы программы
staff-courses-intro = Специалист видит курсы, где он в паре; координатор — все.
staff-courses-none = Курсов пока нет.
staff-course-number = Курс
staff-course-status = Состояние
staff-course-progress = Встречи
staff-course-pair = Пара
staff-course-next = Следующая встреча
staff-course-state = { $status ->
    [active] идёт
    [completed] завершён
   *[ended] прекращён
}
staff-course-follow-up-due-short = пора задать повторный вопрос
staff-course-count = пришёл { $attended } из { $done }, всего { $planned }
staff-course-title = Курс программы № { $number }
staff-course-done = { $what ->
    [enrolled] Человек зачислен, первая встреча запланирована, если у пары было свободное время.
    [mark] Отметка сохранена.
    [plan] Встреча запланирована.
    [move] Встреча перенесена, человеку придёт напоминание о новом времени.
    [note] Заметка сохранена.
    [end] Курс закрыт.
    [consent] Письменное согласие записано.
    [consent-withdraw] Согласие отозвано: подтверждение посещения больше не выдаётся.
   *[other] Сохранено.
}
staff-course-rhythm = раз в { $days } дн.
staff-course-enrolled = Зачислен { $when }, зачислил(а) { $who }
staff-course-safety = Безопасность пострадавших прежде всего: при новом риске пересмотрите лист оценки и при необходимости прекратите курс с итогом «исключён из-за риска».
staff-course-sessions-title = Встречи курса
staff-course-no-sessions = Встреч пока нет.
staff-course-attendance = Посещение
staff-course-session-state = { $status ->
    [booked] запланирована
    [attended] пришёл
    [no_show] пропустил
   *[cancelled] отменена
}
staff-course-mark = { $attendance ->
    [attended] Пришёл
   *[missed] Пропустил
}
staff-course-plan-title = Планирование
staff-course-move-hint = Следующая встреча запланирована. Чтобы перенести её, выберите свободное время пары:
staff-course-plan-hint = Следующей встречи нет. Запланируйте её с ритмом курса или выберите время:
staff-course-plan-next = Запланировать следующую
staff-course-notes = Заметки курса
staff-course-note = Заметка (хранится зашифрованной)
staff-course-note-add = Добавить заметку
staff-course-end-title = Завершение курса
staff-course-reason = Причина
staff-course-reason-code = { $reason ->
    [course_done] курс пройден
    [stopped_attending] перестал приходить
    [withdrew] отказался сам
    [risk_escalated] вырос риск
    [referred_elsewhere] направлен в другую службу
    [moved_away] уехал
   *[other] другое
}
staff-course-outcome = Итог
staff-course-outcome-code = { $outcome ->
    [completed_change] завершил, изменения отмечены
    [completed] завершил
    [partly] прошёл частично
    [dropped_out] выбыл
    [excluded_risk] исключён из-за риска
   *[referred] направлен в другую службу
}
staff-course-end-note = Почему (обязательно, если курс не завершён)
staff-course-end-button = Закрыть курс
staff-course-ended = Курс закрыт { $when }
staff-course-follow-up = Повторный вопрос
staff-course-follow-up-result = { $result ->
    [no_violence] насилия нет (по его словам и по данным служб)
    [concerns] есть тревожные признаки
    [violence_again] насилие повторилось
   *[no_answer] не ответил
}
staff-course-follow-up-due = Пора задать повторный вопрос (с { $day }): свяжитесь с человеком и отметьте ответ.
staff-course-follow-up-on = Повторный вопрос — { $day }.
staff-course-follow-up-hint = Один простой вопрос: как сейчас дома, без насилия ли. Если есть риск для партнёра — действуйте через службы (150, 111, 102).
staff-course-kept-until = Данные курса хранятся до { $day }, затем удаляются вместе с перепиской по обычному правилу.
staff-course-kept-enrolled = Данные курса хранятся, пока человек проходит курс (и до повторного вопроса после него). По просьбе человека удаляются сразу.
staff-course-confirm-title = Подтверждение посещения
staff-course-confirm-referral = Кто направил: { $who }
staff-course-confirm-asked = { $asked ->
    [confirm_wanted] В чате сказал, что подтверждение ему нужно.
    [confirm_declined] В чате сказал, что подтверждение ему не нужно или он пока не знает.
   *[other] В чате об этом не спрашивали.
}
staff-course-confirm-hint = Подтверждение (сколько встреч он посетил и когда, без содержания встреч) выдаётся только по его письменному согласию: он подписывает его на встрече, бумага хранится в службе. Согласие можно отозвать в любой момент.
staff-course-confirm-signed = Он подписал согласие, бумага хранится в службе
staff-course-confirm-record = Записать согласие
staff-course-confirm-given = Письменное согласие записано { $when }, записал(а) { $who }.
staff-course-confirm-open = Открыть подтверждение для печати
staff-course-confirm-withdraw = Он отозвал согласие
staff-course-confirmation-heading = Подтверждение участия в программе
staff-course-confirmation-body = Семейная служба по вопросам насилия в семье подтверждает, что участник курса № { $number } посещает коррекционную программу для лиц, применявших насилие в семье, с { $since }.
staff-course-confirmation-name = Фамилия, имя участника (вписывается от руки):
staff-course-confirmation-count = Посещено встреч: { $attended } из { $planned } запланированных; пропущено: { $missed }.
staff-course-confirmation-dates = Даты посещённых встреч:
staff-course-confirmation-state = { $status ->
    [active] Курс продолжается.
    [completed] Курс пройден полностью { $ended }.
   *[ended] Участие в курсе прекращено { $ended }.
}
staff-course-confirmation-consent = Выдано по письменному согласию участника от { $consent }.
staff-course-confirmation-sign = Специалист программы: ____________________  Подпись: __________  Дата: { $today }
staff-course-confirmation-print = Печать
staff-course-error-planned = Следующая встреча уже запланирована.
