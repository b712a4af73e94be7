"""Reminder digests: one email per person listing what they need to do.

A digest (``Digest``) is plain data, built by ``build_digests`` from the database and rendered
by ``render_digest`` / ``email_message``; the ``saferplaces reminders`` command only sends or
prints them. What goes in a digest, for each partnership membership of a login:

- **Actions needing an update**: open actions in a plan that is not closed, where the login
  is the lead officer (a Person whose ``user`` is this login) or, for organisation officers,
  the organisation leads the action; listed when overdue (due date passed) or stale (no update
  for the partnership's ``update_interval_days``).
- **Indicator values due** (organisation officers): indicators owned by the officer's
  organisation whose source is "submitted", where the latest period now due (more than
  ``grace_days`` after its end, as ``rules.data_quality_flags`` defines "Value overdue") has no
  value that counts or awaits approval.
- **Values awaiting approval** (administrators): one line with how many submitted values wait.

A login with several memberships gets one digest covering them all; logins with nothing due
get none. Inactive logins are skipped. Links are absolute, built from ``base_url``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from saferplaces.core import clock, periods
from saferplaces.core.words import date_text
from saferplaces.partnership.models import Membership, Person, Role
from saferplaces.performance import permissions, rules
from saferplaces.performance.models import Indicator, IndicatorValue, Source, ValueStatus
from saferplaces.strategy.models import Action, PlanStatus

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
GRACE_DAYS = 30
SUBJECT_PREFIX = "[saferplaces]"

# Values that stop an indicator being overdue: ones that count, and ones awaiting approval
# (the partner has done their part). Returned values do not.
_PRESENT_STATUSES = (ValueStatus.COMPUTED, ValueStatus.APPROVED, ValueStatus.SUBMITTED)


@dataclass(frozen=True)
class ActionItem:
    """An open action that needs an update."""

    partnership: str
    reference: str
    title: str
    lead_organisation: str
    due_date: datetime.date
    last_update: datetime.date | None
    overdue: bool
    stale: bool
    url: str

    @property
    def reason(self) -> str:
        reasons = []
        if self.overdue:
            reasons.append(f"overdue: due {date_text(self.due_date)}")
        if self.stale:
            reasons.append("no update since " + date_text(self.last_update)
                           if self.last_update else "no update yet")
        return "; ".join(reasons)


@dataclass(frozen=True)
class IndicatorItem:
    """A partner-submitted indicator whose value for ``period_code`` is due."""

    partnership: str
    code: str
    name: str
    period_code: str
    period_label: str
    reason: str
    url: str


@dataclass(frozen=True)
class ApprovalItem:
    """Submitted values waiting for an administrator of ``partnership``."""

    partnership: str
    count: int
    url: str

    @property
    def text(self) -> str:
        plural = "value awaits" if self.count == 1 else "values await"
        return f"{self.count} indicator {plural} your approval"


@dataclass
class Digest:
    """Everything one login is reminded of, across its partnerships."""

    user_id: int
    username: str
    name: str
    email: str
    today: datetime.date
    actions: list[ActionItem] = field(default_factory=list)
    indicators: list[IndicatorItem] = field(default_factory=list)
    approvals: list[ApprovalItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.actions or self.indicators or self.approvals)

    def counts_text(self) -> str:
        """For example "2 actions, 1 indicator value, 3 values awaiting approval"."""
        parts = []
        if self.actions:
            parts.append(_plural(len(self.actions), "action", "actions"))
        if self.indicators:
            parts.append(_plural(len(self.indicators), "indicator value", "indicator values"))
        waiting = sum(item.count for item in self.approvals)
        if waiting:
            parts.append(_plural(waiting, "value awaiting approval", "values awaiting approval"))
        return ", ".join(parts) or "nothing due"

    @property
    def subject(self) -> str:
        return f"{SUBJECT_PREFIX} Reminder: {self.counts_text()}"


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _link(base_url: str, name: str, **kwargs) -> str:
    return base_url.rstrip("/") + reverse(name, kwargs=kwargs)


# ---------------------------------------------------------------------------------------------
# What is due


def due_period(frequency: str, today: datetime.date,
               grace_days: int = GRACE_DAYS) -> periods.Period:
    """The latest period of ``frequency`` ("monthly", "quarterly" or "annual") now due: the
    one whose last day is at least ``grace_days + 1`` days before ``today``. This is the
    period ``rules.data_quality_flags`` checks for "Value overdue"."""
    cutoff = today - datetime.timedelta(days=grace_days + 1)
    return periods.latest_complete(periods.FREQUENCY_KINDS[frequency], cutoff)


def action_items(membership: Membership, today: datetime.date,
                 base_url: str = DEFAULT_BASE_URL) -> list[ActionItem]:
    """Open actions the membership's login must update: overdue or stale ones it leads as
    lead officer, or (organisation officers) that its organisation leads."""
    partnership = membership.partnership
    mine = Q(lead_officer__user_id=membership.user_id)
    if membership.role == Role.OFFICER and membership.organisation_id:
        mine |= Q(lead_organisation_id=membership.organisation_id)
    days = partnership.update_interval_days
    actions = (Action.objects.filter(plan__strategy__partnership=partnership)
               .exclude(plan__status=PlanStatus.CLOSED).filter(mine))
    due = (actions.overdue(today) | actions.stale(days, today)).distinct()
    items = []
    for action in due.select_related("lead_organisation", "plan").order_by("due_date", "reference"):
        items.append(ActionItem(
            partnership=partnership.name,
            reference=action.reference,
            title=action.title,
            lead_organisation=action.lead_organisation.short_name,
            due_date=action.due_date,
            last_update=action.last_update_date,
            overdue=action.is_overdue(today),
            stale=action.is_stale(days, today),
            url=_link(base_url, "action_detail", partnership=partnership.slug, pk=action.pk),
        ))
    return items


def indicator_items(membership: Membership, today: datetime.date,
                    base_url: str = DEFAULT_BASE_URL,
                    grace_days: int = GRACE_DAYS) -> list[IndicatorItem]:
    """Partner-submitted indicators of an officer's organisation with a value now due."""
    if membership.role != Role.OFFICER or not membership.organisation_id:
        return []
    partnership = membership.partnership
    indicators = (Indicator.objects.filter(partnership=partnership,
                                           owner_id=membership.organisation_id,
                                           source=Source.SUBMITTED)
                  .prefetch_related("values").order_by("code"))
    items = []
    for indicator in indicators:
        present = [v.period_end for v in indicator.values.all()
                   if v.status in _PRESENT_STATUSES]
        flags = rules.data_quality_flags(
            has_baseline=True, latest_period_end=max(present, default=None),
            frequency=indicator.frequency, today=today, unapproved_count=0,
            grace_days=grace_days)
        overdue = next((flag for flag in flags if flag.code == "value_overdue"), None)
        if overdue is None:
            continue
        period = due_period(indicator.frequency, today, grace_days)
        items.append(IndicatorItem(
            partnership=partnership.name,
            code=indicator.code,
            name=indicator.name,
            period_code=period.code,
            period_label=period.label,
            reason=overdue.reason,
            url=_link(base_url, "indicator", partnership=partnership.slug,
                      code=indicator.code),
        ))
    return items


