"""The base platform: health, login, staff pages behind login, languages, API root and schema, scopes."""

import unicodedata

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.urls import reverse

from tests.conftest import PASSWORD
from twotier.core import roles
from twotier.core.models import StaffProfile
from twotier.core.scoping import Scope, scope_of


@pytest.mark.django_db
def test_health_reports_database_ok(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_dashboard_requires_login(client):
    response = client.get(reverse("core:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


@pytest.mark.django_db
def test_login_with_wrong_password_stays_on_login_page(client, make_staff):
    make_staff("tn1", roles.RECEPTIONIST, commune="26740")

    response = client.post("/accounts/login/", {"username": "tn1", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


@pytest.mark.django_db
def test_login_lands_on_dashboard_showing_role_and_scope(client, make_staff):
    make_staff("tn1", roles.RECEPTIONIST, commune="26740")

    response = client.post("/accounts/login/", {"username": "tn1", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/dashboard/"
    html = response.content.decode()
    assert "Cán bộ tiếp nhận" in html
    assert "26740" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "Thủ tục hành chính"), ("en", "Administrative procedures"), ("id", "Prosedur administrasi")],
)
def test_home_page_in_each_language(client, language, expected):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})

    response = client.get("/")

    assert response.status_code == 200
    assert expected in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", ["", "en-US,en;q=0.9", "id"])
def test_vietnamese_is_the_default_whatever_the_browser_says(client, accept_language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.django_db
def test_pages_load_no_external_assets(client):
    html = client.get("/").content.decode()

    assert "/static/twotier/htmx-2.0.11.min.js" in html
    assert "//cdn" not in html
    assert "googleapis" not in html


@pytest.mark.django_db
def test_vendored_static_assets_are_served(client):
    response = client.get("/static/twotier/app.css")

    assert response.status_code == 200


@pytest.mark.django_db
def test_api_root_and_openapi_schema(client):
    root = client.get("/api/v1/")
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert root.status_code == 200
    assert root.json()["openapi"] == "/api/v1/openapi.json"
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "twotier API"
    assert docs.status_code == 200


@pytest.mark.django_db
def test_setup_roles_creates_every_role_group():
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(roles.ROLE_PERMISSIONS)


@pytest.mark.django_db
def test_scope_of_commune_official_is_their_commune(make_staff):
    user = make_staff("cv", roles.SPECIALIST, commune="26740")

    assert scope_of(user) == Scope(commune_codes=frozenset({"26740"}))


@pytest.mark.django_db
def test_scope_of_city_official_is_the_province(make_staff):
    user = make_staff("gs", roles.EVALUATOR)

    assert scope_of(user) == Scope(province_codes=frozenset({"79"}))


@pytest.mark.django_db
def test_city_supervisor_sees_everything(make_staff):
    user = make_staff("tt", roles.CITY_SUPERVISOR)

    assert scope_of(user).everything is True


@pytest.mark.django_db
def test_account_without_profile_or_anonymous_sees_nothing():
    user = User.objects.create_user("nobody", password=PASSWORD)

    assert scope_of(user).nothing is True
    assert scope_of(AnonymousUser()).nothing is True
    assert StaffProfile.objects.filter(user=user).exists() is False


@pytest.mark.django_db
def test_language_switcher_names_each_language_in_itself(client):
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})

    # Django's own language names are not all NFC-composed; compare composed text.
    html = unicodedata.normalize("NFC", client.get("/").content.decode())

    assert ">Tiếng Việt</option>" in html
    assert ">English</option>" in html
    assert ">Bahasa Indonesia</option>" in html
