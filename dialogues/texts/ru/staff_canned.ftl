## The coordinators' page of canned replies (staffweb/canned.py) and the keyboard legend on a case

staff-nav-canned = Готовые ответы
staff-canned-title = Готовые ответы
staff-canned-intro = Консультанты вставляют эти ответы в сообщение человеку одной кнопкой. Кнопка подписана на языке консультанта, а текст вставляется на языке человека, поэтому нужны оба варианта — русский и казахский. Убранный ответ больше не показывается в обращениях, но его можно вернуть.
staff-canned-field-title = Название на кнопке
staff-canned-field-text = Текст для человека
staff-canned-retired = убран
staff-canned-up = ↑ Выше
staff-canned-down = ↓ Ниже
staff-canned-retire = Убрать из обращений
staff-canned-restore = Вернуть в обращения
staff-canned-updated = Изменил(а): { $who }, { $when }
staff-canned-new = Новый ответ
staff-canned-done-added = Ответ добавлен в конец списка.
staff-canned-done-saved = Сохранено. Консультанты увидят новый текст, открыв обращение.
staff-canned-done-moved = Порядок изменён.
staff-canned-done-retired = Ответ убран из обращений. Его можно вернуть в любой момент.
staff-canned-done-restored = Ответ снова доступен в обращениях.
staff-canned-error-title-missing = Не заполнено название { $lang ->
        [kk] на казахском
       *[ru] на русском
    }. Ничего не сохранено: допишите его и сохраните ещё раз.
staff-canned-error-title-long = Название { $lang ->
        [kk] на казахском
       *[ru] на русском
    } длиннее { $limit } знаков. Ничего не сохранено: сократите его и сохраните ещё раз.
staff-canned-error-text-missing = Не заполнен текст { $lang ->
        [kk] на казахском
       *[ru] на русском
    }. Ничего не сохранено: допишите его и сохраните ещё раз.
staff-canned-error-text-long = Текст { $lang ->
        [kk] на казахском
       *[ru] на русском
    } длиннее { $limit } знаков. Ничего не сохранено: сократите его и сохраните ещё раз.
staff-canned-region = 📍 Проверенные номера: { $region }
staff-canned-search = Поиск по готовым ответам
staff-canned-search-hint = слово из названия или текста
staff-canned-person-lang = язык человека
staff-canned-none = Ничего не нашлось.
staff-keys-title = Клавиши:
staff-keys-send = отправить ответ
staff-keys-next = следующее обращение в очереди
staff-keys-or = или
staff-keys-search = поиск готового ответа (Enter вставит первый)
staff-keys-back = назад к черновику
staff-js-no-next = Других обращений в очереди нет.
