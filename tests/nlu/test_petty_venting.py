"""Session five (issue 14): a threat vented over a petty cause (socks, a cake, the Wi-Fi, a
deadline) is hyperbole, unless a word of real harm is there; and the rules added after the
misses of corpus 7 (hiding in a wardrobe in silence, revenge now, «если уйдёшь — убью»,
«расскажешь — закопаю», he is coming up the stairs) and of corpus 8. Texts here are not in the
training data."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluPipeline
from nlu.text import canon, normalize
from nlu.urgency import UrgencyRules

PETTY = [
    "я её убью, опять съела мой последний кусок торта 😤",
    "сестрёнку прибью, взяла мои наушники и сломала",
    "ya ego ub'yu, opyat' ne pomyl posudu",
    "қарындасымды өлтіремін, ноутбугымды сындырыпты",
    "internet tagy joq, bireudi oltirem qazir",
    "my sister will kill me, i ate her cake",
    "если до пятницы не сдам отчёт, начальница меня задушит",
]
GRAVE = [
    "я её убью, опять съела мой торт, он кричит и берёт нож",
    "он сказал что убьёт меня из-за разбитой посуды, я боюсь, он пьяный",
    "торт үшін мені өлтіремін деп пышақ алды",
]
NEW_RULES = [
    ("kk_nodiac", "балаларым екеуимиз шифонердамыз, ун шыгармаймыз"),
    ("kk", "қазір өшімді аламын, тосқауыл бола аласыздар ма"),
    ("mixed", "ол маған если уйдёшь — убью деді"),
    ("ru", "отчим сказал: скажешь маме — закопаю"),
    ("ru", "удалите переписку, он уже поднимается"),
    # ...and after corpus 8: kept from help while hurt, «he's back» as the last clause, «nobody
    # will find you», and Kazakh in the 2018 Latin with acute accents.
    ("ru", "сын весь в ожогах, муж не пускает нас в больницу"),
    ("kk", "қызымның қолы сынған сияқты, күйеуім ауруханаға жібермейді"),
    ("translit", "hotela sprosit pro alimenty. a, muzh vernulsya"),
    ("translit", "skazal esli uedu k mame, menya nikto ne naidet"),
    ("kk_latin", "kúıeýim meni úıge qamap ketti, kilt ózinde"),
]


def rules_canon(text: str) -> str:
    return canon(normalize(text))


@pytest.fixture(scope="module")
def rules() -> UrgencyRules:
    return UrgencyRules.load()


@pytest.mark.parametrize("text", PETTY)
def test_a_petty_cause_is_venting(pipe: NluPipeline, rules: UrgencyRules, text: str) -> None:
    assert rules.is_petty(rules_canon(text)), text
    assert not rules.scan(normalize(text)), text
    assert not pipe.parse_sync(text).urgent, text


@pytest.mark.parametrize("text", GRAVE)
def test_real_harm_beats_a_petty_cause(pipe: NluPipeline, rules: UrgencyRules, text: str) -> None:
    assert not rules.is_petty(rules_canon(text)), text
    assert pipe.parse_sync(text).urgent, text


@pytest.mark.parametrize(("slc", "text"), NEW_RULES)
def test_miss_kinds_are_rules(pipe: NluPipeline, rules: UrgencyRules, slc: str, text: str) -> None:
    assert rules.scan(normalize(text)), (slc, text)
    assert pipe.parse_sync(text).urgent, (slc, text)


@pytest.mark.parametrize(
    "text",
    [
        "анам «өлтіремін» деп айта береді, бірақ ешқашан қол көтерген емес",
        "былтыр ол мені буындырған, қазір ажырасқанбыз, тыныш тұрамын",
        "в 2016 он держал меня за горло, сейчас я живу в другом городе, хочу к психологу",
    ],
)
def test_habit_and_the_past_told_calmly(rules: UrgencyRules, text: str) -> None:
    assert not rules.scan(normalize(text)), text


def test_a_knife_taken_in_a_fight_is_a_rule(rules: UrgencyRules) -> None:
    assert rules.scan(normalize("ағам мен әкем төбелесті, әкем пышақ алды, қорқамыз"))


@pytest.mark.parametrize(
    "text",
    [
        "приснилось, что бывший меня душит, проснулась вся мокрая, к чему это",
        "түсімде біреу мені буындырып жатыр екен, шошып ояндым",
        "бұрын «кетсең өлтіремін» дейтін, қазір түрмеде отыр, алимент туралы сұрақ",
        "сериалда қайын ене келінін ұрып жатыр, шынымен солай бола ма",
        # Session six: a question about the film is not «реально» / «шынымен» of danger now,
        # and «ночью» before «приснилось» is when the dream came.
        "в сериале муж бьёт жену по лицу, это реально так бывает у людей?",
        "кинода күйеуі әйелін буындырып жатыр, шынымен осындай жағдай көп пе",
        "сегодня ночью приснилось, что отец меня душит, к чему это",
    ],
)
def test_dreams_prison_and_series_are_calm(rules: UrgencyRules, text: str) -> None:
    assert not rules.scan(normalize(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "ол мені қазір ұрып жатыр, сериал көріп отырғанбыз",
        "он душил меня во сне, я проснулась и не могу дышать",
        "как в фильме ужасов, он реально душит меня, помогите",
        "шынымен айтам, ол пышақпен тұр, кино емес",
    ],
)
def test_beating_me_now_is_a_rule_whatever_the_context(rules: UrgencyRules, text: str) -> None:
    assert rules.scan(normalize(text)), text


# Session six: the calm frames in English match the plain text (the canonical view spells
# English in Cyrillic, so until now no English film, dream or "divorced now" was calm).
@pytest.mark.parametrize(
    "text",
    [
        "had a bad dream that my ex was strangling me, it never happened, just shaken",
        "we watched a movie where he holds a knife to her throat, is this common in kz?",
        "he threatened to kill me if i left, years ago. we're divorced now, question about alimony",
        "my stepfather used to choke my mom, he's been in prison since 2021",
    ],
)
def test_english_films_dreams_and_the_past_are_calm(rules: UrgencyRules, text: str) -> None:
    assert not rules.scan(normalize(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "it's like a horror movie, he has a knife and says he'll kill me",
        "he used to beat me years ago, now he's back and has a knife",
        "my life is a nightmare, he is choking me right now",
    ],
)
def test_english_danger_now_beats_the_frame(rules: UrgencyRules, text: str) -> None:
    assert rules.scan(normalize(text)), text


# Session six, after the development corpus 12 (texts written here, not the corpus's).
@pytest.mark.parametrize(
    ("slc", "text"),
    [
        ("ru", "охрипла со вчера, на шее синие следы от его пальцев, глотать больно"),
        ("ru", "родня мужа в дороге уже, едут сюда, я одна с детьми, страшно"),
        ("ru", "сказал если пойду сегодня на работу руки переломает"),
        ("ru", "тапок уже в руке, дочка всё разлила, помогите сдержаться"),
        ("translit", "otchim zaper sestru v chulane, ne kormit uzhe dva dnya"),
        ("kk", "арыз берсең өлесің деді, ертең сотқа барамын"),
    ],
)
def test_corpus12_miss_kinds_are_rules(rules: UrgencyRules, slc: str, text: str) -> None:
    assert rules.scan(normalize(text)), (slc, text)


@pytest.mark.parametrize(
    "text",
    [
        "вчера он замахнулся ножом, но я уже у сестры в Талдыкоргане, я в безопасности. что дальше",
        "кеше ол мені ұрды, бірақ қазір қауіпсізбін, әпкемнің үйіндемін. арыз қалай жазамын",
        "last week he threatened me with a knife but i'm safe now at my aunt's. how do i report it",
        "10 лет назад отчим запирал меня в кладовке, сейчас я взрослая, хочу к психологу",
    ],
)
def test_safe_now_declared_outweighs_the_past(rules: UrgencyRules, text: str) -> None:
    assert not rules.scan(normalize(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "я в безопасности пока, но он едет сюда с ножом",
        "қазір қауіпсізбін деп ойлап едім, ол есікті ұрып жатыр, көмектесіңдер, пышағы бар",
        "i'm safe now but he found me, he is outside with a knife",
    ],
)
def test_a_danger_coming_outweighs_safe_now(rules: UrgencyRules, text: str) -> None:
    assert rules.scan(normalize(text)), text


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("он сидит уже второй год, дали восемь лет. могу ли я подать на развод без него", True),
        ("ол қазір түрмеде отыр, алимент қалай аламын", True),
        ("my ex lives in another country now, can i still get a protective order", True),
        ("он сидел, но вчера вышел и стоит у подъезда", False),
        ("ол түрмеде отыр еді, кеше босап шықты, іздеп жүр", False),
    ],
)
def test_locked_up_or_far_away_is_safety_until_he_gets_out(
    rules: UrgencyRules, text: str, safe: bool
) -> None:
    n = normalize(text)
    assert rules.is_safe_now(n, canon(n)) is safe, text


def test_a_fear_about_later_damps_the_model_but_keeps_the_rules(rules: UrgencyRules) -> None:
    text = normalize("кетсем өлтіреді дейді. кетпесем де бір күні өлтіреді ғой")
    assert rules.is_damped(canon(text), text)
    assert rules.scan(text)  # the conditional threat is still a rule


@pytest.mark.parametrize(
    ("text", "damped"),
    [
        ("my coworker's husband hits her, how can i help her without making it worse", True),
        ("құрбымның күйеуі ұрады екен, оған қалай көмектесуге болады", True),
        ("рано или поздно он сорвётся, хочу заранее знать куда идти", True),
        ("how can i help her, he is beating her right now next door", False),
        ("как ей помочь, он прямо сейчас её бьёт за стенкой", False),
    ],
)
def test_later_and_helping_frames(rules: UrgencyRules, text: str, damped: bool) -> None:
    n = normalize(text)
    assert rules.is_damped(canon(n), n) is damped, text


# Session six, after corpus 11 (measured blind, then read).
@pytest.mark.parametrize(
    ("slc", "text"),
    [
        ("kk", "кетсем өлтіремін деді, әзілдеп тұрған жоқ, сабыр сақтап айтты"),
        ("kk_nodiac", "бугин кешке келгенде тагы урады, мен билемин, сагат 7де келеди"),
        ("translit", "byvshij snova pod oknami, кричит, deti boyatsya"),
    ],
)
def test_corpus11_miss_kinds_are_rules(rules: UrgencyRules, slc: str, text: str) -> None:
    assert rules.scan(normalize(text)), (slc, text)


def test_not_joking_in_kazakh_is_not_a_joke_marker(rules: UrgencyRules) -> None:
    assert not rules.is_joking(rules_canon("әзілдеп тұрған жоқ, шын айтып тұр"))
    assert rules.is_joking(rules_canon("әзілдеп айттым ғой"))


# Session seven: the kinds of message corpora 13, 14 and 15 missed (measured blind, then read)
# and probes the lead wrote in every slice. Each is a rule now...
SESSION7_RULES = [
    # corpus 13
    "ишип алдым, пышагым бар, барып есеп айырысайын деп отырмын",
    "нож в кармане, поеду к ней разберусь",
    "анам бір уыс таблетка ішіп қойды, оятсам оянбайды",
    "uiqy därisin tügel ishtim",
    "даусым қарлығып қалды кеше мойнымды басқаннан кейін, это нормально?",
    # corpus 14
    "slit my wrists, blood everywhere",
    "sosed bet zhenu seichas, slyshno kak ona krichit",
    "пока он спит после пьянки есть час, потом снова начнётся, как уйти",
    "бывший пишет: выйдешь замуж — не жить тебе",
    "ruka opyat podnimaetsya na syna, emu dva goda",
    "jumysqa shyqsan ayaǵyndy synyramyn deidi",
    "бала тынбай жылайды, не істеп қоярымды білмеймін",
    "күйеуімнің ағалары приехали, мені іздеп жүр",
    # probes
    "please send someone",
    "he's got a gun",
    "he burned me with an iron",
    "пришлите кого нибудь",
    "прижёг меня утюгом",
    "задыхаюсь он сидит на мне",
    "u nego pistolet",
    "біреуді жіберіңізші",
    "utikpen kuidirdi",
    # corpus 15
    "ремнём за шею, горло болит, это только что было",
    "если кому-нибудь расскажу, детей живыми не увижу",
    "napilas tabletok, ves blister",
    "otchim uvez sestrenku neizvestno kuda, telefon vyklyuchen",
    "бермесем өлтіремін дейді, қолында балта",
    "kuieuim balamdy balabaqshadan alyp ketipti, telefony oshuli",
    "swallowed the whole strip of paracetamol",
    "he just walked in, he was supposed to be away till friday",
    "my dad just shoved my mom again and i've got a hammer",
    "stiraite vse on voshel",
    "шешім қабылдадым, соңғы рет жазып отырмын, балконға шықтым",
    "hiding in the car with the kids, he thinks we left, cant make a sound",
    "his cousins are coming to teach me respect",
]
# ...and none of their calm look-alikes is.
SESSION7_CALM = [
    "бес жыл бұрын ол мойнымнан қысатын, қазір жаңа өмір бастадым, қауіпсізмін",
    "2 goda nazad govoril esli uidesh ubyu. zhivu spokoino, on zhenilsya",
    "ұлым ойнап отырып «әке, сені атып тастаймын» дейді",
    "gonna kill it at my interview tomorrow",
    "у меня рука не поднимается его наказать",
    "мне не жить без тебя",
    "мой папа забрал сына на выходные, как договаривались",
    "he came home early today, so we went to the cinema",
    "ate the whole box of chocolates lol",
    "my family is coming to visit, they know where i live",
    "the baby finally sleeps, i can't make a sound lol",
]


@pytest.mark.parametrize(
    ("text", "joking"),
    [
        ("тёща сказала задушит если забуду про её день рождения)))", True),
        ("ағам сені өлтіреді деп айтты, кілем үшін, күлдік", True),
        ("ол мені өлтіремін деді, күлдім бірақ қорқып отырмын", False),
    ],
)
def test_laughing_closes_a_joke_only_at_the_end(
    rules: UrgencyRules, text: str, joking: bool
) -> None:
    assert rules.is_joking(rules_canon(text)) is joking, text


def test_he_is_sitting_is_not_he_is_in_jail(rules: UrgencyRules) -> None:
    # «он сидит» is prison slang; «он сидит в машине у подъезда» is a man waiting outside.
    for text, safe in [("он сидит в машине у подъезда", False), ("он уже сидит", True)]:
        n = normalize(text)
        assert rules.is_declared_safe(n, canon(n)) is safe, text


# Session 8: the kinds corpus 16 missed (the lead's own wordings), and their calm neighbours.
SESSION8_RULES = [
    "сжимаю кулаки, вот-вот сорвусь, жена дома",
    "он бегает по подъезду с арматурой, ищет меня",
    "снотворные таблетки я все выпила",
    "сказал что ты не доживёшь до утра",
    "наши проигрывают 0:2, когда проигрывают он бьёт",
    "бывший стоит у подъезда второй час",
    "егеуқұйрыққа арналған у іштім",
    "уды іштім",
    "кетсең басыңды аламын дейді",
    "оны ұрып тастайтын сияқтымын",
    "бұрынғы күйеуім аулада тұр",
    "балама қатты ұрдым, тағы ұрып қоям ба деп қорқамын",
    "мені ұрлап әкетті, тауда бір үйдемін",
    "took 12 of her valium an hour ago",
    "he wrapped the charger cable around my neck",
    "my ex is outside my building banging on the gate",
    "his uncles are driving here to take me back to the village",
    "divorce me and you'll be in the ground",
    "придёт ночью пьяный, в прошлый раз нос мне сломал",
    "he comes home at nine, last time he broke my wrist",
    "i'm about to shake the baby, she won't stop",
    # corpus 17
    "отец придёт в семь, в прошлый раз бил ремнём до крови",
    "білегімді тіліп алдым, қан тоқтамай жатыр",
    "жертөледе тығылып отырмыз, тек жазыңызшы",
    "кетсең аяғыңды сындырам деді",
    "ағаларым жолда, қайда тығыламын білмеймін",
    "он закрыл её на ключ и забрал телефон",
    "отчим столкнул меня с лестницы",
    "баспалдақтан итеріп жіберді, аяғымды қозғай алмаймын",
    "i cut my wrist deep and it won't stop",
    "i drank a lot of my mother's pills",
    "he held me by the neck against the wall last night",
    "he said wait till i'm back",
    "he pushed me down the stairs",
    # corpus 18
    "грозится облить меня кислотой если уйду",
    "кто-то дёргает ручку двери, это он",
    "накрыл меня подушкой, я чуть не задохнулась",
    "ол он минутта оралады, келген соң телефонымды тексереді, қысқаша айтыңызшы",
    "ол жұмыстан келгенде мен үйде болмауым керек",
    "жастықпен бетімді басып тұрды",
    "мылтығын үстелге қойып отыр",
    "кеше мойнымды қысып, дем ала алмадым",
    "he pressed his forearm against my throat",
    "он стоит в коридоре с ремнём и ждёт",
]

SESSION8_CALM = [
    "ыстықтан тұншығып қалдым, +44",
    "сестра шутит что муж её убьёт за покупки",
    "мен сені өлтіремін, спойлер жасама",
    "бывший муж живёт в другом городе, у него новая семья",
    "брат приедет завтра, в прошлый раз сломал мне ноутбук",
    "last time he broke the record, he comes home with a medal tomorrow",
    "the kids shake the snow globe all day",
    "өткен жылы пышақпен қорқытқан, қазір бәрі жақсы, кодталды",
    "есімнен танып қала жаздадым қуанғаннан 🥳",
    "SOS, нужен рецепт плова на 30 человек 😂",
    "стою в пробке час, сейчас кого-нибудь прибью",
    "i cut my finger chopping onions",
    "is there an SOS button in this bot? I'm okay",
]


SESSION9_RULES = [
    # corpus 19
    "он уже стоит внизу у проходной и звонит, требует чтоб я вышла",
    "сегодня ночью пахнет газом, он открыл газ и ушёл",
    "бүгін кешке оны алып қашпақ, достары келеді",
    "есікті құлыптап, кілтті алып кетті",
    "газдың иісі шығып тұр, балалардың басы ауырады",
    "бұрынғы күйеуім аулаға кіріп кетті, қызымызды сұрап жатыр",
    "бүгін пышағын шығарды, маған сындырам деді",
    "ұрып жіберем бе деп қорқамын, балам жылап тынбайды",
    "енем мен қайынағам қазір келеді, бұрын да келіп ұрған",
    # corpus 20
    "в 9 вечера он вернётся со смены, куда нам бежать с детьми",
    "ұрамын деп қолымды көтердім, тоқтадым, бірақ тағы болады",
    "балконнан лақтырып жіберем бе деген ой келді",
    "агам бүгін кешке қайтады, мені сояды",
    "олар мені күшпен үйге қайтармақ",
    "қайын ағам түнде келеді, бұрын да ұрған",
    "hiding in the wardrobe, he is home, just text me",
    "his cousins want to kidnap me tonight to marry him",
    "әйелімнің бір жерін сындырамын, қазір барамын",
    # corpus 21
    "he comes back from work in an hour, last time he broke my arm",
    "he texted im dead when i come home, where can i stay tonight",
    "he says I won't leave this house alive",
    "досым қолын кесіп отыр, видео жіберді",
    "қайындарым жолда, жазасын береміз дейді",
]

SESSION9_CALM = [
    "алып қашу дәстүрі туралы курсовой жазып жүрмін",
    "что делать если пахнет газом в подъезде?",
    "бұрынғы күйеуім үйге келіп кетті, балаларға сыйлық әкелді, бәрі жақсы",
    "учитель сказал научим уважению к старшим",
    "если муж угрожает убить, это уголовка или административка?",
    "өткен айда ол мені үйге қамап кетті, қазір анамның үйіндемін",
    "подруга написала «он меня прибьёт», оказалось про поцарапанную машину",
    "куда нам идти на выходных, муж вернётся в пятницу",
    "әкем кешке қайтады, бізге сыйлық әкеледі",
    "машинаның бір жерін сындырамын деп қорқам",
    "телефонымды күшпен алып кетпек болды",
    "my kid is in the bathroom, can't talk now, text me later about the booking",
    "he will come home in an hour, last time he brought flowers",
    "this bug won't leave my code alive 😂",
    "наубайшы нанды кесіп отыр",
    "сот оған жазасын береді ме?",
    "в прошлом году отец сломал мне нос, сейчас я в общаге, хочу в суд",
    "әкем мені өлтіреді, айфонды суға түсіріп алдым 😬",
]


# Session 10: corpus 22's miss kinds, in the lead's own words (the corpus itself is gated
# end to end), and calm neighbours that must stay no rule.
SESSION10_RULES = [
    # corpus 32 (session 12)
    "за стенкой сосед бьёт жену, она кричит уже минут десять",
    "last night he squeezed my neck till i passed out, should i see a doctor",
    "his car just pulled up, he wasn't supposed to be back till sunday",
    # corpus 31 (session 12)
    "щас сорвусь на ребенка, он третий час орет, заберите меня отсюда",
    "i'm scared of what i might do to him tonight, please call",
    "түрмеден босапты, бүгін келіп тұр, есікті ашпай отырмын",
    # corpus 30 (session 12)
    "үйдің шатырына шықтым, қазір секіремін, бәрі бітсін",
    "polisiyaga aitsan balalarmen birge otqa jagamyn dedi",
    "қазір оны пышақтап жіберуім мүмкін, біреу келсін",
    # corpus 29 (session 12)
    "петля уже завязана, всем спасибо, прощайте",
    "бывший стоит у подъезда второй час, у меня защитное предписание",
    # corpus 28 (session 12)
    "сказал: только пикни при его матери — убью. они приедут через полчаса",
    "ağalarym meni üige qaitaryp alu üşin jolğa şyğypty, qaida tyğylamyn",
    "в домофон звонит бывший, как он меня нашёл, я три года назад переехала",
    # corpus 27 (session 12)
    "его поезд приходит в семь, успею ли я вывезти детей к маме?",
    "took my brother's pistol, she's with him right now, stop me",
    "інілері Таразтан шығыпты, мені өлтіреміз депті",
    "ағам пышақпен маған ұмтылды, есікті жауып отырмын",
    "ákem qaityp keldi mas, tağy sabaidy bizdi",
    "малыш орёт пятый час, я подушку схватила и сама себя испугалась",
    "қайын енем үйден шығармайды, екі күн тамақ бермейді",
    # corpus 26 (session 12)
    "петлю уже подготовила, пусть дочка поживёт у бабушки",
    "хочу чтобы кто-нибудь знал почему я так решила",
    "he's home early, how do I wipe this chat",
    "please call me before i snap at my toddler, i can't calm down",
    # corpus 25 (session 11)
    "туыстары Алматыдан шықты, мені жазалауға келе жатыр",
    "бүгін кешке келгенде тағы ұрады, білемін",
    "өзімді асып қоямын, басқа жол жоқ",
    "свекровь с деверем написали «мы выехали», в прошлый раз они меня избили",
    # corpus 24 (session 11)
    "вахтадан бүгін кешке келеді, өткен жолы келгенде мен ауруханада жаттым",
    "он возвращается сегодня ночью, в прошлый раз я попала в больницу после его приезда",
    "ол келгенше балаларды алып кетемін, қайда барарымды білмеймін",
    "түн ортасында келеді, бүгін қорқамын, есікті ашпаймын",
    "jumysqa barsań qolyńdy qiramyn dedi",
    # corpus 23
    "балконға шықтым, қазір секіремін",
    "оған бір нәрсе істеп қоямын, ашуым басылмай тұр",
    "братья мужа выехали, едут разбираться со мной, я одна",
    "какой-то мужик силой затащил сестрёнку в машину, она успела написать",
    "nasilno posadili ee v mashinu i uvezli",
    "отчим обещал избить меня когда придёт с работы, мне страшно",
    "he threatened to beat me when he gets home tonight",
    "щас все таблетки выпью, не могу больше, он опять бьёт",
    "у соседей слышу как он её бьёт, она кричит",
    "i can hear my neighbour beating his wife through the wall",
    "таблетка іштім, бәрібір енді, кешіріңдер",
    "бұрынғы күйеуім подъезде тұр, шыға алмай отырмын",
    "ол келгенше екі сағат уақытым бар, балаларды алып кетуім керек, қайда барам",
    "оны аңдып жүрмін, көшеде көрсем ұстаймын",
    "кешке келеді, бәрін біледі, ұрады анық",
    "күйеуім жұмыстан келген соң сөйлесеміз деді, кеше ұрған, қорқып отырмын",
]

SESSION10_CALM = [
    # corpus 32 (session 12)
    "my neck hurts, i fainted at the gym yesterday from the heat",
    "the gate just opened, it's the delivery, they were supposed to come tomorrow",
    # corpus 31 (session 12)
    "вчера я сорвалась на сына, сейчас стыдно, как извиниться",
    "ағам түрмеден былтыр шыққан, қазір жұмыс істейді, бәрі жақсы",
    # corpus 30 (session 12)
    "батутқа шықтым, секіремін 😂",
    "ашуланғанда ұрып қоюым мүмкін бе деп қорқамын, курс бар ма",
    # corpus 29 (session 12)
    "если наши проиграют финал, өзімді асам 😂😂",
    "суық тиіп қалдым, тамағым ауырады, жұтынсам ауырады, дауысым қарлығып қалды",
    # corpus 28 (session 12)
    "откроешь рот на собрании — пожалеешь, сказал начальник",
    "в домофон звонит курьер, как он нашёл мой адрес без номера квартиры",
    # corpus 27 (session 12)
    "муж приезжает в шесть, успею ли я забрать сына из садика",
    "got my dad's rifle for the hunting trip, i don't want to do this, i hate hunting",
    "в фильме героиня взяла подушку в руки и испугалась сама себя",
    "бала кезімде әкем балтамен ұмтылатын, қазір ол қартайды, мен қауіпсізмін",
    # corpus 26 (session 12)
    "верёвку для белья натянула на балконе, теперь сохнет",
    "набираю петли на спицах, хочу связать дочке шапку",
    "i lost it with my kid yesterday and i feel awful, how do i apologise",
    "he's back from his trip next week, how do I clear my browser history before then",
    # corpus 25 (session 11)
    "түсімде біреу пышақпен қуып келе жатыр еді, оянсам бәрі жақсы",
    "ұбт мені өлтіреді ғой, бір ай қалды 😭",
    "ангина, тамағым ауырады, дауысым қарлығып қалды",
    "бес жыл бұрын күйеуім тұншықтыра жаздады, қазір ол өзгерді, сотқа дәлел бола ма",
    # corpus 24 (session 11)
    "менің інім ұрыс-керіссіз тұра алмайды, бірақ ешкімге тиіспейді",
    "раньше дед бабушку гонял с топором, сейчас он умер, а мне снится",
    "last autumn my friend said her husband hit her, is it too late to help her?",
    "қайтыс болған анамның күнделігінде әкем оны ұрғаны жазылған",
    # corpus 23
    "балам екеуміз күресіп жатып ол мойнымнан қысып алды ойнап, қазір күліп отырмыз",
    "он сказал что задушит меня в обнимашках, так соскучился",
    "бала кезімде ағам басымды суға батырып ойнайтын, қазір ойласам қорқынышты",
    "в кино его силой посадили в машину? там конец непонятный",
    "какая статья за то что силой посадил в машину? для курсовой",
    "басым ауырып дәрі іштім, қазір жақсымын",
    "просто интересно, а если мужа заперли дома, это статья?",
    "ашуланып өлтіремін деп айқайлап жібердім балама, енді уялып жүрмін",
    "голова болит, сейчас таблетки выпью от головы и спать",
    "слышно как соседи ремонт делают, долбят стену",
    "when my stepdad drank he yelled he would kill us, he is sober two years now",
]


@pytest.mark.parametrize(
    "text", [*SESSION7_RULES, *SESSION8_RULES, *SESSION9_RULES, *SESSION10_RULES]
)
def test_the_read_corpora_miss_kinds_are_rules(rules: UrgencyRules, text: str) -> None:
    assert rules.scan(normalize(text)), text


@pytest.mark.parametrize("text", [*SESSION7_CALM, *SESSION8_CALM, *SESSION9_CALM, *SESSION10_CALM])
def test_their_calm_neighbours_are_not_rules(rules: UrgencyRules, text: str) -> None:
    assert not rules.scan(normalize(text)), text


# Session 11: danger told beside a calm frame, in the lead's own words. Each of these was
# missed by a calm frame drafted in the session (a cold, a year or «ай бұрын» in the past,
# "just a question", "hypothetically"), and the frames were narrowed or dropped.
BESIDE_A_CALM_FRAME = [
    "just a question, he choked me yesterday until I blacked out, should I go to hospital?",
    "hypothetically, if he has a gun in the house and threatens me every night?",
    "у меня простуда, а вчера муж душил меня, голос хриплый",
    "с 2019 году он бьёт меня, вчера душил до потери сознания",
    "бір ай бұрын ажырастық, кеше ол келіп мойнымнан қысып тұншықтырды",
    "бір ай бұрын ол мені ұрды, бүгін пышақ алып қорқытты",
]


@pytest.fixture(scope="module")
def pipeline() -> NluPipeline:
    return NluPipeline().load()


@pytest.mark.parametrize("text", BESIDE_A_CALM_FRAME)
def test_a_calm_frame_never_hides_danger_told_beside_it(pipeline: NluPipeline, text: str) -> None:
    assert pipeline.parse_sync(text, second_opinion=True).urgent, text
