"""Reorganizations move open dossiers of a dissolved unit to its successor, one event on each."""

from __future__ import annotations

from datetime import date

import pytest

from twotier.apparatus import hooks
from twotier.core.errors import Conflict
from twotier.core.roles import RECEPTIONIST
from twotier.dossiers import services
from twotier.dossiers.models import Dossier
from twotier.dossiers.services import move_dossier, receive_dossier

from .factories import RE_BIRTH, START, A, B, at, hcmc_setup, receipt, staff


@pytest.fixture
def world(db, make_staff):
    from twotier.apparatus import services as apparatus

    units = hcmc_setup()
    clerk = staff(make_staff, "rec_a", RECEPTIONIST, A)
    successor = apparatus.create_unit(
        code=f"{B}-office-2026",
        name="Văn phòng HĐND và UBND (mới)",
        kind="office",
        tier="commune",
        level="division",
        province_code="79",
        commune_code=B,
        valid_from=START,
        parent=units[B]["committee"],
    )
    open_one = receive_dossier(receipt(RE_BIRTH), actor=clerk, received_at=at(2026, 3, 2, 9))
    done = receive_dossier(receipt(RE_BIRTH), actor=clerk, received_at=at(2026, 3, 2, 10))
    Dossier.objects.filter(pk=done.pk).update(status=10)
    return clerk, successor, open_one, done


def test_the_hook_is_registered():
    assert [h.name for h in hooks.open_work_hooks() if h.name == "dossiers"] == ["dossiers"]


def test_open_dossiers_follow_the_successor_with_an_event(world):
    clerk, successor, open_one, done = world
    old = f"{B}-office"
    assert services.count_open_dossiers([old], date(2026, 4, 1)) == 1

    moved = services.move_open_dossiers({old: successor.code}, date(2026, 4, 1), clerk, 7)

    assert moved == 1
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert (open_one.competent_unit, open_one.version) == (successor, 2)
    assert done.competent_unit.code == old  # history is not rewritten
    event = open_one.events.get(kind="reorganized")
    assert event.data == {
        "from_unit": old,
        "to_unit": successor.code,
        "reorganization": 7,
        "on": "2026-04-01",
    }
    assert event.actor == clerk
    # the moved dossier keeps working: the version moved, so a stale page gets 409
    with pytest.raises(services.StaleDossier):
        move_dossier(open_one, 4, actor=clerk, seen_version=1)


def test_abolishing_a_unit_with_open_dossiers_and_no_successor_is_refused(world):
    clerk, _, open_one, _ = world
    with pytest.raises(Conflict, match="còn 1 hồ sơ"):
        services.move_open_dossiers({f"{B}-office": None}, date(2026, 4, 1), clerk, 8)
    open_one.refresh_from_db()
    assert open_one.competent_unit.code == f"{B}-office"
