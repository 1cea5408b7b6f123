"""The process-wide resolver and its on-disk cache."""

from __future__ import annotations

import pytest

from twotier.geography import services

pytestmark = pytest.mark.django_db


def test_resolver_is_cached_on_disk_and_reloaded_identically(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    services._forget_resolver()
    try:
        built = services.get_resolver()
        path = services.cache_path(services._data_key())
        assert path.exists()
        assert path.parent == tmp_path / "cache"

        services._forget_resolver()
        loaded = services.get_resolver()

        assert loaded is not built
        for address in ["P.4, Q.8", "Phường Tân An, Cần Thơ", "Phường Hiệp An, TP Thủ Dầu Một, Bình Dương"]:
            assert loaded.resolve(address).as_dict() == built.resolve(address).as_dict()
        assert services.get_resolver() is loaded  # once per process
    finally:
        services._forget_resolver()


def test_a_corrupt_cache_file_is_rebuilt(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    services._forget_resolver()
    try:
        path = services.cache_path(services._data_key())
        path.parent.mkdir(parents=True)
        path.write_bytes(b"not a pickle")

        resolver = services.get_resolver()

        assert resolver.resolve("P.4, Q.8").commune_code == "27418"
        assert path.read_bytes() != b"not a pickle"
    finally:
        services._forget_resolver()
