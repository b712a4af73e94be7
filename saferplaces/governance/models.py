"""Meetings of the board and its groups: agendas, papers, attendance, minutes, decisions and
actions arising."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from saferplaces.governance.quorum import QuorumResult, QuorumRule, quorum
from saferplaces.partnership.models import (
    BoardSeat,
    Partnership,
    PartnershipScopedQuerySet,
    Person,
    SeatType,
)
from saferplaces.strategy.models import CLOSED_STATUSES, ActionStatus


class EditableByOfficersQuerySet(PartnershipScopedQuerySet):
    """Rows administrators and organisation officers may change (permissions.can_edit_meetings)."""

    def editable_by(self, user) -> EditableByOfficersQuerySet:
        return self.in_partnerships(Partnership.objects.staffed_by(user))


def seat_order(seat: BoardSeat) -> tuple[int, int]:
    """The board page's order: statutory, voluntary, then resident seats, each as added."""
    return list(SeatType.values).index(seat.seat_type), seat.pk


class BodyKind(models.TextChoices):
    BOARD = "board", "The board (every board seat)"
    GROUP = "group", "A group or sub-group (chosen seats)"


class VotingSeats(models.TextChoices):
    ALL = "all", "Every seat"
    STATUTORY = "statutory", "Statutory seats only"


class Body(models.Model):
    """The board, or a named group or sub-group of the partnership, that holds meetings."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="meeting_bodies",
        verbose_name="partnership")
    name = models.CharField("name", max_length=200, help_text="For example SWP Board, or "
                            "Violence and Exploitation Group.")
    kind = models.CharField("kind", max_length=10, choices=BodyKind.choices,
                            default=BodyKind.GROUP)
    seats = models.ManyToManyField(
        BoardSeat, blank=True, related_name="bodies", verbose_name="members (groups only)",
        help_text="The board seats that sit on a group. The board itself has every seat.")
    voting_seats = models.CharField(
        "who votes", max_length=10, choices=VotingSeats.choices, default=VotingSeats.ALL,
        help_text="The seats counted for the quorum.")
    quorum_number = models.PositiveSmallIntegerField(
        "quorum", default=1,
        help_text="A number of voting seats, or with 'out of' a fraction of them (1 out of 3 "
        "is one third, rounded up).")
    quorum_of = models.PositiveSmallIntegerField(
        "out of", null=True, blank=True,
        help_text="Leave empty for a plain number of seats.")
    history = HistoricalRecords(m2m_fields=[seats])

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "board or group"
        verbose_name_plural = "board and groups"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="body_name_unique"),
            models.UniqueConstraint(fields=["partnership"], condition=Q(kind="board"),
                                    name="body_one_board"),
            models.CheckConstraint(condition=Q(quorum_number__gte=1), name="body_quorum_positive"),
            models.CheckConstraint(
                condition=Q(quorum_of__isnull=True) | Q(quorum_of__gte=models.F("quorum_number")),
                name="body_quorum_fraction_at_most_one"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.quorum_of is not None and self.quorum_of < (self.quorum_number or 0):
            raise ValidationError(
                {"quorum_of": "A quorum cannot be more than all the voting seats."},
                code="quorum_fraction")

    @property
    def rule(self) -> QuorumRule:
        return QuorumRule(self.quorum_number, self.quorum_of)

    def member_seats(self) -> list[BoardSeat]:
        """The seats that sit on this body, in the board page's order."""
        if self.kind == BodyKind.BOARD:
            seats = BoardSeat.objects.filter(partnership_id=self.partnership_id)
        else:
            seats = self.seats.all()
        return sorted(seats.select_related("organisation", "holder"), key=seat_order)

    def seat_votes(self, seat: BoardSeat) -> bool:
        return self.voting_seats == VotingSeats.ALL or seat.seat_type == SeatType.STATUTORY


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MeetingQuerySet(EditableByOfficersQuerySet):
    partnership_field = "body__partnership"


