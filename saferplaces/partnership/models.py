"""The partnership: who it is, its member organisations, people, board seats and user roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class PartnershipQuerySet(models.QuerySet):
    """Who may see and run which partnerships. Superusers act as administrators of all."""

    def visible_to(self, user) -> "PartnershipQuerySet":
        """Partnerships the user is a member of (every one for superusers)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(pk__in=Membership.objects.filter(user=user).values("partnership"))

    def administered_by(self, user) -> "PartnershipQuerySet":
        """Partnerships the user administers (every one for superusers)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        admin_of = Membership.objects.filter(user=user, role=Role.ADMIN)
        return self.filter(pk__in=admin_of.values("partnership"))

    def staffed_by(self, user) -> "PartnershipQuerySet":
        """Partnerships where the user is an administrator or an organisation officer (every
        one for superusers): those whose grants and equality analyses they may change."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        roles = Membership.objects.filter(user=user, role__in=[Role.ADMIN, Role.OFFICER])
        return self.filter(pk__in=roles.values("partnership"))


class PartnershipScopedQuerySet(models.QuerySet):
    """Rows that belong to one partnership, reached through the lookup `partnership_field`.

    A subclass per model names the path (e.g. "plan__strategy__partnership"); views then ask
    `Model.objects.visible_to(user).for_partnership(partnership)` instead of repeating
    filters. By default only administrators may change a partnership's rows; actions widen
    `editable_by` to the lead organisation's officers (strategy.models.ActionQuerySet).
    """

    partnership_field = "partnership"

    def for_partnership(self, partnership: "Partnership") -> "PartnershipScopedQuerySet":
        return self.filter(**{self.partnership_field: partnership})

    def visible_to(self, user) -> "PartnershipScopedQuerySet":
        """Rows of the partnerships the user is a member of."""
        return self.in_partnerships(Partnership.objects.visible_to(user))

    def editable_by(self, user) -> "PartnershipScopedQuerySet":
        """Rows the user may change: those of the partnerships they administer."""
        return self.in_partnerships(Partnership.objects.administered_by(user))

    def in_partnerships(self, partnerships: PartnershipQuerySet) -> "PartnershipScopedQuerySet":
        return self.filter(**{f"{self.partnership_field}__in": partnerships})


class Partnership(models.Model):
    """A Community Safety Partnership (or a group of them) hosted on this installation."""

    name = models.CharField("name", max_length=200, unique=True)
    short_name = models.CharField("short name", max_length=50, help_text="For example SWP.")
    slug = models.SlugField("web address name", unique=True)
    area_description = models.CharField(
        "area", max_length=200, blank=True, help_text="The area the partnership covers."
    )
    update_interval_days = models.PositiveIntegerField(
        "days before an action needs an update",
        default=60,
        help_text="Open actions with no update for longer than this are flagged as stale.",
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="partnerships", verbose_name="area",
        help_text="The local authority district or CSP area the partnership covers; its LSOAs "
        "are the partnership's own areas for crime data.",
    )
    police_force = models.CharField(
        "police force", max_length=100, blank=True,
        help_text="As police.uk names it, e.g. West Midlands Police.",
    )
    also_acts_as = models.CharField(
        "also acts as", max_length=300, blank=True,
        help_text="Another role the partnership's board holds, shown on the board page, e.g. "
        "'the local Police and Crime Board for Wolverhampton'.",
    )
    is_demonstration = models.BooleanField(
        "demonstration", default=False,
        help_text="Demonstration data: every page says its people and actions are illustrative.",
    )
    shown_as_at = models.DateField(
        "shown as at", null=True, blank=True,
        help_text="Leave empty to judge overdue actions, updates and values due at today's "
        "date. Set a date to show the partnership as it stood then (a demonstration frozen "
        "in its year): every page says so.",
    )
    allow_self_approval = models.BooleanField(
        "officers may approve their own values", default=False,
        help_text="Only for a partnership with one officer who both submits and approves "
        "indicator values. Otherwise nobody approves a value they submitted. Such approvals "
        "are marked wherever the value is shown.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    history = HistoricalRecords()

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "partnership"

    def __str__(self) -> str:
        return self.name


class PartnerBody(models.Model):
    """Another partnership, network or board the partnership works with: not a strategy,
    e.g. a sub-regional anti-slavery partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partner_bodies",
        verbose_name="partnership",
    )
    name = models.CharField("name", max_length=300)
    members = models.CharField(
        "made up of", max_length=300, blank=True,
        help_text="Who takes part, e.g. 'Wolverhampton and Walsall partners'.",
    )
    description = models.TextField("description", blank=True)
    url = models.URLField("web address", blank=True)
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "partner body"
        verbose_name_plural = "partner bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="partner_body_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StatutoryRole(models.TextChoices):
    """An organisation's standing under the Crime and Disorder Act 1998."""

    RESPONSIBLE_AUTHORITY = "responsible", "Responsible authority (CDA s.5)"
    COOPERATING = "cooperating", "Co-operating body"
    PARTICIPATING = "participating", "Participating body"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    RESIDENT = "resident", "Resident representative"


class AuthorityType(models.TextChoices):
    """The kind of responsible authority listed in CDA s.5."""

    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    FIRE = "fire", "Fire and rescue"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health (ICB / CCG)"


class OrganisationQuerySet(PartnershipScopedQuerySet):
    def represented_by(self, user) -> "OrganisationQuerySet":
        """The organisations the user acts for as an organisation officer."""
        if not user.is_authenticated:
            return self.none()
        officer = Membership.objects.filter(user=user, role=Role.OFFICER)
        return self.filter(pk__in=officer.values("organisation"))


class Organisation(models.Model):
    """A member organisation of a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="organisations",
        verbose_name="partnership",
    )
    name = models.CharField("name", max_length=200)
    short_name = models.CharField(
        "short name", max_length=50, help_text="Used in tables and CSV files, e.g. WMP."
    )
    statutory_role = models.CharField(
        "statutory role", max_length=20, choices=StatutoryRole.choices
    )
    authority_type = models.CharField(
        "type of responsible authority", max_length=20, choices=AuthorityType.choices,
        blank=True, help_text="Only for responsible authorities.",
    )
    website = models.URLField("website", blank=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="organisation_name_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership", "short_name"], name="organisation_short_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(statutory_role="responsible") | Q(authority_type=""),
                name="organisation_authority_type_only_for_responsible",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.statutory_role == StatutoryRole.RESPONSIBLE_AUTHORITY and not self.authority_type:
            raise ValidationError(
                {"authority_type": "Say which kind of responsible authority this is."},
                code="authority_type_required",
            )
        if self.statutory_role != StatutoryRole.RESPONSIBLE_AUTHORITY and self.authority_type:
            raise ValidationError(
                {"authority_type": "Only responsible authorities have an authority type."},
                code="authority_type_not_allowed",
            )


class Person(models.Model):
    """Someone who works with the partnership: a lead officer, a board member, a resident rep."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="people", verbose_name="partnership"
    )
    name = models.CharField("name", max_length=200)
    job_title = models.CharField("job title", max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="people",
        verbose_name="organisation",
    )
    email = models.EmailField("email", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="people", verbose_name="login",
        help_text="The login this person uses, if they have one.",
    )
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="person_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SeatType(models.TextChoices):
    STATUTORY = "statutory", "Statutory member"
    VOLUNTARY = "voluntary", "Voluntary sector seat"
    RESIDENT = "resident", "Resident seat"


