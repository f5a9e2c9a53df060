"""``EncryptedTextField``: free text encrypted at rest with its owner's data key.

Use it for anything a person writes::

    class Moment(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
        author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        cue = EncryptedTextField(owner="author", blank=True)

Rules that follow from the design:

* The model needs a primary key generated in Python (``default=uuid.uuid4``): the ciphertext
  is bound to its row id, which must be known before the INSERT.
* Read and write through model instances. Reading decrypts lazily on first access and keeps the
  plaintext on the instance; saving encrypts again. ``values()`` yields ``Sealed`` values, and
  ``update()``, ``bulk_update()`` and lookups with text raise ``VaultError`` instead of storing
  or comparing plaintext. Only the empty string can be filtered on (``cue=""``).
* For lists, ``select_related("author__data_key")`` saves one key query per row.
* A value that cannot be decrypted (moved from another row or field, or shredded) raises
  ``VaultError`` on access; nothing ever returns ciphertext in place of text.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import checks, validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.query_utils import DeferredAttribute
from django.utils.functional import cached_property

from tend.core import vault
from tend.core.models import DataKey
from tend.core.vault import VaultError

# The person a data key belongs to: its reverse side caches the key row on the person.
_DATA_KEY_OWNER = DataKey._meta.get_field("user")


class Sealed:
    """A ciphertext as loaded from the database, not yet decrypted."""

    __slots__ = ("blob", "pk")

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        # The row id the value was loaded for, bound after the instance is built (post_init):
        # if the instance's pk changes before the value is read (a copied row), decryption
        # still uses the id the ciphertext was written for.
        self.pk: Any = None

    def __repr__(self) -> str:
        return f"<Sealed {len(self.blob)} bytes>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.blob == self.blob

    def __hash__(self) -> int:
        return hash(self.blob)


class EncryptedTextDescriptor(DeferredAttribute):
    """Decrypts on first read and caches the plaintext in the instance's ``__dict__``.

    Defining ``__set__`` makes it a data descriptor, so every read passes through ``__get__``
    (a plain DeferredAttribute is bypassed once the instance dict holds the value).
    """

    field: EncryptedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.decrypt(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = "" if value is None else value


class EncryptedTextField(models.Field):  # type: ignore[type-arg]
    """Text encrypted with the data key of the person named by the ``owner`` foreign key."""

    descriptor_class = EncryptedTextDescriptor
    description = "Text encrypted at rest with its owner's data key"

    def __init__(self, *args: Any, owner: str, **kwargs: Any) -> None:
        self.owner = owner
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["owner"] = self.owner
        if kwargs.get("default") == "":
            del kwargs["default"]
        return name, path, args, kwargs

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            models.signals.post_init.connect(self._bind_row, sender=cls, weak=False)

    def _bind_row(self, instance: models.Model, **kwargs: Any) -> None:
        value = instance.__dict__.get(self.attname)
        if isinstance(value, Sealed) and value.pk is None:
            value.pk = instance.pk

    def get_internal_type(self) -> str:
        return "BinaryField"

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        try:
            owner = self.model._meta.get_field(self.owner)
        except Exception:
            owner = None
        if not isinstance(owner, models.ForeignKey):
            errors.append(
                checks.Error(
                    f"owner={self.owner!r} must name a ForeignKey to the person who owns the text.",
                    obj=self,
                    id="tend.E001",
                )
            )
        if not self.model._meta.pk or not self.model._meta.pk.has_default():
            errors.append(
                checks.Error(
                    "A model with encrypted fields needs a primary key generated in Python "
                    "(for example UUIDField(default=uuid.uuid4)).",
                    obj=self,
                    id="tend.E002",
                )
            )
        return errors

    # ---- Encryption --------------------------------------------------------------------

    def _context(self, pk: Any) -> bytes:
        if pk is None:
            raise VaultError(f"{self.model._meta.label}.{self.name} needs a row id to encrypt.")
        return vault.field_context(table=self.model._meta.db_table, column=self.column, pk=pk)

    @cached_property
    def _owner_field(self) -> models.ForeignKey[Any, Any]:
        # Looked up once per field: a moment's save asks for it seven times.
        owner_field = self.model._meta.get_field(self.owner)
        assert isinstance(owner_field, models.ForeignKey)
        return owner_field

    def _key(self, instance: models.Model, *, create: bool) -> bytes:
        owner_field = self._owner_field
        owner_id = getattr(instance, owner_field.attname)
        if owner_id is None:
            raise VaultError(f"{self.model._meta.label}.{self.name} has no owner.")
        # Reuse a DataKey that select_related already loaded with the owner.
        row = None
        owner = owner_field.get_cached_value(instance) if owner_field.is_cached(instance) else None
        reverse = _DATA_KEY_OWNER.remote_field
        if owner is not None and reverse.is_cached(owner):
            cached = reverse.get_cached_value(owner)
            row = cached if isinstance(cached, DataKey) else None
        if row is None and owner is not None:
            # Load the key row once and keep it on the owner, as select_related would: a model
            # with seven encrypted fields then costs one key query per save, not seven.
            row = vault.data_key_row(owner_id, create=create)
            if row is not None:
                reverse.set_cached_value(owner, row)
        return vault.data_key(owner_id, create=create, row=row)

    def decrypt(self, instance: models.Model, sealed: Sealed) -> str:
        if sealed.blob == b"":
            return ""
        try:
            return vault.decrypt(
                sealed.blob,
                key=self._key(instance, create=False),
                context=self._context(instance.pk if sealed.pk is None else sealed.pk),
            )
        except VaultError as error:
            raise VaultError(
                f"Cannot decrypt {self.model._meta.label}.{self.name} of row {instance.pk}: {error}"
            ) from None

    def pre_save(self, model_instance: models.Model, add: bool) -> bytes:
        # Always encrypt afresh: the row id may have changed (a copied instance), and the
        # ciphertext must be bound to the row it is written to.
        text = getattr(model_instance, self.attname)
        if not isinstance(text, str):
            raise VaultError(f"{self.model._meta.label}.{self.name} holds text only.")
        if text == "":
            return b""
        key = self._key(model_instance, create=True)
        return vault.encrypt(text, key=key, context=self._context(model_instance.pk))

    # ---- Database values ---------------------------------------------------------------

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None:
            return ""
        blob = bytes(value)
        return "" if blob == b"" else Sealed(blob)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return b""
        if isinstance(value, Sealed):
            return value.blob
        if isinstance(value, bytes | memoryview):
            return bytes(value)
        raise VaultError(
            f"{self.model._meta.label}.{self.name} is encrypted: write it by saving a model "
            "instance; it cannot be updated in bulk or filtered by its text."
        )

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return connection.Database.Binary(value)  # type: ignore[attr-defined]

    def to_python(self, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, str | Sealed):
            return value
        raise ValidationError("Enter text.", code="invalid")

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        defaults: dict[str, Any] = {"form_class": forms.CharField, "widget": forms.Textarea}
        if self.max_length is not None:
            defaults["max_length"] = self.max_length
        return super().formfield(**{**defaults, **kwargs})
