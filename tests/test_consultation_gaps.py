"""Issue 10's remaining gaps: results by ward and equality group with small groups left out
(page, report, exports), meeting points tagged with themes, charts in the PDF, uploaded
documents, and the per-client limit shared by every server process."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferplaces.consultation import export, rate_limit, report, results, services
from saferplaces.consultation.models import (
    ChannelPoint,
    ChannelResponse,
    ConsultationDocument,
    QuestionKind,
    ResponseRate,
    Theme,
)
from tests.consultation_data import make_consultation, option, question
from tests.test_consultation_results import give_wards

pytestmark = pytest.mark.django_db


def _respond(consultation, answer, ward, age, channel="online"):
    return services.save_response(
        consultation, consultation.current_version(),
        [services.ChosenAnswer(question(consultation, QuestionKind.SINGLE),
                               option(consultation, QuestionKind.SINGLE, answer)),
         services.ChosenAnswer(question(consultation, QuestionKind.WARD), text=ward)],
        channel=channel, consent=True, equality={"age_band": age})


@pytest.fixture
def grouped(world):
    """Fourteen respondents to the single-choice question (Yes/No), worked by hand:
    Park 8 (6 Yes), Heath 3 (1 Yes), outside the area 3 (3 No);
    age 25-34: 9 (7 Yes: 6 of Park's and Heath's one), 35-44: 5 (all No)."""
    partnership = world["a"]["partnership"]
    park, heath = give_wards(partnership)
    consultation = make_consultation(partnership, status="open")
    for n in range(8):
        _respond(consultation, "Yes" if n < 6 else "No", park.code,
                 "25-34" if n < 6 else "35-44", channel="paper" if n == 0 else "online")
    _respond(consultation, "Yes", heath.code, "25-34")
    _respond(consultation, "No", heath.code, "25-34")
    _respond(consultation, "No", heath.code, "25-34")
    for _ in range(3):
        _respond(consultation, "No", "outside", "35-44")
    return consultation


def _single(consultation, groups=("age_band",)):
    return next(q for q in results.question_results(consultation, groups)
                if q.kind == QuestionKind.SINGLE)


def _counts(breakdown):
    return {name: [o.count for o in t.options] for name, t in breakdown.groups.items()}


def test_breakdowns_by_ward_and_age_leave_out_small_groups(grouped):
    found = {b.dimension: b for b in _single(grouped).breakdowns}
    # Heath (3) and outside (3) are under 5: both hidden, Park shown
    assert _counts(found["Ward"]) == {"Park": [6, 2]}
    assert found["Ward"].hidden == 2
    assert _counts(found["Age"]) == {"25 to 34": [7, 2], "35 to 44": [0, 5]}
    assert found["Age"].hidden == 0
    assert _counts(found["Channel"]) == {"Online survey": [6, 7], "Paper survey": [1, 0]}


def test_results_page_breaks_down_by_the_chosen_characteristic(client, world, grouped):
    client.force_login(world["users"]["board"])
    url = reverse("consultation_results", args=["alpha", grouped.pk])
    page = client.get(url).content.decode()
    assert "By ward<span" in page and "By age<span" in page
    assert "By ward: 2 groups not shown" in page
    by_sex = client.get(url, {"group": "sex"}).content.decode()
    # nobody answered the sex question: one "Not stated" group of 14, no table
    assert "By sex<span" not in by_sex and "By age<span" not in by_sex
    bad = client.get(url, {"group": "height"})
    assert bad.status_code == 200
    assert "group must be one of" in bad.content.decode()


def test_breakdowns_export_leaves_out_small_groups(grouped):
    rows = list(csv.DictReader(io.StringIO(export.to_csv(grouped, "breakdowns"))))
    ward_rows = [r for r in rows if r["question"] == "Question about single"
                 and r["breakdown"] == "Ward"]
    assert [(r["group"], r["answer"], r["respondents"]) for r in ward_rows[:2]] == [
        ("Park", "Yes", "6"), ("Park", "No", "2")]
    assert ward_rows[2]["group"].startswith("2 group(s) not shown")
    assert not any(r["group"] == "Heath" for r in rows)
    assert {r["breakdown"] for r in rows} >= {"Channel", "Ward", "Age", "Religion or belief"}


def test_xlsx_has_the_responses_and_the_breakdowns(grouped):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export.to_xlsx(grouped)))
    assert book.sheetnames == ["Responses", "Breakdowns"]
    assert book["Responses"].max_row == 15
    first = [c.value for c in book["Breakdowns"][2]]
    assert first[:6] == ["Question about single", "Channel", "Online survey", 13, "Yes", 6]


def test_report_has_the_breakdowns_and_the_charts_as_svg(grouped):
    html = report.render_html(grouped)
    assert "<caption>By ward</caption>" in html and "<caption>By age</caption>" in html
    # one chart per tallied question with answers: single choice and ward
    assert html.count('<figure><svg') == 2
    assert 'aria-label="Answers to Question about single' in html


def test_report_pdf_draws_the_charts(grouped, monkeypatch):
    # WeasyPrint draws each SVG chart as vector form objects; a report without charts has none
    with_charts = report.render_pdf(grouped)
    monkeypatch.setattr(results, "add_charts", lambda questions: questions)
    without = report.render_pdf(grouped)
    assert without.count(b"/Subtype /Form") == 0
    assert with_charts.count(b"/Subtype /Form") >= 2


# --------------------------------------------------------------------------------------------
# Meeting points and themes


@pytest.fixture
def met(world):
    consultation = make_consultation(world["a"]["partnership"], status="closed",
                                     strategy=world["a"]["strategy"])
    return consultation


def _record_meeting(client, consultation, points, meeting=None, channel="pact"):
    name = "consultation_meeting_edit" if meeting else "consultation_meeting_create"
    args = ["alpha", consultation.pk] + ([meeting.pk] if meeting else [])
    got = client.post(reverse(name, args=args), {
        "channel": channel, "name": f"Meeting {channel}", "held_on": "2019-12-02",
        "ward": "", "attendees": "12", "organisations": "", "summary": "",
        "points_raised": points})
    assert got.status_code == 302


def test_points_keep_their_themes_while_their_wording_is_unchanged(client, world, met):
    client.force_login(world["users"]["admin"])
    _record_meeting(client, met, "Lighting on the canal\nYouth clubs")
    meeting = ChannelResponse.objects.get()
    lighting = Theme.objects.create(consultation=met, name="Lighting")
    canal = ChannelPoint.objects.get(text="Lighting on the canal")
    canal.themes.add(lighting)
    _record_meeting(client, met, "Speeding\nLighting on the canal", meeting=meeting)
    assert list(meeting.raised.values_list("number", "text")) == [
        (1, "Speeding"), (2, "Lighting on the canal")]
    assert ChannelPoint.objects.get(text="Lighting on the canal").pk == canal.pk
    assert list(canal.themes.all()) == [lighting]


def test_officers_tag_points_and_themes_count_them_by_channel(client, world, met):
    client.force_login(world["users"]["admin"])
    _record_meeting(client, met, "Lights on the canal\nYouth clubs closed")
    _record_meeting(client, met, "Underpass lighting", channel="forum")
    lighting = Theme.objects.create(consultation=met, name="Lighting")
    url = reverse("consultation_point_tagging", args=["alpha", met.pk])
    page = client.get(url)
    points = [point for point, _ in page.context["rows"]]
    # meeting by meeting (same day: by name), then in the order raised
    assert [p.text for p in points] == ["Underpass lighting", "Lights on the canal",
                                        "Youth clubs closed"]
    got = client.post(url, {f"point-{points[1].pk}": [str(lighting.pk)],
                            f"point-{points[0].pk}": [str(lighting.pk), "99999"]})
    assert got.status_code == 302
    summary = results.theme_summaries(met)[0]
    assert (summary.count, summary.points) == (0, {"Forum": 1, "PACT ward meeting": 1})
    themes_page = client.get(reverse("consultation_themes", args=["alpha", met.pk]))
    assert "2: Forum 1, PACT ward meeting 1" in themes_page.content.decode()
    client.post(reverse("consultation_you_said_create", args=["alpha", met.pk]), {
        "theme": lighting.pk, "point": points[0].pk, "you_said": "Better lighting",
        "outcome": "not_changed", "we_did": "Passed to the council's lighting team."})
    said = client.get(reverse("consultation_you_said", args=["alpha", met.pk]))
    text = said.content.decode()
    assert "heard in 0 survey answers, 1 point at a forum, 1 point at a pact ward meeting" in text
    assert "raised at Meeting forum, 2 Dec 2019" in text


def test_only_administrators_tag_points(client, world, met):
    client.force_login(world["users"]["police"])
    url = reverse("consultation_point_tagging", args=["alpha", met.pk])
    assert client.get(url).status_code == 403


# --------------------------------------------------------------------------------------------
# Uploaded documents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def _odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _upload(client, consultation, name, data, url=""):
    return client.post(reverse("consultation_document_create", args=["alpha", consultation.pk]),
                       {"title": "Draft strategy", "url": url,
                        "file": SimpleUploadedFile(name, data, "application/octet-stream")})


def test_an_uploaded_pdf_is_stored_and_served_on_the_public_page(client, world, media):
    consultation = make_consultation(world["a"]["partnership"], status="draft")
    client.force_login(world["users"]["admin"])
    assert _upload(client, consultation, "draft.pdf", PDF).status_code == 302
    document = ConsultationDocument.objects.get()
    assert (media / document.file.name).read_bytes() == PDF
    officer = client.get(reverse("consultation_document",
                                 args=["alpha", consultation.pk, document.pk]))
    assert b"".join(officer.streaming_content) == PDF
    client.logout()
    public = reverse("consultation_public_document", args=["alpha", consultation.pk,
                                                           document.pk])
    assert client.get(public).status_code == 404  # a draft is not public
    services.change_status(consultation, "open")
    survey = client.get(reverse("consultation_public_survey", args=["alpha", consultation.pk]))
    assert public in survey.content.decode()
    got = client.get(public)
    assert got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content) == PDF


@pytest.mark.parametrize("name, data", [("paper.docx", _docx()), ("paper.odt", _odt())])
def test_word_and_opendocument_files_are_accepted_and_downloaded(client, world, media, name,
                                                                 data):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    client.force_login(world["users"]["admin"])
    assert _upload(client, consultation, name, data).status_code == 302
    document = ConsultationDocument.objects.get()
    got = client.get(reverse("consultation_public_document",
                             args=["alpha", consultation.pk, document.pk]))
    assert got["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("name, data", [
    ("draft.pdf", b"<html><script>alert(1)</script></html>"),  # not what its name says
    ("draft.docx", PDF),
    ("draft.odt", _docx()),
    ("draft.html", b"<html></html>"),
    ("draft.exe", b"MZ\x90\x00"),
])
def test_anything_but_a_real_pdf_docx_or_odt_is_refused_next_to_the_field(
        client, world, media, name, data):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    client.force_login(world["users"]["admin"])
    got = _upload(client, consultation, name, data)
    assert got.status_code == 200
    assert "Upload a PDF (.pdf), Word (.docx) or OpenDocument text (.odt) file" in (
        got.content.decode())
    assert ConsultationDocument.objects.count() == 0
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_file_over_the_upload_limit_is_refused(client, world, media, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    consultation = make_consultation(world["a"]["partnership"], status="open")
    client.force_login(world["users"]["admin"])
    got = _upload(client, consultation, "big.pdf", PDF + b"0" * 2048)
    assert "upload limit" in got.content.decode()
    assert ConsultationDocument.objects.count() == 0


def test_a_document_is_a_link_or_a_file_not_both_nor_neither(client, world, media):
    consultation = make_consultation(world["a"]["partnership"], status="open")
    client.force_login(world["users"]["admin"])
    both = _upload(client, consultation, "draft.pdf", PDF, url="https://example.org/d.pdf")
    assert "Give a web address or upload a file" in both.content.decode()
    neither = client.post(reverse("consultation_document_create",
                                  args=["alpha", consultation.pk]), {"title": "Nothing"})
    assert "Give a web address or upload a file" in neither.content.decode()
    link = client.post(reverse("consultation_document_create", args=["alpha", consultation.pk]),
                       {"title": "Online", "url": "https://example.org/d.pdf"})
    assert link.status_code == 302


# --------------------------------------------------------------------------------------------
# The per-client limit


@pytest.fixture
def no_fill_time(settings):
    settings.CONSULTATION_MIN_FILL_SECONDS = 0


def _post(client, consultation, **extra):
    from tests.test_consultation_pages import answers_post, public_url

    return client.post(public_url(consultation), answers_post(consultation), **extra)


def test_the_limit_is_counted_in_the_database_for_the_client_behind_the_proxy(
        client, world, settings, no_fill_time):
    settings.CONSULTATION_RATE_LIMIT = 2
    settings.SAFERPLACES_PROXY_COUNT = 1
    consultation = make_consultation(world["a"]["partnership"], status="open")
    # the proxy's address is the same for everyone; the client is the last hop it appends
    codes = [_post(client, consultation, REMOTE_ADDR="10.0.0.1",
                   HTTP_X_FORWARDED_FOR=f"{spoofed}, 203.0.113.7").status_code
             for spoofed in ("1.1.1.1", "2.2.2.2", "3.3.3.3")]
    assert codes == [302, 302, 429]
    other = _post(client, consultation, REMOTE_ADDR="10.0.0.1",
                  HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert other.status_code == 302
    counts = sorted(ResponseRate.objects.values_list("count", flat=True))
    assert counts == [1, 2]
    assert not ResponseRate.objects.filter(client__contains="203.0.113.7").exists()


def test_a_count_from_another_process_is_seen(client, world, settings, rf, no_fill_time):
    """Another gunicorn worker shares nothing in memory with this one, only the database."""
    settings.CONSULTATION_RATE_LIMIT = 1
    consultation = make_consultation(world["a"]["partnership"], status="open")
    elsewhere = rf.post("/", REMOTE_ADDR="192.0.2.8")
    ResponseRate.objects.create(client=rate_limit.client_key(elsewhere),
                                window=rate_limit._window(), count=1)
    assert _post(client, consultation, REMOTE_ADDR="192.0.2.8").status_code == 429


def test_counts_of_past_hours_are_deleted(rf):
    request = rf.post("/", REMOTE_ADDR="192.0.2.9")
    ResponseRate.objects.create(client="old", window=rate_limit._window() - 5, count=3)
    rate_limit.count_response(request)
    assert list(ResponseRate.objects.values_list("count", flat=True)) == [1]
    assert not rate_limit.over_limit(request, 2)
    rate_limit.count_response(request)
    assert rate_limit.over_limit(request, 2)
