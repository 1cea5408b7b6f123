from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from twotier.core.roles import ROLE_PERMISSIONS


class Command(BaseCommand):
    help = "Create or update the staff role groups from twotier.core.roles (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        for role, perms in ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role)
            wanted = []
            for perm in perms:
                app_label, codename = perm.split(".", 1)
                try:
                    wanted.append(
                        Permission.objects.get(content_type__app_label=app_label, codename=codename)
                    )
                except Permission.DoesNotExist as exc:
                    raise CommandError(f"Unknown permission {perm} for role {role}") from exc
            group.permissions.set(wanted)
        self.stdout.write(f"roles: {len(ROLE_PERMISSIONS)} groups up to date")
