"""The demo's stories: fictional wire copy written for this project.

`STORIES` are written through the editorial actions; `LEGACY_PAGES` are written as legacy page
files (with `articles.legacy.synthetic`) and brought in through the real importer, the way the
archive arrives. Times are hours before the first `load_demo`; a story's `related` names other
stories by key, in editorial order. `picture` is a motif of `articles.demo.pictures` (None: a
text-only story).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Story:
    key: str
    crumbs: tuple[str, ...]
    kind: str  # text, photo or video
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    signoff: str
    tags: tuple[str, ...]
    hours_ago: int
    picture: str | None = "landscape"
    language: str = "en"
    related: tuple[str, ...] = ()
    caption: str = ""  # a video's second caption cue


@dataclass(frozen=True)
class LegacyStory:
    key: str
    title: str  # as the legacy page prints it, "VIDEO:" label included
    paragraphs: tuple[str, ...]
    signoff: str
    hours_ago: int
    picture: str | None = "town"
    related: tuple[str, ...] = field(default=())
    crumbs: tuple[str, ...] = ("World", "Middle East", "Iraq")


IRAQ = ("World", "Middle East", "Iraq")

LEGACY_PAGES = (
    LegacyStory(
        "mosul-crossings-plan",
        "Mosul Council Sets Out Plan to Reopen Five River Crossings",
        (
            "The provincial council in Nineveh approved a plan on Sunday to reopen five crossings over the Tigris "
            "in and around Mosul within a year, starting with a floating bridge in the city centre.",
            "Council members said the floating bridge would be installed first because it could be built from "
            "sections made elsewhere and towed into place, while the fixed bridges need months of survey work.",
            "The plan puts the cost of the first phase at about 40 billion dinars, to be shared between the "
            "provincial budget and the federal reconstruction fund.",
        ),
        "R/KN 3",
        620,
        "town",
    ),
    LegacyStory(
        "mosul-left-bank-water",
        "Water Returns to Left-Bank Districts of Mosul After Pump Repairs",
        (
            "Tap water reached homes in six districts on the eastern bank of Mosul on Tuesday after engineers "
            "replaced two pumps at the main intake on the Tigris.",
            "The city's water directorate said pressure would be low for the first week while air was cleared "
            "from the pipes, and asked residents to boil water until tests were complete.",
            "Tanker deliveries to the districts will continue for another fortnight, the directorate said.",
        ),
        "M/AH 7",
        560,
        "landscape",
    ),
    LegacyStory(
        "baiji-freight-train",
        "Iraqi Railway Runs First Freight Train to Baiji in Two Years",
        (
            "A freight train carrying cement and steel reached Baiji on Thursday, the first to use the line since "
            "repairs to a damaged embankment began two years ago.",
            "The state railway company said it would run two trains a week at first, rising to one a day once "
            "signalling on the northern section has been replaced.",
            "Hauliers welcomed the news, saying the road north was crowded with lorries carrying building "
            "materials for reconstruction projects.",
        ),
        "A/JB 14",
        500,
        "road",
    ),
    LegacyStory(
        "kirkuk-wheat-harvest",
        "Kirkuk Farmers Expect Best Wheat Harvest in a Decade",
        (
            "Wheat farmers in Kirkuk province expect their largest harvest in ten years after good winter rains "
            "and a steadier supply of seed and fertiliser, the provincial agriculture office said.",
            "Silos in the province have been cleaned and weighed ahead of the harvest, and the trade ministry "
            "has promised to collect grain within a week of delivery.",
            "Farmers said the price the state pays per tonne would decide whether they plant as much next year.",
        ),
        "H/MS 2",
        430,
        "landscape",
    ),
    LegacyStory(
        "basra-port-backlog",
        "Basra Port Clears Backlog of Container Ships",
        (
            "The port of Umm Qasr, south of Basra, has cleared a backlog of container ships that had waited up to "
            "nine days to berth, the ports company said on Monday.",
            "New cranes delivered in the spring and a second shift of customs staff allowed the port to handle "
            "about a third more containers a day than in the summer.",
            "Importers said shorter waits had already lowered the price of some building materials in the south.",
        ),
        "N/TR 9",
        360,
        "sea",
    ),
    LegacyStory(
        "najaf-runway",
        "Najaf Airport Extends Runway to Take Larger Jets",
        (
            "Najaf's airport opened an extended runway on Wednesday that will let it receive wide-bodied aircraft "
            "for the first time.",
            "Airport managers expect the change to ease crowding during pilgrimage seasons, when hundreds of "
            "thousands of visitors arrive in the city within a few weeks.",
            "Two foreign airlines have applied to start direct flights next year.",
        ),
        "R/KN 3",
        300,
        "town",
    ),
    LegacyStory(
        "erbil-schools-meeting",
        "Erbil Donor Meeting Pledges Help for Schools in Nineveh",
        (
            "Donors meeting in Erbil pledged money to repair 120 schools in Nineveh province, where many pupils "
            "still study in shifts in crowded buildings.",
            "The education directorate said the first schools to be repaired would be those serving villages "
            "where families have returned in the largest numbers.",
            "Teachers' representatives asked that part of the money go to training and books, not only buildings.",
        ),
        "M/AH 7",
        240,
        "books",
    ),
    LegacyStory(
        "mosul-library",
        "Mosul University Library Reopens With 30,000 Donated Books",
        (
            "The central library of Mosul University reopened to students on Saturday, its shelves restocked with "
            "some 30,000 books donated by universities and readers across the country.",
            "Librarians spent months sorting the donations by subject, and a reading room has been set aside for "
            "rare volumes recovered from the old building.",
            "Students queued before the doors opened, many of them carrying lists of titles they had waited years "
            "to borrow.",
        ),
        "S/SH 11",
        170,
        "books",
    ),
    LegacyStory(
        "old-iron-bridge-survey",
        "Engineers Survey Old Iron Bridge Before Repair Work Begins",
        (
            "Engineers began a detailed survey of Mosul's old iron bridge on Tuesday, measuring each span before "
            "deciding which parts can be saved.",
            "The bridge, one of the oldest in the city, has been closed to traffic since two of its piers were "
            "damaged, and residents have relied on ferries to cross.",
            "The survey is expected to take six weeks, after which the council will choose between repair and "
            "replacement.",
        ),
        "A/JB 14",
        110,
        "bridge",
    ),
    LegacyStory(
        "tigris-ferry-operators",
        "Ferry Operators on the Tigris Prepare for Bridge Opening",
        (
            "Boatmen who have ferried passengers across the Tigris in Mosul for years say they expect fewer fares "
            "once the new floating bridge opens, but hope to keep carrying goods and tourists.",
            "Some operators have repainted their boats and plan short trips along the river for visitors on holidays.",
            "The council said it would keep two landing stages open for ferries after the bridge is in use.",
        ),
        "N/TR 9",
        60,
        "bridge",
    ),
    LegacyStory(
        "mosul-floating-bridge",
        "VIDEO: Floating Bridge Reconnects the Two Banks of Mosul",
        (
            "Army engineers and city crews opened a floating bridge across the Tigris in central Mosul on "
            "Thursday, linking the two halves of the city by road for the first time in more than a year.",
            "The bridge rests on 48 steel pontoons anchored to the riverbed and can carry cars, minibuses and "
            "light lorries in both directions, the provincial council said in a statement.",
            "Crowds gathered on both banks from early morning, and the first vehicles across were two "
            "ambulances, followed by a bus carrying pupils from a school on the eastern side.",
            "“For a year my journey to work took two hours by ferry and taxi. Today it took fifteen minutes,” "
            "said a teacher who crossed on foot with her colleagues.",
            "Engineers will check the anchors every day during the first month and close the bridge to lorries "
            "if the river rises after heavy rain upstream.",
            "The council said work on two fixed bridges would begin next year, once surveys of their damaged "
            "piers are complete.",
        ),
        "S/SH 11",
        5,
        "bridge",
        related=(
            "mosul-crossings-plan",
            "mosul-left-bank-water",
            "baiji-freight-train",
            "kirkuk-wheat-harvest",
            "basra-port-backlog",
            "najaf-runway",
            "erbil-schools-meeting",
            "mosul-library",
            "old-iron-bridge-survey",
            "tigris-ferry-operators",
        ),
    ),
    LegacyStory(
        "mosul-bridge-traffic",
        "Traffic Flows Over Mosul Floating Bridge as Ferry Queues Vanish",
        (
            "Traffic moved steadily over Mosul's new floating bridge on its first full day in use, with police "
            "directing cars in both directions during the morning rush.",
            "Queues at the ferry landings, which often stretched for hundreds of metres, had all but gone by "
            "midday, residents said.",
            "Traffic police said lorries heavier than ten tonnes would still be turned back, as the bridge is not "
            "built to carry them.",
        ),
        "R/KN 3",
        2,
        None,
        related=("mosul-floating-bridge", "tigris-ferry-operators", "old-iron-bridge-survey"),
    ),
)

# The story that stands for the legacy page: three-deep breadcrumb, video, dateline, sign-off, ten related.
LEGACY_LEAD = "mosul-floating-bridge"

STORIES = (
    # -- World -----------------------------------------------------------------------------
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
    # -- Business --------------------------------------------------------------------------
    Story(
        "gulf-markets-close-higher",
        ("Business", "Markets"),
        "photo",
        "Gulf stock markets close higher as oil prices steady",
        "Banks and telecoms led gains on most regional exchanges.",
        (
            "Most stock markets in the Gulf closed higher on Tuesday as oil prices held steady after a week of "
            "swings, with banks and telecoms companies leading the gains.",
            "Traders said investors were also encouraged by quarterly results from several large lenders, which "
            "reported higher profits from lending to businesses.",
            "Trading volumes were lower than average ahead of a public holiday later in the week.",
        ),
        "B/NS 6",
        ("Markets", "Oil"),
        26,
        "chart",
        related=("central-bank-holds", "refinery-upgrade"),
    ),
    Story(
        "offshore-wind-pilot",
        ("Business", "Energy"),
        "video",
        "Offshore wind pilot delivers first power to the coastal grid",
        "Four turbines in the Gulf of Suez are feeding electricity to nearby towns.",
        (
            "A pilot offshore wind farm of four turbines in the Gulf of Suez sent its first electricity to the "
            "coastal grid on Sunday, the project's developers said.",
            "The turbines stand in shallow water a few kilometres from shore, where strong, steady winds blow "
            "for most of the year.",
            "If the pilot meets its targets over the next twelve months, the developers plan a farm of up to "
            "sixty turbines in the same waters.",
            "Engineers said the main challenge had been protecting the equipment from salt and sand.",
        ),
        "B/NS 6",
        ("Energy", "Renewables"),
        14,
        "turbines",
        related=("jordan-valley-solar", "refinery-upgrade"),
        caption="The four turbines stand in shallow water a few kilometres offshore.",
    ),
    Story(
        "shipping-rates-fall",
        ("Business", "Trade"),
        "photo",
        "Container freight rates fall as new shipping services start",
        "Importers in the region are paying less to bring goods from Asia.",
        (
            "The cost of shipping a container from East Asia to ports in the region has fallen by about a quarter "
            "since the summer, freight brokers said, as new services added capacity on the route.",
            "Three shipping lines started weekly calls at regional ports in the autumn, and larger vessels have "
            "been moved onto the route from elsewhere.",
            "Retailers said the lower costs would take a few months to show up in shop prices.",
        ),
        "L/MZ 8",
        ("Trade", "Shipping"),
        98,
        "sea",
        related=("basra-port-backlog", "date-exporters"),
    ),
    Story(
        "refinery-upgrade",
        ("Business", "Energy"),
        "text",
        "Refinery upgrade to cut sulphur in diesel sold at the pump",
        "The new unit will make diesel that meets stricter fuel standards.",
        (
            "A refinery in the south of the country has begun building a unit that will remove most of the sulphur "
            "from the diesel it produces, the oil ministry said.",
            "Cleaner diesel is expected to reduce the smog that hangs over several cities in winter, when traffic "
            "and generators run for long hours.",
            "The unit is due to start working in two years. Until then the ministry will import some cleaner "
            "fuel to blend with local production.",
        ),
        "B/NS 6",
        ("Energy", "Environment"),
        120,
        None,
        related=("offshore-wind-pilot",),
    ),
    Story(
        "central-bank-holds",
        ("Business", "Markets"),
        "photo",
        "Central bank keeps interest rates unchanged and signals patience",
        "Policymakers said inflation was easing but wanted to see more evidence.",
        (
            "The central bank kept its main interest rate unchanged on Thursday, saying inflation had eased for "
            "three months in a row but remained above its target.",
            "In a statement, the bank said it would watch food and housing prices closely before deciding whether "
            "to lower borrowing costs next year.",
            "Most economists had expected the decision. Several said a first cut could come in the spring if "
            "prices keep slowing.",
        ),
        "L/MZ 8",
        ("Markets", "Interest rates"),
        160,
        "chart",
        related=("gulf-markets-close-higher",),
    ),
    Story(
        "date-exporters",
        ("Business", "Trade"),
        "photo",
        "Date exporters turn to Asian markets as harvest peaks",
        "Growers are packing more fruit for buyers in Malaysia and Indonesia.",
        (
            "Date exporters are sending more of this year's harvest to Asia, where demand rises during the "
            "fasting month, packers in the south said.",
            "Several packing houses have added cold stores and new sorting lines so that fruit can travel longer "
            "distances without spoiling.",
            "Growers said prices at the wholesale market were steady, helped by a good harvest and lower transport "
            "costs.",
        ),
        "R/KN 3",
        ("Trade", "Farming"),
        220,
        "market",
        related=("herat-saffron", "shipping-rates-fall"),
    ),
    # -- Science ---------------------------------------------------------------------------
    Story(
        "student-satellite",
        ("Science", "Space"),
        "video",
        "Student-built satellite sends back its first pictures from orbit",
        "The shoebox-sized satellite was designed and built by engineering students.",
        (
            "A satellite the size of a shoebox, designed and built by engineering students, has sent back its "
            "first pictures of the Earth, the university that led the project said on Friday.",
            "The satellite was launched last week alongside a larger commercial payload and is circling the "
            "planet about 500 kilometres up.",
            "Students will use it to test a small camera and a radio link they developed, and to photograph "
            "farmland to estimate crop growth.",
            "The team has already started work on a second satellite, due for launch in two years.",
        ),
        "E/YO 15",
        ("Space", "Universities"),
        40,
        "sky",
        related=("desert-observatory",),
        caption="Students gather around the ground station as the first images arrive.",
    ),
    Story(
        "marsh-birds-return",
        ("Science", "Environment"),
        "photo",
        "Migrating birds return to southern marshes in record numbers",
        "A winter count found more waterbirds than in any year since surveys began.",
        (
            "Volunteers and scientists counting waterbirds in the southern marshes recorded the highest numbers "
            "since surveys began, the environment ministry said.",
            "The count found large flocks of ducks, pelicans and flamingos, which rest in the marshes on their "
            "way between Siberia and Africa.",
            "Researchers credit higher water levels after two wet winters, and warn that a dry year could "
            "quickly reverse the gains.",
        ),
        "E/YO 15",
        ("Environment", "Wildlife"),
        66,
        "landscape",
        related=("coral-heat",),
    ),
    Story(
        "coral-heat",
        ("Science", "Environment"),
        "photo",
        "Researchers map corals that survive in warmer seas",
        "Reefs in the northern Red Sea appear unusually tolerant of heat.",
        (
            "Marine researchers have mapped coral reefs in the northern Red Sea that survived recent heatwaves "
            "with little bleaching, in a study published this week.",
            "The team dived at forty sites and found that many corals in the north tolerated water temperatures "
            "that killed similar species elsewhere.",
            "The researchers want the reefs protected from pollution and overfishing, saying they could help "
            "restore damaged reefs in other seas.",
        ),
        "E/YO 15",
        ("Environment", "Oceans"),
        130,
        "sea",
        related=("marsh-birds-return",),
    ),
    Story(
        "desert-observatory",
        ("Science", "Space"),
        "photo",
        "Desert observatory catalogues 2,000 new variable stars",
        "Astronomers used a small telescope and years of automated observations.",
        (
            "Astronomers working at a small observatory in the desert have catalogued 2,000 stars whose brightness "
            "changes over days or weeks, most of them not recorded before.",
            "The telescope photographs the same patch of sky every clear night, and software compares the images "
            "to spot stars that dim or brighten.",
            "Dark skies far from city lights make the site one of the best in the region, the team said.",
        ),
        "E/YO 15",
        ("Space", "Astronomy"),
        260,
        "sky",
        related=("student-satellite",),
    ),
    Story(
        "drought-wheat",
        ("Science",),
        "text",
        "Old wheat varieties tested for drought tolerance",
        "Plant breeders are growing dozens of traditional varieties in dry test fields.",
        (
            "Plant breeders at an agricultural research station are testing dozens of traditional wheat varieties "
            "collected from village farmers to see which cope best with drought.",
            "The varieties are grown side by side in test fields that receive only half the usual irrigation.",
            "The best performers will be crossed with modern high-yielding wheat, the station said, in a programme "
            "expected to take about eight years.",
        ),
        "G/PW 10",
        ("Farming", "Research"),
        330,
        None,
        related=("kirkuk-wheat-harvest",),
    ),
    # -- Health ----------------------------------------------------------------------------
    Story(
        "vaccination-drive",
        ("Health",),
        "photo",
        "Vaccination drive reaches nine in ten children in three provinces",
        "Health workers went door to door in rural districts.",
        (
            "A vaccination campaign against measles and polio reached nine in ten children under five in three "
            "provinces, the health ministry said at the end of the two-week drive.",
            "Health workers went door to door in rural districts, and mosques and schools announced the dates in "
            "advance.",
            "The ministry said it would run a second round in districts where coverage fell short.",
        ),
        "D/HQ 1",
        ("Health", "Vaccination"),
        85,
        "town",
        related=("idlib-mobile-clinics",),
    ),
    Story(
        "kidney-transplant-guidelines",
        ("Health",),
        "text",
        "New guidelines aim to shorten the wait for kidney transplants",
        "Hospitals will share one national waiting list.",
        (
            "Hospitals will share a single national waiting list for kidney transplants under guidelines published "
            "by the health ministry on Sunday.",
            "Until now each hospital kept its own list, and doctors said patients in smaller cities often waited "
            "far longer than those in the capital.",
            "The guidelines also set out how donor kidneys are matched to patients, with priority for children.",
        ),
        "D/HQ 1",
        ("Health", "Hospitals"),
        200,
        None,
    ),
    Story(
        "heatwave-clinics",
        ("Health",),
        "photo",
        "Cooling centres open in city centres as heatwave continues",
        "Temperatures passed 49 degrees for the third day running.",
        (
            "Cities opened cooling centres in schools and mosques on Wednesday as temperatures passed 49 degrees "
            "Celsius for the third day running.",
            "Doctors urged people to avoid going out at midday, drink water often and check on elderly neighbours.",
            "Hospitals said they had treated dozens of people for heatstroke, most of them outdoor workers.",
        ),
        "D/HQ 1",
        ("Health", "Weather"),
        300,
        "town",
    ),
    # -- Sport -----------------------------------------------------------------------------
    Story(
        "cup-semi-final",
        ("Sport", "Football"),
        "video",
        "Late header sends Basra club into the cup final",
        "A goal in the 89th minute settled a tense semi-final.",
        (
            "A header in the 89th minute sent the Basra side into the national cup final on Friday, after a "
            "tense semi-final that had looked set for extra time.",
            "The winner came from a corner, when the club's captain rose above two defenders at the far post.",
            "The visitors had the better of the first half and hit the crossbar twice, but could not find a way "
            "through a well-organised defence.",
            "The final will be played next month in Baghdad.",
        ),
        "T/FA 12",
        ("Football", "Cup"),
        12,
        "pitch",
        related=("womens-league", "young-squad"),
        caption="The captain's header finds the far corner in the 89th minute.",
    ),
    Story(
        "womens-league",
        ("Sport", "Football"),
        "photo",
        "Women's football league kicks off in front of a record crowd",
        "More than 8,000 spectators watched the opening match.",
        (
            "More than 8,000 spectators watched the opening match of the new women's football league on Saturday, "
            "a record for a women's game in the country.",
            "Eight clubs take part in the first season, each with a squad of at least twenty players and a "
            "qualified coach.",
            "Organisers said sponsors had agreed to pay for travel, so clubs from smaller cities could take part.",
        ),
        "T/FA 12",
        ("Football", "Women's sport"),
        45,
        "pitch",
        related=("cup-semi-final",),
    ),
    Story(
        "old-city-marathon",
        ("Sport", "Athletics"),
        "photo",
        "Marathon through the old city draws 12,000 runners",
        "The route passed mosques, markets and the river front.",
        (
            "About 12,000 runners took part in the city's marathon and shorter races on Friday, on a route that "
            "wound through the old city's markets and along the river.",
            "The men's race was won in two hours and fourteen minutes, and the women's in just under two hours "
            "and thirty-one minutes.",
            "Thousands of people lined the streets, handing out water and dates to passing runners.",
        ),
        "G/PW 10",
        ("Athletics", "Running"),
        110,
        "town",
        related=("sprint-record",),
    ),
    Story(
        "sprint-record",
        ("Sport", "Athletics"),
        "text",
        "Teenage sprinter breaks the national 200 metres record",
        "The 17-year-old won the junior championship in 20.61 seconds.",
        (
            "A 17-year-old sprinter broke the national 200 metres record at the junior championships on Sunday, "
            "running 20.61 seconds into a light headwind.",
            "The previous record had stood for eleven years. The sprinter's coach said the result showed what "
            "young athletes could do with proper facilities.",
            "The national federation said it would pay for the athlete to train abroad ahead of next year's "
            "regional games.",
        ),
        "G/PW 10",
        ("Athletics", "Records"),
        180,
        None,
        related=("old-city-marathon",),
    ),
    Story(
        "young-squad",
        ("Sport", "Football"),
        "photo",
        "Coach names a young squad for the regional qualifiers",
        "Nine of the 23 players have never played for the national team.",
        (
            "The national team coach named a young squad on Monday for next month's regional qualifiers, with nine "
            "of the 23 players yet to play an international match.",
            "The coach said the squad had been chosen on form in the league this season, and that several "
            "experienced players were left out because of injury.",
            "The team will hold a training camp for ten days before its first match.",
        ),
        "T/FA 12",
        ("Football", "National team"),
        240,
        "pitch",
        related=("cup-semi-final",),
    ),
    # -- Culture ---------------------------------------------------------------------------
    Story(
        "arabic-fiction-prize",
        ("Culture", "Books"),
        "photo",
        "Translated novels stand out on this year's fiction prize shortlist",
        "Three of the six shortlisted books have already found publishers abroad.",
        (
            "The shortlist for this year's prize for Arabic fiction includes six novels, three of which have "
            "already been sold for translation into other languages, the prize committee said.",
            "The books range from a family saga set in a river port to a comic novel about a village election.",
            "The winner will be announced in the spring at the opening of the city's book fair.",
        ),
        "K/RD 4",
        ("Books", "Prizes"),
        70,
        "books",
        related=("baghdad-book-street",),
    ),
    Story(
        "river-documentary",
        ("Culture", "Film"),
        "photo",
        "Documentary about river fishermen wins a festival award",
        "The film followed three families through a year on the water.",
        (
            "A documentary following three fishing families through a year on the river won the jury prize at a "
            "film festival on Saturday.",
            "The director said she had spent months living with the families before starting to film, so that "
            "they would forget the camera.",
            "The film will be shown in cinemas next month and then on public television.",
        ),
        "K/RD 4",
        ("Film", "Festivals"),
        150,
        "sea",
        related=("seafront-cinema",),
    ),
    Story(
        "caravanserai-restored",
        ("Culture", "Heritage"),
        "photo",
        "Restorers finish work on a 13th-century caravanserai",
        "The old travellers' inn will open to visitors next month.",
        (
            "Restorers have finished work on a 13th-century caravanserai, an inn where merchants and their animals "
            "once rested on the trade routes, the antiquities authority said.",
            "The project repaired the building's vaulted rooms and courtyard using lime mortar and bricks made in "
            "the traditional way.",
            "The caravanserai will open to visitors next month, with a small museum about the caravan trade.",
        ),
        "K/RD 4",
        ("Heritage", "Archaeology"),
        210,
        "town",
        related=("baghdad-book-street",),
    ),
    Story(
        "seafront-cinema",
        ("Culture", "Film"),
        "text",
        "Open-air cinema returns to the seafront for the summer",
        "Free screenings will run every weekend until September.",
        (
            "An open-air cinema is returning to the seafront this summer, with free screenings every weekend "
            "until September, the city's culture department said.",
            "The programme mixes classic films from the region with recent festival winners, and children's "
            "films are shown early in the evening.",
            "Last year's screenings drew more than 40,000 people over the season.",
        ),
        "K/RD 4",
        ("Film", "Summer"),
        280,
        None,
        related=("river-documentary",),
    ),
)
