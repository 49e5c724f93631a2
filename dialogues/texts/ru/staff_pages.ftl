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
staff-case-screen = Скрининг опасности: ответы человека
staff-case-callback = Написать в { $when } (Алматы)
staff-case-quiet = 🤫 Человек скрыл переписку (быстрый выход). Не пишите первым — дождитесь его сообщения.
staff-case-before = Переписка с ботом до обращения ({ $count })
staff-case-last-in = Последнее сообщение человека
staff-case-earlier = Прежние обращения этого человека ({ $count })
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
