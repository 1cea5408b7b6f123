"""The client address behind a reverse proxy (TWOTIER_TRUSTED_PROXY_HEADER), default REMOTE_ADDR."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from twotier.core.clientip import client_ip

rf = RequestFactory()


def request(remote: str = "10.0.0.5", **headers):
    return rf.get("/", REMOTE_ADDR=remote, **headers)


def test_default_is_the_peer_and_ignores_the_header():
    assert client_ip(request(HTTP_X_FORWARDED_FOR="203.0.113.7")) == "10.0.0.5"


@override_settings(TWOTIER_TRUSTED_PROXY_HEADER="X-Forwarded-For", TWOTIER_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_rightmost_entry_is_the_client_and_forged_ones_are_ignored():
    assert client_ip(request(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(request(HTTP_X_FORWARDED_FOR="not-an-ip")) == "10.0.0.5"
    assert client_ip(request()) == "10.0.0.5"  # no header: a direct request


@override_settings(TWOTIER_TRUSTED_PROXY_HEADER="X-Forwarded-For", TWOTIER_TRUSTED_PROXY_COUNT=2)
def test_two_proxies_read_the_second_entry_from_the_right():
    assert client_ip(request(HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"
    assert client_ip(request(HTTP_X_FORWARDED_FOR="203.0.113.7")) == "10.0.0.5"


@override_settings(TWOTIER_TRUSTED_PROXY_HEADER="X-Real-IP")
def test_another_header_name():
    assert client_ip(request(HTTP_X_REAL_IP="2001:db8::1")) == "2001:db8::1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "other_client_status"),
    [("", 429), ("X-Forwarded-For", 200)],  # default: one bucket for everyone behind the proxy
)
def test_the_status_lookup_limit_keys_on_the_configured_client_address(client, header, other_client_status):
    from twotier.dossiers.models import LookupAttempt

    with override_settings(TWOTIER_TRUSTED_PROXY_HEADER=header, TWOTIER_LOOKUP_MAX_FAILURES=2):
        for n in (1, 2):  # two failures from one citizen (unknown codes: only the address bucket fills)
            miss = client.get(
                "/dossiers/status/",
                {"code": f"NOPE-{n}", "secret": "1234"},
                REMOTE_ADDR="10.0.0.5",
                HTTP_X_FORWARDED_FOR="203.0.113.7",
            )
            assert miss.status_code == 200
        same = client.get(
            "/dossiers/status/",
            {"code": "NOPE-3", "secret": "1234"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
        other = client.get(
            "/dossiers/status/",
            {"code": "NOPE-4", "secret": "1234"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.8",
        )

    assert same.status_code == 429
    assert other.status_code == other_client_status
    expected_key = "ip:203.0.113.7" if header else "ip:10.0.0.5"
    assert LookupAttempt.objects.filter(client=expected_key, success=False).count() == 2
