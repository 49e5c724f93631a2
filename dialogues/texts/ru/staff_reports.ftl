# The reports page (staffweb/reports.py); the exports themselves carry their own ru/kk column
# names (reports/tables.py) and are chosen by language on the page.

staff-reports-intro = Дни считаются по времени Алматы (UTC+5). Что означает каждый показатель — в разделе «Определения показателей» внизу страницы.
staff-reports-exports = Выгрузки
staff-reports-export-lang = { $lang ->
    [kk] на казахском
   *[ru] на русском
}
staff-reports-export-kind = { $kind ->
    [registry] Реестр обращений
    [grant] Отчёт по гранту: план и факт
   *[summary] Сводка по месяцам
}
staff-reports-totals = Итоги за период { $first } — { $last }
staff-reports-table = Таблица
staff-reports-no-data = нет данных
staff-reports-bad-export = Неверный вид, формат или язык выгрузки.
staff-reports-last-30 = Последние 30 дней
staff-reports-this-month = Этот месяц
staff-reports-last-month = Прошлый месяц
staff-reports-this-year = С начала года

## The figures at the top
staff-reports-card-contacts = Обращения
staff-reports-card-contacts-detail = онлайн, в мессенджерах
staff-reports-card-urgent = Срочные
staff-reports-card-handed-off = Переданы консультанту
staff-reports-card-consultations = Консультации линии 150
staff-reports-card-consultations-detail = консультант принял
staff-reports-card-unclaimed = Не приняты вовремя
staff-reports-card-wait = Ожидание, медиана
staff-reports-card-wait-detail = 90-й процентиль: { $p90 }
staff-reports-card-booked = Записи на сессию
staff-reports-card-booked-detail = очно { $office }, онлайн { $online }
staff-reports-card-attended = Пришли на сессию
staff-reports-card-attended-detail = из известных исходов: { $rate }
staff-reports-card-in-person = Очные контакты
staff-reports-card-in-person-detail = пришли на очную сессию
staff-reports-card-feedback = Отзывы

## The charts
staff-reports-daily = Обращения по дням
staff-reports-weekly = По неделям: все и срочные
staff-reports-weekly-note = Первая и последняя недели могут быть неполными.
staff-reports-all = все
staff-reports-urgent = срочные
staff-reports-week-of = неделя с { $day }
staff-reports-since = с { $day }
staff-reports-role = Кто обращается
staff-reports-age = Возраст пишущего
staff-reports-age-note = Полоса возраста, а не возраст: по тому, что человек написал, или по пути, который он выбрал.
staff-reports-lang = Язык
staff-reports-channel = Канал
staff-reports-region = Регион
staff-reports-topic = Темы обращений
staff-reports-topic-note = Одно обращение может касаться нескольких тем.
staff-reports-danger = Оценка опасности
staff-reports-not-screened = не проводилась
staff-reports-wait = Ожидание консультанта
staff-reports-wait-band = { $band ->
    [le1m] до 1 мин
    [le5m] 1–5 мин
    [le15m] 5–15 мин
    [le60m] 15–60 мин
   *[gt60m] больше часа
}
staff-reports-unclaimed-band = не принято вовремя
staff-reports-wait-note = Медиана { $median }, 90-й процентиль { $p90 }.
staff-reports-outcome = Итоги передачи консультанту
staff-reports-booking = Записи и посещение
staff-reports-booked-office = записи очно
staff-reports-booked-online = записи онлайн
staff-reports-came = пришли
staff-reports-missed = не пришли
staff-reports-unknown-yet = ещё неизвестно
staff-reports-feedback-on = Отзывы: { $question }

