"""Real concurrency on the test database (SQLite or PostgreSQL, whichever the run uses).

These tests commit: two threads with their own database connections cannot see rows of a test
transaction. Every row they add is removed afterwards (rows above the primary keys seen before), so
the session's reference data and the other tests are untouched.
"""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager

from django.db import connections

from twotier.core.roles import RECEPTIONIST, SPECIALIST, UNIT_LEADER

from .factories import RE_BIRTH, A, B, at, hcmc_setup, receipt


def _models():
    from django.apps import apps

    labels = [
        "dossiers.DossierEvent",
        "dossiers.Notification",
        "dossiers.Document",
        "dossiers.SupplementRequest",
        "dossiers.Payment",
        "dossiers.ApologyLetter",
        "dossiers.IdempotencyRecord",
        "dossiers.Dossier",
        "dossiers.ReceiptSequence",
        "core.AccessLog",
        "apparatus.ApparatusEvent",
        "apparatus.Responsibility",
        "apparatus.Task",
        "apparatus.UnitParent",
        "apparatus.Unit",
        "core.StaffProfile",
        "sessions.Session",
    ]
    return [apps.get_model(label) for label in labels]


@contextmanager
def committed_world():
    """Yield while rows are committed for real; delete every row added meanwhile afterwards."""
    from django.contrib.auth.models import User

    models = _models()
    before = {
        m: (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        for m in models
        if m._meta.pk.name != "session_key"
    }
    users_before = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        yield
    finally:
        from django.contrib.sessions.models import Session

        Session.objects.all().delete()
        for model in models:
            if model in before:
                model.objects.filter(pk__gt=before[model]).delete()
        User.groups.through.objects.filter(user_id__gt=users_before).delete()
        User.objects.filter(pk__gt=users_before).delete()


def _user(username: str, role: str, commune: str):
    from django.contrib.auth.models import Group, User

    from tests.conftest import PASSWORD
    from twotier.core.models import StaffProfile

    user = User.objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, province_code="79", commune_code=commune)
    return user


def _run_together(functions):
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def runner(i, fn):
        try:
            barrier.wait(10)
            results[i] = fn()
        except BaseException as exc:  # the test inspects what each side got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_moves_with_the_same_version_one_wins_one_is_stale(django_db_blocker):
    from twotier.dossiers.models import Dossier, DossierEvent
    from twotier.dossiers.services import StaleDossier, move_dossier, receive_dossier

    with django_db_blocker.unblock(), committed_world():
        hcmc_setup()
        clerk = _user("cc_rec_a", RECEPTIONIST, A)
        one = _user("cc_spec_b", SPECIALIST, B)
        two = _user("cc_lead_b", UNIT_LEADER, B)
        dossier = receive_dossier(receipt(RE_BIRTH), actor=clerk, received_at=at(2026, 3, 2, 9))

        def attempt(actor):
            def go():
                fresh = Dossier.objects.get(pk=dossier.pk)
                return move_dossier(fresh, 4, actor=actor, seen_version=1)

            return go

        results = _run_together([attempt(one), attempt(two)])

        outcomes = Counter(type(r).__name__ for r in results)
        assert outcomes == Counter({"Dossier": 1, "StaleDossier": 1}), results
        assert any(isinstance(r, StaleDossier) for r in results)
        dossier.refresh_from_db()
        assert (dossier.status, dossier.version) == (4, 2)
        moves = list(
            DossierEvent.objects.filter(dossier=dossier, kind="status_changed").values_list(
                "actor", flat=True
            )
        )
        winner = next(r for r in results if not isinstance(r, Exception))
        assert moves == [winner.assignee_id]


def test_two_http_requests_with_the_same_version_give_200_and_409_and_one_event(django_db_blocker):
    from django.test import Client

    from twotier.dossiers.models import Dossier, DossierEvent
    from twotier.dossiers.services import receive_dossier

    with django_db_blocker.unblock(), committed_world():
        hcmc_setup()
        clerk = _user("ch_rec_a", RECEPTIONIST, A)
        actors = [_user("ch_spec_b", SPECIALIST, B), _user("ch_lead_b", UNIT_LEADER, B)]
        dossier = receive_dossier(receipt(RE_BIRTH), actor=clerk, received_at=at(2026, 3, 2, 9))
        clients = []
        for actor in actors:
            client = Client()
            client.force_login(actor)
            clients.append(client)
        url = f"/api/v1/dossiers/{dossier.receipt_code}/transitions"

        def attempt(client):
            return lambda: client.post(url, data={"target": 4, "version": 1}, content_type="application/json")

        responses = _run_together([attempt(c) for c in clients])

        assert sorted(r.status_code for r in responses) == [200, 409], [
            getattr(r, "content", r) for r in responses
        ]
        refused = next(r for r in responses if r.status_code == 409)
        assert refused.json() == {"detail": "Hồ sơ đã được người khác cập nhật, vui lòng tải lại"}
        assert DossierEvent.objects.filter(dossier=dossier, kind="status_changed").count() == 1
        assert Dossier.objects.get(pk=dossier.pk).version == 2


def test_concurrent_receipts_get_unique_codes(django_db_blocker):
    from twotier.dossiers.models import Dossier, DossierEvent
    from twotier.dossiers.services import receive_dossier

    with django_db_blocker.unblock(), committed_world():
        hcmc_setup()
        clerks = [_user(f"cr_rec_{i}", RECEPTIONIST, A) for i in range(4)]

        def attempt(clerk):
            return lambda: [receive_dossier(receipt(RE_BIRTH), actor=clerk).receipt_code for _ in range(5)]

        results = _run_together([attempt(c) for c in clerks])

        codes = [code for batch in results for code in batch]
        assert len(codes) == 20, results
        assert len(set(codes)) == 20, results
        assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 21))
        received = DossierEvent.objects.filter(kind="received", dossier__receipt_code__in=codes)
        assert received.count() == 20
        assert Dossier.objects.filter(receipt_code__in=codes).count() == 20
