"""``manage.py create_curator NAME --role editor|reviewer|admin [--email ADDRESS]``: a staff user in
one curation group, in one step instead of eight in the admin.

The password comes from the ``KB_CURATOR_PASSWORD`` environment variable (scripts, CI) or is asked
for twice at a prompt; it must pass the project's password validators.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from curation.roles import ADMIN, EDITOR, REVIEWER

ROLES = {"editor": EDITOR, "reviewer": REVIEWER, "admin": ADMIN}
PASSWORD_VARIABLE = "KB_CURATOR_PASSWORD"


class Command(BaseCommand):
    help = "Create a curator: a staff user in the Editor, Reviewer or Admin group."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, email, **options):
        User = get_user_model()
        if User._default_manager.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        group = Group.objects.filter(name=ROLES[role]).first()
        if group is None:
            raise CommandError(f"The {ROLES[role]} group is missing: run manage.py migrate first.")
        user = User(username=username, email=email, is_staff=True)
        password = self.password(user)
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Created {username} ({ROLES[role]}); they can log in at /admin/."))

    def password(self, user) -> str:
        """From the environment variable, else asked twice; validated either way."""
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            if not self.stdin_is_interactive():
                raise CommandError(f"Set {PASSWORD_VARIABLE} or run the command in a terminal to be asked.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password

    def stdin_is_interactive(self) -> bool:
        return os.isatty(0)
