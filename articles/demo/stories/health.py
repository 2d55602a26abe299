"""The demo's Health stories (written through the editorial actions)."""

from articles.demo.stories.kinds import Story

HEALTH = (
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
)
