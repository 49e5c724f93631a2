### Kazakh terms for staff texts (the full glossary, with words to avoid: docs/staff.md).
### обращение өтініш · консультант кеңесші · специалист маман · координатор үйлестіруші ·
### сотрудник қызметкер · запись жазылу · встреча кездесу (reports keep «сессия», as the
### exports do) · очно бетпе-бет · отменить болдырмау · взять / вести өтінішті алу / жүргізу ·
### срочно шұғыл · оценка опасности қауіп деңгейін бағалау · применяющий насилие зорлық
### көрсетуші · переписка хат алмасу · журнал доступа қол жеткізу журналы · снять блокировку
### бұғаттан шығару · расписание жұмыс кестесі · итог нәтиже · состояние, статус күйі ·
### смена ауысым. A placeable takes no case ending: write «Жазу уақыты: { $when }».

# The reports page (staffweb/reports.py); the exports themselves carry their own ru/kk column
# names (reports/tables.py) and are chosen by language on the page.

staff-reports-intro = Күндер Алматы уақытымен (UTC+5) есептеледі. Әр көрсеткіштің нені білдіретіні — беттің төменгі жағындағы «Көрсеткіштердің анықтамалары» бөлімінде.
staff-reports-exports = Жүктеп алу
staff-reports-export-lang = { $lang ->
    [kk] қазақша
   *[ru] орысша
}
staff-reports-export-kind = { $kind ->
    [registry] Өтініштер тізілімі
   *[summary] Айлық жиынтық
}
staff-reports-totals = Кезең қорытындысы: { $first } — { $last }
staff-reports-table = Кесте
staff-reports-no-data = дерек жоқ
staff-reports-bad-export = Жүктеп алудың түрі, форматы немесе тілі қате.
staff-reports-last-30 = Соңғы 30 күн
staff-reports-this-month = Осы ай
staff-reports-last-month = Өткен ай
staff-reports-this-year = Жыл басынан бері

## The figures at the top
staff-reports-card-contacts = Өтініштер
staff-reports-card-contacts-detail = онлайн, мессенджерлерде
staff-reports-card-urgent = Шұғыл
staff-reports-card-handed-off = Кеңесшіге берілді
staff-reports-card-consultations = 150 желісінің кеңестері
staff-reports-card-consultations-detail = кеңесші қабылдады
staff-reports-card-unclaimed = Уақытында қабылданбады
staff-reports-card-wait = Күту, медиана
staff-reports-card-wait-detail = 90-процентиль: { $p90 }
staff-reports-card-booked = Сессияға жазылулар
staff-reports-card-booked-detail = бетпе-бет { $office }, онлайн { $online }
staff-reports-card-attended = Сессияға келгендер
staff-reports-card-attended-detail = белгілі нәтижелердің ішінен: { $rate }
staff-reports-card-in-person = Бетпе-бет байланыстар
staff-reports-card-in-person-detail = бетпе-бет сессияға келді
staff-reports-card-feedback = Пікірлер

## The charts
staff-reports-daily = Өтініштер, күндер бойынша
staff-reports-weekly = Апталар бойынша: барлығы және шұғылы
staff-reports-weekly-note = Бірінші және соңғы апталар толық болмауы мүмкін.
staff-reports-all = барлығы
staff-reports-urgent = шұғыл
staff-reports-week-of = апта, басталуы: { $day }
staff-reports-since = басталуы: { $day }
staff-reports-role = Кім жүгінеді
staff-reports-age = Жазушының жасы
staff-reports-age-note = Нақты жас емес, жас тобы: адамның жазғаны немесе ол таңдаған жол бойынша.
staff-reports-lang = Тілі
staff-reports-channel = Арна
staff-reports-region = Өңір
staff-reports-topic = Өтініш тақырыптары
staff-reports-topic-note = Бір өтініш бірнеше тақырыпқа қатысты болуы мүмкін.
staff-reports-danger = Қауіп деңгейін бағалау
staff-reports-not-screened = жүргізілмеді
staff-reports-wait = Кеңесшіні күту
staff-reports-wait-band = { $band ->
    [le1m] 1 минутқа дейін
    [le5m] 1–5 мин
    [le15m] 5–15 мин
    [le60m] 15–60 мин
   *[gt60m] бір сағаттан артық
}
staff-reports-unclaimed-band = уақытында қабылданбады
staff-reports-wait-note = Медиана { $median }, 90-процентиль { $p90 }.
staff-reports-outcome = Кеңесшіге беру нәтижелері
staff-reports-booking = Жазылу және келу
staff-reports-booked-office = бетпе-бет жазылулар
staff-reports-booked-online = онлайн жазылулар
staff-reports-came = келгендер
staff-reports-missed = келмегендер
staff-reports-unknown-yet = әзірге белгісіз
staff-reports-feedback-on = Пікірлер: { $question }

