"""The reference data loaded once per session: the article's figures, HCMC's units, the gaps report."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from twotier.apparatus.authority import commune_gaps
from twotier.apparatus.models import Responsibility, Task, Unit, UnitParent

pytestmark = pytest.mark.django_db


def metrics(code, capsys):
    call_command("apparatus_metrics", "--unit", code, "--before", "2025-06-30", "--after", "2025-10-22")
    return json.loads(capsys.readouterr().out)


def test_fatherland_front_figures_of_the_article(capsys):
    assert metrics("hcmc-front", capsys) == {
        "unit": "hcmc-front",
        "before": {
            "date": "2025-06-30",
            "headcount": 891,
            "units_by_level": {"department": 32},
            "commune_units": 0,
        },
        "after": {
            "date": "2025-10-22",
            "headcount": 457,
            "units_by_level": {"department": 10},
            "commune_units": 168,
        },
        "change": {"headcount": -434, "headcount_pct": -48.7, "units_by_level": {"department": -22}},
    }


def test_police_figures_of_the_article(capsys):
    result = metrics("hcmc-police", capsys)

    assert result["change"]["units_by_level"] == {"department": -46, "team": -212}
    assert result["before"]["headcount"] > 30_000
    assert result["after"]["headcount"] > 30_000
    assert result["after"]["commune_units"] == 168
    before, after = result["before"]["headcount"], result["after"]["headcount"]
    assert result["change"] == {
        "headcount": after - before,
        "headcount_pct": round(100 * (after - before) / before, 1),
        "units_by_level": {"department": -46, "team": -212},
    }


def test_hcmc_apparatus_units():
    on = date(2025, 10, 22)
    hcmc = Unit.objects.get(code="hcmc")
    departments = Unit.objects.valid_on(on).filter(
        pk__in=UnitParent.objects.valid_on(on).filter(parent=hcmc).values("unit_id"), level="department"
    )
    assert departments.count() == 16
    commune_pcs = Unit.objects.valid_on(on).filter(function="commune_committee")
    assert commune_pcs.count() == 168
    assert set(Unit.objects.filter(code="26740-econ").values_list("name", flat=True)) == {
        "Phòng Kinh tế, Hạ tầng và Đô thị Phường Sài Gòn"
    }
    xa = Unit.objects.get(
        commune_code__in=commune_pcs.values("commune_code"), function="econ", name__contains="Xã Đất Đỏ"
    )
    assert xa.name == "Phòng Kinh tế Xã Đất Đỏ"
    for suffix in ("office", "econ", "culture", "pasc", "police"):
        assert Unit.objects.valid_on(on).filter(code__endswith=f"-{suffix}", tier="commune").count() == 168


def test_every_commune_procedure_has_a_lead_or_a_stated_reason():
    gaps, summary = commune_gaps(date(2025, 10, 22))

    assert summary["communes"] == 168
    assert summary["pairs_with_lead"] + summary["pairs_without_lead"] == summary["task_commune_pairs"]
    # what remains is outside the two-tier apparatus (vertical central agencies), each with its reason
    assert {g.reason.split(":")[0] for g in gaps} == {"Ngoài bộ máy hai cấp"}
    assert all(len(g.communes) == 168 for g in gaps)


def test_civil_status_is_led_by_the_commune_office_and_received_by_the_pasc():
    task = Task.objects.filter(field="Hộ tịch", at_commune=True).order_by("code").first()
    rows = Responsibility.objects.valid_on(date(2025, 10, 22)).filter(task=task, commune_code="26740")
    assert sorted(rows.values_list("role", "unit__code")) == [
        ("coordinate", "26740-pasc"),
        ("lead", "26740-office"),
    ]
