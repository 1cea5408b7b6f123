"""Notifications: written in the service's transaction, sent after commit through the backends,
by a real Celery worker (Redis when CELERY_BROKER_URL is set, as in CI's PostgreSQL pass; the
in-memory broker otherwise)."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from twotier.core.roles import RECEPTIONIST
from twotier.dossiers.models import Notification
from twotier.dossiers.services import receive_dossier

from .factories import BIRTH, A, hcmc_setup, receipt, staff
from .test_concurrency import _user, committed_world


class FailingSms:
    def send(self, notification):
        raise RuntimeError("SMS gateway down")


class SmsDownOnce:
    """Fails the first send of each message, then delivers (a gateway that comes back)."""

    calls: list[int] = []

    def send(self, notification):
        SmsDownOnce.calls.append(notification.pk)
        if SmsDownOnce.calls.count(notification.pk) == 1:
            raise RuntimeError("SMS gateway timeout")


@pytest.fixture
def clerk(db, make_staff):
    """The outbox tests run the task in-process even when a broker is configured (no worker here)."""
    from twotier.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    hcmc_setup()
    yield staff(make_staff, "rec_a", RECEPTIONIST, A)
    app.conf.task_always_eager = eager


def test_nothing_is_sent_before_commit_and_everything_after(
    clerk, django_capture_on_commit_callbacks, capsys
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier = receive_dossier(receipt(BIRTH), actor=clerk)
    assert set(Notification.objects.filter(dossier=dossier).values_list("status", flat=True)) == {"queued"}
    assert len(callbacks) == 1

    callbacks[0]()  # the commit happened: the (eager) task sends them

    rows = list(
        Notification.objects.filter(dossier=dossier).order_by("channel").values_list("channel", "status")
    )
    assert rows == [("email", "sent"), ("sms", "sent")]
    out = capsys.readouterr().out
    assert f"[sms → 0903123456] Tiếp nhận hồ sơ {dossier.receipt_code}" in out
    assert "Hẹn trả kết quả:" in out


@override_settings(
    TWOTIER_NOTIFICATION_BACKENDS={"sms": "tests.dossiers.test_notifications.FailingSms"},
)
def test_a_failing_backend_is_recorded_and_does_not_stop_the_others(
    clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive_dossier(receipt(BIRTH), actor=clerk)
    rows = dict(Notification.objects.filter(dossier=dossier).values_list("channel", "status"))
    assert rows == {"email": "sent", "sms": "failed"}
    sms = Notification.objects.get(dossier=dossier, channel="sms")
    # retried (eagerly here, with backoff on a broker) until the 5 attempts ran out, then recorded
    assert (sms.error, sms.attempts) == ("SMS gateway down", 5)


@override_settings(
    TWOTIER_NOTIFICATION_BACKENDS={"sms": "tests.dossiers.test_notifications.SmsDownOnce"},
)
def test_a_send_that_fails_once_is_retried_and_delivered(clerk, django_capture_on_commit_callbacks):
    SmsDownOnce.calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive_dossier(receipt(BIRTH), actor=clerk)
    sms = Notification.objects.get(dossier=dossier, channel="sms")
    email = Notification.objects.get(dossier=dossier, channel="email")
    assert SmsDownOnce.calls == [sms.pk, sms.pk]
    assert (sms.status, sms.attempts, sms.error) == ("sent", 2, "SMS gateway timeout")
    assert sms.sent_at is not None
    assert (email.status, email.attempts) == ("sent", 1)  # sent once, not again with the retry


def test_the_retry_backoff_doubles_up_to_a_day(settings):
    from twotier.dossiers.tasks import retry_countdown

    settings.TWOTIER_NOTIFICATION_RETRY_SECONDS = 60
    assert [retry_countdown(n) for n in range(4)] == [60, 120, 240, 480]
    assert retry_countdown(20) == 86_400


def test_rows_left_queued_are_sent_by_the_periodic_resend(clerk, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from twotier.dossiers.tasks import resend_notifications

    with django_capture_on_commit_callbacks(execute=False):  # the broker was down at commit
        dossier = receive_dossier(receipt(BIRTH), actor=clerk)
    Notification.objects.filter(dossier=dossier).update(created_at=timezone.now() - timedelta(hours=1))

    assert resend_notifications() == 2

    assert set(Notification.objects.filter(dossier=dossier).values_list("status", flat=True)) == {"sent"}


def test_a_real_worker_sends_what_the_receipt_queued_after_commit(django_db_blocker):
    from celery.contrib.testing.worker import start_worker

    from twotier.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with django_db_blocker.unblock(), committed_world():
            hcmc_setup()
            clerk = _user("cw_rec_a", RECEPTIONIST, A)
            app.control.purge()  # messages left on the test broker by other runs would be consumed first
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
                dossier = receive_dossier(receipt(BIRTH), actor=clerk)  # autocommit: on_commit fires at once
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    statuses = set(
                        Notification.objects.filter(dossier=dossier).values_list("status", flat=True)
                    )
                    if statuses == {"sent"}:
                        break
                    time.sleep(0.2)
            assert set(Notification.objects.filter(dossier=dossier).values_list("channel", "status")) == {
                ("email", "sent"),
                ("sms", "sent"),
            }
    finally:
        app.conf.task_always_eager = eager


def test_a_real_worker_retries_a_failed_send_through_the_broker(django_db_blocker, settings):
    """The non-eager path: the task re-queues only the failed id on the broker (self.retry)."""
    from celery.contrib.testing.worker import start_worker

    from twotier.celery import app

    settings.TWOTIER_NOTIFICATION_BACKENDS = {"sms": "tests.dossiers.test_notifications.SmsDownOnce"}
    settings.TWOTIER_NOTIFICATION_RETRY_SECONDS = 0  # no backoff wait in the test
    SmsDownOnce.calls.clear()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with django_db_blocker.unblock(), committed_world():
            hcmc_setup()
            clerk = _user("cw_rec_retry", RECEPTIONIST, A)
            app.control.purge()  # messages left on the test broker by other runs would be consumed first
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
                dossier = receive_dossier(receipt(BIRTH), actor=clerk)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    statuses = set(
                        Notification.objects.filter(dossier=dossier).values_list("status", flat=True)
                    )
                    if statuses == {"sent"}:
                        break
                    time.sleep(0.2)
            rows = {
                n.channel: (n.status, n.attempts, n.error)
                for n in Notification.objects.filter(dossier=dossier)
            }
            assert rows == {"email": ("sent", 1, ""), "sms": ("sent", 2, "SMS gateway timeout")}
            sms_pk = Notification.objects.get(dossier=dossier, channel="sms").pk
            assert SmsDownOnce.calls == [sms_pk, sms_pk]
    finally:
        app.conf.task_always_eager = eager