## What each figure means (shown on the page, in <details>; docs/reports.md says the same)
staff-reports-definitions = Көрсеткіштердің анықтамалары
staff-reports-definitions-intro = Өтініш — бір адамның ботпен бір сөйлесуі: алғашқы хабарламадан бастап 12 сағаттық үзіліске дейін. Адам келесі күні қайта жазса, бұл — жаңа өтініш. Өтініш алғашқы хабарламасы түскен күнге жатады.
staff-reports-def-contacts = Таңдалған кезеңде Telegram мен WhatsApp-та басталған өтініштер. Консольдегі сынақ сөйлесулері есептелмейді.
staff-reports-def-in-person = Адам бетпе-бет сессияға жазылып, оған келген өтініштер (маман солай белгілеген).
staff-reports-def-urgent = Кемінде бір хабарламасы шұғыл деп танылған немесе адам шұғыл көмек батырмасын (🆘) басқан өтініштер. Үлесі кезеңдегі барлық өтініштен есептеледі.
staff-reports-def-danger = Адам қауіп деңгейін бағалаудан өткен өтініштер, нәтижесі бойынша (аталған ең жоғары деңгей алынады).
staff-reports-def-handed-off = Адам 150 желісінің кеңесшісімен сөйлесуді сұраған өтініштер.
staff-reports-def-consultations = Кеңесші алған өтініштер: адаммен сөйлесу болды.
staff-reports-def-unclaimed = Кеңесшіге жіберілген, бірақ уақытында ешкім алмаған сұраулар. Олар күту уақытына кірмейді.
staff-reports-def-wait = Кезеңде кеңесші алған сұраулар бойынша: сұрау түскеннен кеңесші өтінішті алғанға дейінгі уақыт. Медиана — ортаңғы мән: сұраулардың жартысы одан аз, жартысы одан көп күтті. 90-процентиль: сұраулардың 90 пайызы осы уақыттан артық күтпеді.
staff-reports-def-outcome = Кеңесшіге берілген өтініштер, кеңесші жабу кезінде көрсеткен нәтиже бойынша.
staff-reports-def-booked = Адам отбасы қызметіне сессияға жазылған өтініштер, бетпе-бет және онлайн бөлек көрсетіледі.
staff-reports-def-attended = Маман «келді» немесе «келмеді» деп белгілеген жазылулар. Келгендердің үлесі нәтижесі белгілі жазылулардан ғана есептеледі: алдағы сессиялар есепке кірмейді.
staff-reports-def-feedback = Адам анонимді сауалнаманың кемінде бір сұрағына жауап берген өтініштер. Диаграммалар әр сұраққа берілген жауаптарды санайды.
staff-reports-def-profile-name = Кім жүгінеді, тілі, арнасы, өңірі
staff-reports-def-profile = Сөйлесу туралы белгілі мәлімет бойынша өтініштер; «көрсетілмеген» — адам бұл туралы айтпаған.
staff-reports-def-topics = Әр тақырып кездескен өтініштер. Бір өтініште бірнеше тақырып болуы мүмкін, сондықтан қосындысы өтініштер санынан көп шығады.
staff-reports-def-age = Жазушының жасы бойынша өтініштер: бала — 14 жасқа дейін; жасөспірім — 14–17 жас немесе жасын айтпаған кәмелетке толмаған (мысалы, балалар мен жасөспірімдерге арналған жолды таңдаған); ересек — 18 жас және одан үлкен, соның ішінде өз баласы туралы жазатын ата-ана. Жас хабарламалардан («маған 14 жас», «8-сыныпта оқимын»), таңдалған жолдан және сауалнамадан кейінгі міндетті емес сұраққа берген жауаптан алынады; «көрсетілмеген» — ештеңе айтылмаған. Нақты жас емес, тек жас тобы сақталады.
staff-reports-def-period-name = Кезең және апталар
staff-reports-def-period = Есеп Алматы уақытымен тұтас күндерді қамтиды: бірінші күннен соңғы күнге дейін, екеуін қоса алғанда; кезең үш жылдан аспайды. Апталар дүйсенбіден басталады, сондықтан бірінші және соңғы апта толық болмауы мүмкін. Айлар бойынша жиынтық кезеңді күнтізбелік айларға бөледі.

