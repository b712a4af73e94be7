"""Consultations: what is consulted on, the survey (versioned), responses and their answers,
equality monitoring, offline channels, the distribution log and each partnership's policy.

Personal data (name, email, full postcode) lives in `ResponseContact`, apart from the answers,
so erasing it (`saferplaces consultation erase-expired`) leaves the answers anonymous.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from saferplaces.partnership.models import Partnership, PartnershipScopedQuerySet

DEFAULT_MINIMUM_WEEKS = 12
DEFAULT_RETENTION_DAYS = 365


class ConsultationPolicy(models.Model):
    """A partnership's rules for its consultations (one row per partnership, optional)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="consultation_policy",
        verbose_name="partnership",
    )
    minimum_weeks = models.PositiveSmallIntegerField(
        "minimum length in weeks", default=DEFAULT_MINIMUM_WEEKS,
        help_text="A consultation open for less than this is flagged (a compact agreement "
        "often asks for 12 weeks).",
    )
    retention_days = models.PositiveIntegerField(
        "keep personal data for (days after close)", default=DEFAULT_RETENTION_DAYS,
        help_text="Names, emails and postcodes of respondents are erased this many days after "
        "the consultation closes; their answers are kept without them.",
    )
    privacy_notice = models.TextField(
        "privacy notice", blank=True,
        help_text="Shown to every respondent before they answer.",
    )
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "consultation policy"
        verbose_name_plural = "consultation policies"

    def __str__(self) -> str:
        return f"Consultation policy of {self.partnership}"


def policy_for(partnership: Partnership) -> ConsultationPolicy:
    """The partnership's policy, or an unsaved one with the defaults."""
    found = ConsultationPolicy.objects.filter(partnership=partnership).first()
    return found or ConsultationPolicy(partnership=partnership)


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    ANALYSED = "analysed", "Analysed"
    PUBLISHED = "published", "Results published"


# status -> the statuses it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ConsultationStatus.DRAFT: (ConsultationStatus.OPEN,),
    ConsultationStatus.OPEN: (ConsultationStatus.CLOSED,),
    ConsultationStatus.CLOSED: (ConsultationStatus.OPEN, ConsultationStatus.ANALYSED),
    ConsultationStatus.ANALYSED: (ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED),
    ConsultationStatus.PUBLISHED: (),
}


class ResultsPolicy(models.TextChoices):
    AFTER_PUBLICATION = "published", "Show results once published (after close)"
    AFTER_CLOSE = "closed", "Show results as soon as the consultation closes"


