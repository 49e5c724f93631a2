# WhatsApp: the words of list messages, and how to delete the chat by hand (a bot cannot).
wa-list-button = Выбрать
wa-section-safety = Безопасность
wa-section-choices = Варианты
wa-list-more = Ещё варианты:
erase-unsupported-whatsapp =
    В WhatsApp бот не может удалять сообщения — удалите этот чат сами, это несколько секунд:
    • Android: откройте чат → ⋮ (вверху справа) → Ещё → Очистить чат.
    • iPhone: откройте чат → нажмите на название вверху → Очистить чат (в самом низу).
    Или удалите чат целиком: в списке чатов удерживайте его (на iPhone — смахните влево) → Удалить.