def approval_items(membership: Membership,
                   base_url: str = DEFAULT_BASE_URL) -> list[ApprovalItem]:
    """For administrators: how many submitted values wait for their approval (none: empty
    list). Their own submissions are left out unless the partnership allows self-approval:
    another administrator must approve those (four eyes, `review.refusal`)."""
    if not permissions.can_review_values(membership):
        return []
    partnership = membership.partnership
    waiting = IndicatorValue.objects.filter(indicator__partnership=partnership,
                                            status=ValueStatus.SUBMITTED)
    if not partnership.allow_self_approval:
        waiting = waiting.exclude(submitted_by_id=membership.user_id)
    waiting = waiting.count()
    if not waiting:
        return []
    return [ApprovalItem(partnership.name, waiting,
                         _link(base_url, "data_quality", partnership=partnership.slug))]


def _memberships(partnership=None) -> Iterable[Membership]:
    memberships = (Membership.objects.filter(user__is_active=True)
                   .select_related("user", "partnership", "organisation")
                   .order_by("user__username", "partnership__name"))
    if partnership is not None:
        memberships = memberships.filter(partnership=partnership)
    return memberships


def _person_email(user_id: int, partnership_ids: set[int]) -> tuple[str, str]:
    """The name and email of a Person linked to the login (in these partnerships), if any."""
    person = (Person.objects.filter(user_id=user_id, partnership_id__in=partnership_ids)
              .exclude(email="").order_by("pk").first())
    return (person.name, person.email) if person else ("", "")