class Consultation(models.Model):
    """A public consultation: on a strategy or on anything else."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="consultations",
        verbose_name="partnership",
    )
    title = models.CharField("title", max_length=300)
    purpose = models.TextField(
        "purpose", help_text="What is being decided and how the answers will be used.")
    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="consultations", verbose_name="strategy consulted on",
    )
    subject = models.CharField(
        "subject", max_length=300, blank=True,
        help_text="What is consulted on, when it is not one of the partnership's strategies.",
    )
    opens_on = models.DateField("opens on")
    closes_on = models.DateField("closes on")
    status = models.CharField("status", max_length=20, choices=ConsultationStatus.choices,
                              default=ConsultationStatus.DRAFT)
    results_policy = models.CharField(
        "results", max_length=20, choices=ResultsPolicy.choices,
        default=ResultsPolicy.AFTER_PUBLICATION,
    )
    is_illustrative = models.BooleanField(
        "illustrative", default=False,
        help_text="Demonstration data: pages say the dates, answers and themes are illustrative.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    history = HistoricalRecords()

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = "consultation"
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gt=F("opens_on")),
                                   name="consultation_dates_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on <= self.opens_on:
            raise ValidationError({"closes_on": "A consultation must close after it opens."},
                                  code="dates_order")
        if self.strategy_id and self.partnership_id and (
                self.strategy.partnership_id != self.partnership_id):
            raise ValidationError({"strategy": "That strategy belongs to another partnership."},
                                  code="strategy_other_partnership")

    @property
    def length_weeks(self) -> float:
        return (self.closes_on - self.opens_on).days / 7

    def shorter_than(self, minimum_weeks: int) -> bool:
        return (self.closes_on - self.opens_on) < datetime.timedelta(weeks=minimum_weeks)

    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    @property
    def accepts_responses(self) -> bool:
        return self.status == ConsultationStatus.OPEN

    @property
    def results_public(self) -> bool:
        """Whether the public may see the results (never before close)."""
        if self.results_policy == ResultsPolicy.AFTER_CLOSE:
            return self.status in (ConsultationStatus.CLOSED, ConsultationStatus.ANALYSED,
                                   ConsultationStatus.PUBLISHED)
        return self.status == ConsultationStatus.PUBLISHED

    def current_version(self) -> SurveyVersion | None:
        return self.versions.order_by("-number").first()


class ConsultationScopedQuerySet(PartnershipScopedQuerySet):
    partnership_field = "consultation__partnership"


def document_path(document: ConsultationDocument, filename: str) -> str:
    """Where an uploaded document is stored under MEDIA_ROOT: one folder per consultation,
    the name made safe by the storage (a clash gets a suffix, never an overwrite)."""
    return f"consultations/{document.consultation_id}/{filename}"


class ConsultationDocument(models.Model):
    """A document the consultation asks people to read (a draft strategy, an evidence pack):
    a link, or a file uploaded and served on the public page."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="documents", verbose_name="consultation")
    title = models.CharField("title", max_length=300)
    url = models.URLField("web address", blank=True)
    file = models.FileField("file", upload_to=document_path, blank=True, max_length=300,
                            help_text="A PDF, Word (.docx) or OpenDocument (.odt) file.")
    history = HistoricalRecords()

    objects = ConsultationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "consultation document"
        constraints = [
            models.CheckConstraint(condition=(Q(url="") & ~Q(file=""))
                                   | (~Q(url="") & Q(file="")),
                                   name="consultation_document_link_or_file"),
        ]

    def __str__(self) -> str:
        return self.title

    def link(self, public: bool = True) -> str:
        """Where a reader opens the document: its web address, or the page serving the
        uploaded file (the public one, or the officers' one, which also serves drafts)."""
        from django.urls import reverse

        if self.url:
            return self.url
        consultation = self.consultation
        if public:
            return reverse("consultation_public_document",
                           args=[consultation.partnership.slug, consultation.pk, self.pk])
        return reverse("consultation_document",
                       args=[consultation.partnership.slug, consultation.pk, self.pk])

    @property
    def officer_link(self) -> str:
        return self.link(public=False)

    def clean(self) -> None:
        if bool(self.url) == bool(self.file):
            raise ValidationError({"url": "Give a web address or upload a file (one of them)."},
                                  code="link_or_file")