class Meeting(models.Model):
    """One meeting of a body."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings",
                             verbose_name="board or group")
    date = models.DateField("date")
    start_time = models.TimeField("start time", null=True, blank=True)
    place = models.CharField("place", max_length=200, blank=True,
                             help_text="A room and building, or 'Online (Microsoft Teams)'.")
    status = models.CharField("status", max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    is_illustrative = models.BooleanField(
        "illustrative", default=False, editable=False,
        help_text="Demonstration content: agendas, minutes and attendance are invented.")
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = "meeting"

    def __str__(self) -> str:
        return f"{self.body} {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.body.partnership.slug, self.pk])

    def quorum(self) -> QuorumResult | None:
        """Whether the meeting was quorate; None until attendance is recorded (or if cancelled)."""
        if self.status == MeetingStatus.CANCELLED:
            return None
        voting = [a.status for a in self.attendance.all() if a.voting]
        if not voting:
            return None
        return quorum(self.body.rule, voting)


MAX_ITEM_NUMBER = 999


class ItemQuerySet(EditableByOfficersQuerySet):
    partnership_field = "meeting__body__partnership"


class AgendaItem(models.Model):
    """A numbered item on a meeting's agenda, with its minutes and decisions."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items",
                                verbose_name="meeting")
    number = models.PositiveSmallIntegerField(
        "number", validators=[MinValueValidator(1), MaxValueValidator(MAX_ITEM_NUMBER)])
    title = models.CharField("title", max_length=300)
    presenter = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items",
        verbose_name="presenter")
    minutes = models.TextField("minutes", blank=True)
    decisions = models.TextField(
        "decisions", blank=True, help_text="What the meeting decided or agreed, one per line.")
    history = HistoricalRecords()

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = "agenda item"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @classmethod
    def save_agenda(cls, meeting: Meeting, items: list[AgendaItem],
                    deleted: list[AgendaItem]) -> None:
        """Save an edited agenda in one go. Items being renumbered are first moved out of the
        way, so that swapping two numbers does not trip the one-number-per-item constraint."""
        for item in deleted:
            item.delete()
        moved = [item.pk for item in items if item.pk]
        cls.objects.filter(pk__in=moved).update(number=models.F("number") + MAX_ITEM_NUMBER)
        for item in items:
            item.meeting = meeting
            item.save()

    def decision_lines(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class PaperQuerySet(EditableByOfficersQuerySet):
    partnership_field = "item__meeting__body__partnership"


class AgendaPaper(models.Model):
    """A paper for an agenda item: an uploaded file (kept in the database) or a link."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers",
                             verbose_name="agenda item")
    title = models.CharField("title", max_length=300)
    link = models.URLField("link", blank=True)
    content = models.BinaryField("file", null=True, editable=False)
    filename = models.CharField("file name", max_length=255, blank=True)
    content_type = models.CharField("file type", max_length=100, blank=True)
    size = models.PositiveIntegerField("size in bytes", default=0)
    history = HistoricalRecords(excluded_fields=["content"])

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["item", "id"]
        verbose_name = "paper"
        constraints = [
            models.CheckConstraint(
                condition=(Q(link="") & ~Q(filename="")) | (~Q(link="") & Q(filename="")),
                name="agenda_paper_file_or_link"),
        ]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"
    SUBSTITUTE = "substitute", "Substitute attended"


class AttendanceQuerySet(EditableByOfficersQuerySet):
    partnership_field = "meeting__body__partnership"


class Attendance(models.Model):
    """Who came for a seat at a meeting; the holder and voting right as they were then."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name="meeting")
    seat = models.ForeignKey(BoardSeat, on_delete=models.PROTECT, related_name="attendance",
                             verbose_name="seat")
    member = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendance",
        verbose_name="member", help_text="Who held the seat at the time.")
    status = models.CharField("attendance", max_length=12, choices=AttendanceStatus.choices)
    substitute = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="substitutions",
        verbose_name="substitute", help_text="Who stood in for the member.")
    voting = models.BooleanField("voting seat", default=True)
    history = HistoricalRecords()

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "seat"]
        verbose_name = "attendance"
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_one_per_seat"),
            models.CheckConstraint(
                condition=Q(status="substitute", substitute__isnull=False)
                | (~Q(status="substitute") & Q(substitute__isnull=True)),
                name="attendance_substitute_named_only_when_standing_in"),
        ]

    def __str__(self) -> str:
        return f"{self.seat}: {self.get_status_display()}"

    def clean(self) -> None:
        if error := substitute_error(self.status, self.substitute_id is not None):
            raise ValidationError({"substitute": error}, code="substitute")


SUBSTITUTE_NEEDED = "Say who stood in for the member."
SUBSTITUTE_NOT_NEEDED = "Only a seat marked 'Substitute attended' has a substitute."


def substitute_error(status: str, has_substitute: bool) -> str | None:
    """The rule across attendance and substitute, for the model and the form."""
    if status == AttendanceStatus.SUBSTITUTE and not has_substitute:
        return SUBSTITUTE_NEEDED
    if status != AttendanceStatus.SUBSTITUTE and has_substitute:
        return SUBSTITUTE_NOT_NEEDED
    return None


class ActionArisingQuerySet(EditableByOfficersQuerySet):
    partnership_field = "meeting__body__partnership"

    def open(self) -> ActionArisingQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, today: datetime.date) -> ActionArisingQuerySet:
        """Open actions arising past their due date (see `ActionArising.is_overdue`)."""
        return self.open().filter(due_date__lt=today)


class ActionArising(models.Model):
    """Something a meeting asked someone to do, tracked until it is done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE,
                                related_name="actions_arising", verbose_name="meeting")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="actions_arising", verbose_name="agenda item")
    description = models.TextField("action")
    owner = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="actions_arising", verbose_name="owner")
    due_date = models.DateField("due")
    status = models.CharField("status", max_length=20, choices=ActionStatus.choices,
                              default=ActionStatus.NOT_STARTED)
    position = models.TextField("latest position", blank=True,
                                help_text="What has been done so far, or how it was closed.")
    history = HistoricalRecords()

    objects = ActionArisingQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = "action arising"
        verbose_name_plural = "actions arising"

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_date < today
