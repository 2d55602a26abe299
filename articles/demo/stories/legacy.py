"""The demo's legacy-shaped stories: written as page files of the old site and brought in through
the real importer, as the archive arrives."""

from articles.demo.stories.kinds import LegacyStory

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