class SurveyVersion(models.Model):
    """One version of a consultation's survey. Once the consultation has opened, a change to
    its questions makes a new version; each response records the version it answered."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="versions", verbose_name="consultation")
    number = models.PositiveSmallIntegerField("version")
    locked = models.BooleanField(
        "locked", default=False,
        help_text="Set when the consultation opens or the version is first answered; a change "
        "to a locked version's questions makes a new version.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)

    objects = ConsultationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = "survey version"
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"],
                                    name="survey_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} v{self.number}"


class VersionScopedQuerySet(PartnershipScopedQuerySet):
    partnership_field = "version__consultation__partnership"


class SurveySection(models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE,
                                related_name="sections", verbose_name="survey version")
    number = models.PositiveSmallIntegerField("number")
    title = models.CharField("title", max_length=300)
    introduction = models.TextField("introduction", blank=True)

    objects = VersionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["version", "number"]
        verbose_name = "survey section"

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    LIKERT = "likert", "Likert scale"
    RANKING = "ranking", "Ranking"
    TEXT = "text", "Free text"
    WARD = "ward", "Ward (from the partnership's wards)"
    POSTCODE_DISTRICT = "postcode", "Postcode district"


KINDS_WITH_OPTIONS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.LIKERT,
                      QuestionKind.RANKING}
LIKERT_DEFAULT = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree",
                  "Strongly disagree"]


class QuestionScopedQuerySet(PartnershipScopedQuerySet):
    partnership_field = "section__version__consultation__partnership"


class SurveyQuestion(models.Model):
    section = models.ForeignKey(SurveySection, on_delete=models.CASCADE,
                                related_name="questions", verbose_name="section")
    number = models.PositiveSmallIntegerField("number")
    kind = models.CharField("kind", max_length=20, choices=QuestionKind.choices)
    text = models.CharField("question", max_length=500)
    help_text = models.CharField("hint", max_length=500, blank=True)
    required = models.BooleanField("an answer is required", default=False)

    objects = QuestionScopedQuerySet.as_manager()

    class Meta:
        ordering = ["section", "number"]
        verbose_name = "survey question"

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in KINDS_WITH_OPTIONS


class QuestionOption(models.Model):
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE,
                                 related_name="options", verbose_name="question")
    number = models.PositiveSmallIntegerField("number")
    label = models.CharField("label", max_length=300)

    class Meta:
        ordering = ["question", "number"]
        verbose_name = "question option"

    def __str__(self) -> str:
        return self.label


class Channel(models.TextChoices):
    ONLINE = "online", "Online survey"
    PAPER = "paper", "Paper survey"
    EMAIL = "email", "Email or letter"
    PACT = "pact", "PACT ward meeting"
    BOARD = "board", "Board"
    FORUM = "forum", "Forum"
    PUBLIC_MEETING = "public_meeting", "Public meeting"


SURVEY_CHANNELS = [(c.value, c.label) for c in (Channel.ONLINE, Channel.PAPER, Channel.EMAIL)]
MEETING_CHANNELS = [(c.value, c.label) for c in (Channel.PACT, Channel.BOARD, Channel.FORUM,
                                                  Channel.PUBLIC_MEETING)]


def new_reference() -> str:
    """A short reference a respondent can quote, e.g. C-7K3Q-9MXA (no 0/O or 1/I)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"C-{code[:4]}-{code[4:]}"


class Response(models.Model):
    """One completed survey, online or entered from paper, with the version it answered."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="responses", verbose_name="consultation")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT,
                                related_name="responses", verbose_name="survey version")
    reference = models.CharField("reference", max_length=20, unique=True,
                                 default=new_reference)
    channel = models.CharField("channel", max_length=20, choices=SURVEY_CHANNELS,
                               default=Channel.ONLINE)
    submitted_at = models.DateTimeField("submitted")
    consent = models.BooleanField("agreed to the privacy notice", default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="entered by",
        help_text="The officer who typed in a paper response.",
    )

    objects = ConsultationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "submitted_at"]
        verbose_name = "response"

    def __str__(self) -> str:
        return self.reference


class ResponseContact(models.Model):
    """A respondent's personal data, kept apart from the answers so it can be erased."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE,
                                    related_name="contact", verbose_name="response")
    name = models.CharField("name", max_length=200, blank=True)
    email = models.EmailField("email", blank=True)
    postcode = models.CharField("full postcode", max_length=10, blank=True)
    organisation = models.CharField(
        "organisation", max_length=200, blank=True,
        help_text="When answering on behalf of an organisation.")

    class Meta:
        verbose_name = "respondent's contact details"
        verbose_name_plural = "respondents' contact details"

    def __str__(self) -> str:
        return f"Contact details of {self.response}"


