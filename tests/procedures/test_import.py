"""The catalogue as `load_procedures` leaves it (reference data loaded once per test database), the
idempotent re-run and the one-new-version rule."""

from __future__ import annotations

import copy
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.procedures.test_parsing import SUSPECTS
from twotier.procedures import services
from twotier.procedures.models import CatalogueImport, Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db

CURATED_ONLY = {"1.001699", "1.014027", "1.001776", "1.010825"}


def snapshot():
    return (
        list(
            Procedure.objects.order_by("pk").values_list(
                "pk", "code", "current_version_id", "updated_at", "name"
            )
        ),
        list(
            ProcedureVersion.objects.order_by("pk").values_list(
                "pk", "number", "content_hash", "parser_version"
            )
        ),
        CatalogueImport.objects.count(),
    )


def test_every_record_is_loaded_under_its_filed_code():
    assert Procedure.objects.count() == 2646
    assert Procedure.objects.filter(in_catalogue=True).count() == 2642
    assert Procedure.objects.filter(is_curated=True).count() == 60
    assert ProcedureVersion.objects.count() == 2646
    assert not Procedure.objects.filter(current_version__isnull=True).exists()
    assert set(Procedure.objects.filter(in_catalogue=False).values_list("code", flat=True)) == CURATED_ONLY


def test_suspect_copies_are_flagged_with_the_code_their_text_names_and_not_receivable():
    flagged = dict(Procedure.objects.filter(suspect_copy=True).values_list("code", "suspect_code"))

    assert flagged == SUSPECTS
    receivable = Procedure.objects.receivable()
    assert receivable.count() == 2646 - 17
    assert not receivable.filter(code__in=SUSPECTS).exists()


def test_curated_only_codes_come_from_the_curated_file():
    disability = Procedure.objects.select_related("current_version").get(code="1.001699")
    martyr = Procedure.objects.get(code="1.010825")

    assert disability.name == "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật"
    assert (
        disability.name_en
        == "Determination/re-determination of disability level and issue of disability certificate"
    )
    assert disability.levels == ["commune"]
    assert martyr.levels == ["commune", "province"]  # tier commune+city
    assert disability.field == "Bảo trợ xã hội"
    version = disability.current_version
    assert (version.time_unit, version.fee_amount_vnd) == ("none", 0)
    assert version.documents[0]["name"] == "Application form Mẫu số 01 (Thông tư 01/2019/TT-BLĐTBXH)"
    assert version.raw_text == ""
    assert version.curated_entry["code"] == "1.001699"


def test_curated_override_birth_registration_is_same_day_with_the_15h_cutoff():
    birth = Procedure.objects.select_related("current_version").get(code="1.001193")
    version = birth.current_version

    assert (version.time_value, version.time_unit, version.cutoff_15h) == (Decimal("0.00"), "same_day", True)
    assert version.time_limit == {
        "value": 0,
        "unit": "same_day",
        "text": "1 (portal, unit not captured in crawl). Procedure text: same day; if received after 15:00, "
        "result on the next working day",
        "cutoff_15h": True,
    }
    assert birth.name_en == "Birth registration"
    assert version.fee_amount_vnd == 0


def test_curated_override_replaces_what_the_page_states():
    # 2.001159 Thông báo lưu trú: curated "1 hour (received immediately)" although its number is 0
    notice = ProcedureVersion.objects.get(procedure__code="2.001159")
    # 1.013225 building permit: curated "15 days in person … (portal; 'Ngày')", fee left to the page (HĐND)
    permit = Procedure.objects.select_related("current_version").get(code="1.013225")

    assert (notice.time_value, notice.time_unit) == (Decimal("1.00"), "hours")
    assert (permit.current_version.time_value, permit.current_version.time_unit) == (
        Decimal("15.00"),
        "calendar_days",
    )
    assert (permit.current_version.fee_amount_vnd, permit.current_version.fee_by_province) == (None, True)
    assert permit.sensitive_category == "construction"


def test_levels_are_boolean_columns_and_match_the_catalogue():
    commune = Procedure.objects.at_level("commune")

    # 588 catalogue records list Cấp xã (data README) + the 4 curated-only commune procedures
    assert commune.count() == 592
    assert commune.filter(in_catalogue=True).count() == 588
    assert Procedure.objects.get(code="1.013227").levels == ["commune", "other"]


def test_sensitive_fields_by_field_and_by_curated_flag():
    assert Procedure.objects.get(code="1.012786").sensitive_category == "land"  # field Đất đai
    assert Procedure.objects.get(code="2.001035").sensitive_category == "land"  # Chứng thực, curated flag
    assert Procedure.objects.get(code="1.014535").sensitive_category == "public_assets"
    assert Procedure.objects.get(code="1.001193").sensitive_category == ""
    assert (
        Procedure.objects.sensitive().count() == Procedure.objects.exclude(sensitive_category="").count() > 60
    )


