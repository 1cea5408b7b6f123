"""The `twotier ask` command and POST /api/v1/assistant/ask."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"


def ask(*args, **opts) -> list[dict]:
    out = StringIO()
    call_command("ask", *args, stdout=out, **opts)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_ask_prints_results_with_code_name_level_score():
    (line,) = ask("làm giấy khai sinh cho con", top=3)
    results = line["results"]
    assert len(results) == 3
    assert set(results[0]) == {"code", "name", "level", "score"}
    assert results[0]["code"] == BIRTH
    assert results[0]["level"] == "commune"
    assert results[0]["score"] >= results[1]["score"] >= results[2]["score"]


def test_ask_unaccented_and_english_find_the_same_procedure():
    assert ask("lam giay khai sinh cho con", top=1)[0]["results"][0]["code"] == BIRTH
    assert ask("How do I register my baby's birth?", top=1)[0]["results"][0]["code"] == BIRTH


def test_ask_file_streams_one_line_per_question_in_order(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text("giấy khai sinh\n\nxin giay phep xay nha\nhow to get married\n", encoding="utf-8")
    lines = ask(file=str(path), top=2)
    assert len(lines) == 4
    assert lines[0]["results"][0]["code"] == BIRTH
    assert lines[1] == {"results": []}
    assert lines[2]["results"][0]["code"] == "1.013225"
    assert lines[3]["results"][0]["code"] == "1.000894"
    assert all(len(line["results"]) <= 2 for line in lines)


def test_ask_refuses_bad_arguments():
    with pytest.raises(CommandError):
        ask()
    with pytest.raises(CommandError):
        ask("khai sinh", top=0)


def test_suspect_copies_are_never_answered():
    from twotier.assistant.querysets import get_index
    from twotier.procedures.models import Procedure

    suspect = set(Procedure.objects.filter(suspect_copy=True).values_list("code", flat=True))
    codes = {d.code for d in get_index().docs}
    assert suspect
    assert not (suspect & codes)
    assert len(codes) == Procedure.objects.receivable().count()


def test_api_ask_returns_documents_fee_time_channels_and_why(client):
    resp = client.post(
        "/api/v1/assistant/ask",
        data={"question": "làm giấy khai sinh cho con", "top": 2},
        content_type="application/json",
    )
    assert resp.status_code == 200
    body = resp.json()
    first = body["results"][0]
    assert first["code"] == BIRTH
    assert first["level"] == "commune"
    assert len(first["documents"]) >= 3
    assert not any(d["state_holds"] for d in first["documents"])
    assert first["fee"]["amount_vnd"] == 0
    assert first["time"]["unit"] == "same_day"
    assert "online" in first["channels"]
    assert first["competent_unit"] is None
    assert any("giấy khai sinh" in w for w in first["why"])
    assert body["personal_id_given"] is False


def test_api_ask_with_address_and_personal_id(client):
    resp = client.post(
        "/api/v1/assistant/ask",
        data={
            "question": "làm giấy khai sinh cho con",
            "top": 1,
            "address": "Phường Bến Thành, Quận 1, TP.HCM",
            "personal_id": "079123456789",
        },
        content_type="application/json",
    )
    assert resp.status_code == 200
    body = resp.json()
    unit = body["results"][0]["competent_unit"]
    assert unit["commune_code"] == "26743"
    assert unit["province_code"] == "79"
    assert unit["unit"]
    held = [d["name"] for d in body["results"][0]["documents"] if d["state_holds"]]
    assert held
    assert all("ăn cước" in n or "cư trú" in n for n in held)
    assert body["personal_id_given"] is True


def test_api_rejects_an_empty_question(client):
    resp = client.post("/api/v1/assistant/ask", data={"question": ""}, content_type="application/json")
    assert resp.status_code == 422


def test_typos_and_i_y_spelling_are_forgiven():
    assert ask("lam giay khai sinhh cho con", top=1)[0]["results"][0]["code"] == BIRTH
    assert ask("dang ki ket hon", top=1)[0]["results"][0]["code"] == "1.000894"


def test_kiosk_pages_render(client):
    resp = client.get("/assistant/", {"q": "làm giấy khai sinh cho con", "center": "26743"})
    assert resp.status_code == 200
    assert 'data-code="1.001193"' in resp.content.decode()
    resp = client.get("/assistant/checklist/1.001193/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "<svg" in body
    assert "Giấy chứng sinh" in body
    assert client.get("/assistant/portal/").status_code == 200
    assert client.get("/assistant/checklist/9.999999/").status_code == 404


def test_counter_page_requires_login(client):
    resp = client.get("/assistant/queue/counter/")
    assert resp.status_code == 302
    assert "/accounts/login/" in resp["Location"]