class Answer(models.Model):
    """An answer to one question: a chosen option (one row per option of a multiple-choice
    answer; `rank` for a ranking) or text (free text, a ward code, a postcode district)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name="response")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT,
                                 related_name="answers", verbose_name="question")
    option = models.ForeignKey(QuestionOption, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="answers", verbose_name="option")
    rank = models.PositiveSmallIntegerField("rank", null=True, blank=True)
    text = models.TextField("text", blank=True)

    class Meta:
        ordering = ["response", "question", "rank", "option"]
        verbose_name = "answer"

    def __str__(self) -> str:
        return f"{self.response}: {self.question_id}"


PREFER_NOT = ("prefer_not", "Prefer not to say")


class AgeBand(models.TextChoices):
    UNDER_16 = "0-15", "Under 16"
    A16 = "16-24", "16 to 24"
    A25 = "25-34", "25 to 34"
    A35 = "35-44", "35 to 44"
    A45 = "45-54", "45 to 54"
    A55 = "55-64", "55 to 64"
    A65 = "65-74", "65 to 74"
    A75 = "75+", "75 or over"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Ethnicity(models.TextChoices):
    """The five Census 2021 high-level ethnic groups (TS021)."""

    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or Multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    CHRISTIAN = "christian", "Christian"
    BUDDHIST = "buddhist", "Buddhist"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Other religion"
    PREFER_NOT_TO_SAY = PREFER_NOT


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    PREFER_NOT_TO_SAY = PREFER_NOT


class Partnered(models.TextChoices):
    MARRIED = "married", "Married or in a civil partnership"
    NOT = "not", "Not married or in a civil partnership"
    PREFER_NOT_TO_SAY = PREFER_NOT


# field name -> (question, choices): the nine protected characteristics of the Equality
# Act 2010 s.4. Every one is optional and offers "Prefer not to say".
EQUALITY_QUESTIONS: dict[str, tuple[str, type[models.TextChoices]]] = {
    "age_band": ("Age", AgeBand),
    "sex": ("Sex", Sex),
    "gender_reassignment": ("Is the gender you identify with the same as your sex registered "
                            "at birth? (gender reassignment: answer No if it is not)", YesNo),
    "partnered": ("Marriage and civil partnership", Partnered),
    "pregnancy": ("Are you pregnant or have you given birth in the last 26 weeks?", YesNo),
    "disability": ("Do you consider yourself disabled?", YesNo),
    "ethnicity": ("Ethnic group", Ethnicity),
    "religion": ("Religion or belief", Religion),
    "sexual_orientation": ("Sexual orientation", SexualOrientation),
}


class EqualityMonitoring(models.Model):
    """A respondent's optional equality monitoring answers (anonymous: no contact details)."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE,
                                    related_name="equality", verbose_name="response")
    age_band = models.CharField("age", max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField("sex", max_length=20, choices=Sex.choices, blank=True)
    gender_reassignment = models.CharField("gender identity same as sex at birth",
                                           max_length=20, choices=YesNo.choices, blank=True)
    partnered = models.CharField("marriage or civil partnership", max_length=20,
                                 choices=Partnered.choices, blank=True)
    pregnancy = models.CharField("pregnancy or maternity", max_length=20,
                                 choices=YesNo.choices, blank=True)
    disability = models.CharField("disability", max_length=20, choices=YesNo.choices,
                                  blank=True)
    ethnicity = models.CharField("ethnic group", max_length=20, choices=Ethnicity.choices,
                                 blank=True)
    religion = models.CharField("religion or belief", max_length=20, choices=Religion.choices,
                                blank=True)
    sexual_orientation = models.CharField("sexual orientation", max_length=20,
                                          choices=SexualOrientation.choices, blank=True)

    class Meta:
        verbose_name = "equality monitoring"
        verbose_name_plural = "equality monitoring"

    def __str__(self) -> str:
        return f"Equality monitoring of {self.response}"


class ChannelResponse(models.Model):
    """A meeting or forum that discussed the consultation, recorded as one response."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="channel_responses",
                                     verbose_name="consultation")
    channel = models.CharField("channel", max_length=20, choices=MEETING_CHANNELS)
    name = models.CharField("meeting or forum", max_length=300)
    held_on = models.DateField("date")
    ward = models.CharField("ward", max_length=200, blank=True)
    attendees = models.PositiveIntegerField("attendees", null=True, blank=True)
    organisations = models.TextField("organisations represented", blank=True)
    summary = models.TextField("summary", blank=True)
    points_raised = models.TextField("points raised", blank=True,
                                     help_text="One point per line.")
    history = HistoricalRecords()

    objects = ConsultationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "held_on", "name"]
        verbose_name = "meeting or forum response"

    def __str__(self) -> str:
        return f"{self.name} ({self.held_on:%d %b %Y})"

    def points(self) -> list[str]:
        return [line.strip() for line in self.points_raised.splitlines() if line.strip()]


class PointScopedQuerySet(PartnershipScopedQuerySet):
    partnership_field = "meeting__consultation__partnership"


class ChannelPoint(models.Model):
    """One point raised at a meeting or forum (a line of its "points raised"), kept as a row
    so officers can tag it with themes; `services.sync_points` keeps the rows in step with the
    text, so a point whose wording is unchanged keeps its themes."""

    meeting = models.ForeignKey(ChannelResponse, on_delete=models.CASCADE,
                                related_name="raised", verbose_name="meeting or forum")
    number = models.PositiveSmallIntegerField("number")
    text = models.TextField("point")

    objects = PointScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = "point raised"
        verbose_name_plural = "points raised"

    def __str__(self) -> str:
        return self.text


class DistributionMethod(models.TextChoices):
    EMAIL = "email", "Email"
    NEWSLETTER = "newsletter", "Newsletter or bulletin"
    MEETING = "meeting", "At a meeting"
    LETTER = "letter", "Letter"
    WEB = "web", "Website or social media"
    OTHER = "other", "Other"


class Distribution(models.Model):
    """Who the consultation was sent to, how and when."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="distributions", verbose_name="consultation")
    recipient = models.CharField("sent to", max_length=300)
    method = models.CharField("how", max_length=20, choices=DistributionMethod.choices)
    sent_on = models.DateField("when")
    notes = models.CharField("notes", max_length=500, blank=True)
    history = HistoricalRecords()

    objects = ConsultationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "sent_on", "recipient"]
        verbose_name = "distribution"

    def __str__(self) -> str:
        return f"{self.recipient} ({self.get_method_display()}, {self.sent_on:%d %b %Y})"


