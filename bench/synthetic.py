"""Synthetic ICC data at any size, in the exact format of data/, deterministic from a seed.

The shape follows the real database: about ten practices per city, cities in
about sixty countries (real ISO 3166 codes and names), districts inside some
cities, one to three themes per practice from ontology/themes.ttl, template
sections of realistic length and vocabulary, and periods in every form the
importer reads (their years computed with icc_graph.build.period.parse_period).

Texts are assembled from sentence templates with a few slots each, which keeps
the vocabulary varied while generating 100k practices in seconds. An English
practice mentions each of its themes with probability CUE_SHARE, by one of the
theme's cue phrases (vocabulary.THEME_CUES), drawn from a random generator of its
own so that everything else is what the same seed always gave.
"""

from __future__ import annotations

import gettext
import math
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from vocabulary import (
    ACTIVITIES,
    ACTORS,
    COUNTRIES,
    DISTRICTS,
    ENDINGS,
    GOALS,
    GROUPS,
    MIDDLES,
    ONSETS,
    ORG_KINDS,
    PERIOD_FORMS,
    PLACES,
    PROBLEMS,
    SECTION_SHAPE,
    SENTENCES,
    SENTENCES_FR,
    SUMMARY_LABELS,
    THEME_CUES,
    TITLE_HEADS,
    TITLE_NOUNS,
)

from icc_graph.build.period import parse_period

ROOT = Path(__file__).resolve().parent.parent
THEMES_TTL = ROOT / "ontology" / "themes.ttl"
PAGE = "https://www.coe.int/en/web/interculturalcities/-/"
READ_ON = "2026-11-28"
CUE_SHARE = 0.7

def make_org(rng: random.Random) -> str:
    return f"{rng.choice(ONSETS)}{rng.choice(MIDDLES)}{rng.choice(ENDINGS)} {rng.choice(ORG_KINDS)}"


@dataclass
class City:
    slug: str
    name: str
    country: str
    lat: float
    lon: float
    wikidata: str | None
    status: str
    districts: list[tuple[str, str, float, float]] = field(default_factory=list)   # slug, name, lat, lon


def theme_slugs(path: Path = THEMES_TTL) -> list[str]:
    """The topic scheme's themes (theme/<slug>, not the index areas theme/index-<slug>)."""
    found = set(re.findall(r"^theme:([a-z0-9-]+)", path.read_text(encoding="utf-8"), re.MULTILINE))
    return sorted(s for s in found if not s.startswith("index-"))


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def country_names() -> dict[str, tuple[str, str | None]]:
    """iso2 -> (English name, French name or None), from pycountry."""
    try:
        french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"]).gettext
    except OSError:
        french = None
    names = {}
    for iso2, *_ in COUNTRIES:
        entry = pycountry.countries.get(alpha_2=iso2)
        english = getattr(entry, "common_name", None) or entry.name
        fr = french(entry.name) if french else None
        names[iso2] = (english, fr if fr and fr != english and "," not in fr else None)
    return names


def city_names(rng: random.Random, taken: set[str]) -> Iterator[str]:
    """Endless invented city names ("Valenburg", "Norostad"), unique by slug and apart from ``taken``."""
    seen = {slugify(n) for n in taken}
    while True:
        parts = [rng.choice(ONSETS)]
        parts += [rng.choice(MIDDLES) for _ in range(rng.choice((0, 1, 1, 2, 3)) + len(seen) // 400_000)]
        name = "".join(parts) + rng.choice(ENDINGS)
        if slugify(name) not in seen:
            seen.add(slugify(name))
            yield name


def make_cities(rng: random.Random, count: int, taken: set[str]) -> list[City]:
    """Cities spread over the countries, a few countries with many (as in ICC), every country used first."""
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(COUNTRIES))]
    names = city_names(rng, taken)
    cities = []
    for i in range(count):
        iso2, _, clat, clon = COUNTRIES[i] if i < len(COUNTRIES) else rng.choices(COUNTRIES, weights)[0]
        name = next(names)
        status = rng.choices(("confirmed", "partial", "unconfirmed"), (6, 2, 2))[0]
        city = City(slugify(name), name, iso2, round(clat + rng.uniform(-3, 3), 4), round(clon + rng.uniform(-4, 4), 4),
                    None if status == "unconfirmed" else f"Q{9_000_000 + i}", status)
        if rng.random() < 0.15:
            for district in rng.sample(DISTRICTS, rng.randint(1, 4)):
                city.districts.append((f"{city.slug}-{slugify(district)}", f"{name}-{district}",
                                       round(city.lat + rng.uniform(-0.05, 0.05), 4),
                                       round(city.lon + rng.uniform(-0.05, 0.05), 4)))
        cities.append(city)
    return cities


