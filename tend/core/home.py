"""What a returning person sees first on Home: what matters now, one line each.

Something waiting for them (a care-plan proposal, or unread notices: a check-in, a share), the
next ritual, a practice that has helped them, and their last glimmer. Each is read through the
owning app's selectors, so Home opens no access path of its own. Nothing here counts streaks or
what was missed: a line is there only when there is something kind to say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.accounts.models import User
from tend.core import dates

# How far ahead "the next ritual" looks: further than that is not "now".
RITUAL_HORIZON = dt.timedelta(days=14)


@dataclass(frozen=True)
class NowLine:
    kind: str  # waiting, ritual, practice, glimmer: a CSS hook and a test handle
    text: str
    url: str


def _waiting(user: User) -> list[NowLine]:
    from tend.careplans.selectors import careplan_waiting_for
    from tend.notifications.selectors import notifications_of

    lines = []
    plan = careplan_waiting_for(viewer=user)
    if plan is not None:
        lines.append(
            NowLine(
                "waiting",
                _("A care plan proposal is waiting for you"),
                reverse("careplans:plan", args=[plan.id]),
            )
        )
    # Unread notices (a check-in started, a share, a plan agreed), but not the one about the
    # proposal already on its own line: the same news twice would read as a nudge.
    # Suggestions from a practitioner are told by their own cards on this page.
    unread_notices = (
        notifications_of(viewer=user)
        .filter(read_at=None)
        .exclude(code__in=("suggestion.new", "suggestion.due"))
    )
    if plan is not None:
        unread_notices = unread_notices.exclude(link__startswith=lines[0].url)
    unread = unread_notices.count()
    if unread:
        text = ngettext(
            "%(count)d new thing from Together", "%(count)d new things from Together", unread
        ) % {"count": unread}
        lines.append(NowLine("waiting", text, reverse("notifications:index")))
    return lines


def _next_ritual(user: User, now: dt.datetime) -> NowLine | None:
    from tend.rituals.schedule import occurrences
    from tend.rituals.selectors import marks_for_viewer, rituals_listed_for

    soonest = None
    for ritual in rituals_listed_for(viewer=user):
        upcoming = occurrences(
            ritual,
            start=now,
            end=now + RITUAL_HORIZON,
            participant_tz=user.time_zone,
            participant_id=user.id,
            marks=marks_for_viewer(ritual),
        )
        if upcoming and (soonest is None or upcoming[0].start < soonest.start):
            soonest = upcoming[0]
    if soonest is None:
        return None
    when = timezone.localtime(soonest.start, user.tz)
    days = (when.date() - timezone.localtime(now, user.tz).date()).days
    if days in (0, 1):
        day = _("today") if days == 0 else _("tomorrow")
    else:
        day = dates.when(when, "short_weekday_day_month")
    text = _("Next: %(ritual)s, %(day)s at %(time)s") % {
        "ritual": soonest.ritual.get_kind_display(),
        "day": day,
        "time": date_format(when, "H:i"),
    }
    return NowLine("ritual", text, reverse("rituals:detail", args=[soonest.ritual.id]))


def _helped(user: User) -> NowLine | None:
    from tend.practices.suggest import suggestions_for
    from tend.practices.views import player_url

    helped = next((s for s in suggestions_for(viewer=user, limit=1) if s.from_history), None)
    if helped is None:
        return None
    text = _("%(practice)s has helped you before") % {"practice": helped.practice.title}
    return NowLine("practice", text, player_url(helped.practice))


def _last_glimmer(user: User) -> NowLine | None:
    from django.utils.timesince import timesince

    from tend.journal import vocabulary
    from tend.journal.selectors import moments_of

    # Only the three columns the line shows: none of the moment's words are read or decrypted.
    glimmer = (
        moments_of(viewer=user)
        .filter(kind="glimmer")
        .values_list("id", "states", "occurred_at")
        .first()
    )
    if glimmer is None:
        return None
    glimmer_id, states, occurred_at = glimmer
    felt = ", ".join(vocabulary.label("states", code) for code in states[:2])
    ago = timesince(occurred_at, depth=1)
    text = (
        _("Your last glimmer, %(ago)s ago: %(felt)s") % {"ago": ago, "felt": felt}
        if felt
        else _("Your last glimmer was %(ago)s ago") % {"ago": ago}
    )
    return NowLine("glimmer", text, reverse("journal:detail", args=[glimmer_id]))


def now_for(*, viewer: User, now: dt.datetime | None = None) -> list[NowLine]:
    now = now or timezone.now()
    lines = _waiting(viewer)
    for line in (_next_ritual(viewer, now), _helped(viewer), _last_glimmer(viewer)):
        if line is not None:
            lines.append(line)
    return lines
