# The aggressor programme on the staff site (issue 16): streams, pairs, the assessment sheet.
staff-stream = { $stream ->
    [victims] пострадавшие
    [aggressors] программа для агрессоров
    [family] семья
   *[other] { $stream }
}
staff-schedule-stream = Направление
staff-schedule-stream-kinds = Выбранное направление не берёт отмеченные виды встреч: специалист программы для агрессоров ведёт только её, и никто другой её не ведёт.
staff-schedule-fixed-pairs = Постоянные пары (номера специалистов)
staff-schedule-fixed-pairs-hint = Например: 3+4, 5+6. Если для вида встречи, который ведут вдвоём, есть постоянная пара, время предлагается только тогда, когда свободны оба из пары.
staff-schedule-pairs-format = Пары пишутся так: 3+4, 5+6 — два разных номера специалистов.
staff-schedule-pairs-twice = Один специалист не может быть в двух постоянных парах.
staff-assessment-link = лист оценки
staff-assessment-title = Лист оценки определения статуса агрессора
staff-assessment-booking = Запись № { $number }, { $when }, ведут: { $who }
staff-assessment-intro = Заполняется на первой встрече и пересматривается по ходу программы. Каждое сохранение — новая версия с датой и вашей подписью; прежние остаются. Лист видят только специалисты программы и координаторы.
staff-assessment-risks = Факторы риска
staff-assessment-risk = { $risk ->
    [recent_violence] Недавнее насилие
    [strangulation] Удушение
    [weapons] Оружие
    [threats_to_kill] Угрозы убить
    [stalking] Преследование, слежка
    [children_home] Дети в доме
    [separation] Расставание или раздельное проживание
    [substances] Зависимость от алкоголя или наркотиков
    [mental_health] Психический кризис
   *[other] { $risk }
}
staff-assessment-answer = { $answer ->
    [yes] да
    [no] нет
    [unknown] неизвестно
   *[other] { $answer }
}
staff-assessment-motivation = Мотивация к изменениям
staff-assessment-motive = { $motive ->
    [own] собственное желание измениться
    [partner] ради отношений с партнёром
    [children] ради детей
    [court_police] по требованию суда или полиции
    [unclear] пока неясно
   *[other] { $motive }
}
staff-assessment-obstacles = Препятствия
staff-assessment-obstacle = { $obstacle ->
    [denial] отрицает или преуменьшает насилие
    [blames_partner] винит партнёра
    [substances] алкоголь или наркотики
    [work_time] работа, нет времени
    [distance] далеко добираться
    [none] не видно
   *[other] { $obstacle }
}
staff-assessment-motivation-note = Заметка о мотивации и препятствиях
staff-assessment-eligibility = Решение
staff-assessment-eligible = { $eligibility ->
    [programme] принять в программу
    [refer] направить в другую службу
    [defer] отложить
   *[other] { $eligibility }
}
staff-assessment-reason = Причина решения
staff-assessment-partner = Что сделано для безопасности партнёра
staff-assessment-partner-hint = Связь с партнёром — только через службы (150, 111, кризисный центр), никогда через участника программы и без сведений о том, где партнёр находится.
staff-assessment-partner-action = { $action ->
    [offered_150_111] партнёру предложена поддержка через 150 и 111
    [partner_service_plan] план безопасности обсуждён со службой, которая поддерживает партнёра
    [police_informed] сообщено в полицию
    [none_yet] пока ничего
   *[other] { $action }
}
staff-assessment-partner-note = Заметка о безопасности партнёра
staff-assessment-sign = Подписать и сохранить
staff-assessment-revise = Сохранить новую версию
staff-assessment-saved = Версия сохранена.
staff-referral-saved = Сохранено, кто направил.
staff-chat-title = Из первого разговора в чате
staff-chat-hint = Это коды, которые бот отметил в разговоре, без слов самого человека. Решение — за вами, по листу оценки.
staff-chat-referral = Кто направил
staff-chat-referral-none = не указано
staff-chat-referral-save = Сохранить
staff-chat-referral-hint = Меняется во всех записях этого человека в программу и в обезличенном реестре.
staff-chat-notes = Отмечено в разговоре
staff-chat-notes-none = ничего не отмечено
staff-chat-self-check = Самопроверка в чате (человек согласился передать ответы)
staff-chat-self-check-none = на все вопросы — «нет»
staff-chat-self-check-hint = Это ответы самого человека, без проверки: сверьте их с листом оценки на встрече.
staff-assessment-read-only = Координатор читает лист; заполняют его специалисты программы.
staff-assessment-versions = Версии
staff-assessment-none = Лист ещё не заполнен.
staff-assessment-version = Версия { $number } · { $when } · { $who }
staff-assessment-flagged = Отмечено «да»
staff-assessment-unreadable = Эту версию нельзя прочитать текущими ключами.
staff-assessment-back = К записям
staff-assessment-error-risk = Ответьте на каждый фактор риска (можно «неизвестно»).
staff-assessment-error-eligibility = Выберите решение.
staff-assessment-error-reason = Напишите причину решения.
staff-assessment-error-none-yet = «Пока ничего» не сочетается с другими отметками.
staff-assessment-error-choice = Такого варианта нет в листе.
staff-assessment-error-not-programme = Лист оценки ведётся только для записей программы для агрессоров.
staff-assessment-error-busy = Лист сейчас сохраняют одновременно; попробуйте ещё раз.
