import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from twotier.core.models import StaffProfile


@pytest.mark.django_db
def test_setup_demo_is_idempotent_and_prints_how_to_log_in(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first, second = io.StringIO(), io.StringIO()

    call_command("setup_demo", stdout=first)
    users_after_first = User.objects.count()
    call_command("setup_demo", stdout=second)

    password = (tmp_path / "demo_credentials.txt").read_text().strip()
    assert User.objects.count() == users_after_first
    assert f"as 'admin' with password: {password}" in first.getvalue()
    assert first.getvalue() == second.getvalue()
    assert User.objects.get(username="admin").check_password(password)
    # demo commune staff are placed in real HCMC communes
    assert StaffProfile.objects.get(user__username="tiepnhan.saigon").commune_code == "26740"
