"""The period rules (icc_graph.build.period) on every period the issue lists, and variations."""

from __future__ import annotations

import pytest

from icc_graph.build.period import doubt, parse_period

# printed -> (start year, end year, ongoing)
PERIODS = [
    ("2016-", 2016, None, True),
    ("2016 -", 2016, None, True),
    ("2016–", 2016, None, True),
    ("2013-July 2023", 2013, 2023, False),
    ("Since 2017 - Ongoing", 2017, None, True),
    ("On-going since 2014", 2014, None, True),
    ("January - February 2018", 2018, 2018, False),
    ("2018 onwards", 2018, None, True),
    ("2019-2023 (ongoing)", 2019, 2023, True),
    ("21 June 2018", 2018, 2018, False),
    ("March 2017 – present", 2017, None, True),
    ("Depuis 2014", 2014, None, True),
    ("depuis mai 2016", 2016, None, True),
    ("mai 2016", 2016, 2016, False),
    ("N/A", None, None, None),
    ("n/a", None, None, None),
    ("-", None, None, None),
    ("", None, None, None),
    (None, None, None, None),
    ("2016", 2016, 2016, False),
    ("2015-2020", 2015, 2020, False),
    ("2019-2050", 2019, 2050, False),
    ("2009 - ongoing", 2009, None, True),
    ("ongoing", None, None, True),
    ("Ongoing for several years", None, None, True),
    ("en cours", None, None, True),
    ("2012 to date", 2012, None, True),
    ("2016 - aujourd'hui", 2016, None, True),
    ("Spring", None, None, None),
    # two-digit end years
    ("2015-17", 2015, 2017, False),
    ("2019/20", 2019, 2020, False),
    ("1998-02", 1998, 2002, False),
    ("2018 - 22 June 2019", 2018, 2019, False),
    # several ranges on one line
    ("2012-2014, 2016-2018", 2012, 2018, False),
    ("2011-13 and 2017-19", 2011, 2019, False),
    # a year with a parenthesised "since" year
    ("2018 (since 2012)", 2012, None, True),
    ("2020 (depuis 2015)", 2015, None, True),
    # "from" in English, French and Serbian
    ("From 2015", 2015, None, True),
    ("From 2015 to 2018", 2015, 2018, False),
    ("à partir de 2016", 2016, None, True),
    ("A partir de septembre 2016", 2016, None, True),
    ("dès 2019", 2019, None, True),
    ("dès 2014 jusqu'en 2017", 2014, 2017, False),
    ("od 2015. godine", 2015, None, True),
    ("od marta 2015", 2015, None, True),
    ("od 2015. do 2018.", 2015, 2018, False),
    # month names and ordinal halves
    ("September 2015 - June 2016", 2015, 2016, False),
    ("2nd half 2019", 2019, 2019, False),
    ("second half of 2018 - 2020", 2018, 2020, False),
    ("1er semestre 2021", 2021, 2021, False),
    ("21. marta 2015", 2015, 2015, False),
    # current
    ("2016 - current", 2016, None, True),
    ("Current", None, None, True),
    # free words around the years
    ("launched in 2016, evaluated in 2019", 2016, 2019, False),
    ("pilot 2016, city-wide since 2018", 2016, None, True),
    ("2017 and still running", 2017, None, True),
    ("u toku od 2014", 2014, None, True),
]

# printed -> why it cannot be read for sure (None: it can)
DOUBTS = [
    ("2016", None),
    ("N/A", None),
    (None, None),
    ("ongoing", None),
    ("21 June 2018", None),
    ("2nd half 2019", None),
    ("Spring", "no year and no 'ongoing'"),
    ("15-17", "no year and no 'ongoing'"),
    ("2016 (phase 215)", "the number '215'"),
    ("1850-1900", "the number '1850'"),
]


@pytest.mark.parametrize(("text", "reason"), DOUBTS, ids=[str(d[0]) for d in DOUBTS])
def test_period_doubts(text, reason):
    found = doubt(text)
    assert (found is None) if reason is None else (reason in found)


@pytest.mark.parametrize(("text", "start", "end", "ongoing"), PERIODS, ids=[str(p[0]) for p in PERIODS])
def test_period_rules(text, start, end, ongoing):
    period = parse_period(text)
    assert (period.text, period.start_year, period.end_year, period.ongoing) == (text, start, end, ongoing)
