"""The words synthetic ICC data is made of: countries, name parts, periods, policy vocabulary, sentences.

Sentence templates name slots ({goal}, {group}, {actor}, {activity}, {place},
{problem}, {org}, {city}, {n}, {year}); a capitalised slot ({Actor}) starts a sentence.
"""

# (ISO 3166-1 alpha-2, Wikidata item, rough centre lat, lon): ICC members and partners.
COUNTRIES = (
    ("ES", "Q29", 40.4, -3.7), ("IT", "Q38", 42.8, 12.5), ("PT", "Q45", 39.6, -8.0), ("NO", "Q20", 61.0, 9.0),
    ("DE", "Q183", 51.1, 10.4), ("GB", "Q145", 53.0, -1.5), ("FR", "Q142", 46.6, 2.4), ("UA", "Q212", 49.0, 31.4),
    ("GR", "Q41", 39.1, 22.0), ("PL", "Q36", 52.1, 19.4), ("SE", "Q34", 62.0, 15.0), ("NL", "Q55", 52.2, 5.5),
    ("BE", "Q31", 50.6, 4.6), ("CH", "Q39", 46.8, 8.2), ("AT", "Q40", 47.6, 14.1), ("DK", "Q35", 56.0, 10.0),
    ("FI", "Q33", 63.0, 26.0), ("IE", "Q27", 53.2, -7.7), ("CY", "Q229", 35.0, 33.2), ("MT", "Q233", 35.9, 14.4),
    ("HU", "Q28", 47.2, 19.5), ("RO", "Q218", 45.9, 24.9), ("BG", "Q219", 42.7, 25.5), ("HR", "Q224", 45.1, 15.2),
    ("SI", "Q215", 46.1, 14.8), ("SK", "Q214", 48.7, 19.7), ("CZ", "Q213", 49.8, 15.5), ("RS", "Q403", 44.0, 20.9),
    ("BA", "Q225", 44.2, 17.8), ("MK", "Q221", 41.6, 21.7), ("ME", "Q236", 42.7, 19.3), ("AL", "Q222", 41.1, 20.0),
    ("MD", "Q217", 47.2, 28.5), ("GE", "Q230", 42.3, 43.4), ("AM", "Q399", 40.1, 45.0), ("AZ", "Q227", 40.3, 47.7),
    ("TR", "Q43", 39.0, 35.2), ("IS", "Q189", 64.9, -18.6), ("LU", "Q32", 49.8, 6.1), ("EE", "Q191", 58.6, 25.0),
    ("LV", "Q211", 56.9, 24.6), ("LT", "Q37", 55.2, 23.9), ("AD", "Q228", 42.5, 1.6), ("LI", "Q347", 47.2, 9.6),
    ("MC", "Q235", 43.7, 7.4), ("SM", "Q238", 43.9, 12.5), ("CA", "Q16", 56.1, -106.3), ("MX", "Q96", 23.6, -102.6),
    ("US", "Q30", 38.0, -97.0), ("JP", "Q17", 36.2, 138.3), ("KR", "Q884", 35.9, 127.8), ("AU", "Q408", -25.3, 133.8),
    ("NZ", "Q664", -41.0, 174.0), ("MA", "Q1028", 31.8, -7.1), ("TN", "Q948", 34.0, 9.5), ("IL", "Q801", 31.0, 34.9),
    ("JO", "Q810", 31.0, 36.2), ("LB", "Q822", 33.9, 35.9), ("BR", "Q155", -14.2, -51.9), ("AR", "Q414", -38.4, -63.6),
    ("CL", "Q298", -35.7, -71.5), ("CO", "Q739", 4.6, -74.3),
)

ONSETS = ("Al", "Bel", "Cor", "Dal", "Es", "Fen", "Gra", "Hal", "Is", "Jar", "Kel", "Lin", "Mar", "Nor", "Ol",
          "Pal", "Quin", "Ros", "Sal", "Tor", "Ul", "Val", "Wes", "Zar", "Bran", "Cas", "Dor", "Ever", "Fal",
          "Lor", "Mon", "Ser")