def test_rerunning_the_loader_changes_nothing():
    before = snapshot()
    out = io.StringIO()

    call_command("load_procedures", stdout=out)

    assert snapshot() == before
    assert "0 created, 0 new versions, 0 re-parsed, 2646 unchanged" in out.getvalue()


def test_a_changed_record_makes_exactly_one_new_version():
    records = services.read_catalogue()
    curated = services.read_curated()
    changed = copy.deepcopy(records)
    record = next(r for r in changed if r["ma_thu_tuc"] == "1.003583")
    record["cach_thuc_thuc_hien"] = record["cach_thuc_thuc_hien"].replace(
        "Trực tiếp5 Ngày", "Trực tiếp7 Ngày"
    )
    record["raw_text"] = record["raw_text"].replace("Trực tiếp5 Ngày làm việc", "Trực tiếp7 Ngày làm việc")
    procedure = Procedure.objects.get(code="1.003583")
    first = procedure.current_version
    versions_before = ProcedureVersion.objects.count()
    others_before = list(
        Procedure.objects.exclude(pk=procedure.pk)
        .order_by("pk")
        .values_list("pk", "current_version_id", "updated_at")
    )

    report = services.import_catalogue(changed, curated)

    assert (report.created, report.new_versions, report.reparsed, report.unchanged) == (
        [],
        ["1.003583"],
        [],
        2645,
    )
    assert ProcedureVersion.objects.count() == versions_before + 1
    procedure.refresh_from_db()
    second = procedure.current_version
    assert (second.number, second.time_value, second.time_unit) == (2, Decimal("7.00"), "working_days")
    assert "time_value" in second.changed_fields
    assert second.imported_by.data["new_versions"] == ["1.003583"]
    first.refresh_from_db()
    assert (first.number, first.time_value) == (1, Decimal("5.00"))  # the old version is kept as it was
    assert (
        list(
            Procedure.objects.exclude(pk=procedure.pk)
            .order_by("pk")
            .values_list("pk", "current_version_id", "updated_at")
        )
        == others_before
    )

    again = services.import_catalogue(changed, curated)

    assert (again.new_versions, again.unchanged, again.import_id) == ([], 2646, None)
    assert ProcedureVersion.objects.count() == versions_before + 1


def test_a_parser_change_reparses_in_place_without_a_new_version(monkeypatch):
    from twotier.procedures import parsing

    codes = {"1.003583", "1.001193"}
    records = [r for r in services.read_catalogue() if r["ma_thu_tuc"] in codes]
    curated = [e for e in services.read_curated() if e["code"] in codes]
    versions_before = ProcedureVersion.objects.count()
    monkeypatch.setattr(parsing, "PARSER_VERSION", parsing.PARSER_VERSION + 1)

    report = services.import_catalogue(records, curated)

    assert (sorted(report.reparsed), report.new_versions, report.created) == (sorted(codes), [], [])
    assert len(report.not_in_source) == 2644  # kept, only reported
    assert ProcedureVersion.objects.count() == versions_before
    assert Procedure.objects.count() == 2646
    assert set(
        ProcedureVersion.objects.filter(procedure__code__in=codes).values_list("parser_version", flat=True)
    ) == {parsing.PARSER_VERSION}
    birth = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert (birth.number, birth.time_unit, birth.cutoff_15h) == (1, "same_day", True)


def test_a_duplicate_code_in_the_source_is_refused_and_nothing_changes():
    from twotier.core.errors import DomainError

    records = services.read_catalogue()
    before = snapshot()

    with pytest.raises(DomainError, match=r"catalogue lists 1\.000005 twice"):
        services.import_catalogue([*records, records[0]], services.read_curated())

    assert snapshot() == before


def test_channel_times_follow_a_single_curated_time():
    birth = ProcedureVersion.objects.get(procedure__code="1.001193")
    notice = ProcedureVersion.objects.get(procedure__code="2.001159")
    land = ProcedureVersion.objects.get(procedure__code="1.012786")  # curated text is per channel

    assert {row["time"]["unit"] for row in birth.channels} == {"same_day"}
    assert birth.time_for_channel("online")["cutoff_15h"] is True
    assert (notice.time_for_channel("in_person")["value"], notice.time_for_channel("in_person")["unit"]) == (
        1,
        "hours",
    )
    assert land.time_for_channel("online")["value"] == 10
    assert land.time_for_channel("in_person")["value"] == 20
    assert land.time_for_channel("postal")["value"] == 10
