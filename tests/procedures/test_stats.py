"""`twotier procedure_stats`: the exact JSON shape of the issue, and `--unparsed`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

UNITS = {"working_days", "calendar_days", "same_day", "hours", "none"}


def run(*args) -> dict:
    out = io.StringIO()
    call_command("procedure_stats", *args, stdout=out)
    return json.loads(out.getvalue())


def test_stats_shape_and_figures():
    stats = run()

    assert list(stats) == [
        "procedures",
        "catalogue_records",
        "curated",
        "suspect_copies",
        "by_level",
        "by_field",
        "time",
        "fee",
        "documents",
    ]
    assert (stats["procedures"], stats["catalogue_records"], stats["curated"], stats["suspect_copies"]) == (
        2646,
        2642,
        60,
        17,
    )
    assert stats["by_level"] == {"commune": 592, "province": 1252, "ministry": 1413, "other": 51}
    assert sum(stats["by_field"].values()) == 2646
    assert stats["by_field"]["Hải quan"] == 192
    assert stats["by_field"]["Bảo trợ xã hội"] == 3  # curated-only
    assert list(stats["time"]) == ["parsed", "unparsed", "by_unit"]
    assert set(stats["time"]["by_unit"]) <= UNITS
    assert stats["time"]["parsed"] == sum(stats["time"]["by_unit"].values())
    assert stats["time"]["parsed"] + stats["time"]["unparsed"] == 2646
    assert stats["time"]["unparsed"] / 2646 < 0.10
    assert stats["time"]["by_unit"]["same_day"] >= 1
    for aspect in ("fee", "documents"):
        assert list(stats[aspect]) == ["parsed", "unparsed"]
        assert stats[aspect]["parsed"] + stats[aspect]["unparsed"] == 2646


def test_unparsed_lists_each_gap_with_its_reason_and_the_rates():
    listing = run("--unparsed")
    stats = run()

    assert set(listing) == {"rates", "reasons", "unparsed"}
    assert len(listing["unparsed"]["time"]) == stats["time"]["unparsed"]
    assert len(listing["unparsed"]["fee"]) == stats["fee"]["unparsed"]
    assert len(listing["unparsed"]["documents"]) == stats["documents"]["unparsed"]
    customs = next(row for row in listing["unparsed"]["time"] if row["code"] == "1.009559")
    assert "has no unit and the text does not name one" in customs["reason"]
    assert sum(listing["reasons"]["time"].values()) == stats["time"]["unparsed"]
    for aspect in ("time", "fee", "documents"):
        assert listing["rates"][aspect]["rate"] >= 0.90
