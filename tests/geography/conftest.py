"""Geography fixtures: the resolver built once per session from the loaded test database."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="session")
def resolver(django_db_setup, django_db_blocker):
    from twotier.geography.services import get_resolver

    with django_db_blocker.unblock():
        return get_resolver()


@pytest.fixture(scope="session")
def gso_of_vam(django_db_setup, django_db_blocker) -> dict[str, str]:
    """vietnamadminunits' commune code → the GSO code (the test sets carry the former)."""
    from twotier.geography.models import Commune

    with django_db_blocker.unblock():
        return {alias or code: code for code, alias in Commune.objects.values_list("code", "alias_code")}


def read_set(name: str) -> list[dict[str, str]]:
    with (DATA / f"addresses_{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
