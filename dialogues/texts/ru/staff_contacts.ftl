## The coordinators' page of the directory of help contacts (staffweb/contacts.py, issue 18)

staff-nav-contacts = Справочник контактов
staff-contacts-title = Справочник контактов
staff-contacts-intro = Бот показывает номер только после того, как вы его проверили: позвонили или нашли на официальном сайте. Каждую запись нужно проверять снова к сроку (обычно через полгода). Региональная запись, срок проверки которой прошёл больше чем на { $grace } дн., скрывается от людей; национальные линии не скрываются сами, но тоже стоят в списке к проверке.
staff-contacts-reminders = Пора проверить
staff-contacts-reminders-none = Сейчас нет записей, которые пора проверить.
staff-contacts-search = Поиск
staff-contacts-any = все
staff-contacts-due-only = только те, что пора проверить
staff-contacts-filter = Показать
staff-contacts-none = Ничего не найдено.
staff-contact-national = Весь Казахстан (национальные линии)
staff-contact-add = Добавить запись
staff-contact-kind = { $kind ->
    [emergency] экстренная служба
    [hotline] телефон доверия
    [police] полиция
    [juvenile_police] инспекторы по делам несовершеннолетних
    [crisis_centre] кризисный центр
    [shelter] убежище
    [ngo] общественная организация
    [legal_aid] юридическая помощь
   *[other] { $kind }
}
staff-contact-standing = { $code ->
    [current] проверено, следующая проверка: { $since }
    [due] пора проверить: до { $since }
    [overdue] срок проверки прошёл: { $since }; пока показывается
    [hidden] скрыто с { $since }: проверка просрочена
    [unverified] не проверено, людям не показывается
    [no_phone] нет телефона, людям не показывается
    [retired] убрано из справочника { $since }
   *[other] { $code }
}
staff-contact-yes-no = { $value ->
    [yes] да
    [no] нет
   *[unknown] неизвестно
}
staff-contact-how = { $how ->
    [phoned] позвонили
    [official_site] официальный сайт
   *[unknown] не указано
}
staff-contact-no-address = Адресов в справочнике нет и быть не должно: адрес убежища — тайна, бот даёт только номера. Не пишите улицу и дом ни в одном поле.
staff-contact-field-id = Код записи (латиница, цифры, _)
staff-contact-field-region = Регион
staff-contact-field-kind = Вид
staff-contact-field-name-ru = Название по-русски
staff-contact-field-name-kk = Название по-казахски
staff-contact-field-phones = Телефоны (через запятую)
staff-contact-field-whatsapp = WhatsApp
staff-contact-field-website = Сайт
staff-contact-field-hours-ru = Часы работы по-русски
staff-contact-field-hours-kk = Часы работы по-казахски
staff-contact-field-free = Бесплатно
staff-contact-field-shelter = Даёт место для проживания
staff-contact-field-languages = Языки
staff-contact-field-line-ru = Описание линии по-русски (только национальные)
staff-contact-field-line-kk = Описание линии по-казахски (только национальные)
staff-contact-field-source = Откуда сведения
staff-contact-field-notes = Заметки для сотрудников
staff-contact-field-how = Как проверили
staff-contact-field-verified-source = Кто ответил или адрес страницы
staff-contact-field-due = Следующая проверка
staff-contact-verification = Проверка
staff-contact-verified-line = Проверил(а): { $who }, { $when } ({ $how }). Следующая проверка: { $due }.
staff-contact-never-verified = Ещё не проверено: людям не показывается.
staff-contact-verify = Отметить как проверенное
staff-contact-retire = Убрать из справочника
staff-contact-retire-hint = Запись останется в журнале, но людям больше не показывается.
staff-contact-done-added = Запись добавлена. Людям она не показывается, пока её не проверят.
staff-contact-done-saved = Сохранено.
staff-contact-done-verified = Отмечено как проверенное.
staff-contact-done-retired = Запись убрана из справочника.
staff-contact-error-missing = Заполните поле: { $field }.
staff-contact-error-long = Слишком длинный текст в поле { $field } (не больше { $limit } знаков).
staff-contact-error-id = Код записи: от 2 до 64 латинских букв, цифр и «_».
staff-contact-error-taken = Запись с таким кодом уже есть.
staff-contact-error-region = Выберите регион из списка.
staff-contact-error-kind = Выберите вид из списка.
staff-contact-error-phone = Телефоны пишите цифрами, как их набирают: «150», «+77212123456»; несколько — через запятую.
staff-contact-error-whatsapp = Номер WhatsApp пишите цифрами: «+77081060810».
staff-contact-error-website = Адрес сайта должен начинаться с https://
staff-contact-error-tristate = Выберите «да», «нет» или «неизвестно».
staff-contact-error-languages = Языки: казахский и (или) русский.
staff-contact-error-line = Описание линии — только для национальных линий.
staff-contact-error-address = Похоже на адрес (поле { $field }). Адресов в справочнике быть не должно.
staff-contact-error-how = Укажите, как проверили: позвонили или нашли на официальном сайте.
staff-contact-error-due = Дата следующей проверки должна быть в будущем.
staff-contact-error-retired = Запись убрана из справочника; её нельзя отметить как проверенную.
staff-contact-error-no-phone = Без телефона запись нельзя отметить как проверенную.
