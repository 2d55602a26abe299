"""The demo's Science stories (written through the editorial actions)."""

from articles.demo.stories.kinds import Story

SCIENCE = (
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
)
