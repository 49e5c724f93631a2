# Texts for staff in the consultants' Telegram group (not for the people who write to the bot).
staff-link-hint = Бұл Telegram аккаунты қызметкердің есептік жазбасына байланыстырылмаған, сондықтан одан өтініштерді алуға және адамға жазуға болмайды. Консольден код алыңыз («Telegram-ды байланыстыру» беті) және ботқа жіберіңіз: /link КОД
staff-link-hint-short = Алдымен Telegram-ды есептік жазбаға байланыстырыңыз: консольдегі /link КОД.
staff-link-done = Дайын: Telegram { $username } есептік жазбасына байланыстырылды. Енді өтініштерді алып, тақырыптарда жауап бере аласыз.
staff-link-refused = Код жарамсыз: қате, мерзімі өткен немесе бұрын қолданылған. Консольден жаңасын алыңыз.
staff-link-usage = Консольдегі кодты былай жіберіңіз: /link КОД
staff-link-page-title = Telegram-ды байланыстыру
staff-link-page-intro = Кеңесшілер тобында өтініштерді алуға және адамдарға жауап беруге тек есептік жазбаңызға байланыстырылған Telegram-нан болады. Бір реттік код алып, оны ботқа жіберіңіз — топта немесе жеке чатта: /link КОД. Код { $minutes } минут жарамды.
staff-link-page-code = Сіздің кодыңыз
staff-link-page-linked = Telegram байланыстырылған: { $since }.
staff-link-page-none = Telegram байланыстырылмаған.
staff-link-page-new = Код алу
staff-link-page-unlink = Telegram-ды ажырату
