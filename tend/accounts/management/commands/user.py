"""``tend user create --email E [--password P]``: an operator creates a verified account."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tend.accounts.services import AccountExistsError, account_create, generate_password


class Command(BaseCommand):
    help = "Manage accounts. `tend user create --email E` creates a verified account."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser(
            "create",
            help="Create an account whose email address is already verified.",
            description=(
                "Create an account whose email address is already verified. Without "
                "--password a strong one is generated and printed once."
            ),
        )
        create.add_argument("--email", required=True, help="The address the person signs in with.")
        create.add_argument(
            "--password",
            help="The password to set. Leave it out to have one generated and printed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(email=options["email"], password=options.get("password"))

    def _create(self, *, email: str, password: str | None) -> None:
        generated = password is None
        password = password if password is not None else generate_password()
        try:
            user = account_create(email=email, password=password)
        except AccountExistsError:
            raise CommandError(
                "An account with that email address already exists. Choose another address, "
                "or ask that person to reset their password from the sign-in page."
            ) from None
        except ValidationError as error:
            raise CommandError(
                "That can't be used: " + " ".join(error.messages)
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Created a verified account for {user.email}."))
        if generated:
            self.stdout.write(f"Password (shown once, pass it on safely): {password}")
