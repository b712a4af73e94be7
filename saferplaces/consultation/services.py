"""Changing consultations: status transitions, survey versions, storing a response, and
erasing personal data past the retention period. Each write is one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saferplaces.consultation.models import (
    Answer,
    CensusProfile,
    ChannelPoint,
    ChannelResponse,
    Consultation,
    ConsultationPolicy,
    ConsultationStatus,
    EqualityMonitoring,
    QuestionOption,
    Response,
    ResponseContact,
    SurveyQuestion,
    SurveySection,
    SurveyVersion,
    Theme,
)
from saferplaces.consultation.profile_csv import parse_profile
from saferplaces.core import clock
from saferplaces.core.csv_records import CsvFileError
from saferplaces.core.imports import ImportResult


def change_status(consultation: Consultation, new_status: str, user=None) -> None:
    """Move the consultation to `new_status` if TRANSITIONS allow it. Opening needs a survey
    with at least one question, and locks the survey's current version."""
    if new_status not in consultation.next_statuses():
        raise ValidationError(
            f"A {consultation.get_status_display().lower()} consultation cannot become "
            f"{ConsultationStatus(new_status).label.lower()}.", code="transition")
    with transaction.atomic():
        if new_status == ConsultationStatus.OPEN:
            version = consultation.current_version()
            if version is None or not SurveyQuestion.objects.filter(
                    section__version=version).exists():
                raise ValidationError("Add at least one question before opening.",
                                      code="no_questions")
            SurveyVersion.objects.filter(pk=version.pk).update(locked=True)
        consultation.status = new_status
        consultation._history_user = user
        consultation._change_reason = f"Status: {consultation.get_status_display()}"
        consultation.save()


def draft_version(consultation: Consultation) -> SurveyVersion:
    """The version officers edit: the current one while it is unlocked, else a new copy of
    it (the first version is created empty)."""
    current = consultation.current_version()
    if current is None:
        return SurveyVersion.objects.create(consultation=consultation, number=1)
    if not current.locked:
        return current
    return copy_version(current)


@dataclass
class VersionCopy:
    """A copied version and, for each copied row, its counterpart in the copy."""

    version: SurveyVersion
    sections: dict[int, SurveySection] = field(default_factory=dict)
    questions: dict[int, SurveyQuestion] = field(default_factory=dict)


def copy_version(version: SurveyVersion) -> SurveyVersion:
    return copy_version_mapped(version).version


@transaction.atomic
def copy_version_mapped(version: SurveyVersion) -> VersionCopy:
    """A new, unlocked version with the same sections, questions and options."""
    latest = version.consultation.current_version()
    copy = VersionCopy(SurveyVersion.objects.create(consultation=version.consultation,
                                                    number=latest.number + 1))
    for section in version.sections.prefetch_related("questions__options"):
        new_section = SurveySection.objects.create(
            version=copy.version, number=section.number, title=section.title,
            introduction=section.introduction)
        copy.sections[section.pk] = new_section
        for question in section.questions.all():
            new_question = SurveyQuestion.objects.create(
                section=new_section, number=question.number, kind=question.kind,
                text=question.text, help_text=question.help_text, required=question.required)
            copy.questions[question.pk] = new_question
            QuestionOption.objects.bulk_create(
                QuestionOption(question=new_question, number=o.number, label=o.label)
                for o in question.options.all())
    return copy


def editable_question(question: SurveyQuestion) -> SurveyQuestion:
    """`question` itself while its version is unlocked, else its copy in a new version."""
    version = question.section.version
    if not version.locked:
        return question
    return copy_version_mapped(version).questions[question.pk]


def editable_section(section: SurveySection) -> SurveySection:
    if not section.version.locked:
        return section
    return copy_version_mapped(section.version).sections[section.pk]


@transaction.atomic
def move_question(question: SurveyQuestion, *, up: bool) -> None:
    """Swap the question with its neighbour above (or below) in its section, renumbering
    the section 1, 2, 3... (the question's version must be unlocked)."""
    questions = list(question.section.questions.order_by("number", "pk"))
    at = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = at - 1 if up else at + 1
    if 0 <= other < len(questions):
        questions[at], questions[other] = questions[other], questions[at]
    for number, q in enumerate(questions, start=1):
        if q.number != number:
            SurveyQuestion.objects.filter(pk=q.pk).update(number=number)


@dataclass
class ChosenAnswer:
    """One answer row to store: an option (with a rank for a ranking) or text."""

    question: SurveyQuestion
    option: QuestionOption | None = None
    rank: int | None = None
    text: str = ""


@transaction.atomic
def save_response(consultation: Consultation, version: SurveyVersion,
                  answers: list[ChosenAnswer], *, channel: str, consent: bool,
                  contact: dict[str, str] | None = None,
                  equality: dict[str, str] | None = None, entered_by=None,
                  submitted_at: datetime.datetime | None = None) -> Response:
    """Store one response with its answers, contact details (only when any is given) and
    equality monitoring (only when any is answered); locks the version it answered."""
    response = Response.objects.create(
        consultation=consultation, version=version, channel=channel,
        submitted_at=submitted_at or timezone.now(), consent=consent, entered_by=entered_by)
    Answer.objects.bulk_create(
        Answer(response=response, question=a.question, option=a.option, rank=a.rank,
               text=a.text) for a in answers)
    if contact and any(contact.values()):
        ResponseContact.objects.create(response=response, **contact)
    if equality and any(equality.values()):
        EqualityMonitoring.objects.create(response=response, **equality)
    if not version.locked:
        SurveyVersion.objects.filter(pk=version.pk).update(locked=True)
    return response