MIDDLES = ("a", "e", "i", "o", "an", "en", "in", "or", "ar", "el", "il", "os", "us", "ver", "mon", "ten")
ENDINGS = ("burg", "ton", "ville", "stad", "ia", "ona", "heim", "by", "field", "ford", "sk", "ovo", "ano", "ez",
           "haven", "mouth", "dorf", "ja", "ra", "grad", "polis", "ek", "ino", "à", "on", "vik")
DISTRICTS = ("North", "South", "East", "West", "Centre", "Harbour", "Old Town", "Riverside", "Hill", "Park",
             "Market", "Station", "Gardens", "Docks", "Heights", "Valley")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre")

# Every form the importer reads, with a weight close to how often the ICC pages print it.
PERIOD_FORMS = (
    (30, lambda r, y: f"{y}"),
    (6, lambda r, y: f"{y}-"),
    (10, lambda r, y: f"{y}-{y + r.randint(1, 6)}"),
    (3, lambda r, y: f"{y}-{r.choice(MONTHS)} {y + r.randint(1, 8)}"),
    (3, lambda r, y: f"Since {y} - Ongoing"),
    (2, lambda r, y: f"On-going since {y}"),
    (2, lambda r, y: f"{MONTHS[(m := r.randrange(11))]} - {MONTHS[m + 1]} {y}"),
    (12, lambda r, y: f"{y} onwards"),
    (3, lambda r, y: f"{y}-{y + r.randint(1, 5)} (ongoing)"),
    (3, lambda r, y: f"{r.randint(1, 28)} {r.choice(MONTHS)} {y}"),
    (3, lambda r, y: f"{r.choice(MONTHS)} {y} – present"),
    (4, lambda r, y: f"{y} - ongoing"),
    (2, lambda r, y: f"Depuis {y}"),
    (2, lambda r, y: f"{r.choice(MOIS)} {y}"),
    (3, lambda r, y: "N/A"),
    (4, lambda r, y: "ongoing"),
    (1, lambda r, y: "Ongoing for several years"),
)

GROUPS = ("newcomers", "refugees", "asylum seekers", "migrant women", "young people", "Roma families",
          "older residents", "international students", "migrant entrepreneurs", "unaccompanied minors",
          "second-generation youth", "local residents", "parents", "job seekers", "religious communities",
          "minority language speakers", "migrant workers", "children and families")
ACTORS = ("the municipality", "the city council", "the intercultural office", "local NGOs", "civil society partners",
          "the education department", "community associations", "the social services", "volunteers",
          "the local police", "cultural mediators", "the public library", "neighbourhood committees",
          "the chamber of commerce", "schools and teachers", "the migrant council", "faith leaders")
GOALS = ("foster social cohesion", "promote intercultural dialogue", "reduce prejudice and discrimination",
         "improve access to public services", "strengthen the participation of migrants in local life",
         "support the labour market integration of newcomers", "build trust between communities",
         "counter rumours and stereotypes about diversity", "create safe and inclusive public spaces",
         "recognise diversity as an advantage for the city", "improve equal opportunities in education",
         "support language learning", "encourage mixing in neighbourhoods", "prevent radicalisation and conflict")
ACTIVITIES = ("organise intercultural workshops", "train front-line staff in intercultural competence",
              "run a mentoring scheme", "hold neighbourhood dialogue sessions", "set up language cafés",
              "launch an anti-rumour campaign", "map the needs of residents", "co-design a local action plan",
              "open a one-stop welcome desk", "host a diversity festival", "offer free legal and social advice",
              "support migrant-led businesses", "create a network of cultural mediators",
              "develop teaching materials on diversity", "convene a consultative council")
