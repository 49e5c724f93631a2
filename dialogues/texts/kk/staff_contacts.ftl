## The coordinators' page of the directory of help contacts (staffweb/contacts.py, issue 18)
## Terms (docs/staff.md): өңір (регион), үйлестіруші, қызметкер, тексеру (проверка).

staff-nav-contacts = Байланыстар анықтамалығы
staff-contacts-title = Байланыстар анықтамалығы
staff-contacts-intro = Бот нөмірді сіз тексергеннен кейін ғана көрсетеді — қоңырау шалып немесе ресми сайттан тауып. Әр жазбаны мерзімі келгенде қайта тексеру керек (әдетте жарты жылдан кейін). Тексеру мерзімі { $grace } күннен артық өтіп кеткен өңірлік жазба адамдарға көрсетілмейді; ұлттық желілер өздігінен жасырылмайды, бірақ олар да тексеру тізіміне шығады.
staff-contacts-reminders = Тексеру уақыты келді
staff-contacts-reminders-none = Қазір тексеру уақыты келген жазба жоқ.
staff-contacts-search = Іздеу
staff-contacts-any = барлығы
staff-contacts-due-only = тек тексеру уақыты келгендері
staff-contacts-filter = Көрсету
staff-contacts-none = Ештеңе табылмады.
staff-contact-national = Бүкіл Қазақстан (ұлттық желілер)
staff-contact-add = Жазба қосу
staff-contact-kind = { $kind ->
    [emergency] жедел қызмет
    [hotline] сенім телефоны
    [police] полиция
    [juvenile_police] кәмелетке толмағандар ісі жөніндегі инспекторлар
    [crisis_centre] дағдарыс орталығы
    [shelter] баспана
    [ngo] қоғамдық ұйым
    [legal_aid] заң көмегі
   *[other] { $kind }
}
staff-contact-standing = { $code ->
    [current] тексерілген, келесі тексеру: { $since }
    [due] тексеру уақыты келді, мерзімі: { $since }
    [overdue] тексеру мерзімі өтті: { $since }; әзірге көрсетіледі
    [hidden] жасырылған, күні: { $since }; тексеру мерзімі өтіп кетті
    [unverified] тексерілмеген, адамдарға көрсетілмейді
    [no_phone] телефоны жоқ, адамдарға көрсетілмейді
    [retired] анықтамалықтан алынған, күні: { $since }
   *[other] { $code }
}
staff-contact-yes-no = { $value ->
    [yes] иә
    [no] жоқ
   *[unknown] белгісіз
}
staff-contact-how = { $how ->
    [phoned] қоңырау шалынды
    [official_site] ресми сайт
   *[unknown] көрсетілмеген
}
staff-contact-no-address = Анықтамалықта мекенжай жоқ және болмауы керек: баспананың мекенжайы — құпия, бот тек нөмірлерді береді. Ешбір өріске көше мен үй нөмірін жазбаңыз.
staff-contact-field-id = Жазба коды (латын әріптері, сандар, _)
staff-contact-field-region = Өңір
staff-contact-field-kind = Түрі
staff-contact-field-name-ru = Орысша атауы
staff-contact-field-name-kk = Қазақша атауы
staff-contact-field-phones = Телефондар (үтір арқылы)
staff-contact-field-whatsapp = WhatsApp
staff-contact-field-website = Сайт
staff-contact-field-hours-ru = Жұмыс уақыты, орысша
staff-contact-field-hours-kk = Жұмыс уақыты, қазақша
staff-contact-field-free = Тегін
staff-contact-field-shelter = Тұратын орын береді
staff-contact-field-languages = Тілдер
staff-contact-field-line-ru = Желінің сипаттамасы, орысша (тек ұлттық)
staff-contact-field-line-kk = Желінің сипаттамасы, қазақша (тек ұлттық)
staff-contact-field-source = Мәлімет көзі
staff-contact-field-notes = Қызметкерлерге арналған ескертпе
staff-contact-field-how = Қалай тексерілді
staff-contact-field-verified-source = Кім жауап берді немесе беттің мекенжайы
staff-contact-field-due = Келесі тексеру
staff-contact-verification = Тексеру
staff-contact-verified-line = Тексерген: { $who }, күні: { $when } ({ $how }). Келесі тексеру: { $due }.
staff-contact-never-verified = Әлі тексерілмеген: адамдарға көрсетілмейді.
staff-contact-verify = Тексерілді деп белгілеу
staff-contact-retire = Анықтамалықтан алып тастау
staff-contact-retire-hint = Жазба журналда қалады, бірақ адамдарға енді көрсетілмейді.
staff-contact-done-added = Жазба қосылды. Ол тексерілгенше адамдарға көрсетілмейді.
staff-contact-done-saved = Сақталды.
staff-contact-done-verified = Тексерілді деп белгіленді.
staff-contact-done-retired = Жазба анықтамалықтан алынды.
staff-contact-error-missing = Мына өрісті толтырыңыз: { $field }.
staff-contact-error-long = Өрістегі мәтін тым ұзын: { $field } (ең көбі { $limit } таңба).
staff-contact-error-id = Жазба коды: 2-ден 64-ке дейін латын әрпі, сан және «_».
staff-contact-error-taken = Мұндай кодпен жазба бұрыннан бар.
staff-contact-error-region = Тізімнен өңірді таңдаңыз.
staff-contact-error-kind = Тізімнен түрін таңдаңыз.
staff-contact-error-phone = Телефон нөмірін терілетін күйінде цифрмен жазыңыз: «150», «+77212123456»; бірнеше болса — үтір арқылы.
staff-contact-error-whatsapp = WhatsApp нөмірін цифрмен жазыңыз: «+77081060810».
staff-contact-error-website = Сайттың мекенжайы https:// деп басталуы керек.
staff-contact-error-tristate = «Иә», «жоқ» немесе «белгісіз» деп таңдаңыз.
staff-contact-error-languages = Тілдер: қазақша және (немесе) орысша.
staff-contact-error-line = Желінің сипаттамасы тек ұлттық желілерге жазылады.
staff-contact-error-address = Мекенжайға ұқсайды (өріс: { $field }). Анықтамалықта мекенжай болмауы керек.
staff-contact-error-how = Қалай тексергеніңізді көрсетіңіз: қоңырау шалдыңыз ба, әлде ресми сайттан таптыңыз ба.
staff-contact-error-due = Келесі тексеру күні алдағы күн болуы керек.
staff-contact-error-retired = Жазба анықтамалықтан алынған; оны тексерілді деп белгілеуге болмайды.
staff-contact-error-no-phone = Телефоны жоқ жазбаны тексерілді деп белгілеуге болмайды.
