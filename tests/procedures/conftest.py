"""Raw records of the catalogue, read once per test session (the pure parser tests need no database)."""

from __future__ import annotations

import pytest

from twotier.procedures import services


@pytest.fixture(scope="session")
def raw_records() -> dict[str, dict]:
    return {record["ma_thu_tuc"]: record for record in services.read_catalogue()}


@pytest.fixture(scope="session")
def curated_entries() -> dict[str, dict]:
    return {entry["code"]: entry for entry in services.read_curated()}


@pytest.fixture(scope="session")
def parsed_records(raw_records) -> dict:
    from twotier.procedures.parsing import parse_record

    return {code: parse_record(record) for code, record in raw_records.items()}
