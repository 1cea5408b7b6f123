"""The receipt's per-process reference cache across worker processes (core.ReferenceVersion)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from twotier.apparatus import services as apparatus
from twotier.apparatus.models import Task
from twotier.core.errors import Conflict
from twotier.core.models import ReferenceVersion
from twotier.core.roles import RECEPTIONIST
from twotier.core.services import reference_version
from twotier.dossiers import refcache
from twotier.dossiers.services import receive_dossier

from .factories import RE_BIRTH, A, B, at, hcmc_setup, receipt, staff

OFFICE_B = f"{B}-office"
SUCCESSOR = f"{B}-office-2026"


@pytest.fixture
def cache_on(settings, monkeypatch):
    """The cache as a server worker uses it. A test runs inside its own transaction, where the cache
    stands aside (module doc of refcache); here it must behave as in autocommit mode."""
    settings.TWOTIER_REFERENCE_CACHE_SECONDS = 300
    monkeypatch.setattr(refcache, "_usable", lambda: True)
    refcache.clear()
    yield
    refcache.clear()


@pytest.fixture
def world(db, make_staff, django_user_model):
    hcmc_setup()
    clerk = staff(make_staff, "rec_cache", RECEPTIONIST, A)
    leader = django_user_model.objects.create_superuser("leader-cache", password="x")
    return clerk, leader


def rename_office_b(leader):
    reorg = apparatus.draft_reorganization(
        kind="rename",
        title="Đổi tên Văn phòng",
        effective_on=date(2026, 3, 1),
        legal_basis="QĐ 1/2026",
        actor=leader,
        plan={
            "predecessors": [OFFICE_B],
            "successors": [
                {
                    "code": SUCCESSOR,
                    "name": "Văn phòng (mới)",
                    "kind": "",
                    "level": "",
                    "tier": "",
                    "from": [OFFICE_B],
                }
            ],
        },
    )
    return apparatus.apply_reorganization(reorg, actor=leader)


def test_a_reorganization_committed_elsewhere_reaches_the_next_receipt(world, cache_on):
    clerk, leader = world
    first = receive_dossier(receipt(RE_BIRTH), actor=clerk, received_at=at(2026, 3, 2, 9))
    assert first.competent_unit.code == OFFICE_B
    # What a second worker process holds: the cache filled by that receipt, under the version then.
    other_process = dict(refcache._store)
    version_then = refcache._seen_version[0]
    assert version_then == reference_version()

    rename_office_b(leader)  # "another process": its signals clear only its own memory

    refcache._store.update(other_process)
    refcache._seen_version[0] = version_then
    route_key = ("route", RE_BIRTH, "commune", "79", B, date(2026, 3, 2))
    assert refcache._store[route_key][1].unit.code == OFFICE_B  # the stale answer is really there
    assert reference_version() > version_then

    second = receive_dossier(receipt(RE_BIRTH), actor=clerk, received_at=at(2026, 3, 2, 10))

    assert second.competent_unit.code == SUCCESSOR
    assert refcache._seen_version[0] == reference_version()


def test_without_a_change_the_next_receipt_reads_no_reference_rows(world, cache_on):
    clerk, _ = world
    receive_dossier(receipt(RE_BIRTH), actor=clerk, received_at=at(2026, 3, 2, 9))

    with CaptureQueriesContext(connection) as queries:
        again = receive_dossier(receipt(RE_BIRTH), actor=clerk, received_at=at(2026, 3, 2, 10))

    sql = [q["sql"] for q in queries.captured_queries]
    assert again.competent_unit.code == OFFICE_B
    assert sum("core_referenceversion" in s for s in sql) == 1  # the one check per receipt
    assert [s for s in sql if "apparatus_responsibility" in s or "procedures_procedure" in s] == []


def test_reference_changes_bump_the_version_only_when_they_commit(world):
    clerk, leader = world
    before = reference_version()
    task = Task.objects.get(procedure_code=RE_BIRTH)
    apparatus.end_responsibility(
        task.responsibilities.get(commune_code=A, role="lead", valid_to__isnull=True),
        on=date(2026, 1, 1),
        actor=leader,
    )
    after_end = reference_version()
    assert after_end == before + 1
    assert ReferenceVersion.objects.get().changed_at is not None

    # abolishing Office B while it has an open dossier is refused after the version was bumped in
    # the reorganization's transaction: the refusal rolls the bump back with everything else
    receive_dossier(receipt(RE_BIRTH), actor=clerk, received_at=at(2026, 3, 2, 9))
    abolish = apparatus.draft_reorganization(
        kind="abolish",
        title="Giải thể",
        effective_on=date(2026, 3, 1),
        legal_basis="QĐ 2/2026",
        actor=leader,
        plan={"predecessors": [OFFICE_B]},
    )
    with pytest.raises(Conflict, match="còn 1 hồ sơ"):
        apparatus.apply_reorganization(abolish, actor=leader)
    assert reference_version() == after_end
