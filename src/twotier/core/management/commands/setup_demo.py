"""Demo accounts for a local installation: an administrator and one account per staff role.

A password is generated on the first run and kept in DATA_DIR/demo_credentials.txt (outside git);
later runs reuse it, so `make run` is idempotent and always prints how to log in.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from twotier.core import roles
from twotier.core.models import StaffProfile

# (username, role, province, commune name in HCMC or None for city staff, title)
DEMO_STAFF = [
    ("tiepnhan.saigon", roles.RECEPTIONIST, "79", "Phường Sài Gòn", "Cán bộ tiếp nhận"),
    ("chuyenvien.saigon", roles.SPECIALIST, "79", "Phường Sài Gòn", "Chuyên viên Văn phòng HĐND-UBND"),
    ("lanhdao.saigon", roles.UNIT_LEADER, "79", "Phường Sài Gòn", "Phó Chủ tịch UBND phường"),
    ("tiepnhan.thuduc", roles.RECEPTIONIST, "79", "Phường Thủ Đức", "Cán bộ tiếp nhận"),
    ("chuyenvien.thuduc", roles.SPECIALIST, "79", "Phường Thủ Đức", "Chuyên viên"),
    ("tiepnhan.datdo", roles.RECEPTIONIST, "79", "Xã Đất Đỏ", "Cán bộ tiếp nhận"),
    ("giamsat.tp", roles.CITY_SUPERVISOR, "79", None, "Thanh tra Thành phố"),
    ("danhgia.tp", roles.EVALUATOR, "79", None, "Văn phòng UBND Thành phố"),
]


def commune_code_for(province_code: str, name: str) -> str:
    from twotier.geography.models import Commune

    commune = Commune.objects.filter(province_id=province_code, name=name).first()
    return commune.code if commune else ""


class Command(BaseCommand):
    help = "Create the demo administrator and staff accounts (idempotent) and print how to log in."

    @transaction.atomic
    def handle(self, *args, **options):
        cred_file = settings.DATA_DIR / "demo_credentials.txt"
        if cred_file.exists():
            password = cred_file.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            cred_file.write_text(password + "\n")
            cred_file.chmod(0o600)
        user_model = get_user_model()
        admin, _ = user_model.objects.get_or_create(username="admin", defaults={"email": "admin@localhost"})
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        admin.groups.set([Group.objects.get(name=roles.ADMINISTRATOR)])
        for username, role, province, commune_name, title in DEMO_STAFF:
            user, _ = user_model.objects.get_or_create(username=username)
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            StaffProfile.objects.update_or_create(
                user=user,
                defaults={
                    "province_code": province,
                    "commune_code": commune_code_for(province, commune_name) if commune_name else "",
                    "title": title,
                },
            )
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/accounts/login/ as 'admin' with password: {password}"
        )
        self.stdout.write(
            "Demo staff accounts (same password): " + ", ".join(name for name, *_ in DEMO_STAFF)
        )
        self.stdout.write(f"(the password is kept in {cred_file})")
