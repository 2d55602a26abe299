"""The demo's Sport stories (written through the editorial actions)."""

from articles.demo.stories.kinds import Story

SPORT = (
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
)
