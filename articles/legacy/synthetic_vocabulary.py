"""The words synthetic legacy pages are made of (`articles.legacy.synthetic`): places, topics,
the parts of titles, sign-offs and paragraph sentences. Written for this generator; standard
library only, like the generator.
"""

# Country → towns. A page's breadcrumb is "Country – Topic – Town" (sometimes without the town).
PLACES = {
    "Iraq": ("Najaf", "Karbala", "Erbil", "Samarra", "Hilla", "Kut"),
    "Jordan": ("Amman", "Irbid", "Zarqa", "Aqaba", "Madaba"),
    "Egypt": ("Alexandria", "Aswan", "Luxor", "Port Said", "Ismailia"),
    "Tunisia": ("Sfax", "Sousse", "Bizerte", "Gabes"),
    "Oman": ("Muscat", "Salalah", "Sohar", "Nizwa"),
    "Morocco": ("Fez", "Tangier", "Agadir", "Meknes", "Oujda"),
}
TOWNS = tuple((country, town) for country, towns in PLACES.items() for town in towns)
TOPICS = ("Infrastructure", "Health", "Education", "Economy", "Transport", "Farming", "Environment", "Energy")
ACTORS = (
    "Engineers",
    "Municipal Crews",
    "Volunteers",
    "Contractors",
    "Ministry Teams",
    "Students",
    "Farmers' Unions",
    "City Workers",
    "Aid Agencies",
    "Local Councils",
    "Technicians",
    "Inspectors",
    "Rail Workers",
    "Water Authority",
    "Health Officials",
    "Utility Crews",
    "Charities",
    "Surveyors",
    "Planners",
    "Residents",
)
DEEDS = (
    "Repair",
    "Reopen",
    "Inspect",
    "Restore",
    "Upgrade",
    "Rebuild",
    "Survey",
    "Hand Over",
    "Clean Up",
    "Connect",
    "Finish Work on",
    "Open",
)
THINGS = (
    "Schools",
    "Water Pumps",
    "Clinics",
    "Footbridges",
    "Bakeries",
    "Power Lines",
    "Wells",
    "Roads",
    "Market Halls",
    "Generators",
    "Classrooms",
    "Rail Crossings",
    "Grain Stores",
    "Bus Shelters",
    "Irrigation Canals",
    "Street Lights",
    "Health Posts",
    "Phone Masts",
    "Pumping Stations",
    "Fire Stations",
)
NUMBERS = range(2, 50)
TITLE_SPACE = len(ACTORS) * len(DEEDS) * len(NUMBERS) * len(THINGS) * len(TOWNS)

SIGNOFFS = ("K/RD 4", "L/MZ 8", "T/FA 12", "B/NS 6", "D/HQ 1", "E/YO 15", "G/PW 10")
OFFICIALS = (
    "a spokeswoman for the governorate",
    "the deputy mayor",
    "the project's site manager",
    "a ministry engineer",
    "the head of the district council",
    "a member of the works committee",
)
# Paragraph sentences; the slots are filled per page. Written for this generator.
SENTENCES = (
    "{actor} in {town} said on {day} they had finished work on {n} {things}, {weeks} weeks ahead of the plan.",
    "The work in {town} was paid for from the {country_adj} reconstruction fund, {official} said.",
    "Residents had waited since the spring for the {things} to be brought back into use.",
    "{official_cap} told reporters that inspections would continue through the coming month.",
    "About {pct} percent of households in the district are expected to benefit, according to council figures.",
    "Crews worked in two shifts to avoid the afternoon heat, and the main road stayed open throughout.",
    "Shopkeepers near the site said trade had picked up as soon as the scaffolding came down.",
    "A second phase, covering the outlying villages, is due to start after the harvest.",
    "The contract was awarded in an open tender that drew {bids} bids, the first in {town} for several years.",
    "Officials said spare parts had been ordered in bulk so that future repairs would take days, not weeks.",
    "Parents welcomed the news, saying the journey to the nearest alternative took more than an hour.",
    "The provincial budget for the year sets aside a larger share than before for maintenance.",
    "Independent monitors are to publish a report on the quality of the work before the end of the year.",
    "Local radio carried a list of the affected streets, and council staff went door to door to explain the timetable.",
    "Similar projects in {other_town} last year were completed on time and within their budgets.",
    "{actor} said the hardest part had been finding materials after a sharp rise in the price of cement.",
    "The governorate plans to train {n} young people as technicians to look after the new equipment.",
    "Some residents complained about dust and noise, but most said the disruption had been worth it.",
)
COUNTRY_ADJ = {
    "Iraq": "Iraqi",
    "Jordan": "Jordanian",
    "Egypt": "Egyptian",
    "Tunisia": "Tunisian",
    "Oman": "Omani",
    "Morocco": "Moroccan",
}