PLACES = ("the city centre", "deprived neighbourhoods", "public schools", "community centres", "the harbour district",
          "social housing estates", "public libraries", "sports clubs", "local markets", "youth centres")
PROBLEMS = ("segregation in schools", "low trust in institutions", "rising hate speech",
            "unemployment among newcomers", "a lack of contact between groups", "language barriers",
            "tensions in public space", "under-representation in local politics", "poor housing conditions",
            "unequal access to health care")

SENTENCES = {
    "purpose": (
        "The project aims to {goal} among {group} in {city}.",
        "{City} wants to {goal} and to {goal2}.",
        "The initiative seeks to {goal} by bringing {group} and {group2} together.",
        "Its purpose is to {goal} through practical cooperation in {place}.",
    ),
    "stimulus": (
        "A survey in {year} showed {problem} in {place}.",
        "The city faced {problem}, especially among {group}.",
        "Local partners reported {problem} and asked {actor} to act.",
        "The number of {group} in {city} grew quickly after {year}, and {problem} became visible.",
        "The ICC Index review pointed to {problem} as a priority for {city}.",
        "The {org} raised {problem} with {actor}.",
    ),
    "process": (
        "{Actor} worked with {actor2} to {activity} in {place}.",
        "Over {n} months, {actor} and {actor2} met regularly to {activity}.",
        "A steering group of {actor}, {actor2} and {group} was set up to {activity}.",
        "{N} volunteers were trained to {activity}.",
        "The first phase focused on {place}; the second extended the work to the whole city.",
        "Each activity was co-designed with {group} so that it would {goal}.",
        "The team used the ICC anti-rumour methodology to {activity}.",
        "Funding came from the municipal budget and a European programme, which allowed {actor} to {activity}.",
        "{Actor} partnered with the {org} to {activity}.",
    ),
    "outcomes": (
        "More than {N} {group} took part in the activities.",
        "The project helped {actor} to {goal}.",
        "Participants reported better relations with {group2} and more trust in {actor}.",
        "{N} events were held in {place} in {year}.",
        "The approach was adopted as part of the city's intercultural strategy.",
        "The {org} now runs the activities with its own funding.",
    ),
    "evaluation": (
        "An external evaluation in {year} measured changes in attitudes among {group}.",
        "{Actor} collected feedback from {N} participants through questionnaires and focus groups.",
        "Indicators on participation and satisfaction were reviewed every six months.",
    ),
    "key_success_factors": (
        "Strong political commitment and the involvement of {actor}.",
        "Close cooperation between {actor} and {actor2}.",
        "Giving {group} an active role from the design stage.",
        "Stable funding and a dedicated coordinator.",
    ),
    "transferability": (
        "The method can be transferred to other cities that wish to {goal}.",
        "Other ICC member cities have adapted the approach to their own context.",
        "A toolkit was published so that {actor} elsewhere can {activity}.",
    ),
}
# (section, share of practices that have it, sentences min..max)
SECTION_SHAPE = (("purpose", 1.0, 1, 3), ("stimulus", 0.75, 1, 3), ("process", 0.9, 3, 7),
                 ("outcomes", 0.7, 2, 4), ("evaluation", 0.4, 1, 3), ("key_success_factors", 0.45, 1, 3),
                 ("transferability", 0.35, 1, 2))
SUMMARY_LABELS = {"purpose": "Purpose", "stimulus": "Stimulus/Rationale", "process": "Process"}
SENTENCES_FR = (
    "Le projet vise à favoriser le dialogue interculturel entre les habitants de {city}.",
    "La ville a mis en place un réseau de médiateurs culturels dans les quartiers.",
    "Des ateliers ont réuni des familles migrantes et des associations locales.",
    "L'objectif est de lutter contre les rumeurs et les stéréotypes sur la diversité.",
    "Plus de {N} personnes ont participé aux activités en {year}.",
)
# Named organisations give the texts the long tail of rare words real descriptions have.
ORG_KINDS = ("Foundation", "Association", "Centre", "Network", "Trust", "Cooperative", "Forum", "Institute")


