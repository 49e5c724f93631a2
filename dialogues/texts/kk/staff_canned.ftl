## The coordinators' page of canned replies (staffweb/canned.py) and the keyboard legend on a case

staff-nav-canned = Дайын жауаптар
staff-canned-title = Дайын жауаптар
staff-canned-intro = Кеңесшілер бұл жауаптарды адамға жазатын хабарламасына бір түймемен қоса алады. Түйменің атауы кеңесшінің тілінде көрсетіледі, ал мәтін адамның тілінде қойылады, сондықтан екі нұсқасы да керек — орысша да, қазақша да. Алынып тасталған жауап өтініштерде бұдан былай көрінбейді, бірақ оны қайтаруға болады.
staff-canned-field-title = Түймедегі атауы
staff-canned-field-text = Адамға жіберілетін мәтін
staff-canned-retired = алынып тасталған
staff-canned-up = ↑ Жоғары
staff-canned-down = ↓ Төмен
staff-canned-retire = Өтініштерден алып тастау
staff-canned-restore = Өтініштерге қайтару
staff-canned-updated = Соңғы өзгерткен: { $who }, { $when }
staff-canned-new = Жаңа жауап
staff-canned-done-added = Жауап тізімнің соңына қосылды.
staff-canned-done-saved = Сақталды. Кеңесшілер өтінішті ашқанда жаңа мәтінді көреді.
staff-canned-done-moved = Реті өзгертілді.
staff-canned-done-retired = Жауап өтініштерден алынды. Оны кез келген уақытта қайтаруға болады.
staff-canned-done-restored = Жауап өтініштерде қайтадан ұсынылады.
staff-canned-error-title-missing = { $lang ->
        [kk] Қазақша
       *[ru] Орысша
    } атауы жазылмаған. Ештеңе сақталған жоқ: атауын жазып, қайта сақтаңыз.
staff-canned-error-title-long = { $lang ->
        [kk] Қазақша
       *[ru] Орысша
    } атауы { $limit } таңбадан ұзын. Ештеңе сақталған жоқ: қысқартып, қайта сақтаңыз.
staff-canned-error-text-missing = { $lang ->
        [kk] Қазақша
       *[ru] Орысша
    } мәтін жазылмаған. Ештеңе сақталған жоқ: мәтінді жазып, қайта сақтаңыз.
staff-canned-error-text-long = { $lang ->
        [kk] Қазақша
       *[ru] Орысша
    } мәтін { $limit } таңбадан ұзын. Ештеңе сақталған жоқ: қысқартып, қайта сақтаңыз.
staff-canned-region = 📍 Тексерілген нөмірлер: { $region }
staff-canned-search = Дайын жауаптардан іздеу
staff-canned-search-hint = атауынан немесе мәтінінен бір сөз
staff-canned-person-lang = адамның тілі
staff-canned-none = Ештеңе табылмады.
staff-keys-title = Пернелер:
staff-keys-send = жауапты жіберу
staff-keys-next = кезектегі келесі өтініш
staff-keys-or = немесе
staff-keys-search = дайын жауап іздеу (Enter біріншісін қояды)
staff-keys-back = жазып жатқан мәтінге оралу
staff-js-no-next = Кезекте басқа өтініш жоқ.
