# The supervisor page for coordinators (staffweb/supervise.py, issue 15): who is on shift, the
# consultants' load, unclaimed urgent cases, moving a case, the closed cases.

staff-nav-supervise = Смена
staff-sv-title = Смена и нагрузка
staff-sv-intro = Кто на смене, сколько обращений у каждого консультанта; срочные обращения, которые никто не взял, — вверху. Страница обновляется сама.

## Unclaimed urgent cases
staff-sv-urgent = Срочные: никто не взял
staff-sv-no-urgent = Срочных обращений в очереди нет.
staff-sv-others-queued = Ещё в очереди (не срочные): { $count }
staff-sv-escalations = напоминаний: { $count }

## Who is on shift
staff-sv-shift = Кто на смене
staff-sv-shift-means = На смене — консультант, который за последние 15 минут заходил на сайт для сотрудников или работал с обращением (в том числе в Telegram).
staff-sv-presence = На связи
staff-sv-claimed = Взято
staff-sv-active = В разговоре
staff-sv-oldest = Дольше всех ждёт ответа
staff-sv-nobody = Сейчас на смене никого нет.
staff-sv-off-shift = не на смене
staff-sv-seen = последний раз: { $minutes } мин назад

## Cases in progress, and moving one
staff-sv-live = Обращения в работе
staff-sv-move-hint = Обращение можно передать консультанту, который сейчас на смене, или вернуть в очередь. Человеку бот ничего не пишет; в теме Telegram появляется строка о передаче.
staff-sv-move-to = Кому передать
staff-sv-no-live = Сейчас никто не ведёт обращений.
staff-sv-to-queue = ↩ вернуть в очередь
staff-sv-choose = выберите…
staff-sv-move = Передать
staff-sv-moved = Обращение { $number } передано.

## Closed cases
staff-sv-closed = Закрытые обращения
staff-sv-number = Номер
staff-sv-from = С какого дня
staff-sv-to = По какой день
staff-sv-outcome = Итог
staff-sv-any-outcome = любой
staff-sv-find = Найти
staff-sv-found = Найдено: { $count }
staff-sv-closed-at = Закрыто
staff-sv-none-found = Ничего не найдено.
staff-sv-prev = Назад
staff-sv-next = Дальше
staff-sv-page = Страница { $page } из { $pages }
