"""Receipts through the HTTP API on PostgreSQL: throughput, latency, and race-free receipt codes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/twotier_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \\
    .venv/bin/python benchmarks/dossiers.py [--seconds 60] [--clients 8] [--workers 3] [--burst 1000]

What one receipt is (the same service as the counter screen, nothing trimmed): session
authentication, the `Idempotency-Key` record (its own commit), address resolution (old address →
new commune), the competent unit from the responsibilities, the due time, the receipt code
(UPDATE … RETURNING on the centre's counter), the dossier, its documents, its `received` and
`transferred` events, the access-audit row, the two notifications (outbox rows) and, after commit,
the Celery message on Redis.

Steps: (1) prepare the database named by DATABASE_URL (migrate; load geography, procedures, the HCMC
apparatus and responsibilities when missing; 16 receptionists at 16 centres); (2) start gunicorn
(sync workers) on 127.0.0.1; (3) `--clients` keep-alive HTTP clients post receipts for `--seconds`
(each a distinct Idempotency-Key; receptionists spread over the centres, addresses over communes);
(4) print receipts/s, p50/p99 latency, errors, the server's worker count, the load client's CPU
and the CPU per receipt of gunicorn and of the database's PostgreSQL backends (from /proc);
(5) `--burst` receipts fired by as many concurrent connections (all at ONE centre, the worst case for
the counter) and checked in the database: unique receipt codes and exactly one `received` event
with its actor per dossier. With --profile, a cProfile of 200 receipts in-process is printed too.
Refuses to run on SQLite (the target is about PostgreSQL).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twotier.settings")
PASSWORD = "bench-password-123"
PROCEDURE = "1.001193"  # birth registration (same day)
# Former wards of old District 1 / 3 (typed as citizens still write them) → their new communes.
ADDRESSES = [
    "12 Lý Tự Trọng, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh",
    "5 Lê Lợi, Phường Bến Thành, Quận 1, TP.HCM",
    "20 Hai Bà Trưng, Phường Tân Định, Quận 1, TP.HCM",
    "8 Nguyễn Trãi, Phường Phạm Ngũ Lão, Quận 1, TP.HCM",
    "30 Võ Văn Tần, Phường 6, Quận 3, TP.HCM",
    "1 Cách Mạng Tháng Tám, Phường 5, Quận 3, Thành phố Hồ Chí Minh",
]


def django_setup():
    import django

    django.setup()


def prepare(centres: int) -> list[str]:
    """Migrate and load the reference data if missing; create receptionists. Returns usernames."""
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("benchmarks/dossiers.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    from twotier.apparatus.models import Responsibility, Unit
    from twotier.core.models import StaffProfile
    from twotier.geography.models import Province
    from twotier.procedures.models import Procedure

    if not Province.objects.exists():
        call_command("load_geography", verbosity=0)
    if not Procedure.objects.exists():
        call_command("load_procedures", verbosity=0)
    if not Unit.objects.exists():
        call_command("load_hcmc_apparatus", verbosity=0)
    if not Responsibility.objects.exists():
        call_command("load_hcmc_responsibilities", verbosity=0)
    call_command("setup_roles", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh bulk loads: give the planner statistics (autovacuum would)
        cursor.execute("ANALYZE")
    pascs = list(
        Unit.objects.filter(province_code="79", kind="pasc", valid_to__isnull=True)
        .order_by("commune_code")
        .values_list("commune_code", flat=True)[:centres]
    )
    if not pascs:
        sys.exit("no PASC units: load the HCMC apparatus first")
    group = Group.objects.get(name="receptionist")
    names = []
    for commune in pascs:
        name = f"bench_{commune}"
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User.objects.create_user(username=name, password=PASSWORD)
            user.groups.add(group)
            StaffProfile.objects.create(user=user, province_code="79", commune_code=commune)
        names.append(name)
    return names


class Session:
    """A keep-alive HTTP client logged in as one receptionist (session cookie + CSRF token)."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self._get("/accounts/login/")
        body = f"username={username}&password={PASSWORD}&csrfmiddlewaretoken={self.cookies['csrftoken']}"
        status, _ = self._request(
            "POST", "/accounts/login/", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            raise RuntimeError(f"login failed for {username}: {status}")

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _request(self, method: str, path: str, body: str | bytes | None, headers: dict) -> tuple[int, bytes]:
        headers = {**headers, "Cookie": self._cookie_header(), "Referer": f"http://127.0.0.1:{self.port}/"}
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def _get(self, path: str) -> tuple[int, bytes]:
        return self._request("GET", path, None, {})

    def receipt(self, index: int) -> tuple[int, bytes]:
        payload = {
            "procedure_code": PROCEDURE,
            "applicant": {
                "name": f"Công dân {index}",
                "id_number": f"079{index % 10**9:09d}",
                "phone": "0903123456",
            },
            "address": ADDRESSES[index % len(ADDRESSES)],
            "documents": [{"kind": "Giấy chứng sinh", "is_scanned": True}],
            "is_digitised": True,
        }
        return self._request(
            "POST",
            "/api/v1/dossiers/receipts",
            json.dumps(payload),
            {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int, worker_class: str = "sync", threads: int = 1) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "CONN_MAX_AGE": "600", "LOG_LEVEL": "ERROR"}
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "twotier.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
            "--preload",
        ],
        cwd=ROOT / "src",
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.3)
    process.kill()
    sys.exit("gunicorn did not start")


