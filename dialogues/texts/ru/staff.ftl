# Texts for staff in the consultants' Telegram group (not for the people who write to the bot).
staff-link-hint = Этот аккаунт Telegram не привязан к учётной записи сотрудника, поэтому брать обращения и писать человеку из него нельзя. Получите код в консоли (страница «Привязать Telegram») и отправьте боту: /link КОД
staff-link-hint-short = Сначала привяжите Telegram к учётной записи: /link КОД из консоли.
staff-link-done = Готово: Telegram привязан к учётной записи { $username }. Теперь можно брать обращения и отвечать в темах.
staff-link-refused = Код не подошёл: он неверный, истёк или уже использован. Получите новый в консоли.
staff-link-usage = Отправьте код из консоли так: /link КОД
staff-link-page-title = Привязать Telegram
staff-link-page-intro = Брать обращения и отвечать людям в группе консультантов можно только из Telegram, привязанного к вашей учётной записи. Получите одноразовый код и отправьте его боту — в группе или в личном чате: /link КОД. Код действует { $minutes } минут.
staff-link-page-code = Ваш код
staff-link-page-linked = Telegram привязан: { $since }.
staff-link-page-none = Telegram не привязан.
staff-link-page-new = Получить код
staff-link-page-unlink = Отвязать Telegram
