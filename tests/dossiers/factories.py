"""Test data for dossiers: HCMC commune units through the apparatus services, fixed dossiers.

Communes (real codes of the loaded geography): A = 26743 Phường Bến Thành (the receiving centre of
the acceptance scenario), B = 26740 Phường Sài Gòn (where the former Phường Bến Nghé, Quận 1 went).
"""

from __future__ import annotations

from datetime import date, datetime

from twotier.dossiers.deadlines import VN_TZ

A = "26743"
B = "26740"
C = "26737"  # Phường Tân Định
START = date(2025, 7, 1)

BIRTH = "1.001193"  # same day, 15:00 cut-off
RE_BIRTH = "1.004884"  # 5 working days
HOUSEHOLD_BUSINESS = "1.001612"  # 3 working days, fee 50,000
COPY_EXTRACT = "2.000635"  # commune and province level, same day

OLD_ADDRESS_IN_B = "12 Lý Tự Trọng, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh"
ADDRESS_IN_A = "5 Lê Lợi, Phường Bến Thành, TP.HCM"

SUFFIXES = {
    "office": ("office", "Văn phòng HĐND và UBND"),
    "econ": ("division", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    "culture": ("division", "Phòng Văn hóa - Xã hội"),
    "pasc": ("pasc", "Trung tâm Phục vụ hành chính công"),
    "police": ("police", "Công an"),
}


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def commune_units(commune_code: str, province_code: str = "79") -> dict:
    """The People's Committee of a commune and its divisions (get or create, by code)."""
    from twotier.apparatus import services as apparatus
    from twotier.apparatus.models import Unit

    def get_or_create(code, name, kind, level, parent=None):
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = apparatus.create_unit(
                code=code,
                name=name,
                kind=kind,
                tier="commune",
                level=level,
                province_code=province_code,
                commune_code=commune_code,
                valid_from=START,
                parent=parent,
                function=code.rsplit("-", 1)[-1] if "-" in code else "",
            )
        return unit

    committee = get_or_create(commune_code, f"UBND {commune_code}", "peoples_committee", "commune")
    units = {"committee": committee}
    for suffix, (kind, name) in SUFFIXES.items():
        units[suffix] = get_or_create(
            f"{commune_code}-{suffix}", f"{name} {commune_code}", kind, "division", committee
        )
    return units


def city_unit(code: str = "hcmc-justice", province_code: str = "79"):
    from twotier.apparatus import services as apparatus
    from twotier.apparatus.models import Unit

    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = apparatus.create_unit(
            code=code,
            name="Sở Tư pháp",
            kind="department",
            tier="city",
            level="department",
            province_code=province_code,
            valid_from=START,
        )
    return unit


def lead(
    procedure_code: str, unit, *, commune_code: str = "", tier: str = "commune", province_code: str = "79"
):
    """Make `unit` the lead of the procedure's task in the territory (keeps an existing lead)."""
    from twotier.apparatus import services as apparatus
    from twotier.apparatus.models import Responsibility, Task
    from twotier.procedures.models import Procedure

    task = Task.objects.filter(procedure_code=procedure_code).first()
    if task is None:
        procedure = Procedure.objects.get(code=procedure_code)
        task = Task.objects.create(
            code=f"tthc-{procedure_code}",
            name=procedure.name,
            kind="procedure",
            procedure_code=procedure_code,
            at_commune=procedure.at_commune,
            at_province=procedure.at_province,
        )
    existing = (
        Responsibility.objects.leads()
        .filter(
            task=task,
            province_code=province_code,
            commune_code=commune_code,
            tier=tier,
            valid_to__isnull=True,
        )
        .first()
    )
    if existing is not None:
        return existing
    return apparatus.assign_responsibility(
        task,
        unit,
        role="lead",
        tier=tier,
        province_code=province_code,
        commune_code=commune_code,
        valid_from=START,
    )


def hcmc_setup(procedures=(BIRTH, RE_BIRTH, HOUSEHOLD_BUSINESS, COPY_EXTRACT), communes=(A, B, C)) -> dict:
    """Units of the communes; each procedure led by the commune Office (Economic division for household
    business), and at city level by the Department of Justice."""
    out = {code: commune_units(code) for code in communes}
    justice = city_unit()
    out["city"] = justice
    for code in communes:
        for procedure in procedures:
            division = "econ" if procedure == HOUSEHOLD_BUSINESS else "office"
            lead(procedure, out[code][division], commune_code=code)
    lead(COPY_EXTRACT, justice, tier="city")
    return out


def staff(make_staff, username: str, role: str, commune: str = "", province: str = "79", email: str = ""):
    user = make_staff(username, role, province=province, commune=commune)
    if email:
        user.email = email
        user.save(update_fields=["email"])
    return user


def receipt(
    procedure_code: str = BIRTH, *, address: str = OLD_ADDRESS_IN_B, name: str = "Nguyễn Văn An", **kw
):
    from twotier.dossiers.services import ApplicantInput, DocumentInput, ReceiptInput

    documents = kw.pop("documents", [DocumentInput("Giấy chứng sinh", is_scanned=True)])
    return ReceiptInput(
        procedure_code=procedure_code,
        applicant=ApplicantInput(
            name=name,
            id_number=kw.pop("id_number", "079090001234"),
            phone=kw.pop("phone", "0903123456"),
            email=kw.pop("email", "an@example.vn"),
        ),
        address=address,
        documents=documents,
        is_digitised=kw.pop("is_digitised", True),
        **kw,
    )
