"""Compare two pytest runs test by test: ``pytest -p no:cacheprovider --durations=0 -vv > run.txt``, then
``python bench/suite_durations.py before.txt after.txt``.

Tests are matched by file name (not folder: the restructuring of #15 moved test files) and test name, else by
test name alone when it is unique on both sides; a test's time is its setup + call + teardown, so a session
fixture counts in the first test that uses it (on either side). Prints the time of the tests both runs have,
and the ones that got slower.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict

LINE = re.compile(r"^([\d.]+)s (call|setup|teardown)\s+(\S+)$")
# A test that took over another one's work under a new name (the old one is gone): after -> before.
TOOK_OVER = {"test_iris_resolve.py::test_every_iri_the_release_mints_or_announces_resolves":
             "test_negotiation.py::test_every_iri_in_the_release_answers_at_its_path"}


def read(path: str) -> dict[str, float]:
    """Test id -> seconds (setup + call + teardown)."""
    seconds: dict[str, float] = defaultdict(float)
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            found = LINE.match(line.strip())
            if found:
                seconds[found.group(3)] += float(found.group(1))
    return dict(seconds)


def short(test_id: str) -> str:
    path, _, name = test_id.partition("::")
    return f"{path.rsplit('/', 1)[-1]}::{name}"


def match(before: dict[str, float], after: dict[str, float]) -> dict[str, str]:
    """after id -> before id, for the tests both runs have."""
    by_short = {short(t): t for t in before}
    by_name: dict[str, list[str]] = defaultdict(list)
    for t in before:
        by_name[t.partition("::")[2]].append(t)
    after_names: dict[str, int] = defaultdict(int)
    for t in after:
        after_names[t.partition("::")[2]] += 1
    taken_over = {old for new, old in TOOK_OVER.items() if old not in map(short, after)}
    pairs = {}
    for t in after:
        key = TOOK_OVER[short(t)] if TOOK_OVER.get(short(t)) in taken_over else short(t)
        name = t.partition("::")[2]
        if key in by_short:
            pairs[t] = by_short[key]
        elif len(by_name[name]) == 1 and after_names[name] == 1:
            pairs[t] = by_name[name][0]
    return pairs


def main(before_path: str, after_path: str, shown: int = 15) -> None:
    before, after = read(before_path), read(after_path)
    pairs = match(before, after)
    both_before = sum(before[b] for b in pairs.values())
    both_after = sum(after[a] for a in pairs)
    print(f"tests timed: before {len(before)} ({sum(before.values()):.1f} s), after {len(after)} "
          f"({sum(after.values()):.1f} s)")
    print(f"in both: {len(pairs)} tests, before {both_before:.1f} s, after {both_after:.1f} s "
          f"({both_after - both_before:+.1f} s)")
    print(f"only after: {len(after) - len(pairs)} tests, {sum(after.values()) - both_after:.1f} s")
    slower = sorted(pairs.items(), key=lambda pair: before[pair[1]] - after[pair[0]])
    print("slower by the most (s: before -> after):")
    for a, b in slower[:shown]:
        if after[a] > before[b]:
            print(f"  {before[b]:6.2f} -> {after[a]:6.2f}  {a}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
