"""The demo's Business stories (written through the editorial actions)."""

from articles.demo.stories.kinds import Story

BUSINESS = (
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
)
