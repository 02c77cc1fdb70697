"""The period rules (icc_graph.build.period) on every period the issue lists, and variations."""

from __future__ import annotations

import pytest

from icc_graph.build.period import parse_period

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
]


@pytest.mark.parametrize(("text", "start", "end", "ongoing"), PERIODS, ids=[str(p[0]) for p in PERIODS])
def test_period_rules(text, start, end, ongoing):
    period = parse_period(text)
    assert (period.text, period.start_year, period.end_year, period.ongoing) == (text, start, end, ongoing)