## Why a period cannot be reported
staff-period-reversed = Кезеңнің басталу күні аяқталу күнінен кейін тұр.
staff-period-too-long = Кезең { $days } күннен ұзақ; қысқарақ кезең таңдаңыз.
staff-period-bad-date = Кезеңнің { $which ->
    [first] басталу
   *[last] аяқталу
} күні қате: ЖЖЖЖ-АА-КК түріндегі күн керек.
staff-period-out-of-range = Кезеңнің { $which ->
    [first] басталу
   *[last] аяқталу
} күні қате.

## The aggressor programme (issue 16): its section of the page and its definition
staff-reports-programme = Агрессорларға арналған бағдарлама
staff-reports-programme-referral = Бағдарламаға кім жіберді
staff-reports-programme-referral-note = Кезеңде бағдарламаға алғаш рет жазылғандар: { $people } адам. Үлестер кім жібергенін айтқандар ішінен есептеледі.
staff-reports-referral-not-asked = сұралмады немесе жауап бермеді
staff-reports-programme-people = барлығы, адам
staff-reports-programme-course = Бағдарлама курсы
staff-reports-programme-enrolled = курсқа қабылданды
staff-reports-programme-active = қазір курстан өтіп жатыр
staff-reports-programme-attended = кездесуге келді
staff-reports-programme-missed = кездесуге келмеді
staff-reports-programme-completed = курсты аяқтады
staff-reports-programme-dropped = шығып қалды
staff-reports-programme-active-note = «Қазір курстан өтіп жатыр» — есеп ашылған сәттегі сан, таңдалған кезеңге қарамайды.
staff-reports-programme-outcome = Жабылған курстардың нәтижелері
staff-reports-def-programme = Кім жіберді: таңдалған кезеңде бағдарлама кездесуіне алғаш рет жазылған адамдар (әр адам бір рет саналады), сол алғашқы жазылуда чатта кім жібергені туралы берген жауабы бойынша. Үлестер кім жібергенін айтқандар ішінен есептеледі; «сұралмады немесе жауап бермеді» бөлек көрсетіледі. Курсқа қабылданды — кезеңде басталған курстар. Кездесулер — кезең күндеріне белгіленген курс кездесулері, маман «келді» немесе «келмеді» деп белгілегендері. Аяқтады, шығып қалды және нәтижелер — кезеңде жабылған курстар, жабу кезінде көрсетілген нәтиже бойынша: «аяқтады» — «аяқтады» және «аяқтады, өзгеріс байқалды» нәтижелері. «Қазір курстан өтіп жатыр» — есеп ашылған сәттегі сан. Адамның өтініші бойынша өшірілген деректер саналмайды.