def erase_expired(on: datetime.date | None = None, *, dry_run: bool = False
                  ) -> list[tuple[Consultation, int]]:
    """Delete respondents' contact details of every consultation whose closing date is more
    than its partnership's retention period before `on` (default: each partnership's today,
    `core.clock`), whatever its status; answers and equality monitoring stay, now anonymous.
    Returns (consultation, contact records erased) for each consultation past retention that
    had any."""
    erased = []
    policies = {p.partnership_id: p for p in ConsultationPolicy.objects.all()}
    for consultation in Consultation.objects.select_related("partnership"):
        policy = policies.get(consultation.partnership_id) or ConsultationPolicy()
        today = on or clock.today(consultation.partnership)
        if consultation.closes_on + datetime.timedelta(days=policy.retention_days) >= today:
            continue
        contacts = ResponseContact.objects.filter(response__consultation=consultation)
        count = contacts.count() if dry_run else contacts.delete()[0]
        if count:
            erased.append((consultation, count))
    return erased


def import_profile(partnership, data: bytes, file: str = "", *, dry_run: bool = False
                   ) -> ImportResult:
    """Replace the partnership's census profile for each dimension the file gives (all or
    nothing: one bad row and nothing is written)."""
    result = ImportResult(file=file, noun="profile row", dry_run=dry_run)
    try:
        parsed = parse_profile(data, file)
    except CsvFileError as problem:
        return result.refuse([problem.error])
    if parsed.errors:
        return result.refuse(parsed.errors)
    dimensions = sorted({row.dimension for row in parsed.rows})
    existing = {(p.dimension, p.category): p.population for p in
                CensusProfile.objects.filter(partnership=partnership)}
    for row in parsed.rows:
        key = (row.dimension, row.category)
        label = f"{row.dimension} {row.category}"
        if key not in existing:
            result.created.append(label)
        elif existing[key] != row.population:
            result.updated.append(label)
        else:
            result.unchanged.append(label)
    if not dry_run:
        with transaction.atomic():
            CensusProfile.objects.filter(partnership=partnership,
                                         dimension__in=dimensions).delete()
            CensusProfile.objects.bulk_create(
                CensusProfile(partnership=partnership, dimension=row.dimension,
                              category=row.category, population=row.population,
                              source=row.source) for row in parsed.rows)
    return result


@transaction.atomic
def sync_points(meeting: ChannelResponse) -> None:
    """Make the meeting's point rows match its "points raised" lines: a point whose wording
    is unchanged keeps its row (and so its themes), possibly renumbered; new lines get new
    rows; rows of lines no longer there are deleted with their tags."""
    existing: dict[str, list[ChannelPoint]] = {}
    for point in meeting.raised.order_by("number"):
        existing.setdefault(point.text, []).append(point)
    for number, text in enumerate(meeting.points(), start=1):
        same = existing.get(text)
        if same:
            point = same.pop(0)
            if point.number != number:
                point.number = number
                point.save(update_fields=["number"])
        else:
            ChannelPoint.objects.create(meeting=meeting, number=number, text=text)
    stale = [point.pk for points in existing.values() for point in points]
    ChannelPoint.objects.filter(pk__in=stale).delete()


def tags_of(answer_ids: list[int]) -> dict[int, set[int]]:
    """answer id -> the ids of the themes it is tagged with."""
    return _tags_of(Theme.answers.through, "answer_id", answer_ids)


def point_tags_of(point_ids: list[int]) -> dict[int, set[int]]:
    """meeting point id -> the ids of the themes it is tagged with."""
    return _tags_of(Theme.points.through, "channelpoint_id", point_ids)


def _tags_of(through, column: str, ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for tagged_id, theme_id in through.objects.filter(**{f"{column}__in": ids}).values_list(
            column, "theme_id"):
        found.setdefault(tagged_id, set()).add(theme_id)
    return found


def tag_answers(consultation: Consultation, chosen: dict[int, list[str]]) -> None:
    """Set the themes of each answer in `chosen` (answer id -> theme ids as posted); ids
    that are not the consultation's themes are ignored."""
    _set_tags(consultation, Theme.answers.through, "answer_id", chosen)


def tag_points(consultation: Consultation, chosen: dict[int, list[str]]) -> None:
    """Set the themes of each meeting point in `chosen` (point id -> theme ids as posted);
    ids that are not the consultation's themes are ignored."""
    _set_tags(consultation, Theme.points.through, "channelpoint_id", chosen)


@transaction.atomic
def _set_tags(consultation: Consultation, through, column: str,
              chosen: dict[int, list[str]]) -> None:
    valid = set(consultation.themes.values_list("pk", flat=True))
    through.objects.filter(**{f"{column}__in": list(chosen)}).delete()
    through.objects.bulk_create(
        through(**{column: tagged_id, "theme_id": int(theme_id)})
        for tagged_id, theme_ids in chosen.items()
        for theme_id in set(theme_ids) if theme_id.isdigit() and int(theme_id) in valid)