TITLE_HEADS = ("Intercultural", "Welcoming", "Open", "Shared", "Inclusive", "Diverse", "Together in", "Living",
               "Neighbours for", "Bridges to", "Voices of", "Building")
TITLE_NOUNS = ("Dialogue", "Neighbourhoods", "Mediation Network", "Language Café", "Anti-Rumour Strategy",
               "Mentoring Programme", "Welcome Desk", "Festival", "Schools", "Participation Council",
               "Citizens' Panel", "Action Plan", "Sports League", "Cultural Heritage Trail", "Job Club")

# One practice in ten of the real database says in so many words what its topics are; most hint at them.
# Each topic's cue phrases (the project's own), one of which a practice on the topic may carry: the
# theme suggester's leave-one-out measurement (bench/suggest.py) needs texts that depend on the themes.
THEME_CUES = {
    "anti-discrimination-and-equality": ("reports of racist incidents are followed up", "equal treatment audits",
                                         "a hate speech hotline", "the anti-racism charter"),
    "anti-rumour-methodologies": ("trained anti-rumour agents", "a campaign against rumours and prejudice",
                                  "stereotypes debunked in street debates", "myth-busting workshops"),
    "business-and-employment": ("job seekers meet employers", "entrepreneurs start a business",
                                "apprenticeships and vocational training", "a recruitment fair"),
    "communication-and-public-awareness": ("a media campaign on local radio", "newspaper stories by residents",
                                           "posters and social media posts", "a public awareness week"),
    "culture-leisure-and-heritage": ("a festival of music and dance", "museum exhibitions", "sport clubs",
                                     "heritage walks and library events"),
    "developing-a-culture-of-openness-and-interculturality": ("intercultural competence training",
                                                              "encounters across backgrounds",
                                                              "a diversity advantage strategy",
                                                              "interaction between neighbours of every origin"),
    "education": ("pupils and teachers in primary schools", "a school curriculum", "classes for students",
                  "kindergarten staff"),
    "gender-equality-and-intersectionality": ("migrant women and mothers", "gender equality workshops",
                                              "girls' empowerment", "multiple discrimination"),
    "health-social-care-and-family-support": ("home visits to families", "health care access", "parents and "
                                              "children counselling", "elderly care"),
    "housing-and-urban-planning": ("affordable housing", "urban regeneration of the estate", "public space design",
                                   "tenants and landlords"),
    "leadership-and-political-commitment": ("the mayor and the city council", "an intercultural strategy adopted "
                                            "by the council", "political commitment", "municipal governance"),
    "mediation-and-conflict-resolution": ("trained mediators", "neighbourhood conflicts resolved", "dispute "
                                          "mediation", "tensions between groups defused"),
    "multilingualism": ("mother-tongue lessons", "interpreters and translation", "language cafes",
                        "multilingual signs"),
    "political-and-public-participation": ("citizen assemblies", "residents vote on the budget", "a youth council",
                                           "public consultation"),
    "public-and-community-services": ("community centres", "municipal services adapted", "volunteers at the "
                                      "neighbourhood centre", "one-stop service desks"),
    "refugees": ("asylum seekers", "refugees fleeing war", "reception of refugees", "refugee buddies"),
    "religion-and-interfaith": ("interfaith dialogue", "churches, mosques and synagogues", "faith leaders",
                                "places of worship"),
    "roma": ("Roma families", "Roma mediators", "antigypsyism", "Roma and Traveller children"),
    "security-justice-and-safety": ("community policing", "crime prevention", "police officers", "safer streets"),
    "welcoming-and-social-integration": ("newcomers welcomed", "a welcome desk for new arrivals", "integration "
                                         "courses", "orientation for migrants"),
}