_POOLS = {"goal": GOALS, "goal2": GOALS, "group": GROUPS, "group2": GROUPS, "actor": ACTORS, "actor2": ACTORS,
          "activity": ACTIVITIES, "place": PLACES, "problem": PROBLEMS,
          "n": ("12", "20", "35", "50", "80", "120", "200", "350", "500", "1200"),
          "year": tuple(str(y) for y in range(2005, 2025))}
_SLOTS: dict[str, tuple[tuple[str, str], ...]] = {}


def fill(template: str, rng: random.Random, city: str) -> str:
    """One sentence: only the slots the template names are drawn, to keep generation cheap."""
    slots = _SLOTS.get(template)
    if slots is None:
        slots = _SLOTS[template] = tuple((s, s.lower()) for s in re.findall(r"{(\w+)}", template))
    values = {}
    for slot, low in slots:
        value = city if low == "city" else make_org(rng) if low == "org" else rng.choice(_POOLS[low])
        values[slot] = value[0].upper() + value[1:] if slot[0].isupper() else value
    return template.format_map(values)


def make_sections(rng: random.Random, city: str, language: str) -> dict[str, str]:
    if language == "fr":
        return {"purpose": " ".join(fill(rng.choice(SENTENCES_FR), rng, city) for _ in range(rng.randint(2, 4))),
                "process": " ".join(fill(rng.choice(SENTENCES_FR), rng, city) for _ in range(rng.randint(3, 6)))}
    sections = {}
    for name, share, low, high in SECTION_SHAPE:
        if rng.random() < share:
            pool = SENTENCES[name]
            sections[name] = " ".join(fill(rng.choice(pool), rng, city) for _ in range(rng.randint(low, high)))
    return sections


def summarize(sections: dict[str, str], limit: int = 200) -> str:
    """The listing page's teaser: labelled first sections, cut at a word with an ellipsis."""
    text = " ".join(f"{label}: {sections[key]}" for key, label in SUMMARY_LABELS.items() if key in sections)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "..."


def make_period(rng: random.Random) -> str | None:
    if rng.random() < 0.02:
        return None
    form = rng.choices([f for _, f in PERIOD_FORMS], [w for w, _ in PERIOD_FORMS])[0]
    return form(rng, rng.randint(2000, 2023))


