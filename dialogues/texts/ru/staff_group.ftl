# What the desk writes to the consultants' Telegram group (cards, notices, button answers) and
# the case lines the consoles show; in the group's language (QAMQOR_HANDOFF_GROUP_LANG).

## The case card
staff-role = { $role ->
    [victim] пострадавший(ая)
    [witness] свидетель
    [aggressor] применяющий(ая) насилие
   *[other] не ясно
}
staff-writer = { $finer ->
    [parent] родитель, который боится навредить своему ребёнку
   *[other] { $age ->
        [child] ребёнок (до 14 лет)
        [young] подросток (14–17 лет)
       *[other] ребёнок или подросток
    }
}
staff-danger = { $danger ->
    [high] высокая
    [elevated] повышенная
    [low] низкая
   *[other] не оценена
}
staff-card-head = { $urgent ->
    [true] 🔴 СРОЧНО · Обращение { $number }
   *[other] Обращение { $number }
}
staff-card-facts = Опасность: { $danger } · Язык: { $lang } · Кто пишет: { $role } · Регион: { $region } · Причина: { $reason }
staff-card-reason = { $reason ->
    [urgent] срочное сообщение
    [urgent-exit] срочно, быстрый выход
    [asked] попросил(а) консультанта
    [callback] просит написать позже
   *[other] { $reason }
}
staff-card-quiet = 🤫 Человек скрыл переписку (быстрый выход). Рядом может быть тот, кто применяет насилие: не пишите первым, дождитесь сообщения от человека.
staff-card-callback = Просит написать в { $when } (Алматы)
staff-card-screen = { $kind ->
    [child] Вопросы об опасности для ребёнка
   *[other] Скрининг опасности
}: { $answers }
staff-screen-q = { $q ->
    [weapon] Применяли оружие или угрожали им
    [threat_to_kill] Угрожали убить (человека или детей)
    [believes_may_kill] Человек думает, что его могут убить
    [gun_access] Есть огнестрельное оружие или лёгкий доступ к нему
    [strangling] Душили или пытались задушить
    [jealousy_control] Сильная ревность, постоянный контроль
    [separation] Человек ушёл, или они расстались
    [unemployed] Тот, кто причиняет боль, без работы
    [suicide] Тот, кто причиняет боль, пытался покончить с собой или угрожал этим
    [child_not_his] Есть ребёнок от другого партнёра, и тот, кто причиняет боль, это знает
    [stalking] Следит, выслеживает, присылает угрозы
   *[other] { $q }
}
staff-child-q = { $q ->
    [harm] Обижает или бьёт взрослый, с которым живёт
    [injury_now] Сейчас есть рана, травма или сильная боль
    [locked_now] Сейчас заперли, не выпускают
    [food_sleep] Не дают есть или спать, выгоняют из дома
    [threat_to_kill] Ребёнку или кому-то дома угрожали убить
    [sexual] Трогали против воли или заставляли раздеваться
    [self_harm] Думает сделать себе больно или не жить
   *[other] { $q }
}
staff-screen-a = { $a ->
    [yes] да
    [no] нет
    [not_sure] не знает
   *[other] { $a }
}
staff-card-recent = — Последние сообщения —
staff-card-claim = ✋ Взять
staff-card-close = ✖ Закрыть
staff-card-back = ↩ Назад

## Lines in the case (shown in the topic and on the web console)
staff-line-claimed = ✋ Обращение взял(а): { $name } ({ $via })
staff-line-closed = ✔ Закрыто ({ $outcome }): { $name }
staff-line-timeout = ⚠ Время ожидания вышло: человеку отправлены телефоны.
staff-line-unclaimed = Никто не взял обращение — оно закрыто как неотвеченное.
staff-line-now-urgent = 🔴 Обращение стало срочным.
staff-line-cancelled = Человек отменил вызов консультанта.
staff-line-unsupported = [{ $kind ->
    [none] сообщение
   *[other] { $kind }
}: бот не может это передать]
staff-line-undelivered = ⚠ Сообщение не доставлено человеку (мессенджер не принял его). Проверьте консоль или попробуйте позже.
# What a copy in the group says once it could no longer be deleted (after 48 hours).
staff-copy-erased = — удалено по просьбе
staff-line-erased = Данные человека удалены (по его просьбе или по сроку хранения): переписка по обращению удаляется, тема закрывается.

