# Controls present on every menu, and messages of the engine itself.
control-urgent = 🆘 Срочно
control-exit = ✖ Быстрый выход
control-menu = ☰ Меню
common-lines = Если опасно прямо сейчас: 📞 102 · 112 · 150.
common-choose = Выберите:
common-stale =
    Эта кнопка уже не действует. Вот где мы сейчас:
    { common-lines }
common-text-only =
    Я понимаю только текст. Напишите, пожалуйста, словами или выберите кнопку.
    { common-lines }
flood-slow-down = Вы отправили много сообщений подряд — я отвечу чуть позже. Если вам угрожает опасность прямо сейчас, звоните 102 или 112; телефон доверия 150 — круглосуточно.
unavailable = Сейчас я не могу ответить, простите. Если вам угрожает опасность — звоните 102 или 112. Телефон доверия 150 работает круглосуточно. / Қазір жауап бере алмай тұрмын, кешіріңіз. Қауіп төніп тұрса — 102 немесе 112. 150 сенім телефоны тәулік бойы жұмыс істейді.
paths-national-lines =
    Куда можно обратиться уже сейчас:
    📞 150 — телефон доверия, круглосуточно, на казахском и русском
    📞 111 — контакт-центр по вопросам семьи, женщин и детей
    📞 102 — полиция · 112 — служба спасения · 103 — скорая

# The first screen, before the language is known (start.welcome): both languages.
control-urgent-both = 🆘 Срочно / Шұғыл
control-exit-both = ✖ Быстрый выход / Жылдам шығу
# Issue 20: the neutral first line of a message sent unasked (core/lockscreen.py, docs/lockscreen.md).
lockscreen-opener = Новое сообщение в чате.
lockscreen-answered = Вам ответили в чате.
