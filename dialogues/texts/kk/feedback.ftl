# Кеңестен немесе кездесуден кейінгі анонимді сауалнама (тек батырмалар).
feedback-intro = Хабарласқаныңызға рахмет. Үш қысқа сұрақ — анонимді, өткізіп жіберуге болады.
feedback-q-helpful = Әңгіме сізге қаншалықты көмектесті? 1 — мүлдем көмектеспеді, 5 — өте көмектесті.
feedback-score-1 = 1
feedback-score-2 = 2
feedback-score-3 = 3
feedback-score-4 = 4
feedback-score-5 = 5
feedback-skip = Өткізіп жіберу
feedback-q-next-steps = Енді әрі қарай не істеу керегін жақсырақ білесіз бе?
feedback-yes = Иә
feedback-partly = Ішінара
feedback-no = Жоқ
feedback-unsure = Білмеймін
feedback-q-again = Қажет болса, осында қайта жазасыз ба?
feedback-thanks = Рахмет! Бұл жұмысымызды жақсартуға көмектеседі. Қажет болса — біз осындамыз, ал 150 желісі тәулік бойы жұмыс істейді.
# One gentle question about the person after the questionnaire (flows/about.py): for the report only, anonymous.
about-intro = Соңғысы, тек қаласаңыз: өзіңіз туралы екі сұрақ — жұмысымыз туралы есеп үшін. Бұл анонимді, жауап бермеуге де болады.
about-q-sex = Сіз әйелсіз бе, әлде ер адамсыз ба?
about-female = Әйелмін
about-male = Ер адаммын
about-decline = Жауап бергім келмейді
about-q-age = Жасыңыз нешеде?
about-age-child = 14-ке дейін
about-age-young = 14–17
about-age-adult = 18 және одан үлкен
about-thanks = Рахмет. Өзіңізді күтіңіз.