## Who the contacts are (issue 19): its section of the page and its definitions
staff-reports-who = Кім хабарласады: адамдар, зорлық түрлері, жынысы
staff-reports-distinct = Әр түрлі адамдар, ай бойынша
staff-reports-distinct-note = { $unit ->
    [year] Күнтізбелік жыл ішінде: { $people } адам, әрқайсысы бір рет.
    [quarter] Күнтізбелік тоқсан ішінде: { $people } адам, әрқайсысы бір рет.
   *[months] Айлар бойынша қосынды: { $people } адам. Екі айда жазған адам екі рет саналады.
}
staff-reports-distinct-total = { $unit ->
    [year] жыл бойы барлығы
    [quarter] тоқсан бойы барлығы
   *[months] айлар бойынша қосынды
}
staff-reports-violence = Білгісі келген зорлық түрлері
staff-reports-violence-note = Бір өтініште бірнеше түрі болуы мүмкін, сондықтан қосынды өтініштер санынан көп.
staff-reports-sex = Жынысы (адам қаласа)
staff-reports-demographics = Өзі туралы сұрақ: жауаптар мен бас тартулар
staff-reports-demographics-answered = жауап берді
staff-reports-demographics-declined = бас тартты («Жауап бергім келмейді»)
staff-reports-demographics-left = жауап бермеді (кетіп қалды)
staff-reports-demographics-rate = бас тартқандар үлесі
staff-reports-demographics-note = { $asked } өтініште сұралды; бас тартқандар: { $rate }.
staff-reports-registry-referral = Кім жіберді (өтініштер бойынша)
staff-reports-def-distinct = Адам туралы ештеңе сақтамай, әр түрлі адамдар: өтініштің алғашқы хабарында тек адамның бұрын жазған-жазбағаны және қашан жазғаны белгіленеді (өткен жылы, тоқсанда, айда). Күнтізбелік ай ішінде — осы айда айдың алғашқы өтініші басталған адамдар. Дәл бір күнтізбелік тоқсан немесе жыл үшін — әр адам тоқсанда немесе жылда бір рет. Басқа кез келген кезеңде — кезеңнің күнтізбелік айлары бойынша қосынды: екі айда жазған адам екі рет саналады; толық емес айда — айдың алғашқы өтініші кезең күндеріне түскендер. Деректері өшірілген адам (өз өтініші бойынша /forget немесе сақтау мерзімі өткен соң) қайта жазса, жаңа адам болып саналады. Алдыңғы хабардың уақыты бір сағат дәлдікпен белгілі. Консольдегі сынақ әңгімелері саналмайды.
staff-reports-def-violence = «Маған көмек керек» жолында адам зорлық түрінің сипаттамасын ашқан өтініштер (физикалық, психологиялық, экономикалық, жыныстық, бақылау және оқшаулау). Бір өтініште бірнеше түрі болуы мүмкін. Бұл бөлімді ашпаған өтініштер көрсетілмейді.
staff-reports-def-sex = Анонимді сауалнамадан кейінгі міндетті емес сұраққа адам өзі жауап берген өтініштер: әйел, ер адам немесе «жауап бергім келмейді». Бұл сұрақ шұғыл әңгімеде ешқашан қойылмайды (шұғыл хабар, жоғары қауіп, кеңесшіні шұғыл шақыру). Осы сұрақтағы жас «Жазушының жасы» бөліміне кіреді.
staff-reports-def-demographics = Өзі туралы сұрақ қойылған өтініштер, жауабы бойынша: жауап берді (жынысы немесе жасы), бас тартты (бірінші сұраққа «Жауап бергім келмейді»), жауап бермеді (ештеңе таңдамай кетіп қалды). Бас тартқандар үлесі — сұрақ қойылғандардың ішінен бас тартқандар.
staff-reports-def-registry-referral = Адам чатта өзін отбасы қызметіне кім жібергенін айтқан (немесе қызметкер көрсеткен) өтініштер, дереккөзі бойынша. Адамдар емес, әңгімелер саналады; бағдарламаға алғаш жазылған адамдар саны — бағдарлама бөлімінде. «Көрсетілмеген» — сұралмады немесе адам өткізіп жіберді.
