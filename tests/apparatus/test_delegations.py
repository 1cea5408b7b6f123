from datetime import date

import pytest

from twotier.apparatus import services
from twotier.apparatus.authority import who_may_decide
from twotier.apparatus.models import Delegation

from .factories import lead, make_official, make_post, make_task, make_unit

pytestmark = pytest.mark.django_db


def test_who_may_decide_follows_the_delegation_period_and_expires_by_itself():
    task, other_task = make_task("d-task"), make_task("d-other")
    committee = make_unit("d-pc", tier="commune", commune_code="26740", level="commune")
    office = make_unit("d-office", tier="commune", commune_code="26740", level="division")
    lead(task, committee, commune="26740", tier="commune")
    lead(other_task, committee, commune="26740", tier="commune")
    services.create_delegation(
        instrument_no="15/QĐ-UBND",
        valid_from=date(2025, 8, 1),
        valid_to=date(2025, 12, 31),
        province_code="79",
        commune_code="26740",
        from_unit=committee,
        to_unit=office,
        tasks=[task],
    )

    before = who_may_decide(task, "26740", date(2025, 7, 31))
    during = who_may_decide(task, "26740", date(2025, 12, 30))
    after = who_may_decide(task, "26740", date(2025, 12, 31))
    not_in_scope = who_may_decide(other_task, "26740", date(2025, 9, 1))

    assert (before.lead, before.delegate, before.instrument) == (committee, None, "")
    assert (during.lead, during.delegate, during.instrument) == (committee, office, "15/QĐ-UBND")
    assert (after.lead, after.delegate, after.instrument) == (committee, None, "")
    assert (not_in_scope.delegate, not_in_scope.decided_by) == (None, committee)


def test_delegation_from_an_official_of_the_lead_unit_and_the_city_fallback():
    task = make_task("d-city", at_commune=False)
    department = make_unit("d-dept")
    lead(task, department)  # city-wide lead
    director = make_official("Giám đốc Sở")
    deputy = make_official("Phó Giám đốc Sở")
    services.assign_official(director, make_post(department, "Giám đốc", 1), valid_from=date(2025, 1, 1))
    services.create_delegation(
        instrument_no="7/UQ-SXD",
        valid_from=date(2025, 9, 1),
        valid_to=None,
        province_code="79",
        from_official=director,
        to_official=deputy,
    )

    result = who_may_decide(task, "26740", date(2025, 9, 2))

    assert (result.lead, result.delegate, result.instrument) == (department, deputy, "7/UQ-SXD")


def test_revoked_delegation_stops_on_the_revocation_date_and_needs_an_instrument():
    task = make_task("d-revoke")
    unit, other = make_unit("d-r1"), make_unit("d-r2")
    lead(task, unit)
    delegation = services.create_delegation(
        instrument_no="1/UQ",
        valid_from=date(2025, 1, 1),
        valid_to=None,
        province_code="79",
        from_unit=unit,
        to_unit=other,
    )
    services.revoke_delegation(delegation, on=date(2025, 3, 1))

    assert who_may_decide(task, "", date(2025, 2, 28)).delegate == other
    assert who_may_decide(task, "", date(2025, 3, 1)).delegate is None
    with pytest.raises(services.DomainError):
        services.create_delegation(
            instrument_no=" ",
            valid_from=date(2025, 1, 1),
            valid_to=None,
            province_code="79",
            from_unit=unit,
            to_unit=other,
        )
    assert Delegation.objects.filter(from_unit=unit).count() == 1
