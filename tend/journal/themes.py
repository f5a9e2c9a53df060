"""Themes: the patterns a person names and files moments under.

Reads (``themes_of``, ``theme_for``) and writes (``theme_create/rename/archive/delete``,
``moment_file``) live together here because they are one small idea; the reads follow the rule
of ``selectors.py`` (a person reaches only their own themes, and "not yours" is a 404), the
writes that of ``services.py`` (keyword-only, validated first, audited, in a transaction).

Filing is not editing: ``moment_file`` does not mark the moment as edited, because it organises
the moment without changing what the person wrote about it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tend.core.audit import record
from tend.core.text import has_control_characters
from tend.insights.revisions import moment_revisions_bump
from tend.journal.models import Moment, Theme

if TYPE_CHECKING:
    from tend.accounts.models import User

NAME_LIMIT = 80
MAX_THEMES = 200


# --- Reads -----------------------------------------------------------------------------------


def themes_of(*, viewer: User, archived: bool | None = None) -> QuerySet[Theme]:
    """The themes ``viewer`` named (never anybody else's), oldest first, with ``moment_count``.

    ``archived=False`` leaves out archived ones (the picker), ``True`` keeps only those.
    """
    if not viewer.is_authenticated:
        return Theme.objects.none()
    themes = (
        Theme.objects.filter(owner=viewer)
        .select_related("owner__data_key")
        .annotate(moment_count=Count("moments", filter=Q(moments__deleted_at__isnull=True)))
        .order_by("created_at", "id")
    )
    return themes if archived is None else themes.filter(archived=archived)


def theme_for(*, viewer: User, id: uuid.UUID | str) -> Theme:
    """One of ``viewer``'s themes, or Http404: "not yours" and "no such theme" look alike."""
    if not viewer.is_authenticated:
        raise Http404
    try:
        theme_id = uuid.UUID(str(id))
    except ValueError:
        raise Http404 from None
    theme = themes_of(viewer=viewer).filter(id=theme_id).first()
    if theme is None:
        raise Http404
    return theme


def theme_to_file_under(
    *, owner: User, value: Any, current: uuid.UUID | None = None
) -> Theme | None:
    """Resolve what was sent as a moment's theme: one of ``owner``'s own themes, or None.

    Accepts a Theme, a UUID or its text, or empty for "no theme". Another person's theme and a
    theme that does not exist get the same answer. An archived theme takes no new moments, but a
    moment already filed there (``current``) may keep it.
    """
    if value is None or value == "":
        return None
    if isinstance(value, Theme):
        theme_id: uuid.UUID | None = value.id
    else:
        try:
            theme_id = uuid.UUID(str(value))
        except ValueError:
            theme_id = None
    theme = Theme.objects.filter(owner=owner, id=theme_id).first() if theme_id else None
    if theme is None:
        raise ValidationError({"theme": [_("Choose one of your own themes.")]})
    if theme.archived and theme.id != current:
        raise ValidationError(
            {"theme": [_("This theme is archived. Bring it back on the themes page first.")]}
        )
    return theme


# --- Writes ----------------------------------------------------------------------------------


def clean_theme_name(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError({"name": [_("Write the name as plain text.")]})
    name = " ".join(value.split())
    if not name:
        raise ValidationError({"name": [_("Give the theme a name of a few words.")]})
    if len(name) > NAME_LIMIT:
        raise ValidationError(
            {"name": [_("Keep the name under %(limit)s characters.") % {"limit": NAME_LIMIT}]}
        )
    if has_control_characters(name, allow_line_breaks=False):
        raise ValidationError({"name": [_("Remove the invisible control characters.")]})
    return name


def _check_name_free(*, owner: User, name: str, exclude: uuid.UUID | None = None) -> None:
    # Names are encrypted, so the comparison happens here, in the owner's own request.
    for theme in Theme.objects.filter(owner=owner).select_related("owner__data_key"):
        if theme.id != exclude and theme.name.casefold() == name.casefold():
            raise ValidationError({"name": [_("You have a theme with this name already.")]})


def _check_owner(*, actor: User, theme: Theme) -> None:
    # theme_for already keeps other people's themes out of reach; this is the second lock.
    if theme.owner_id != actor.pk:
        raise PermissionDenied


def theme_create(*, actor: User, name: str) -> Theme:
    name = clean_theme_name(name)
    _check_name_free(owner=actor, name=name)
    if Theme.objects.filter(owner=actor).count() >= MAX_THEMES:
        raise ValidationError(
            {"name": [_("You have %(n)s themes already; that is the most.") % {"n": MAX_THEMES}]}
        )
    with transaction.atomic():
        theme = Theme.objects.create(owner=actor, name=name)
        record(actor=actor, action="journal.theme.create", target=theme)
    return theme


def theme_rename(*, actor: User, theme: Theme, name: str) -> Theme:
    _check_owner(actor=actor, theme=theme)
    name = clean_theme_name(name)
    if name == theme.name:
        return theme
    _check_name_free(owner=actor, name=name, exclude=theme.id)
    theme.name = name
    with transaction.atomic():
        theme.save(update_fields=["name", "updated_at"])
        record(actor=actor, action="journal.theme.rename", target=theme)
    return theme


def theme_archive(*, actor: User, theme: Theme, archived: bool = True) -> Theme:
    """Archive a theme (or bring it back with ``archived=False``); its moments stay filed."""
    _check_owner(actor=actor, theme=theme)
    if theme.archived == archived:
        return theme
    theme.archived = archived
    with transaction.atomic():
        theme.save(update_fields=["archived", "updated_at"])
        record(
            actor=actor,
            action="journal.theme.archive" if archived else "journal.theme.unarchive",
            target=theme,
        )
    return theme


def theme_delete(*, actor: User, theme: Theme) -> None:
    """Delete a theme; its moments stay in the journal, filed under no theme."""
    _check_owner(actor=actor, theme=theme)
    with transaction.atomic():
        record(actor=actor, action="journal.theme.delete", target=theme)
        theme.delete()


def moment_file(*, actor: User, moment: Moment, theme: Theme | uuid.UUID | str | None) -> Moment:
    """File ``moment`` under one of its author's own themes, or under none (``theme=None``)."""
    if moment.author_id != actor.pk:
        raise PermissionDenied
    chosen = theme_to_file_under(owner=actor, value=theme, current=moment.theme_id)
    chosen_id = chosen.id if chosen is not None else None
    if moment.theme_id == chosen_id:
        return moment
    moment.theme = chosen
    with transaction.atomic():
        moment.save(update_fields=["theme", "updated_at"])
        moment_revisions_bump(moment=moment)
        record(
            actor=actor,
            action="journal.moment.file",
            target=moment,
            meta={"theme": str(chosen_id) if chosen_id else ""},
        )
    return moment
