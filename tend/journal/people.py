"""The people in a person's life: reads (selectors) and writes (services) for their labels.

They live beside ``services.py`` and ``selectors.py`` rather than inside them because they are
one idea of their own; the rules are the same: every read is scoped to its owner, "not yours"
looks exactly like "no such person" (404), and a moment may only name its author's own people
(anything else is a validation error, 422 in the API).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tend.core.audit import record
from tend.journal import vocabulary
from tend.journal.people_models import MomentPerson, Person
from tend.journal.validation import CODE_LIST_FIELDS, clean_label

if TYPE_CHECKING:
    from tend.accounts.models import User
    from tend.journal.models import Moment

MAX_PEOPLE = 200
MAX_PEOPLE_PER_MOMENT = 30


# ---- Selectors ----------------------------------------------------------------------------


def people_of(*, owner: User) -> QuerySet[Person]:
    """The people ``owner`` named, oldest first. Labels decrypt for the owner only."""
    if not owner.is_authenticated:
        return Person.objects.none()
    return Person.objects.filter(owner=owner).select_related("owner__data_key")


def person_for(*, owner: User, id: uuid.UUID | str) -> Person:
    """One of ``owner``'s people, or Http404 (also for someone else's)."""
    try:
        person_id = uuid.UUID(str(id))
    except ValueError:
        raise Http404 from None
    person = people_of(owner=owner).filter(id=person_id).first()
    if person is None:
        raise Http404
    return person


def person_ids_of(moment: Moment) -> list[uuid.UUID]:
    """The ids of the people a moment names, in the order the person added them to their list."""
    return moment.person_ids


# ---- Services -----------------------------------------------------------------------------


def _same_label(people: Iterable[Person], label: str) -> Person | None:
    folded = label.casefold()
    return next((p for p in people if p.label.casefold() == folded), None)


def person_add(*, owner: User, label: Any) -> tuple[Person, bool]:
    """Add someone; the same label again finds the person added the first time.

    Returns the person and whether they were added now.
    """
    label = clean_label(label)
    existing = list(people_of(owner=owner))
    found = _same_label(existing, label)
    if found is not None:
        return found, False
    if len(existing) >= MAX_PEOPLE:
        raise ValidationError(
            {"label": [_("You have %(n)s people already; that is the most.") % {"n": MAX_PEOPLE}]}
        )
    with transaction.atomic():
        person = Person.objects.create(owner=owner, label=label)
        record(actor=owner, action="journal.person.add", target=person)
    return person, True


def person_rename(*, actor: User, person: Person, label: Any) -> Person:
    if person.owner_id != actor.pk:
        raise Http404
    label = clean_label(label)
    others = people_of(owner=actor).exclude(id=person.id)
    if _same_label(others, label) is not None:
        raise ValidationError({"label": [_("You already have someone with this name.")]})
    if label == person.label:
        return person
    person.label = label
    with transaction.atomic():
        person.save(update_fields=["label"])
        record(actor=actor, action="journal.person.rename", target=person)
    return person


def person_delete(*, actor: User, person: Person) -> None:
    """Forget someone: their label goes, and the moments that named them no longer do."""
    if person.owner_id != actor.pk:
        raise Http404
    with transaction.atomic():
        record(actor=actor, action="journal.person.delete", target=person)
        person.delete()


def clean_people(*, owner: User, value: Any) -> list[uuid.UUID]:
    """Person ids a moment of ``owner`` may name: only their own, each once, in list order.

    Raises ``ValidationError`` on ``people`` for anything else (someone else's id looks the same
    as an id that does not exist).
    """
    if value is None:
        return []
    if not isinstance(value, list | tuple) or len(value) > MAX_PEOPLE_PER_MOMENT:
        raise ValidationError(
            {"people": [_("Send a list of up to %(n)s people.") % {"n": MAX_PEOPLE_PER_MOMENT}]}
        )
    try:
        ids = list(dict.fromkeys(uuid.UUID(str(v)) for v in value))
    except ValueError:
        raise ValidationError({"people": [_("Choose people from your own list.")]}) from None
    # In the order of the person's list, as a moment's people are always read back.
    own = list(Person.objects.filter(owner=owner, id__in=ids).values_list("id", flat=True))
    if len(own) != len(ids):
        raise ValidationError({"people": [_("Choose people from your own list.")]})
    return own


def moment_people_set(*, moment: Moment, people: list[uuid.UUID]) -> None:
    """Make ``moment`` name exactly ``people`` (ids already checked by ``clean_people``)."""
    current = set(MomentPerson.objects.filter(moment=moment).values_list("person_id", flat=True))
    wanted = set(people)
    MomentPerson.objects.filter(moment=moment, person_id__in=current - wanted).delete()
    MomentPerson.objects.bulk_create(
        [MomentPerson(moment=moment, person_id=pid) for pid in people if pid not in current]
    )
    # A prefetched list would now be stale.
    getattr(moment, "_prefetched_objects_cache", {}).pop("people", None)
    moment.person_ids = list(people)


def _names_own_codes(fields: dict[str, Any]) -> bool:
    """Whether ``needs`` or ``contexts`` name a code outside the shared vocabulary.

    Only then are the person's own entries worth a query: most moments use shared codes.
    """
    for name, kind in CODE_LIST_FIELDS.items():
        value = fields.get(name)
        if isinstance(value, list | tuple) and any(
            not isinstance(code, str) or code not in vocabulary.codes(kind) for code in value
        ):
            return True
    return False


def clean_moment_fields(
    fields: dict[str, Any], *, owner: User, partial: bool = False
) -> dict[str, Any]:
    """``clean_moment`` plus ``people``: every error of both in one ``ValidationError``.

    ``people`` comes back (as a list of ids) only when it was given, like every other field.
    """
    from tend.journal.selectors import own_codes
    from tend.journal.validation import clean_moment

    fields = dict(fields)
    given = "people" in fields
    raw_people = fields.pop("people", None)
    errors: dict[str, list[str]] = {}
    people: list[uuid.UUID] = []
    try:
        people = clean_people(owner=owner, value=raw_people)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        codes = own_codes(owner=owner) if _names_own_codes(fields) else None
        cleaned = clean_moment(fields, partial=partial, own_codes=codes)
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    if given:
        cleaned["people"] = people
    return cleaned
