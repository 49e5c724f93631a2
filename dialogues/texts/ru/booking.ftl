# Booking a session with the family service. Reminders and staff cancellations are sent
# without being asked for: their wording stays neutral (someone else may see the phone).
booking-intro =
    Семейная служба проводит бесплатные встречи с психологом или психотерапевтом — на казахском или русском, очно или онлайн. Имя называть не нужно.
    Встреча «для семьи» — для вас вместе с детьми или близкими. Совместных встреч с тем, кто причиняет вам боль, служба не проводит: это небезопасно.
    Для кого встреча?
booking-kind-self = Для себя
booking-kind-stop = Хочу перестать причинять боль
booking-kind-family = Для семьи
booking-kind-parent = Для родителя: воспитание без насилия
booking-mine-button = Мои записи
booking-day-noted = Хорошо, день выбран: { $date }.
booking-ask-lang = На каком языке вам удобнее говорить?
booking-lang-ru = на русском
booking-lang-kk = на казахском
booking-ask-mode = Как удобнее встретиться?
booking-mode-office = Очно, в офисе
booking-mode-online = Онлайн, по видеосвязи
booking-ask-day = Выберите день:
booking-want-full = На этот день ({ $date }) свободного времени нет. Вот дни, когда есть:
booking-no-days = В ближайшие две недели свободного времени в таком формате нет. Попробуйте другой формат или язык. Если нужно поговорить сейчас — позвоните на 150, там ответят круглосуточно.
booking-change-mode = Другой формат
booking-change-lang = Другой язык
booking-day-full = На этот день время уже разобрали. Выберите другой день:
booking-ask-time = { $date }. Выберите время (время Астаны):
booking-other-day = Другой день
booking-taken = Это время только что заняли. Вот ближайшее свободное:
booking-taken-none = Это время только что заняли, а другого свободного времени сейчас нет.
booking-ask-name = Как к вам обращаться? Подойдёт любое имя или псевдоним — настоящее не нужно. Можно пропустить.
booking-name-skip = Пропустить
booking-name-too-long = Хватит короткого имени, до { $max } символов. Или нажмите «Пропустить».
booking-name-none = не указано
booking-summary =
    Проверьте запись:
    { $kind }
    { $date }, { $time } (время Астаны), { $duration } минут
    { $mode }, { $lang }
    Как обращаться: { $name }
booking-confirm-yes = ✅ Записаться
booking-change-time = Другое время
booking-confirm-no = Не записываться
booking-too-many = У вас уже максимум предстоящих записей: { $max }. Можно перенести или отменить одну из них:
booking-done = Вы записаны: { $date }, { $time } (время Астаны).
booking-moved = Запись перенесена: { $date }, { $time } (время Астаны).
booking-done-office = Встреча очно. { $address }
booking-done-online = Встреча онлайн. { $policy }
booking-mine-none = У вас нет предстоящих записей.
booking-mine-list = Ваши записи. Выберите, чтобы перенести или отменить:
booking-new = Записаться
booking-details = Запись: { $date }, { $time } (время Астаны). { $kind }; { $mode }, { $lang }.
booking-move = Перенести
booking-cancel = Отменить запись
booking-back = Назад
booking-moving = Переносим запись с { $date }, { $time }. Старая запись останется, пока вы не подтвердите новую.
booking-cancel-ask = Отменить запись на { $date }, { $time }?
booking-yes-cancel = Да, отменить
booking-no-keep = Нет, оставить
booking-cancelled = Запись отменена. Записаться снова можно в любое время.
booking-gone = Этой записи уже нет: она отменена или прошла.
booking-unavailable = Запись в чате сейчас недоступна. Позвоните на 150 — там подскажут, как записаться.
booking-reminder = Напоминание: встреча { $day } в { $time }.
booking-reminder-yes = Приду
booking-reminder-no = Отменить
booking-reminder-thanks = Спасибо, до встречи.
booking-reminder-cancel-ask = Отменить встречу?
booking-reminder-cancelled = Встреча отменена. Выбрать другое время можно командой /bookings.
booking-reminder-gone = Эта встреча уже отменена.
booking-staff-cancelled = Встреча { $day } в { $time } отменена. Извините, что так вышло.
booking-staff-moved = Встреча { $old_day } в { $old_time } перенесена. Новое время: { $day } в { $time }. Извините, что так вышло.
booking-online-link =
    Встреча { $day } в { $time }. Ссылка для входа:
    { $link }
booking-pick-other = Выбрать другое время
booking-day-today = сегодня
booking-day-tomorrow = завтра
booking-date = { $weekday }, { $day } { $month }
booking-date-short = { $day } { $month }
# A button for a booked or offered time (WhatsApp: the time first, see whatsapp.ftl).
booking-when = { $date }, { $time }
booking-wd-0 = понедельник
booking-wd-1 = вторник
booking-wd-2 = среда
booking-wd-3 = четверг
booking-wd-4 = пятница
booking-wd-5 = суббота
booking-wd-6 = воскресенье
booking-month-1 = января
booking-month-2 = февраля
booking-month-3 = марта
booking-month-4 = апреля
booking-month-5 = мая
booking-month-6 = июня
booking-month-7 = июля
booking-month-8 = августа
booking-month-9 = сентября
booking-month-10 = октября
booking-month-11 = ноября
booking-month-12 = декабря
# After a missed session of the course (booking/course.py): neutral, it may show on a lock screen.
booking-course-missed = Мы не увиделись на последней встрече. Следующая — по расписанию, время можно посмотреть командой /bookings.

booking-family-not-now = Совместные встречи с партнёром семейная служба не проводит, пока в отношениях есть насилие: так безопаснее для всех. Можно записаться на встречу для тех, кто хочет перестать причинять боль, — на ней говорят о вас и о ваших шагах.
booking-referred = Консультант линии 150 предлагает бесплатную встречу в семейной службе — очно или онлайн, на казахском или русском. Если хотите, выберите ниже, как вам удобнее. Разговор с консультантом при этом продолжается.

# Issue 20. A staff member's note goes out only inside the neutral message, after its first line.
booking-staff-note-line = Комментарий: { $note }
# The warm referral is sent unasked: a neutral first line first.
booking-referred-neutral =
    { lockscreen-answered }
    { booking-referred }
# What the reminders are, as the code sends them (booking.reminder_hours: 24 and 2 by default).
booking-done-reminders = Перед встречей я пришлю { $count ->
        [one] короткое напоминание
       *[other] короткие напоминания
    } без подробностей — { $when } до начала. Перенести или отменить запись можно в «Мои записи» или командой /bookings.
booking-reminder-hours = за { $hours } ч
booking-reminder-and = и
booking-done-manage = Перенести или отменить запись можно в «Мои записи» или командой /bookings.
# Issue 20: no family session is offered where the conversation speaks of violence (docs/booking.md).
booking-intro-no-family =
    Семейная служба проводит бесплатные встречи с психологом или психотерапевтом — на казахском или русском, очно или онлайн. Имя называть не нужно.
    Для кого встреча?
booking-family-not-offered = Когда в семье есть насилие, семейные и совместные встречи служба не предлагает: разговор при всех может стать опаснее для вас и превратиться в уговоры помириться. Можно записаться на встречу для себя — на ней говорят о вас и о том, что нужно вам.
