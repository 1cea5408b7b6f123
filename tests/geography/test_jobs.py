"""The staff converter page: paste → HTMX table; CSV upload → job → download, scoped (404 outside)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from twotier.core import roles
from twotier.geography.models import ConversionJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, content: str, column: str = "address", name: str = "ho-so.csv"):
    file = SimpleUploadedFile(name, content.encode("utf-8-sig"), content_type="text/csv")
    return client.post(reverse("geography:job-create"), {"file": file, "column": column})


def test_page_needs_login(client):
    response = client.get(reverse("geography:resolve"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_page_needs_the_permission(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x-123456789")
    client.force_login(user)

    assert client.get(reverse("geography:resolve")).status_code == 403


def test_pasted_addresses_come_back_as_a_table(client, make_staff):
    client.force_login(make_staff("tn1", roles.RECEPTIONIST, commune="26740"))

    response = client.post(
        reverse("geography:resolve-preview"),
        {"addresses": "P.4, Q.8, TP.HCM\n\nPhường Tân An, Cần Thơ\nnowhere"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # an HTMX fragment
    assert html.count("<tr>") == 4  # header + 3 addresses (the blank line is skipped)
    assert "Phường Chánh Hưng" in html
    assert "Nhiều khả năng" in html
    assert "Không tìm thấy" in html
    assert ConversionJob.objects.count() == 0  # nothing is stored


def test_too_many_pasted_lines_is_refused(client, make_staff):
    client.force_login(make_staff("tn1", roles.RECEPTIONIST, commune="26740"))

    response = client.post(
        reverse("geography:resolve-preview"), {"addresses": "P.4, Q.8\n" * 1001}, HTTP_HX_REQUEST="true"
    )

    assert "Tối đa 1000 dòng" in response.content.decode()


def test_csv_job_is_converted_stored_and_downloadable(client, make_staff):
    staff = make_staff("tn1", roles.RECEPTIONIST, commune="26740")
    client.force_login(staff)

    response = upload(client, 'stt,address\n1,"P.4, Q.8, TP.HCM"\n2,"Phường Tân An, Cần Thơ"\n3,xyz\n')

    assert response.status_code == 302
    job = ConversionJob.objects.get()
    assert (job.created_by, job.province_code, job.commune_code) == (staff, "79", "26740")
    assert (job.rows, job.exact, job.split, job.ambiguous, job.not_found) == (3, 1, 0, 1, 1)
    assert job.input_name == "ho-so.csv"
    download = client.get(reverse("geography:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="ho-so-converted.csv"'
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][-6:] == [
        "commune_code",
        "commune_name",
        "province_code",
        "province_name",
        "status",
        "candidates",
    ]
    assert rows[1][:2] == ["1", "P.4, Q.8, TP.HCM"]
    assert rows[1][2:7] == ["27418", "Phường Chánh Hưng", "79", "Thành phố Hồ Chí Minh", "exact"]


def test_unknown_column_is_reported_and_nothing_stored(client, make_staff):
    client.force_login(make_staff("tn1", roles.RECEPTIONIST, commune="26740"))

    response = upload(client, "stt,dia_chi\n1,P.4 Q.8\n")

    assert response.status_code == 400
    assert "Không có cột “address”" in response.content.decode()
    assert ConversionJob.objects.count() == 0


def test_job_of_another_commune_answers_404(client, make_staff):
    owner = make_staff("tn1", roles.RECEPTIONIST, commune="26740")
    client.force_login(owner)
    upload(client, "address\nP.4, Q.8\n")
    job = ConversionJob.objects.get()
    other = make_staff("tn2", roles.RECEPTIONIST, commune="26737")
    client.force_login(other)

    response = client.get(reverse("geography:job-download", args=[job.pk]))
    page = client.get(reverse("geography:resolve"))

    assert response.status_code == 404
    assert reverse("geography:job-download", args=[job.pk]) not in page.content.decode()
    assert ConversionJob.objects.visible_to(other).count() == 0
    assert ConversionJob.objects.count() == 1


def test_city_staff_and_supervisor_see_the_job(client, make_staff):
    client.force_login(make_staff("tn1", roles.RECEPTIONIST, commune="26740"))
    upload(client, "address\nP.4, Q.8\n")
    job = ConversionJob.objects.get()

    city = make_staff("city", roles.SPECIALIST, province="79")
    supervisor = make_staff("sup", roles.CITY_SUPERVISOR, province="01")
    hanoi = make_staff("hn", roles.SPECIALIST, province="01")

    for user, status in ((city, 200), (supervisor, 200), (hanoi, 404)):
        client.force_login(user)
        assert client.get(reverse("geography:job-download", args=[job.pk])).status_code == status, user


def test_evaluator_may_view_but_not_upload(client, make_staff):
    client.force_login(make_staff("ev", roles.EVALUATOR, province="79"))

    response = upload(client, "address\nP.4, Q.8\n")

    assert response.status_code == 403
    assert ConversionJob.objects.count() == 0
