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
    [grant] Грант бойынша есеп: жоспар және нақты
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
staff-reports-def-urgent = Кемінде бір хабарламасы шұғыл деп танылған өтініштер. Үлесі кезеңдегі барлық өтініштен есептеледі.
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
staff-reports-def-age = Жазушының жасы бойынша өтініштер: бала — 14 жасқа дейін; жасөспірім — 14–17 жас немесе жасын айтпаған кәмелетке толмаған (мысалы, балалар мен жасөспірімдерге арналған жолды таңдаған); ересек — 18 жас және одан үлкен, соның ішінде өз баласы туралы жазатын ата-ана. Жас хабарламалардан («маған 14 жас», «8-сыныпта оқимын») және таңдалған жолдан алынады; «көрсетілмеген» — ештеңе айтылмаған. Нақты жас емес, тек жас тобы сақталады.
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

## Plan against actual (issue 19): targets per indicator and period, set on this page.
staff-reports-plan = Жоспар және нақты
staff-reports-plan-intro = Жоспарды үйлестіруші көрсеткіш пен кезеңге береді. Мұнда кезеңі таңдалған кезеңмен қиылысатын жоспарлар көрсетілген; әрқайсысының нақты мәні жоспардың өз кезеңі бойынша есептеледі.
staff-reports-plan-indicator = Көрсеткіш
staff-reports-plan-period = Жоспар кезеңі
staff-reports-plan-plan = Жоспар
staff-reports-plan-actual = Нақты
staff-reports-plan-covers = { $first } — { $last }
staff-reports-plan-other-period = есеп кезеңімен сәйкес келмейді
staff-reports-plan-none = Бұл кезеңге жоспар берілмеген.
staff-reports-plan-save = Жоспарды сақтау
staff-reports-plan-remove = Жою
staff-reports-plan-change = Жоспарды өзгерту үшін оны сол көрсеткіш пен кезеңге қайта сақтаңыз.
staff-reports-target-bad-indicator = Мұндай көрсеткіш тізімде жоқ.
staff-reports-target-bad-number = Жоспар — бүтін сан: ең азы 0, ең көбі { $most }.
staff-reports-def-plan = Жоспар — үйлестіруші көрсеткішке белгілі бір кезеңге берген сан (грант есебіндегідей: «жоспар: 50 бетпе-бет, 150 онлайн»). Нақты — сол көрсеткіш, есеп кезеңі бойынша емес, жоспар кезеңі бойынша есептеледі; пайыз — нақты мәннің жоспарға бөліндісі (100 % — жоспар орындалды). Кезеңі таңдалған есеп кезеңімен қиылысатын жоспарлар көрсетіледі; жоспар кезеңі басқа болса, бұл жолда айтылады. «0» жоспарының пайызы болмайды.
staff-reports-def-sessions-name = Бетпе-бет және онлайн сессиялар
staff-reports-def-sessions = Адам отбасы қызметінің сессиясына жазылып, оған келген өтініштер (маман солай белгілеген), бетпе-бет және онлайн (бейне немесе телефон) бөлек.
staff-reports-def-questionnaires-name = Кері байланыс сауалнамалары
staff-reports-def-questionnaires = Адам жасырын сауалнаманың кемінде бір сұрағына жауап берген өтініштер («Пікірлер» сияқты).
staff-reports-def-grant-name = Грант бойынша есеп (жүктеп алу)
staff-reports-def-grant = Бағдарламаның қорытынды есебінің парақтары бар XLSX (немесе CSV) кітабы: жоспар және нақты; арна мен тіл бойынша кеңестер; сессиялар; сауалнамалар; рөлі, өңірі және кім жібергені бойынша адамдар; шұғыл өтініштер, қауіп деңгейлері (жоғарыдан төменге қарай) және күту уақыты (медиана, 90-процентиль); зорлық көрсетушілерге арналған бағдарлама. Әр парақта көрсеткіш, жоспар, нақты, пайыз және түсініктеме бар; жоспар жүктеп алу кезеңіне дәл берілген болса ғана толтырылады.
