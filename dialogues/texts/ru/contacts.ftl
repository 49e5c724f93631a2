# Contacts by region and shelter requests. The numbers come from the directory data
# (dialogues/data/contacts.yaml); these texts only frame them.
contacts-national-intro = Номера, которые работают по всему Казахстану, круглосуточно:
contacts-where = Показать, куда обратиться в вашем регионе? Можно просто написать свой город.
contacts-in-my-region = 📍 Помощь в моём регионе
contacts-need-shelter = 🏠 Нужно безопасное место
contacts-ask-region = Выберите область или город. Или напишите название своего города или посёлка — по-русски или по-казахски.
contacts-other-region = Другой регион
contacts-not-found = Не получилось найти это место. Выберите область из списка — или напишите ближайший крупный город.
contacts-region-found =
    📍 { $region }
    { $contacts }
contacts-region-none =
    📍 { $region }
    Проверенного местного номера у нас пока нет — мы показываем только номера, которые проверили сами. Куда обратиться рядом с вами, подскажут здесь:
    { $lines }
    Если опасно прямо сейчас — 📞 102 или 112. Можно написать и консультанту: он поищет дальше.
contacts-region-none--young =
    📍 { $region }
    Проверенного местного номера у нас пока нет — мы показываем только номера, которые проверили сами. Куда обратиться рядом с тобой, подскажут здесь:
    { $lines }
    Если опасно прямо сейчас — 📞 102 или 112. Можно написать и консультанту: он поищет дальше.
contacts-juvenile-none = Проверенного номера инспекторов по делам несовершеннолетних в этом регионе у нас пока нет. Если опасно — звони 📞 102. На 150 и 111 помогут найти, к кому обратиться рядом.
contacts-region-national = { $lines }
contacts-line-whatsapp = 💬 WhatsApp { $number }
contacts-line-website = 🌐 { $site } — если позвонить нельзя
contacts-ask-consultant = 💬 Написать консультанту
contacts-shelter-secret = Адреса кризисных центров с проживанием держат в секрете — так защищают тех, кто там живёт. Поэтому сначала туда нужно позвонить.
contacts-shelter-how = Позвоните на 150 или 111: там подскажут, куда обратиться в вашем регионе и как туда добраться. Если опасно прямо сейчас — звоните 102: полиция может помочь добраться до кризисного центра.
contacts-shelter-say =
    Что сказать, когда позвоните:
    • в каком вы городе или районе;
    • место нужно только вам или вам с детьми (сколько им лет);
    • есть ли травмы — нужен ли врач;
    • есть ли с собой документы. Если документов нет — всё равно звоните и скажите об этом.
contacts-shelter-found =
    Кризисные центры ({ $region }), номера проверены:
    { $contacts }
contacts-shelter-none = { $region }: проверенного номера кризисного центра у нас пока нет — звоните 150 или 111, там подскажут.
contacts-shelter-region = 📍 Выбрать мой регион
contacts-all-lines = Все номера
region-astana_city = Астана
region-almaty_city = Алматы
region-shymkent_city = Шымкент
region-abai = Область Абай
region-akmola = Акмолинская обл.
region-aktobe = Актюбинская обл.
region-almaty_region = Алматинская обл.
region-atyrau = Атырауская обл.
region-east_kz = Восточно-Казахстанская обл.
region-zhambyl = Жамбылская обл.
region-zhetysu = Область Жетісу
region-west_kz = Западно-Казахстанская обл.
region-karaganda = Карагандинская обл.
region-kostanay = Костанайская обл.
region-kyzylorda = Кызылординская обл.
region-mangystau = Мангистауская обл.
region-pavlodar = Павлодарская обл.
region-north_kz = Северо-Казахстанская обл.
region-turkistan = Туркестанская обл.
region-ulytau = Область Ұлытау

# A shared location we could not place in Kazakhstan (the point is not kept).
contacts-location-unknown = По этой точке не получилось определить регион — возможно, она за пределами Казахстана. Саму точку мы не сохраняем. Если вам грозит опасность, звоните сразу:
contacts-location-ask = Напишите, пожалуйста, город или область — или выберите регион ниже, и я покажу, куда можно обратиться рядом с вами.
