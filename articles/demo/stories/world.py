"""The demo's World stories (written through the editorial actions)."""

from articles.demo.stories.kinds import Story

IRAQ = ("World", "Middle East", "Iraq")

WORLD = (
    Story(
        "idlib-mobile-clinics",
        ("World", "Middle East", "Syria"),
        "video",
        "Mobile clinics bring vaccines to villages in the Idlib countryside",
        "Teams in converted vans reached more than 2,000 children in a fortnight.",
        (
            "Medical teams travelling in converted vans vaccinated more than 2,000 children in villages of the "
            "Idlib countryside over the past two weeks, the health group running the programme said.",
            "Each van carries a refrigerator powered by solar panels on its roof, so vaccines stay cold on roads "
            "where fuel for generators is scarce.",
            "Nurses also checked pregnant women and referred a small number of patients to hospitals in the city.",
            "The group plans to add three more vans in the spring and visit each village once a month.",
        ),
        "A/JB 14",
        ("Health", "Vaccination"),
        9,
        "road",
        related=("vaccination-drive", "heatwave-clinics"),
        caption="Vans with solar panels keep the vaccines cold on the road.",
    ),
    Story(
        "beirut-waterfront",
        ("World", "Middle East", "Lebanon"),
        "photo",
        "Beirut's restored waterfront promenade reopens to walkers",
        "A two-kilometre stretch of the seafront is open again after eighteen months of work.",
        (
            "A two-kilometre stretch of Beirut's seafront promenade reopened on Saturday after eighteen months of "
            "restoration, with new paving, lighting and benches.",
            "Families, joggers and fishermen returned to the walkway within hours of the barriers coming down.",
            "The municipality said the next stretch, running west towards the lighthouse, would be finished by "
            "the summer.",
        ),
        "M/AH 7",
        ("Cities", "Reconstruction"),
        30,
        "sea",
        related=("seafront-cinema",),
    ),
    Story(
        "aden-desalination",
        ("World", "Middle East", "Yemen"),
        "photo",
        "Aden desalination plant doubles its output after repairs",
        "The plant now supplies about a fifth of the city's drinking water.",
        (
            "A desalination plant on the coast near Aden has doubled its output after new membranes and pumps were "
            "fitted, the local water corporation said on Monday.",
            "The plant now produces enough drinking water for about a fifth of the city's residents, up from a "
            "tenth before the repairs.",
            "Engineers said the plant's own generators had also been replaced, so it no longer stops during "
            "power cuts.",
            "The corporation hopes to repair a second plant to the east of the city next year.",
        ),
        "H/MS 2",
        ("Water", "Infrastructure"),
        52,
        "sea",
        related=("jordan-valley-solar",),
    ),
    Story(
        "jordan-valley-solar",
        ("World", "Middle East", "Jordan"),
        "photo",
        "Solar-powered pumping station opens in the Jordan Valley",
        "Farmers expect cheaper irrigation water from the new station.",
        (
            "A pumping station run entirely on solar power opened in the Jordan Valley on Wednesday, lifting "
            "water from a canal to farms on the higher ground.",
            "The water authority said the station would save the cost of diesel for the pumps it replaces and "
            "cut the price farmers pay for irrigation water.",
            "Growers of tomatoes and peppers in the area said cheaper water could let them plant a second crop "
            "in the autumn.",
        ),
        "N/TR 9",
        ("Energy", "Farming"),
        75,
        "landscape",
        related=("aden-desalination", "offshore-wind-pilot"),
    ),
    Story(
        "herat-saffron",
        ("World", "Asia", "Afghanistan"),
        "photo",
        "Herat saffron growers find new buyers abroad",
        "Exporters signed contracts with buyers in three new countries this season.",
        (
            "Saffron growers around Herat say they have found buyers in three new countries this season, helped "
            "by an air freight service that started in the summer.",
            "Picking the flowers is done by hand in the early morning, mostly by women, and a kilogram of the "
            "dried spice needs well over a hundred thousand blooms.",
            "Exporters said steady prices abroad had persuaded more farmers to replace wheat with saffron.",
        ),
        "R/KN 3",
        ("Farming", "Trade"),
        140,
        "market",
        related=("date-exporters",),
    ),
    Story(
        "port-sudan-shelter",
        ("World", "Africa", "Sudan"),
        "photo",
        "Displaced families in Port Sudan receive winter shelter kits",
        "Aid groups handed out blankets, plastic sheeting and stoves to 3,000 households.",
        (
            "Aid groups distributed winter shelter kits to about 3,000 displaced households in Port Sudan this week, "
            "ahead of the cooler months.",
            "Each kit holds blankets, plastic sheeting, rope and a small stove, enough to weatherproof a tent or "
            "a room in a shared building.",
            "Organisers said more kits were on their way by sea and would be sent to camps further inland.",
        ),
        "A/JB 14",
        ("Aid", "Displacement"),
        190,
        "road",
    ),
    Story(
        "baghdad-book-street",
        IRAQ,
        "photo",
        "شارع المتنبي يستقبل رواده بعد انتهاء أعمال الترميم",
        "عادت مكتبات الشارع العريق في بغداد إلى فتح أبوابها بعد ترميم واجهاتها وأرصفته.",
        (
            "استقبل شارع المتنبي في بغداد رواده صباح الجمعة بعد انتهاء أعمال ترميم استمرت ستة أشهر، شملت واجهات "
            "المكتبات القديمة وأرصفة الشارع وإنارته.",
            "وقال أصحاب مكتبات إن الإقبال في اليوم الأول فاق توقعاتهم، إذ توافد طلاب وأسر وكتّاب منذ ساعات الصباح "
            "الأولى للبحث عن الكتب القديمة والجديدة.",
            "وأوضحت أمانة بغداد أن الترميم حافظ على الطابع التراثي للمباني، وأن المرحلة المقبلة ستشمل المقاهي "
            "المجاورة والساحة المطلة على نهر دجلة.",
            "ويعدّ الشارع منذ عقود ملتقى أسبوعياً للمثقفين وباعة الكتب في العاصمة.",
        ),
        "م/ع 5",
        ("Books", "Heritage"),
        20,
        "books",
        language="ar",
        related=("mosul-library", "arabic-fiction-prize"),
    ),
)