_PLAIN = re.compile(r"[A-Za-z][^\n'\"#]*")
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(value) -> str:
    """A YAML scalar the way the importer writes it: plain when safe, else single-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if _PLAIN.fullmatch(value) and ": " not in value and not value.endswith((" ", ":")) \
            and value.lower() not in _RESERVED:
        return value
    return "'" + value.replace("'", "''") + "'"


HEADER = ("# One ICC good practice. `source` is what the ICC page prints (the importer rewrites it);\n"
          "# `curation` is ours (themes, labels, corrections) and no importer touches it.\n")


def practice_yaml(slug: str, title: str | None, label: str | None, country: str, places: list[str],
                  period: str | None, sections: dict[str, str], themes: list[str], language: str) -> str:
    parsed = parse_period(period)
    lines = [HEADER + f"slug: {slug}", "source:", f"  page: {PAGE}{slug}", f"  read_on: '{READ_ON}'",
             f"  language: {language}", f"  title: {scalar(title)}", f"  country: {scalar(country)}", "  cities:"]
    lines += [f"  - {scalar(p)}" for p in places]
    if period is not None:
        lines += [f"  period: {scalar(period)}", f"  start_year: {scalar(parsed.start_year)}",
                  f"  end_year: {scalar(parsed.end_year)}", f"  ongoing: {scalar(parsed.ongoing)}"]
    lines += [f"  summary: {scalar(summarize(sections))}", "  sections:"]
    lines += [f"    {key}: {scalar(text)}" for key, text in sections.items()]
    lines += ["curation:", "  themes:"] + [f"  - {t}" for t in themes]
    if label:
        lines.append(f"  label: {scalar(label)}")
    return "\n".join(lines) + "\n"


def make_title(rng: random.Random, city: str) -> str:
    title = f"{rng.choice(TITLE_HEADS)} {rng.choice(TITLE_NOUNS)}"
    roll = rng.random()
    if roll < 0.3:
        return f"{title} in {city}"
    if roll < 0.5:
        return f"{title} for {rng.choice(GROUPS).title()}"
    return f"{city} {title}" if roll < 0.7 else title


def places_yaml(cities: list[City], names: dict[str, tuple[str, str | None]]) -> str:
    used = sorted({c.country for c in cities}, key=[c[0] for c in COUNTRIES].index)
    wikidata = {iso2: q for iso2, q, *_ in COUNTRIES}
    lines = ["# Synthetic places written by bench/generate (invented cities in real countries).", "countries:"]
    for iso2 in used:
        english, french = names[iso2]
        extra = f", names: {{fr: {scalar(french)}}}" if french else ""
        lines.append(f"- {{iso2: \"{iso2}\", name: {scalar(english)}, wikidata: {wikidata[iso2]}, "
                     f"wikidata_status: confirmed{extra}}}")
    lines.append("cities:")
    for c in cities:
        qid = f", wikidata: {c.wikidata}" if c.wikidata else ""
        lines.append(f"- {{slug: {c.slug}, name: {c.name}, country: \"{c.country}\"{qid}, "
                     f"wikidata_status: {c.status}, lat: {c.lat}, lon: {c.lon}}}")
    lines.append("districts:")
    for c in cities:
        for slug, name, lat, lon in c.districts:
            lines.append(f"- {{slug: {slug}, name: {name}, city: {c.slug}, wikidata_status: unconfirmed, "
                         f"lat: {lat}, lon: {lon}}}")
    return "\n".join(lines) + "\n"


def dataset_yaml(practices: int, seed: int) -> str:
    source = (ROOT / "data" / "dataset.yaml").read_text(encoding="utf-8")
    source = re.sub(r"(?m)^version: .*$", f"version: synthetic-{practices}-s{seed}", source)
    return re.sub(r"(?m)^title: .*$", f"title: ICC good practices (synthetic, {practices} practices, seed {seed})",
                  source)


def write_data(out: Path, practices: int, seed: int = 1) -> Path:
    """Write a complete data folder with ``practices`` practices into ``out``; return ``out``."""
    rng = random.Random(seed)
    themes = theme_slugs()
    theme_weights = [1 / (rank + 1) ** 0.6 for rank in range(len(themes))]
    rng.shuffle(themes)
    names = country_names()
    taken = {n for pair in names.values() for n in pair if n}
    cities = make_cities(rng, max(1, math.ceil(practices / 10)), taken)
    by_country: dict[str, list[City]] = {}
    for c in cities:
        by_country.setdefault(c.country, []).append(c)
    (out / "practices").mkdir(parents=True, exist_ok=True)
    (out / "dataset.yaml").write_text(dataset_yaml(practices, seed), encoding="utf-8")
    (out / "places.yaml").write_text(places_yaml(cities, names), encoding="utf-8")
    slugs: set[str] = set()
    for i in range(practices):
        city = cities[rng.randrange(len(cities))]
        place = city.name
        if city.districts and rng.random() < 0.4:
            place = rng.choice(city.districts)[1]
        places = [place]
        if rng.random() < 0.08:     # a network of cities of one country runs it together
            others = [c.name for c in rng.sample(by_country[city.country], min(3, len(by_country[city.country])))]
            places += [n for n in others if n != city.name][: rng.randint(1, 2)]
        language = "fr" if rng.random() < 0.08 else "en"
        title = make_title(rng, city.name)
        untitled = rng.random() < 0.01
        slug = base = slugify(f"untitled-{city.name}-{i}" if untitled else title)[:80].strip("-")
        n = 1
        while slug in slugs:
            n += 1
            slug = f"{base}-{n}"
        slugs.add(slug)
        english, french = names[city.country]
        country = french if language == "fr" and french else english
        chosen = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            theme = rng.choices(themes, theme_weights)[0]
            if theme not in chosen:
                chosen.append(theme)
        label = f"{title} (untitled in the source)" if untitled else None
        sections = make_sections(rng, city.name, language)
        if language == "en":
            cue_rng = random.Random(f"{seed}:{i}")
            cues = [cue_rng.choice(THEME_CUES[t]) for t in chosen if cue_rng.random() < CUE_SHARE]
            if cues:
                key = "process" if "process" in sections else next(iter(sections), "purpose")
                sections[key] = (sections.get(key, "") + " It involves " + " and ".join(cues) + ".").strip()
        text = practice_yaml(slug, None if untitled else title, label, country, places, make_period(rng),
                             sections, chosen, language)
        (out / "practices" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return out
