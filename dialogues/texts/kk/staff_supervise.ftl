### Kazakh terms for staff texts (the full glossary, with words to avoid: docs/staff.md).
### обращение өтініш · консультант кеңесші · координатор үйлестіруші · взять / вести
### өтінішті алу / жүргізу · срочно шұғыл · итог нәтиже · состояние күйі · смена ауысым.
### A placeable takes no case ending: write «Жазу уақыты: { $when }».

# The supervisor page for coordinators (staffweb/supervise.py, issue 15): who is on shift, the
# consultants' load, unclaimed urgent cases, moving a case, the closed cases.

staff-nav-supervise = Ауысым
staff-sv-title = Ауысым және жүктеме
staff-sv-intro = Ауысымда кім бар, әр кеңесшіде қанша өтініш бар; ешкім алмаған шұғыл өтініштер ең жоғарыда тұрады. Бет өздігінен жаңарады.

## Unclaimed urgent cases
staff-sv-urgent = Ешкім алмаған шұғыл өтініштер
staff-sv-no-urgent = Кезекте шұғыл өтініш жоқ.
staff-sv-others-queued = Кезекте тағы бар (шұғыл емес): { $count }
staff-sv-escalations = еске салулар: { $count }

## Who is on shift
staff-sv-shift = Ауысымда кім бар
staff-sv-shift-means = Соңғы 15 минутта қызметкерлер сайтына кірген немесе өтінішпен жұмыс істеген (Telegram арқылы да) кеңесші ауысымда деп саналады.
staff-sv-presence = Байланыста
staff-sv-claimed = Алынған
staff-sv-active = Әңгімеде
staff-sv-oldest = Жауапты ең ұзақ күтіп отыр
staff-sv-nobody = Қазір ауысымда ешкім жоқ.
staff-sv-off-shift = ауысымда емес
staff-sv-seen = соңғы рет: { $minutes } мин бұрын

## Cases in progress, and moving one
staff-sv-live = Жүргізіліп жатқан өтініштер
staff-sv-move-hint = Өтінішті қазір ауысымдағы кеңесшіге беруге немесе кезекке қайтаруға болады. Адамға ештеңе жіберілмейді; Telegram тақырыбында беру туралы жол пайда болады.
staff-sv-move-to = Кімге беру
staff-sv-no-live = Қазір ешкім өтініш жүргізіп отырған жоқ.
staff-sv-to-queue = ↩ кезекке қайтару
staff-sv-choose = таңдаңыз…
staff-sv-move = Беру
staff-sv-moved = Өтініш берілді: { $number }.

## Closed cases
staff-sv-closed = Жабылған өтініштер
staff-sv-number = Нөмірі
staff-sv-from = Қай күннен
staff-sv-to = Қай күнге дейін
staff-sv-outcome = Нәтиже
staff-sv-any-outcome = кез келген
staff-sv-find = Іздеу
staff-sv-found = Табылғаны: { $count }
staff-sv-closed-at = Жабылған уақыты
staff-sv-none-found = Ештеңе табылмады.
staff-sv-prev = Алдыңғы
staff-sv-next = Келесі
staff-sv-page = Бет: { $page } / { $pages }
