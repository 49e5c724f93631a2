# Texts for staff in the consultants' Telegram group (not for the people who write to the bot).
staff-link-hint = Бұл Telegram аккаунты қызметкердің есептік жазбасына байланыстырылмаған, сондықтан одан өтініштерді алуға және адамға жазуға болмайды. Консольден («Telegram-ды байланыстыру» беті) код алып, ботқа жіберіңіз: /link КОД
staff-link-hint-short = Алдымен Telegram-ды есептік жазбаңызға байланыстырыңыз: консольден код алып, /link КОД жіберіңіз.
staff-link-done = Дайын: Telegram { $username } есептік жазбасына байланыстырылды. Енді өтініштерді алып, тақырыптарда жауап бере аласыз.
staff-link-refused = Код жарамсыз: қате, мерзімі өткен немесе бұрын қолданылған. Консольден жаңасын алыңыз.
staff-link-usage = Консольден алған кодты былай жіберіңіз: /link КОД
staff-link-page-title = Telegram-ды байланыстыру
staff-link-page-intro = Кеңесшілер тобында өтініш алу және адамдарға жауап беру тек есептік жазбаңызға байланыстырылған Telegram арқылы ғана мүмкін. Бір реттік код алып, оны ботқа жіберіңіз — топта немесе жеке чатта: /link КОД. Код { $minutes } минут бойы жарамды.
staff-link-page-code = Сіздің кодыңыз
staff-link-page-linked = Telegram байланыстырылған: { $since }.
staff-link-page-none = Telegram байланыстырылмаған.
staff-link-page-new = Код алу
staff-link-page-unlink = Telegram-ды ажырату
