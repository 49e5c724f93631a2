# Controls present on every menu, and messages of the engine itself.
control-urgent = 🆘 Срочно
control-exit = ✖ Быстрый выход
control-menu = ☰ Меню
common-choose = Выберите:
common-stale = Эта кнопка уже не действует. Вот где мы сейчас:
common-text-only = Я понимаю только текст. Напишите, пожалуйста, словами или выберите кнопку.
