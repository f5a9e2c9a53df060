"""Personal access tokens: a person's key to the API, stored only as a hash."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A personal access token. The secret itself is never stored, only its SHA-256 hash.

    Tokens are long random strings (``tend_`` and 43 URL-safe characters), so a plain SHA-256
    is enough: there is nothing for a slow hash to protect against guessing.
    """

    NAME_MAX_LENGTH = 60

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    prefix = models.CharField(max_length=16)
    hashed = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("access"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # None: the token never expires (tokens made before expiry existed, or chosen so).
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="api_token_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["read", "write"]), name="api_token_scope_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
