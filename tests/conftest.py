"""Session-wide fixtures: reference data loaded once per test database, real headless Chromium.

Browser tests run against a live server thread that shares the test's own database connection, so
each browser test stays inside its test transaction (rolled back afterwards) and the reference data
loaded once per session survives — on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


# (loader command, a model it fills), in dependency order
REFERENCE_DATA = [
    ("load_geography", "geography.Province"),
    ("load_procedures", "procedures.Procedure"),
    ("load_hcmc_apparatus", "apparatus.Unit"),
    ("load_seed_scenario", "apparatus.Reorganization"),
    ("load_hcmc_responsibilities", "apparatus.Responsibility"),
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real geography and procedure catalogue once per test database."""
    from django.apps import apps
    from django.core.management import get_commands

    with django_db_blocker.unblock():
        for command, model in REFERENCE_DATA:
            if command in get_commands() and not apps.get_model(model).objects.exists():
                call_command(command, verbosity=0)
        call_command("setup_roles", verbosity=0)


def pytest_sessionfinish(session, exitstatus):
    """Under CI=true a skipped test is a failure: every component must really run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") == "true" and skipped and exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Vietnamese: a request with another language cookie activates it for the
    worker thread (VietnameseFirstLocaleMiddleware), which would leak into the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# ---- users -------------------------------------------------------------------------------------

PASSWORD = "test-password-123"


@pytest.fixture
def make_staff(db):
    """Create a staff account with a role (group) and a territory."""
    from django.contrib.auth.models import Group, User

    from twotier.core.models import StaffProfile

    def make(username: str, role: str, *, province: str = "79", commune: str = "", superuser: bool = False):
        user = User.objects.create_user(username=username, password=PASSWORD, is_superuser=superuser)
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, province_code=province, commune_code=commune)
        return user

    return make


# ---- live server sharing the test connection ----------------------------------------------------


class _SharedConnectionServer(threading.Thread):
    def __init__(self, connections_to_share):
        super().__init__(daemon=True)
        self.shared = connections_to_share
        self.ready = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.servers.basehttp import WSGIServer
        from django.db import connections
        from django.test.testcases import QuietWSGIRequestHandler

        for alias, conn in self.shared.items():
            connections[alias] = conn
        try:
            # One request at a time: the connection (and its open transaction) is shared with the test.
            self.httpd = WSGIServer(("127.0.0.1", 0), QuietWSGIRequestHandler, allow_reuse_address=False)
            self.port = self.httpd.server_address[1]
            self.httpd.set_app(WSGIHandler())
            self.ready.set()
            self.httpd.serve_forever(poll_interval=0.05)
        except BaseException as exc:
            self.error = exc
            self.ready.set()

    def stop(self):
        if hasattr(self, "httpd"):
            self.httpd.shutdown()
            self.httpd.server_close()
        self.join(5)


@pytest.fixture
def live_url(db):
    from django.core import signals
    from django.db import close_old_connections, connections

    shared = {alias: connections[alias] for alias in connections}
    for conn in shared.values():
        conn.inc_thread_sharing()
    # The request cycle would close a connection that sits inside the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    server = _SharedConnectionServer(shared)
    server.start()
    server.ready.wait(10)
    if server.error:
        raise server.error
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        for conn in shared.values():
            conn.dec_thread_sharing()


# ---- Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium tests skipped: {CHROMIUM} not found (apt-get install chromium chromium-driver)"
        print(reason)  # noqa: T201 (the reason must show in the test log)
        pytest.skip(reason)
    # Playwright's sync API keeps an event loop in this thread; the ORM calls in tests are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(base_url=live_url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")
