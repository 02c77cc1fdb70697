"""bench/generate writes a data folder the build accepts, the same bytes for the same seed."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

from icc_graph.build.period import parse_period
from icc_graph.build.progress import Progress
from icc_graph.build.release import build

from .conftest import ROOT, settings_for

GENERATE = ROOT / "bench" / "generate"


def generate(out: Path, practices: int = 200, seed: int = 7) -> Path:
    subprocess.run([sys.executable, str(GENERATE), "--practices", str(practices), "--seed", str(seed),
                    "--out", str(out)], check=True, capture_output=True, text=True)
    return out


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generated_data_builds_into_a_release(tmp_path):
    data = generate(tmp_path / "data")
    folder = build(settings_for(data, tmp_path / "dist"), Progress(enabled=False))
    assert folder.name == "synthetic-200-s7"
    nquads = (folder / "icc-graph.nq").read_text(encoding="utf-8")
    assert nquads.count("/practice/") >= 200


def test_generated_data_looks_like_the_real_thing(tmp_path):
    data = generate(tmp_path / "data", practices=1000)
    places = yaml.safe_load((data / "places.yaml").read_text(encoding="utf-8"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml: 1000 files in a third of the time
    docs = [yaml.load(p.read_text(encoding="utf-8"), Loader=loader)
            for p in sorted((data / "practices").glob("*.yaml"))]
    assert len(docs) == 1000
    assert len(places["cities"]) == 100 and len(places["countries"]) >= 55 and places["districts"]
    per_city = Counter(city for d in docs for city in d["source"]["cities"])
    assert 5 <= sum(per_city.values()) / len(per_city) <= 12
    assert all(1 <= len(d["curation"]["themes"]) <= 3 for d in docs)
    assert not any(t.startswith("index-") for d in docs for t in d["curation"]["themes"])
    periods = [d["source"] for d in docs if "period" in d["source"]]
    for source in periods:   # the stored years are what the period rules read from the text
        parsed = parse_period(source["period"])
        assert (source["start_year"], source["end_year"], source["ongoing"]) == \
            (parsed.start_year, parsed.end_year, parsed.ongoing)
    texts = {s["period"] for s in periods}
    for form in ("N/A", "ongoing", "Depuis", "onwards", "present", "On-going since", "(ongoing)"):
        assert any(form in t for t in texts), form
    words = [sum(len(t.split()) for t in d["source"]["sections"].values()) for d in docs]
    assert 100 <= sum(words) / len(words) <= 400


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    first, again = generate(tmp_path / "a"), generate(tmp_path / "b")
    assert tree(first) == tree(again)
    assert tree(generate(tmp_path / "c", seed=8)) != tree(first)
