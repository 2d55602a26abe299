"""The demo's Culture stories (written through the editorial actions)."""

from articles.demo.stories.kinds import Story

CULTURE = (
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
