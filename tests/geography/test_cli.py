"""`twotier resolve_address`: JSON lines, --file streaming in order, CSV conversion."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

KEYS = {"input", "status", "commune_code", "commune_name", "province_code", "candidates"}


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("resolve_address", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_addresses_print_one_json_object_per_line():
    out, _ = run("P.4, Q.8, TP.HCM", "Phường Hiệp An, Thành phố Thủ Dầu Một, Tỉnh Bình Dương", "Paris")
    lines = [json.loads(line) for line in out.splitlines()]

    assert [x["status"] for x in lines] == ["exact", "split", "not_found"]
    assert all(set(x) >= KEYS for x in lines)
    assert lines[0]["commune_code"] == "27418"
    assert lines[1]["candidates"] == [
        {**lines[1]["candidates"][0], "commune_code": "25771", "default": True},
        {**lines[1]["candidates"][1], "commune_code": "25768", "default": False},
    ]
    assert {"commune_code", "commune_name", "default"} <= set(lines[1]["candidates"][0])
    assert lines[2] == {**lines[2], "commune_code": None, "candidates": []}


def test_file_streams_json_lines_in_input_order(tmp_path):
    inputs = ["Phường Sài Gòn, TP.HCM", "", "P.4, Q.8", "P.4, Q.8", "Ward 5, District 3, Ho Chi Minh City"]
    path = tmp_path / "in.txt"
    path.write_text("\n".join(inputs) + "\n", encoding="utf-8")

    out, _ = run("--file", str(path))
    lines = [json.loads(line) for line in out.splitlines()]

    assert [x["input"] for x in lines] == inputs
    assert [x["commune_code"] for x in lines] == ["26740", None, "27418", "27418", "27160"]


def test_csv_gets_the_new_columns(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "id;address;note\n1;P.4, Q.8, TP.HCM;a\n2;Phường Tân An, Cần Thơ;b\n3;;c\n", encoding="utf-8-sig"
    )
    target = tmp_path / "out.csv"

    _, err = run("--file", str(source), "--column", "address", "--output", str(target), "--no-progress")

    rows = list(csv.reader(target.open(encoding="utf-8"), delimiter=";"))
    assert rows[0] == [
        "id", "address", "note", "commune_code", "commune_name", "province_code", "province_name", "status",
        "candidates",
    ]  # fmt: skip
    assert rows[1][:3] == ["1", "P.4, Q.8, TP.HCM", "a"]
    assert rows[1][3:8] == ["27418", "Phường Chánh Hưng", "79", "Thành phố Hồ Chí Minh", "exact"]
    assert rows[2][7] == "ambiguous"
    assert rows[2][8] == "31147 Phường Tân An; 31135 Phường Ninh Kiều"
    assert rows[3][3:] == ["", "", "", "", "not_found", ""]
    assert "3 rows: ambiguous 1, exact 1, not_found 1" in err


def test_csv_without_the_column_is_a_clear_error(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,addr\n1,P.4 Q.8\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Không có cột “address”"):
        run("--file", str(source), "--column", "address", "--output", str(tmp_path / "out.csv"))


def test_nothing_to_resolve_is_an_error():
    with pytest.raises(CommandError, match="give addresses or --file"):
        run()
