"""A made-up ICC good-practice database for the stand-in site: about a hundred practices in English and French.

Every text is generated here from our own word lists (never the real site's
text). Each practice knows its truth (title, country, cities as places.yaml
spells them, years) and prints its "Country City Period" line in one of the
forms real entries use: two-digit end years, several ranges, a parenthesised
"since" year, "from" in English, French and Serbian, month names, ordinal
halves, "current", free words around the years, several cities without
commas, the place printed again after the period, hyphenated districts and
cities that places.yaml does not know. A few entries cannot be read for sure
on purpose: their truth is that they go to the review list.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from icc_graph.vocabulary.iris import slugify

# country: (English, French, [(city as printed in en, in fr, as places.yaml spells it or None when new)])
COUNTRIES = {
    "NO": ("Norway", "Norvège", [("Oslo", "Oslo", "Oslo"), ("Stavanger", "Stavanger", "Stavanger"),
                                 ("Bergen", "Bergen", None)]),
    "DE": ("Germany", "Allemagne", [("Berlin", "Berlin", "Berlin"), ("Erlangen", "Erlangen", "Erlangen"),
                                    ("Berlin-Neukölln", "Berlin-Neukölln", "Berlin-Neukölln"),
                                    ("Berlin-Mitte", "Berlin-Mitte", None), ("Düsseldorf", "Düsseldorf", None)]),
    "GB": ("United Kingdom", "Royaume-Uni", [("London", "Londres", "London"), ("Leeds", "Leeds", "Leeds"),
                                             ("London-Lewisham", "London-Lewisham", "London-Lewisham"),
                                             ("London-Southwark", "London-Southwark", None)]),
    "PT": ("Portugal", "Portugal", [("Lisbon", "Lisbonne", "Lisbon"), ("Cascais", "Cascais", "Cascais"),
                                    ("Loures", "Loures", "Loures"), ("Braga", "Braga", None)]),
    "IT": ("Italy", "Italie", [("Turin", "Turin", "Turin"), ("Reggio Emilia", "Reggio Emilia", "Reggio Emilia"),
                               ("Palermo", "Palermo", None)]),
    "ES": ("Spain", "Espagne", [("Getafe", "Getafe", None), ("Santa Coloma de Gramenet", "Santa Coloma de Gramenet",
                                                            None), ("San Sebastián", "San Sebastián", None)]),
    "RS": ("Serbia", "Serbie", [("Subotica", "Subotica", None), ("Novi Sad", "Novi Sad", None)]),
    "SE": ("Sweden", "Suède", [("Botkyrka", "Botkyrka", None)]),
    "PL": ("Poland", "Pologne", [("Lublin", "Lublin", None)]),
    "GR": ("Greece", "Grèce", [("Patras", "Patras", None)]),
    "FR": ("France", "France", [("Strasbourg", "Strasbourg", None)]),
    "NZ": ("New Zealand", "Nouvelle-Zélande", [("Auckland", "Auckland", "Auckland")]),
    "UA": ("Ukraine", "Ukraine", [("Melitopol", "Melitopol", "Melitopol")]),
}
# Several known cities of one country, printed without commas ("Norway Oslo Stavanger 2016").
SEVERAL = {"NO": ["Oslo", "Stavanger"], "IT": ["Turin", "Reggio Emilia"], "PT": ["Lisbon", "Cascais"]}

EN_MONTHS = ["January", "March", "May", "June", "September", "October"]
FR_MONTHS = ["janvier", "mars", "mai", "juin", "septembre", "octobre"]


def _periods(rng: random.Random):
    """(English text, French text, start, end, ongoing) for each period form, with random years."""
    a = rng.randint(2008, 2016)
    b = a + rng.randint(1, 4)
    c, d = b + rng.randint(1, 2), b + rng.randint(3, 5)
    m1, m2 = rng.randrange(len(EN_MONTHS)), rng.randrange(len(EN_MONTHS))
    return [
        (f"{a}", f"{a}", a, a, False),
        (f"{a}-", f"{a}-", a, None, True),
        (f"{a}-{b % 100:02d}", f"{a}-{b % 100:02d}", a, b, False),
        (f"{a}-{b}, {c}-{d}", f"{a}-{b}, {c}-{d}", a, d, False),
        (f"{a}-{b % 100:02d} and {c}-{d % 100:02d}", f"{a}-{b % 100:02d} et {c}-{d % 100:02d}", a, d, False),
        (f"{b} (since {a})", f"{b} (depuis {a})", a, None, True),
        (f"From {a}", f"à partir de {a}", a, None, True),
        (f"From {a} to {b}", f"dès {a} jusqu'en {b}", a, b, False),
        (f"od {a}. godine", f"od {a}. godine", a, None, True),
        (f"{EN_MONTHS[m1]} {a} - {EN_MONTHS[m2]} {b}", f"{FR_MONTHS[m1]} {a} - {FR_MONTHS[m2]} {b}", a, b, False),
        (f"2nd half {a}", f"2e semestre {a}", a, a, False),
        (f"{a} - current", f"{a} - en cours", a, None, True),
        (f"launched in {a}, evaluated in {b}", f"lancé en {a}, évalué en {b}", a, b, False),
        (f"pilot {a}, city-wide since {b}", f"pilote {a}, dans toute la ville depuis {b}", a, None, True),
        (f"Since {a} - Ongoing", f"Depuis {a}", a, None, True),
        (f"{a}-{b} (ongoing)", f"{a}-{b} (en cours)", a, b, True),
        ("ongoing", "en cours", None, None, True),
        (f"{a} onwards", f"depuis {a}", a, None, True),
    ]


# Our own words for titles and texts.
EN_TITLE = (["Open", "Shared", "Welcoming", "Neighbourhood", "Young", "Intercultural", "Local", "Common", "Bridging",
             "Everyday"],
            ["kitchens", "libraries", "gardens", "mentors", "assemblies", "festivals", "classrooms", "workshops",
             "radio", "walks"],
            ["newcomers", "neighbours", "parents", "students", "elders", "traders", "artists", "families"])
FR_TITLE = (["Ouvert", "Partagé", "Accueillant", "De quartier", "Jeune", "Interculturel", "Local", "Commun",
             "Passerelle", "Quotidien"],
            ["cuisines", "bibliothèques", "jardins", "mentors", "assemblées", "festivals", "classes", "ateliers",
             "radios", "promenades"],
            ["nouveaux arrivants", "voisins", "parents", "étudiants", "aînés", "commerçants", "artistes", "familles"])
_EN_TEXT = ("city council residents volunteers meet weekly to plan shared activities across districts schools "
            "libraries markets sports clubs welcome newcomers and build trust between communities through "
            "small grants training sessions public events mentoring and evaluation")
WORDS = _EN_TEXT.split()
_FR_TEXT = ("la ville les habitants bénévoles se réunissent chaque semaine pour préparer des activités "
            "communes dans les quartiers écoles bibliothèques marchés clubs accueillent les nouveaux arrivants "
            "et créent la confiance entre les communautés")
MOTS = _FR_TEXT.split()
EN_HEADINGS = [("Purpose", "purpose"), ("Stimulus/Rationale", "stimulus"), ("Process", "process"),
               ("Outcomes", "outcomes"), ("Impact", "outcomes")]
FR_HEADINGS = [("Objectif", "purpose"), ("Justification", "stimulus"), ("Processus", "process"),
               ("Résultats", "outcomes"), ("Impact", "outcomes")]


@dataclass
class Practice:
    slug: str
    titles: dict[str, str]
    country: str
    cities: list[str]            # as places.yaml spells them (new ones as printed)
    start: int | None
    end: int | None
    ongoing: bool | None
    lines: dict[str, str]        # language -> the "Country City Period" line
    texts: dict[str, list[tuple[str | None, str]]]   # language -> (heading or None, paragraph)
    subtitle: dict[str, str | None]
    layout: str                  # how the practice page prints it: place-before, place-after, no-headings
    colon: bool                  # headings inline with a colon, else on their own line
    status: int = 200            # the practice page: 200, 404 (gone), 301 (moved to moved_to)
    moved_to: str | None = None
    review: bool = False         # its line cannot be read for sure: it must go to the review list
    disallowed: bool = False     # robots.txt forbids its page


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def _line(country: str, cities: str, period: str) -> str:
    return " ".join(p for p in (country, cities, period) if p)


def generate(count: int = 100, seed: int = 16) -> list[Practice]:
    rng = random.Random(seed)
    practices: list[Practice] = []
    codes = sorted(COUNTRIES)
    for i in range(count):
        iso2 = codes[i % len(codes)]
        en_country, fr_country, cities = COUNTRIES[iso2]
        en_city, fr_city, known = cities[(i // len(codes)) % len(cities)]
        forms = _periods(rng)
        en_period, fr_period, start, end, ongoing = forms[i % len(forms)]
        en_cities, fr_cities, truth = en_city, fr_city, [known or en_city]
        style = i % 7
        if style == 3 and iso2 in SEVERAL:              # several known cities, no commas
            truth = SEVERAL[iso2]
            en_cities = fr_cities = " ".join(truth)
        elif style == 5 and iso2 in SEVERAL:            # with commas
            truth = SEVERAL[iso2]
            en_cities = fr_cities = ", ".join(truth)
        en_line, fr_line = _line(en_country, en_cities, en_period), _line(fr_country, fr_cities, fr_period)
        if style == 6:                                   # the place printed again after the period
            en_line, fr_line = f"{en_line} {en_cities}", f"{fr_line} ({fr_cities}, {fr_country})"
        adjective, noun, group = (rng.randrange(len(part)) for part in EN_TITLE)
        title_en = f"{EN_TITLE[0][adjective]} {EN_TITLE[1][noun]} for {EN_TITLE[2][group]} {i + 1}"
        title_fr = f"{FR_TITLE[1][noun].capitalize()} {FR_TITLE[0][adjective].lower()}s pour les " \
                   f"{FR_TITLE[2][group]} {i + 1}"
        texts = {}
        for language, words, headings in (("en", WORDS, EN_HEADINGS), ("fr", MOTS, FR_HEADINGS)):
            chosen = headings[: 3 + i % 3]
            texts[language] = [(h, _sentence(rng, words, rng.randint(14, 30))) for h, _ in chosen]
        practices.append(Practice(
            slug=slugify(title_en), titles={"en": title_en, "fr": title_fr}, country=iso2, cities=truth,
            start=start, end=end, ongoing=ongoing, lines={"en": en_line, "fr": fr_line}, texts=texts,
            subtitle={"en": _sentence(rng, WORDS, 8), "fr": _sentence(rng, MOTS, 8)} if i % 4 == 1
            else {"en": None, "fr": None},
            layout=("place-before", "place-after", "no-headings")[i % 3] if i % 9 else "place-before",
            colon=i % 2 == 0,
        ))
    _special(practices, rng)
    return practices


def _special(practices: list[Practice], rng: random.Random) -> None:
    """The pages that test the harvester's manners: a gone page, a moved one, one robots.txt forbids, and
    two entries that cannot be read for sure."""
    practices[10].status = 404
    practices[20].status = 301
    practices[20].moved_to = practices[20].slug + "-renamed"
    practices[30].disallowed = True
    practices[30].slug = "internal-" + practices[30].slug
    for n, (line_en, line_fr) in enumerate([("Spain Bilbao Getxo 2019", "Espagne Bilbao Getxo 2019"),
                                            ("Norway Oslo Spring", "Norvège Oslo Printemps")]):
        title = f"Uncertain entry {n + 1}"
        practices.append(Practice(
            slug=slugify(title), titles={"en": title, "fr": f"Entrée incertaine {n + 1}"}, country="ES",
            cities=[], start=None, end=None, ongoing=None, lines={"en": line_en, "fr": line_fr},
            texts={"en": [("Purpose", _sentence(rng, WORDS, 12))], "fr": [("Objectif", _sentence(rng, MOTS, 12))]},
            subtitle={"en": None, "fr": None}, layout="place-before", colon=True, review=True))
