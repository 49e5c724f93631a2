# The anonymous questionnaire after a consultation or a session (buttons only).
feedback-intro = Спасибо, что обратились. Три коротких вопроса — анонимно, можно пропустить.
feedback-q-helpful = Насколько вам помог разговор? 1 — совсем не помог, 5 — очень помог.
feedback-score-1 = 1
feedback-score-2 = 2
feedback-score-3 = 3
feedback-score-4 = 4
feedback-score-5 = 5
feedback-skip = Пропустить
feedback-q-next-steps = Вы теперь лучше знаете, что делать дальше?
feedback-yes = Да
feedback-partly = Отчасти
feedback-no = Нет
feedback-unsure = Не знаю
feedback-q-again = Если понадобится, вы напишете сюда снова?
feedback-thanks = Спасибо! Это помогает нам работать лучше. Если понадобится — мы здесь, а линия 150 работает круглосуточно.
# One gentle question about the person after the questionnaire (flows/about.py): for the report only, anonymous.
about-intro = И последнее, только если захотите: два вопроса о вас — для отчёта о нашей работе. Это анонимно, можно не отвечать.
about-q-sex = Вы женщина или мужчина?
about-female = Женщина
about-male = Мужчина
about-decline = Не хочу отвечать
about-q-age = Сколько вам лет?
about-age-child = До 14
about-age-young = 14–17
about-age-adult = 18 и старше
about-thanks = Спасибо. Берегите себя.