def warm(port: int, usernames: list[str]) -> None:
    """One receipt per worker-ish so that the resolver and calendar are built before timing."""
    session = Session(port, usernames[0])
    for i in range(12):
        session.receipt(10**8 + i)


def _cpu_seconds(pid: int) -> float:
    """utime + stime of one process from /proc (Linux); 0 when it is gone or unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(server_pid: int) -> dict[str, float]:
    """CPU seconds so far of the gunicorn master + workers and of this database's PostgreSQL backends
    (persistent: CONN_MAX_AGE), to report CPU per receipt, a figure less sensitive than receipts/s
    to other load on a shared machine. Linux only; zeros elsewhere."""
    from django.db import connection

    try:
        children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    except OSError:
        children = []
    app = sum(_cpu_seconds(pid) for pid in [server_pid, *map(int, children)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        db = sum(_cpu_seconds(row[0]) for row in cursor.fetchall())
    connection.close()
    return {"app": app, "db": db}


def load(port: int, usernames: list[str], clients: int, seconds: float, server_pid: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    sessions = [Session(port, usernames[i % len(usernames)]) for i in range(clients)]  # logins untimed
    for session in sessions:  # every session has a receipt behind it (connections opened) before timing
        session.receipt(2 * 10**8 + int(time.time() * 1000) % 10**7)
    server_before = server_cpu(server_pid)
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))

    def run(session: Session):
        local, bad = [], []
        while time.monotonic() < stop:
            index = next(counter)
            started = time.perf_counter()
            try:
                status, body = session.receipt(index)
            except OSError as exc:
                bad.append(str(exc))
                continue
            local.append(time.perf_counter() - started)
            if status != 201:
                bad.append(f"{status} {body[:200]!r}")
        with lock:
            latencies.extend(local)
            errors.extend(bad)

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic()
    threads = [threading.Thread(target=run, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - wall
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    server_after = server_cpu(server_pid)
    latencies.sort()
    done = len(latencies)
    return {
        "receipts": done - len([e for e in errors if not e.startswith(("[", "Errno"))]),
        "requests": done,
        "seconds": round(wall, 1),
        "receipts_per_s": round((done - len(errors)) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[min(done - 1, int(done * 0.99))] * 1000, 1) if latencies else None,
        "errors": len(errors),
        "error_samples": errors[:3],
        "client_cpu_s": round(cpu, 1),
        "client_cpu_pct_of_one_core": round(100 * cpu / wall, 1),
        "server_cpu_ms_per_receipt": round(
            1000 * (server_after["app"] - server_before["app"]) / max(1, done), 1
        ),
        "db_cpu_ms_per_receipt": round(1000 * (server_after["db"] - server_before["db"]) / max(1, done), 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def burst(port: int, username: str, total: int) -> dict:
    """`total` receipts at once, each on its own connection, all at one centre."""
    from django.db import connection

    from twotier.dossiers.models import Dossier, DossierEvent

    sessions = [Session(port, username) for _ in range(min(total, 200))]
    codes: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))
    per = total // len(sessions)

    def run(i: int, session: Session):
        barrier.wait()
        for k in range(per):
            status, body = session.receipt(5 * 10**8 + i * per + k)
            with lock:
                if status == 201:
                    codes.append(json.loads(body)["receipt_code"])
                else:
                    errors.append(f"{status} {body[:120]!r}")

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sessions)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    connection.close()
    events = DossierEvent.objects.filter(kind="received", dossier__receipt_code__in=codes)
    per_dossier = events.values("dossier").distinct().count()
    with_actor = events.filter(actor__username=username).count()
    return {
        "requested": per * len(sessions),
        "connections": len(sessions),
        "created": len(codes),
        "unique_codes": len(set(codes)),
        "dossiers_in_db": Dossier.objects.filter(receipt_code__in=codes).count(),
        "received_events": events.count(),
        "dossiers_with_one_received_event": per_dossier,
        "received_events_with_actor": with_actor,
        "errors": len(errors),
        "error_samples": errors[:3],
        "seconds": round(elapsed, 1),
    }


# Stages of a receipt for the profile: (file suffix, function) whose cumulative CPU is reported, or
# (file suffix, function, caller function) for a shared ORM call attributed to one caller.
STAGES = [
    ("session + user + staff profile (auth)", [("django/contrib/auth/__init__.py", "get_user")]),
    ("permission check", [("twotier/dossiers/services.py", "_require")]),
    ("idempotency claim (own commit)", [("twotier/dossiers/idempotency.py", "begin")]),
    ("reference version check", [("twotier/dossiers/refcache.py", "revalidate")]),
    (
        "procedure, centre, competent unit",
        [
            ("twotier/dossiers/services.py", "_procedure"),
            ("twotier/dossiers/routing.py", "centre_of_staff"),
            ("twotier/dossiers/routing.py", "competent_unit"),
        ],
    ),
    ("address resolution", [("twotier/dossiers/addresses.py", "resolve")]),
    ("due time", [("twotier/dossiers/deadlines.py", "due_at")]),
    ("receipt code", [("twotier/dossiers/services.py", "next_receipt_code")]),
    ("dossier INSERT", [("django/db/models/base.py", "save", "receive_dossier")]),
    ("documents", [("twotier/dossiers/services.py", "_documents")]),
    ("events INSERT", [("django/db/models/manager.py", "manager_method", "receive_dossier")]),
    ("notification rows", [("twotier/dossiers/notifications.py", "queue")]),
    ("access-audit row", [("twotier/core/audit.py", "log_access")]),
    (
        "idempotency answer + response body",
        [("twotier/dossiers/api.py", "dossier_json"), ("twotier/dossiers/idempotency.py", "finish")],
    ),
    ("COMMIT (on-commit callbacks excluded)", [("django/db/transaction.py", "__exit__", "receive_dossier")]),
    ("Celery message on Redis (after commit)", [("twotier/dossiers/notifications.py", "_enqueue")]),
]
CALLED_BY_COMMIT = "Celery message on Redis (after commit)"  # runs inside the atomic block's __exit__


def _stage_cpu(stats, spec: tuple[str, ...]) -> float:
    total = 0.0
    for (path, _line, name), (_cc, _nc, _tt, cumulative, callers) in stats.stats.items():
        if not path.endswith(spec[0]) or name != spec[1]:
            continue
        if len(spec) == 2:
            total += cumulative
        else:
            total += sum(row[3] for caller, row in callers.items() if caller[2] == spec[2])
    return total


def profile(usernames: list[str], n: int = 200) -> str:
    """CPU per receipt in-process (Django test client, same middleware and API), then a cProfile (CPU
    time) of `n` receipts broken down by stage, with the top functions."""
    import cProfile
    import io
    import pstats

    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=usernames[0]))
    body = {
        "procedure_code": PROCEDURE,
        "applicant": {"name": "Hồ sơ đo", "phone": "0903123456"},
        "address": ADDRESSES[0],
        "documents": [{"kind": "Giấy chứng sinh", "is_scanned": True}],
        "is_digitised": True,
    }

    def one() -> None:
        response = client.post(
            "/api/v1/dossiers/receipts",
            data=body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )
        assert response.status_code == 201, response.content

    for _ in range(5):
        one()
    started = time.process_time()
    for _ in range(n):
        one()
    plain_ms = 1000 * (time.process_time() - started) / n
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(n):
        one()
    profiler.disable()
    stats = pstats.Stats(profiler)
    whole = stats.total_tt
    lines = [f"in-process CPU per receipt: {plain_ms:.1f} ms (without the profiler), {n} receipts", ""]
    lines.append(
        "share of a receipt's CPU by stage (cProfile, CPU time; the rest is Django, Ninja, middleware):"
    )
    accounted = 0.0
    cpu_of = {label: sum(_stage_cpu(stats, spec) for spec in specs) for label, specs in STAGES}
    for label, _specs in STAGES:
        cpu = cpu_of[label]
        if label.startswith("COMMIT"):
            cpu -= cpu_of[CALLED_BY_COMMIT]
        accounted += cpu
        lines.append(f"  {100 * cpu / whole:5.1f} %  {label}")
    lines.append(
        f"  {100 * (whole - accounted) / whole:5.1f} %  the rest (request/response, Ninja, middleware)"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    return "\n".join(lines) + "\n" + out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--worker-class",
        default="sync",
        choices=["sync", "gthread"],
        help="gunicorn worker class (sync closes the connection after each request; gthread keeps it)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--centres", type=int, default=16)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    django_setup()
    usernames = prepare(args.centres)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        sync = cursor.fetchone()[0]
    connection.close()
    process, port = start_server(args.workers, args.worker_class, args.threads)
    try:
        warm(port, usernames)
        result = load(port, usernames, args.clients, args.seconds, process.pid)
        result.update(
            {
                "server_workers": args.workers,
                "server": f"gunicorn {args.worker_class}"
                + (f" ×{args.threads} threads" if args.worker_class == "gthread" else ""),
                "clients": args.clients,
                "cores": os.cpu_count(),
                "fsync": fsync,
                "synchronous_commit": sync,
                "broker": os.environ.get("CELERY_BROKER_URL", "(eager)"),
            }
        )
        print(json.dumps({"load": result}, ensure_ascii=False))
        if args.burst:
            print(json.dumps({"burst": burst(port, usernames[0], args.burst)}, ensure_ascii=False))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    if args.profile:
        print(profile(usernames))


if __name__ == "__main__":
    main()
