"""The counter page calls numbers only for staff of the centre's territory; the kiosk's centre is
configurable; suggestions always ask the assistant in Vietnamese."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD
from twotier.assistant import services
from twotier.assistant.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db
CENTER = "26743"  # Phường Bến Thành, Ho Chi Minh City (79)
HANOI = "00004"  # Phường Ba Đình, Hà Nội (01)


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def call(client, center: str):
    return client.post("/assistant/queue/counter/", {"center": center, "action": "call", "group": "civil"})


def test_receptionist_of_the_centre_calls_the_next_number(client, make_staff):
    ticket = services.take_ticket(CENTER, "civil")
    login(client, make_staff("quay1", "receptionist", commune=CENTER))
    assert client.get("/assistant/queue/counter/", {"center": CENTER}).status_code == 200
    assert call(client, CENTER).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED
    assert ticket.called_by.username == "quay1"


def test_receptionist_of_another_commune_gets_404_and_nothing_changes(client, make_staff):
    ticket = services.take_ticket(HANOI, "civil")
    login(client, make_staff("quay2", "receptionist", province="79", commune=CENTER))
    assert client.get("/assistant/queue/counter/", {"center": HANOI}).status_code == 404
    assert call(client, HANOI).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
    assert ticket.called_at is None


def test_city_staff_reach_every_centre_of_their_province_only(client, make_staff):
    services.take_ticket(HANOI, "civil")
    login(client, make_staff("city", "administrator", province="79"))
    # the administrator role sees every territory (core.view_all_scopes): both centres
    assert client.get("/assistant/queue/counter/", {"center": HANOI}).status_code == 200
    client.logout()
    from django.contrib.auth.models import Permission

    officer = make_staff("quay79", "receptionist", province="79")  # city-level receptionist, no commune
    login(client, officer)
    assert client.get("/assistant/queue/counter/", {"centre": CENTER}).status_code == 200
    assert client.get("/assistant/queue/counter/", {"center": HANOI}).status_code == 404
    assert call(client, HANOI).status_code == 404
    assert Ticket.objects.get(center_code=HANOI).status == TicketStatus.WAITING
    assert Permission.objects.filter(codename="change_ticket", group__name="receptionist").exists()


def test_a_logged_in_account_without_the_counter_permission_gets_404(client, make_staff):
    ticket = services.take_ticket(CENTER, "civil")
    login(client, make_staff("eval1", "evaluator", commune=CENTER))
    assert client.get("/assistant/queue/counter/", {"center": CENTER}).status_code == 404
    assert call(client, CENTER).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_commune_officer_without_a_centre_in_the_url_gets_their_own_centre(client, make_staff):
    login(client, make_staff("quay3", "receptionist", commune=CENTER))
    resp = client.get("/assistant/queue/counter/")
    assert resp.status_code == 200
    assert f'name="center" value="{CENTER}"' in resp.content.decode()


def test_kiosk_centre_comes_from_the_url_or_the_setting(client, settings):
    settings.TWOTIER_KIOSK_CENTRE = "26740"
    assert "center=26740" in client.get("/assistant/").content.decode()
    assert "center=26737" in client.get("/assistant/", {"centre": "26737"}).content.decode()
    assert "center=26731" in client.get("/assistant/", {"center": "26731"}).content.decode()
    # a malformed code falls back to the configured centre
    assert "center=26740" in client.get("/assistant/", {"center": "x1"}).content.decode()


def test_suggestions_in_indonesian_still_ask_in_vietnamese(client):
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    body = client.get("/assistant/").content.decode()
    assert "q=" + quote("Làm giấy khai sinh cho con") in body
    assert "Mendaftarkan kelahiran anak" in body  # the label is the Indonesian translation
