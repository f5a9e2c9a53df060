"""``tend token create --email E [--scope read|write] [--name N]`` and ``tend token revoke``."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tend.accounts.models import User
from tend.api.models import TokenScope
from tend.api.selectors import tokens_of
from tend.api.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Create or revoke a person's API token. `create` prints only the new token."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke}")
        create = sub.add_parser("create", help="Create a token and print it (shown only once).")
        create.add_argument("--email", required=True, help="The person's email address.")
        create.add_argument(
            "--scope", choices=TokenScope.values, default=TokenScope.READ,
            help="read (default) or write.",
        )
        create.add_argument("--name", default="Command line", help="A label for the token.")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("--email", required=True, help="The person's email address.")
        revoke.add_argument("--prefix", required=True, help="The token's prefix, e.g. tend_AbC123.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError("No account has that email address.")
        if options["action"] == "create":
            try:
                _token, plaintext = token_create(
                    user=user, name=options["name"], scope=options["scope"]
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            # Only the token on stdout, so that `tend token create … > file` stores just it.
            self.stdout.write(plaintext)
            return
        prefix = options["prefix"].rstrip("…").strip()
        matches = list(tokens_of(user=user).filter(prefix=prefix, revoked_at=None)[:2])
        if len(matches) != 1:
            raise CommandError(
                "No active token of that person has this prefix."
                if not matches else "More than one token has this prefix; revoke it in Settings."
            )
        token_revoke(actor=user, token=matches[0])
        self.stderr.write(f"Revoked {prefix}.")