class ProfileDimension(models.TextChoices):
    AGE = "age", "Age"
    SEX = "sex", "Sex"
    ETHNICITY = "ethnicity", "Ethnic group"


# dimension -> (EqualityMonitoring field, its categories)
PROFILE_CATEGORIES: dict[str, tuple[str, type[models.TextChoices]]] = {
    ProfileDimension.AGE: ("age_band", AgeBand),
    ProfileDimension.SEX: ("sex", Sex),
    ProfileDimension.ETHNICITY: ("ethnicity", Ethnicity),
}


class CensusProfile(models.Model):
    """Residents of the partnership's area in one category of one dimension (from a census
    profile CSV: `saferplaces consultation import-profile`), for the reach table."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="census_profile", verbose_name="partnership")
    dimension = models.CharField("dimension", max_length=20, choices=ProfileDimension.choices)
    category = models.CharField("category", max_length=20)
    population = models.PositiveIntegerField("residents")
    source = models.CharField("source", max_length=200, blank=True)

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "dimension", "category"]
        verbose_name = "census profile row"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "dimension", "category"],
                                    name="census_profile_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.category}: {self.population:,}"


class Theme(models.Model):
    """A theme of the consultation's codebook, for coding free-text answers."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="themes", verbose_name="consultation")
    name = models.CharField("theme", max_length=200)
    description = models.CharField("what it covers", max_length=500, blank=True)
    answers = models.ManyToManyField(Answer, blank=True, related_name="themes",
                                     verbose_name="answers tagged")
    points = models.ManyToManyField(ChannelPoint, blank=True, related_name="themes",
                                    verbose_name="meeting points tagged")

    objects = ConsultationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "name"]
        verbose_name = "theme"
        constraints = [
            models.UniqueConstraint(fields=["consultation", "name"], name="theme_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Outcome(models.TextChoices):
    CHANGED = "changed", "We changed the strategy"
    ALREADY = "already", "The strategy already does this"
    NOT_CHANGED = "not_changed", "We did not change it"


class YouSaidWeDid(models.Model):
    """What people said (a theme or a point) and what the partnership did about it: the
    change to a priority, aim or action, or the reason for no change."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="you_said_we_did",
                                     verbose_name="consultation")
    number = models.PositiveSmallIntegerField("number")
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="you_said_we_did", verbose_name="theme")
    point = models.ForeignKey(ChannelPoint, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="you_said_we_did",
                              verbose_name="point raised at a meeting or forum")
    you_said = models.TextField("you said")
    outcome = models.CharField("outcome", max_length=20, choices=Outcome.choices)
    we_did = models.TextField("we did", help_text="The change made, or the reason for none.")
    priority = models.ForeignKey("strategy.Priority", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name="priority")
    aim = models.ForeignKey("strategy.Aim", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+", verbose_name="aim")
    action = models.ForeignKey("strategy.Action", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name="action")
    history = HistoricalRecords()

    objects = ConsultationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = "you said, we did"
        verbose_name_plural = "you said, we did"

    def __str__(self) -> str:
        return f"{self.number}. {self.you_said[:60]}"

    def clean(self) -> None:
        if self.outcome == Outcome.CHANGED and not (self.priority_id or self.aim_id
                                                    or self.action_id):
            raise ValidationError(
                {"priority": "Say which priority, aim or action changed."},
                code="change_needs_target")


class PublicMeeting(models.Model):
    """A public meeting held under regulation 12 of the Crime and Disorder (Formulation and
    Implementation of Strategy) Regulations 2007: at least one a year, attended by senior
    people from each responsible authority, publicised beforehand and summarised after.

    It lives here rather than in `partnership` (which sits below consultation in the layers)
    because it is the partnership's duty to consult the public; it refers down to the
    partnership's organisations."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE,
                                    related_name="public_meetings", verbose_name="partnership")
    held_on = models.DateField("date held")
    title = models.CharField("title", max_length=300)
    notice_published_on = models.DateField(
        "notice published on", null=True, blank=True,
        help_text="When the meeting was publicised (leave empty if it was not).")
    summary_published_on = models.DateField(
        "summary published on", null=True, blank=True,
        help_text="When a summary of what was discussed was published.")
    summary_url = models.URLField("summary web address", blank=True)
    senior_attendance = models.ManyToManyField(
        "partnership.Organisation", blank=True, related_name="public_meetings_attended",
        verbose_name="responsible authorities whose senior representatives attended")
    notes = models.TextField("notes", blank=True)
    history = HistoricalRecords(m2m_fields=[senior_attendance])

    objects = PartnershipScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-held_on"]
        verbose_name = "public meeting (regulation 12)"

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"

    def clean(self) -> None:
        if self.notice_published_on and self.held_on and self.notice_published_on > self.held_on:
            raise ValidationError(
                {"notice_published_on": "A notice is published before the meeting."},
                code="notice_after_meeting")


class ResponseRate(models.Model):
    """Survey responses counted per client and hour for the per-client limit, in the database
    so every server process shares one count (`consultation.rate_limit`). The client is a
    keyed hash of its address, never the address; rows of past hours are deleted."""

    client = models.CharField("client (keyed hash of the address)", max_length=64)
    window = models.BigIntegerField("hour (seconds since 1970 // window length)")
    count = models.PositiveIntegerField("responses", default=0)

    class Meta:
        verbose_name = "responses per client"
        verbose_name_plural = "responses per client"
        constraints = [
            models.UniqueConstraint(fields=["client", "window"], name="response_rate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.client[:8]}: {self.count}"
