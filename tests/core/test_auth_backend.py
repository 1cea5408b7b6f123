"""The authentication backend answers as ModelBackend does, with fewer queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from twotier.core.auth import Backend
from twotier.core.roles import RECEPTIONIST

pytestmark = pytest.mark.django_db


def test_group_and_own_permissions_in_one_query(make_staff):
    clerk = make_staff("auth_clerk", RECEPTIONIST, commune="26743")
    clerk.user_permissions.add(Permission.objects.get(codename="view_all_scopes"))
    fresh = User.objects.get(pk=clerk.pk)

    with CaptureQueriesContext(connection) as queries:
        perms = Backend().get_all_permissions(fresh)
        assert fresh.has_perm("dossiers.receive_dossier") is True  # from the cache filled above

    assert len(queries) == 1
    # the receptionist role of core.roles, written out, plus the permission given to the account itself
    assert perms == {
        "apparatus.view_unit",
        "apparatus.view_responsibility",
        "apparatus.view_delegation",
        "assistant.change_ticket",
        "dossiers.view_dossier",
        "dossiers.receive_dossier",
        "geography.add_conversionjob",
        "geography.view_conversionjob",
        "core.view_all_scopes",
    }
    assert fresh.has_perm("dossiers.process_dossier") is False


def test_an_inactive_account_has_no_permissions(make_staff):
    clerk = make_staff("auth_gone", RECEPTIONIST, commune="26743")
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    fresh = User.objects.get(pk=clerk.pk)
    assert Backend().get_all_permissions(fresh) == set()
    assert fresh.has_perm("dossiers.receive_dossier") is False


def test_the_session_user_comes_with_the_staff_profile_in_one_query(make_staff):
    clerk = make_staff("auth_profile", RECEPTIONIST, commune="26743")

    with CaptureQueriesContext(connection) as queries:
        user = Backend().get_user(clerk.pk)
        commune = user.staff_profile.commune_code

    assert (len(queries), commune) == (1, "26743")
    assert Backend().get_user(10**9) is None