## What each figure means (shown on the page, in <details>; docs/reports.md says the same)
staff-reports-definitions = Определения показателей
staff-reports-definitions-intro = Обращение — это один разговор одного человека с ботом: от первого сообщения до паузы в 12 часов. Если человек пишет снова на следующий день, это новое обращение. Обращение относится к дню своего первого сообщения.
staff-reports-def-contacts = Обращения в Telegram и WhatsApp, начавшиеся в выбранный период. Тестовые разговоры в консоли не считаются.
staff-reports-def-in-person = Обращения, в которых человек записался на очную сессию и пришёл на неё (так отметил специалист).
staff-reports-def-urgent = Обращения, в которых хотя бы одно сообщение распознано как срочное или человек нажал кнопку срочной помощи (🆘). Доля — от всех обращений периода.
staff-reports-def-danger = Обращения, в которых человек прошёл оценку опасности, по её результату (берётся самый высокий названный уровень).
staff-reports-def-handed-off = Обращения, в которых человек попросил консультанта линии 150.
staff-reports-def-consultations = Обращения, которые консультант взял: разговор с человеком состоялся.
staff-reports-def-unclaimed = Запросы консультанта, которые никто не взял вовремя. Во время ожидания они не входят.
staff-reports-def-wait = По запросам периода, которые консультант взял: время от запроса до того, как консультант взял обращение. Медиана — серединное значение: половина ждала меньше, половина дольше. 90-й процентиль: 90 % запросов ждали не дольше этого времени.
staff-reports-def-outcome = Переданные консультанту обращения по итогу, который консультант указал при закрытии.
staff-reports-def-booked = Обращения, в которых человек записался на сессию в семейную службу, отдельно очно и онлайн.
staff-reports-def-attended = Записи, которые специалист отметил «пришёл» или «не пришёл». Доля пришедших считается только по записям с известным итогом: сессии, которые ещё впереди, не учитываются.
staff-reports-def-feedback = Обращения, в которых человек ответил хотя бы на один вопрос анонимного опроса. Диаграммы считают ответы на каждый вопрос.
staff-reports-def-profile-name = Кто обращается, язык, канал, регион
staff-reports-def-profile = Обращения по тому, что известно о разговоре; «не указано» — человек этого не сообщил.
staff-reports-def-topics = Обращения, в которых встретилась каждая тема. В одном обращении может быть несколько тем, поэтому сумма больше числа обращений.
staff-reports-def-age = Обращения по возрасту пишущего: ребёнок — до 14 лет; подросток — 14–17 лет или несовершеннолетний, не назвавший возраст (например, выбрал путь для детей и подростков); взрослый — 18 лет и старше, в том числе родитель, который пишет о своём ребёнке. Возраст берётся из сообщений («мне 14», «в 8 классе»), из выбранного пути и из ответа на необязательный вопрос о себе после опроса; «не указано» — ничего не было сказано. Хранится только полоса, не возраст.
staff-reports-def-period-name = Период и недели
staff-reports-def-period = Отчёт охватывает целые дни по времени Алматы, с первой даты по последнюю включительно; период — не длиннее трёх лет. Недели начинаются с понедельника, поэтому первая и последняя неделя могут быть неполными. Сводка по месяцам делит период на календарные месяцы.

## Why a period cannot be reported
staff-period-reversed = Дата начала позже даты конца.
staff-period-too-long = Период длиннее { $days } дней; выберите период короче.
staff-period-bad-date = Неверная дата { $which ->
    [first] начала
   *[last] конца
} периода: нужна дата ГГГГ-ММ-ДД.
staff-period-out-of-range = Неверная дата { $which ->
    [first] начала
   *[last] конца
} периода.

## The aggressor programme (issue 16): its section of the page and its definition
staff-reports-programme = Программа для применяющих насилие
staff-reports-programme-referral = Кто направил в программу
staff-reports-programme-referral-note = Впервые записались в программу за период: { $people } чел. Доли — от тех, кто назвал, кто его направил.
staff-reports-referral-not-asked = не спрашивали или пропустил
staff-reports-programme-people = всего человек
staff-reports-programme-course = Курс программы
staff-reports-programme-enrolled = приняты на курс
staff-reports-programme-active = проходят курс сейчас
staff-reports-programme-attended = встреч: пришёл
staff-reports-programme-missed = встреч: не пришёл
staff-reports-programme-completed = завершили курс
staff-reports-programme-dropped = выбыли
staff-reports-programme-active-note = «Проходят курс сейчас» — число на момент открытия отчёта, за любой период.
staff-reports-programme-outcome = Итоги закрытых курсов
staff-reports-def-programme = Кто направил: люди, которые впервые записались на встречу программы в выбранный период (каждый человек считается один раз), по тому, что он ответил в чате при этой первой записи. Доли — от тех, кто назвал, кто его направил; «не спрашивали или пропустил» показано отдельно. Приняты на курс — курсы, начатые в период. Встречи — встречи курсов, назначенные на дни периода, которые специалист отметил «пришёл» или «не пришёл». Завершили, выбыли и итоги — курсы, закрытые в период, по итогу, указанному при закрытии: «завершили» — итоги «завершил» и «завершил, изменения отмечены». «Проходят курс сейчас» — на момент открытия отчёта. Данные людей, удалённые по их просьбе, не считаются.