## Alerts in the group's general topic
staff-alert-waiting = ⚠ { $urgent ->
    [true] 🔴 СРОЧНОЕ
   *[other] Обращение
} { $number } ждёт без ответа { $minutes } мин { $seconds } с. Человеку отправлены телефоны 150/102/112. Нужен консультант.{ $count ->
    [1] {""}
   *[other] {" "}(напоминание { $count })
}
staff-alert-urgent = 🔴 { $number }: срочное сообщение

## Answers to a button pressed on a card
staff-answer-claimed = Обращение ваше. Пишите в этой теме — сообщения уйдут человеку.
staff-answer-close-not-yours = Закрыть может { $holder }.
staff-answer-pick-outcome = Выберите итог.
staff-answer-ok = Ок.
staff-answer-closed = Закрыто.

## Why a consultant's action was refused (in the group and on the web console)
staff-refused-taken = Обращение уже взял(а): { $holder }
staff-refused-taken-unknown = Обращение уже взял другой консультант.
staff-refused-empty = Пустое сообщение.
staff-refused-empty-note = Пустая заметка.
staff-refused-quiet = Человек скрыл переписку (быстрый выход). Не пишите первым — дождитесь его сообщения.
staff-refused-erased = Человек удалил свои данные; написать ему нельзя.
staff-refused-no-case = Нет такого обращения.
staff-refused-outcome = Выберите итог обращения.
staff-line-reopened = ↺ Обращение открыто снова: { $name }
staff-refused-reopen = Открыть снова нельзя: прошло больше 30 минут, у человека уже есть другое обращение или переписка удалена.
staff-refused-reopen-not-yours = Открыть снова может тот, кто вёл обращение ({ $holder }), или координатор.
staff-refused-closed = Обращение уже закрыто.
staff-refused-closed-now = Обращение закрыто.
staff-refused-close-not-yours = Закрыть может тот, кто ведёт обращение: { $holder }.
staff-refused-claim-first = Сначала возьмите обращение.
staff-refused-not-yours = Обращение ведёт { $holder }.

## The topic as a console (issue 15): earlier cases, held messages, /note, /card, /help
staff-card-earlier = ↩ Обращался(-ась) раньше: { $count } (последнее — { $when }: { $numbers })
staff-card-commands = /card — карточка с кнопками внизу темы · /note текст — заметка для коллег · /help
staff-card-claim-send = ✋ Взять и отправить
staff-topic-held = ⚠ Сообщение не ушло человеку: обращение ещё никто не взял. Оно сохранено. «Взять и отправить» — обращение станет вашим, и сообщение уйдёт.
staff-topic-noted = 📝 Заметка сохранена. Её видят только сотрудники, человеку она не уходит.
staff-topic-help =
    Команды в теме обращения:
    /card — карточка с кнопками внизу темы
    /note текст — заметка для коллег (человек её не видит)
    /refer — предложить человеку запись в семейную службу (в его чате, с пометкой «направила линия 150»)
    Пока обращение не взято, ваши сообщения человеку не уходят: они сохраняются до «Взять и отправить».
staff-answer-claimed-sent = Обращение ваше, сообщение ушло человеку.
staff-answer-held-gone = Это сообщение уже отправлено.
staff-answer-held-not-yours = Это сообщение написал(а) { $author }: отправить его может только автор.

## A coordinator moves a case (the supervisor page, handoff/reassign.py)
staff-line-reassigned = ⇄ Обращение передано: { $before } → { $after } (координатор: { $by })
staff-line-requeued = ⇄ Обращение возвращено в очередь (вёл(а): { $before }; координатор: { $by }). Нажмите «Взять», чтобы продолжить.
staff-refused-reassign-role = Передавать обращения может только координатор.
staff-refused-reassign-not-live = Передать можно только обращение, которое сейчас ведут: это ещё в очереди или уже закрыто.
staff-refused-reassign-same = Обращение и так ведёт { $holder }.
staff-refused-reassign-off-shift = Этот консультант сейчас не на смене (не был на связи последние 15 минут).
staff-refused-reassign-moved = Пока вы выбирали, обращение закрыли или передали. Обновите страницу.
staff-line-referred = 📅 Человеку предложена запись в семейную службу (направление линии 150): { $name }