def build_digests(today: datetime.date | None = None, partnership=None,
                  base_url: str = DEFAULT_BASE_URL,
                  grace_days: int = GRACE_DAYS) -> list[Digest]:
    """One digest per active login with something due (of one partnership, or all), ordered
    by user name. Logins with nothing due are left out. ``email`` is the login's address,
    else that of a Person linked to the login; it may be "" (the caller decides)."""
    digests: dict[int, Digest] = {}
    partnerships_of: dict[int, set[int]] = {}
    for membership in _memberships(partnership):
        day = today or clock.today(membership.partnership)
        user = membership.user
        digest = digests.get(user.pk)
        if digest is None:
            digest = digests[user.pk] = Digest(
                user_id=user.pk, username=user.get_username(),
                name=user.get_full_name() or "", email=user.email, today=day)
        partnerships_of.setdefault(user.pk, set()).add(membership.partnership_id)
        digest.actions += action_items(membership, day, base_url)
        digest.indicators += indicator_items(membership, day, base_url, grace_days)
        digest.approvals += approval_items(membership, base_url)
    found = []
    for digest in digests.values():
        if digest.is_empty:
            continue
        if not digest.email or not digest.name:
            name, email = _person_email(digest.user_id, partnerships_of[digest.user_id])
            digest.email = digest.email or email
            digest.name = digest.name or name
        digest.name = digest.name or digest.username
        found.append(digest)
    return sorted(found, key=lambda d: d.username)


# ---------------------------------------------------------------------------------------------
# Rendering


def render_digest(digest: Digest) -> RenderedDigest:
    """Subject, plain text and HTML bodies (templates performance/email/digest.txt, .html)."""
    context = {"digest": digest}
    return RenderedDigest(
        subject=digest.subject,
        text=render_to_string("performance/email/digest.txt", context),
        html=render_to_string("performance/email/digest.html", context),
    )


def email_message(digest: Digest, from_email: str | None = None,
                  connection=None) -> EmailMultiAlternatives:
    """The digest as an email (plain text with an HTML alternative), ready to send.
    ``from_email`` defaults to the DEFAULT_FROM_EMAIL setting."""
    rendered = render_digest(digest)
    message = EmailMultiAlternatives(rendered.subject, rendered.text, from_email,
                                     [digest.email], connection=connection)
    message.attach_alternative(rendered.html, "text/html")
    return message


def dry_run_lines(digest: Digest) -> list[str]:
    """What ``--dry-run`` prints for one digest: who, then one line per item."""
    lines = [f"{digest.email or '(no email address)'} ({digest.username}): "
             f"{digest.counts_text()}"]
    for item in digest.actions:
        lines.append(f"  action {item.reference} {item.title} [{item.partnership}]: "
                     f"{item.reason} {item.url}")
    for item in digest.indicators:
        lines.append(f"  indicator {item.code} {item.name} [{item.partnership}]: value for "
                     f"{item.period_code} due {item.url}")
    for item in digest.approvals:
        lines.append(f"  approvals [{item.partnership}]: {item.text} {item.url}")
    return lines