## Plan against actual (issue 19): targets per indicator and period, set on this page.
staff-reports-plan = План и факт
staff-reports-plan-intro = План задаёт координатор для показателя и периода. Здесь показаны планы, период которых пересекается с выбранным; факт каждого считается за период самого плана.
staff-reports-plan-indicator = Показатель
staff-reports-plan-period = Период плана
staff-reports-plan-plan = План
staff-reports-plan-actual = Факт
staff-reports-plan-covers = { $first } — { $last }
staff-reports-plan-other-period = не совпадает с периодом отчёта
staff-reports-plan-none = Для этого периода план не задан.
staff-reports-plan-save = Сохранить план
staff-reports-plan-remove = Удалить
staff-reports-plan-change = Чтобы изменить план, сохраните его снова для того же показателя и периода.
staff-reports-target-bad-indicator = Такого показателя нет в списке.
staff-reports-target-bad-number = План — целое число от 0 до { $most }.
staff-reports-def-plan = План — число, которое координатор задал для показателя на период (как в отчёте по гранту: «план 50 очно, 150 онлайн»). Факт — тот же показатель, посчитанный за период плана, а не за период отчёта; процент — факт, делённый на план (100 % — план выполнен). Показаны планы, период которых пересекается с выбранным периодом отчёта; если период плана другой, это сказано в строке. План «0» процента не имеет.
staff-reports-def-sessions-name = Сессии очно и онлайн
staff-reports-def-sessions = Обращения, в которых человек записался на сессию семейной службы и пришёл на неё (так отметил специалист), отдельно очные и онлайн (видео или телефон).
staff-reports-def-questionnaires-name = Анкеты обратной связи
staff-reports-def-questionnaires = Обращения, в которых человек ответил хотя бы на один вопрос анонимной анкеты (то же, что «Отзывы»).
staff-reports-def-grant-name = Отчёт по гранту (выгрузка)
staff-reports-def-grant = Книга XLSX (или CSV) с листами итогового отчёта программы: план и факт; консультации по каналу и языку; сессии; анкеты; люди по роли, региону и тому, кто направил; срочные обращения, уровни опасности (от высокого к низкому) и время ожидания (медиана, 90-й процентиль); программа для применяющих насилие. В каждом листе — показатель, план, факт, процент и комментарий; план заполнен, если он задан ровно на период выгрузки.
## Who the contacts are (issue 19): its section of the page and its definitions
staff-reports-who = Кто обращается: люди, виды насилия, пол
staff-reports-distinct = Разные люди по месяцам
staff-reports-distinct-note = { $unit ->
    [year] За календарный год: { $people } чел., каждый один раз.
    [quarter] За календарный квартал: { $people } чел., каждый один раз.
   *[months] Сумма по месяцам: { $people } чел. Кто писал в двух месяцах, посчитан дважды.
}
staff-reports-distinct-total = { $unit ->
    [year] всего за год
    [quarter] всего за квартал
   *[months] сумма по месяцам
}
staff-reports-violence = Виды насилия, о которых узнавали
staff-reports-violence-note = В одном обращении может быть несколько видов, поэтому сумма больше числа обращений.
staff-reports-sex = Пол (по желанию человека)
staff-reports-demographics = Вопрос о себе: ответы и отказы
staff-reports-demographics-answered = ответили
staff-reports-demographics-declined = отказались («Не хочу отвечать»)
staff-reports-demographics-left = не ответили (ушли)
staff-reports-demographics-rate = доля отказов
staff-reports-demographics-note = Спросили в { $asked } обращениях; отказались: { $rate }.
staff-reports-registry-referral = Кто направил (по обращениям)
staff-reports-def-distinct = Разные люди без хранения чего-либо о человеке: при первом сообщении обращения отмечается только, писал ли человек раньше и когда (в прошлом году, квартале, месяце). За календарный месяц — люди, у которых в этом месяце началось первое обращение месяца. За ровно один календарный квартал или год — каждый человек один раз за квартал или год. За любой другой период — сумма по календарным месяцам периода: кто писал в двух месяцах, посчитан дважды; в неполном месяце — те, чьё первое обращение месяца попало в дни периода. Человек, чьи данные удалены (по его просьбе /forget или по сроку хранения), при новом сообщении считается новым. Время предыдущего сообщения известно с точностью до часа. Тестовые разговоры в консоли не считаются.
staff-reports-def-violence = Обращения, в которых человек открыл описание вида насилия (физическое, психологическое, экономическое, сексуальное, контроль и изоляция) на пути «Мне нужна помощь». Одно обращение может назвать несколько видов. Обращения без этого раздела не показаны.
staff-reports-def-sex = Обращения, в которых человек сам ответил на необязательный вопрос о себе после анонимного опроса: женщина, мужчина или «не хочу отвечать». Этот вопрос никогда не задаётся в срочном разговоре (срочное сообщение, высокая опасность, срочный вызов консультанта). Возраст из этого вопроса входит в «Возраст пишущего».
staff-reports-def-demographics = Обращения, в которых был задан вопрос о себе, по ответу: ответили (пол или возраст), отказались («Не хочу отвечать» на первом вопросе), не ответили (ушли, ничего не выбрав). Доля отказов — отказавшиеся от всех, кому задали вопрос.
staff-reports-def-registry-referral = Обращения, в которых человек в чате назвал, кто его направил в семейную службу (или указал сотрудник), по источнику. Считаются разговоры, а не люди; число людей, впервые записавшихся в программу, — в разделе программы. «Не указано» — не спрашивали или человек пропустил.
