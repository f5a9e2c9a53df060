"""Timeline filters and search over one's own words.

Structured filters (kind, state, theme, person, context, dates, intensity) run in SQL. Search
cannot: the words are encrypted with the author's own key, so the database holds nothing to
match against (no plaintext, no searchable index or hash that could leak what was written).

How search works, and its limits:

* It runs in the author's own request, on their own moments only (``moments_of``), after the
  structured filters, so a filter narrows what is searched.
* It decrypts the most recent ``SEARCH_SCAN_LIMIT`` (2,000) moments of that filtered set, one
  field at a time, and keeps those where the words appear in any free-text field (cue, story,
  part, urge, action, helped, notes). Matching ignores case and compatibility forms
  (``casefold`` after NFKC), not accents, spelling or word forms: it is a plain "contains".
* When more moments than that match the filters, older ones are not searched and the result
  says so (``limited``); narrowing the dates searches further back.
* The cost is one decryption per field read, in memory, for one person; nothing is cached or
  written, and the search words are never logged or stored.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tend.journal import vocabulary
from tend.journal.models import Moment
from tend.journal.moment_fields import TEXT_FIELDS
from tend.journal.people import people_of
from tend.journal.people_models import Person
from tend.journal.selectors import moments_of, own_codes, own_vocabulary

if TYPE_CHECKING:
    from tend.accounts.models import User

SEARCH_SCAN_LIMIT = 2000
SEARCH_MAX_LENGTH = 200


@dataclass(frozen=True)
class MomentFilter:
    kind: str | None = None
    state: str | None = None
    theme: uuid.UUID | None = None
    person: uuid.UUID | None = None
    context: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    intensity_min: int | None = None
    intensity_max: int | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return any(
            value not in (None, "")
            for value in (
                self.kind,
                self.state,
                self.theme,
                self.person,
                self.context,
                self.date_from,
                self.date_to,
                self.intensity_min,
                self.intensity_max,
                self.q.strip(),
            )
        )


@dataclass(frozen=True)
class SearchResult:
    moments: QuerySet[Moment]
    # True when the filtered set held more than SEARCH_SCAN_LIMIT moments, so older ones
    # were not searched.
    limited: bool = False


def check_filter(*, viewer: User, filters: MomentFilter) -> None:
    """Raise ``ValidationError`` (by parameter) for a filter value ``viewer`` cannot use."""
    errors: dict[str, list[str]] = {}
    if filters.state is not None and filters.state not in vocabulary.codes("states"):
        errors["state"] = [_("Choose a state from the vocabulary.")]
    if filters.context is not None:
        known = vocabulary.codes("contexts") | own_codes(owner=viewer)["contexts"]
        if filters.context not in known:
            errors["context"] = [_("Choose a context from the vocabulary or your own.")]
    if (
        filters.person is not None
        and not Person.objects.filter(owner=viewer, id=filters.person).exists()
    ):
        errors["person"] = [_("Choose one of your own people.")]
    if filters.theme is not None and not _own_theme_exists(viewer, filters.theme):
        errors["theme"] = [_("Choose one of your own themes.")]
    for name in ("intensity_min", "intensity_max"):
        value = getattr(filters, name)
        if value is not None and not 0 <= value <= 10:
            errors[name] = [_("Choose a number from 0 to 10.")]
    if (
        filters.intensity_min is not None
        and filters.intensity_max is not None
        and filters.intensity_min > filters.intensity_max
    ):
        errors["intensity_max"] = [_("Choose a highest intensity at least as high as the lowest.")]
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["to"] = [_("Choose an end date on or after the start date.")]
    if len(filters.q) > SEARCH_MAX_LENGTH:
        errors["q"] = [_("Search for at most %(n)s characters.") % {"n": SEARCH_MAX_LENGTH}]
    if errors:
        raise ValidationError(errors)


def _own_theme_exists(viewer: User, theme_id: uuid.UUID) -> bool:
    from django.apps import apps

    try:
        theme_model = apps.get_model("journal", "Theme")
    except LookupError:
        return False
    return bool(theme_model.objects.filter(owner=viewer, id=theme_id).exists())


# Moments start in 2000 (validation.EARLIEST), so an earlier start bounds nothing; a day after
# the last one would be in year 10000 in some time zone.
FIRST_BOUNDED_DAY = dt.date(2000, 1, 1)
LAST_BOUNDED_DAY = dt.date(9999, 12, 30)


def _local_midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def moments_filtered(*, viewer: User, filters: MomentFilter) -> QuerySet[Moment]:
    """``viewer``'s moments that meet the structured filters, newest first.

    Dates are whole days in the viewer's own time zone: ``date_to`` includes all of that day.
    A person or theme that is not the viewer's matches nothing (their moments can only name
    their own).
    """
    moments = moments_of(viewer=viewer)
    if filters.kind:
        moments = moments.filter(kind=filters.kind)
    # A quoted code matches one JSON list element exactly, on SQLite and PostgreSQL alike.
    if filters.state:
        moments = moments.filter(states__icontains=f'"{filters.state}"')
    if filters.context:
        moments = moments.filter(contexts__icontains=f'"{filters.context}"')
    if filters.person:
        moments = moments.filter(
            momentperson__person_id=filters.person, momentperson__person__owner=viewer
        )
    if filters.theme:
        moments = moments.filter(theme_id=filters.theme, theme__owner=viewer)
    tz = viewer.tz
    # Days at the calendar's edges ("from 0001-01-01", "to 9999-12-31" as open ends) bound
    # nothing, since no moment is that early or late; they are dropped rather than turned into
    # midnights that Python's calendar or the database cannot hold.
    if filters.date_from and filters.date_from >= FIRST_BOUNDED_DAY:
        moments = moments.filter(occurred_at__gte=_local_midnight(filters.date_from, tz))
    if filters.date_to and filters.date_to < LAST_BOUNDED_DAY:
        next_day = filters.date_to + dt.timedelta(days=1)
        moments = moments.filter(occurred_at__lt=_local_midnight(next_day, tz))
    if filters.intensity_min is not None:
        moments = moments.filter(intensity__gte=filters.intensity_min)
    if filters.intensity_max is not None:
        moments = moments.filter(intensity__lte=filters.intensity_max)
    return moments


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def moments_search(
    *, viewer: User, filters: MomentFilter, scan_limit: int = SEARCH_SCAN_LIMIT
) -> SearchResult:
    """The filtered moments, narrowed to those whose words contain ``filters.q``.

    See the module docstring for the approach and its limits. Returns a queryset (of ids that
    matched), so pages and the API paginate it like any other list.
    """
    moments = moments_filtered(viewer=viewer, filters=filters)
    needle = _fold(filters.q.strip())
    if not needle:
        return SearchResult(moments=moments)
    scanned = list(moments[: scan_limit + 1])
    limited = len(scanned) > scan_limit
    matched = [
        moment.id
        for moment in scanned[:scan_limit]
        # any() stops at the first field that matches, so later fields stay encrypted.
        if any(needle in _fold(getattr(moment, name) or "") for name in TEXT_FIELDS)
    ]
    return SearchResult(moments=moments.filter(id__in=matched), limited=limited)


# ---- The filter panel on /journal/ ---------------------------------------------------------

ANY = [("", gettext_lazy("Any"))]
SCALE = [(str(i), str(i)) for i in range(11)]


class MomentFilterForm(forms.Form):
    """The timeline's filter panel: a GET form, so a filtered view is a link one can keep."""

    q = forms.CharField(
        label=gettext_lazy("Search your words"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), required=False)
    person = forms.ChoiceField(label=gettext_lazy("Person"), required=False)
    context = forms.ChoiceField(label=gettext_lazy("Where"), required=False)
    intensity_min = forms.TypedChoiceField(
        label=gettext_lazy("Intensity from"), required=False, coerce=int, empty_value=None
    )
    intensity_max = forms.TypedChoiceField(
        label=gettext_lazy("Intensity up to"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        invalid = {"invalid": gettext_lazy("Give a date, such as 2026-05-01.")}
        # "from" and "to" read well in a link but are not Python names, hence set here.
        self.fields["from"] = forms.DateField(
            label=gettext_lazy("From"), required=False, widget=date_input, error_messages=invalid
        )
        self.fields["to"] = forms.DateField(
            label=gettext_lazy("To"), required=False, widget=date_input, error_messages=invalid
        )
        choices = self._choices()
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [*ANY, *options]
            field.error_messages["invalid_choice"] = gettext_lazy("Choose from the list shown.")
        if not choices["theme"]:
            del self.fields["theme"]

    def _choices(self) -> dict[str, list[tuple[str, Any]]]:
        viewer = self.viewer
        return {
            "kind": [(t.code, t.label) for t in vocabulary.KINDS],
            "state": vocabulary.choices("states"),
            "theme": _theme_choices(viewer),
            "person": [(str(p.id), p.label) for p in people_of(owner=viewer)],
            "context": [
                *vocabulary.choices("contexts"),
                *((e.code, e.label) for e in own_vocabulary(owner=viewer, kind="contexts")),
            ],
            "intensity_min": SCALE,
            "intensity_max": SCALE,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("intensity_min"), cleaned.get("intensity_max")
        if low is not None and high is not None and low > high:
            self.add_error("intensity_max", _("Choose a number at least as high as “from”."))
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("Choose a date on or after “from”."))
        return cleaned

    def to_filter(self) -> MomentFilter:
        """The filter the valid fields describe; a field with an error is left out."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}

        def get(name: str) -> Any:
            return None if name in self.errors else (data.get(name) or None)

        def uuid_or_none(value: Any) -> uuid.UUID | None:
            return uuid.UUID(value) if value else None

        return MomentFilter(
            kind=get("kind"),
            state=get("state"),
            theme=uuid_or_none(get("theme")),
            person=uuid_or_none(get("person")),
            context=get("context"),
            date_from=get("from"),
            date_to=get("to"),
            intensity_min=None if "intensity_min" in self.errors else data.get("intensity_min"),
            intensity_max=None if "intensity_max" in self.errors else data.get("intensity_max"),
            q=(get("q") or "").strip(),
        )

    PANEL_ORDER = (
        "kind",
        "state",
        "theme",
        "person",
        "context",
        "from",
        "to",
        "intensity_min",
        "intensity_max",
    )

    @property
    def panel_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PANEL_ORDER if name in self.fields]

    @property
    def panel_open(self) -> bool:
        """Keep the panel open when anything besides the search box is in use, or wrong."""
        return bool(self.errors) or any(self.data.get(name) for name in self.fields if name != "q")


def _theme_choices(viewer: User) -> list[tuple[str, Any]]:
    from django.apps import apps

    try:
        theme_model = apps.get_model("journal", "Theme")
    except LookupError:
        return []
    themes = theme_model.objects.filter(owner=viewer).select_related("owner__data_key")
    return [(str(t.id), t.name) for t in themes]