class BoardOffice(models.TextChoices):
    MEMBER = "member", "Member"
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"


class BoardSeat(models.Model):
    """A seat on the partnership board, held by a person for an organisation (or vacant)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="board_seats",
        verbose_name="partnership",
    )
    seat_type = models.CharField("seat type", max_length=20, choices=SeatType.choices)
    office = models.CharField(
        "office", max_length=20, choices=BoardOffice.choices, default=BoardOffice.MEMBER
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="board_seats", verbose_name="organisation represented",
    )
    holder = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="board_seats",
        verbose_name="held by", help_text="Leave empty while the seat is vacant.",
    )
    label = models.CharField(
        "label", max_length=200, blank=True,
        help_text="Optional description, e.g. 'Resident representative, east of the city'.",
    )
    term_start = models.DateField("term starts", null=True, blank=True)
    term_end = models.DateField("term ends", null=True, blank=True)
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["seat_type", "id"]
        verbose_name = "board seat"
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="board_seat_term_order",
            ),
            models.UniqueConstraint(
                fields=["partnership", "office"],
                condition=Q(office__in=["chair", "vice_chair"]),
                name="board_seat_one_chair_and_vice_chair",
            ),
        ]

    def __str__(self) -> str:
        who = self.holder.name if self.holder else "vacant"
        return f"{self.get_seat_type_display()}: {self.organisation or self.label} ({who})"

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError(
                {"term_end": "The term cannot end before it starts."}, code="term_order"
            )
        if self.seat_type == SeatType.STATUTORY and not self.organisation_id:
            raise ValidationError(
                {"organisation": "A statutory seat represents an organisation."},
                code="statutory_seat_needs_organisation",
            )


class Role(models.TextChoices):
    """What a user may do inside one partnership."""

    ADMIN = "admin", "Partnership administrator"
    OFFICER = "officer", "Organisation officer"
    BOARD = "board", "Board member"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    """A user's role in one partnership; a user with no membership sees nothing of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name="user",
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships",
        verbose_name="partnership",
    )
    role = models.CharField("role", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="memberships", verbose_name="organisation",
        help_text="Required for organisation officers: the organisation they act for.",
    )
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "membership"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"], name="membership_one_per_partnership"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.OFFICER) | Q(organisation__isnull=False),
                name="membership_officer_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.partnership.short_name})"

    def clean(self) -> None:
        if self.role == Role.OFFICER and not self.organisation_id:
            raise ValidationError(
                {"organisation": "An organisation officer needs an organisation."},
                code="officer_needs_organisation",
            )
        if self.organisation_id and self.partnership_id and (
            self.organisation.partnership_id != self.partnership_id
        ):
            raise ValidationError(
                {"organisation": "The organisation belongs to another partnership."},
                code="organisation_other_partnership",
            )
