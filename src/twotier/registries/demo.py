"""Synthetic demo data for the local registries (seeded: the same rows on every run)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from .models import DemoCitizen, DemoHousehold, DemoParcel

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Gia", "Bảo", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Khánh",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
]
STREETS = [
    "Lê Lợi",
    "Nguyễn Huệ",
    "Hai Bà Trưng",
    "Lý Tự Trọng",
    "Pasteur",
    "Điện Biên Phủ",
    "Võ Văn Tần",
    "Cách Mạng Tháng Tám",
]
MARITAL = ["Chưa kết hôn", "Đã kết hôn", "Ly hôn", "Góa"]
LINES = ["Bán lẻ tạp hóa", "Ăn uống", "Sửa chữa xe máy", "May mặc", "Cắt tóc, gội đầu"]


def demo_id(index: int, province: str = "079") -> str:
    """12-digit personal ID numbers: province code (3), century+sex (1), birth year (2), serial (6)."""
    return f"{province}0{90 + index % 10:02d}{index:06d}"[:12]


@transaction.atomic
def load_demo(
    communes: list[tuple[str, str]], *, people_per_commune: int = 20, seed: int = 2025
) -> dict[str, int]:
    """`communes`: (code, name). Idempotent: existing rows (by natural key) are kept."""
    rng = random.Random(seed)
    citizens, parcels, households = [], [], []
    index = 0
    for code, name in communes:
        for _ in range(people_per_commune):
            index += 1
            number = demo_id(index)
            full = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            street = f"{rng.randint(1, 300)} {rng.choice(STREETS)}, {name}, Thành phố Hồ Chí Minh"
            born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 55))
            citizens.append(
                DemoCitizen(
                    id_number=number,
                    full_name=full,
                    birth_date=born,
                    sex=rng.choice(["Nam", "Nữ"]),
                    residence=street,
                    residence_commune_code=code,
                    marital_status=rng.choice(MARITAL),
                )
            )
            if index % 3 == 0:
                parcels.append(
                    DemoParcel(
                        commune_code=code,
                        map_sheet=str(rng.randint(1, 60)),
                        parcel_no=str(index),
                        area_m2=Decimal(rng.randint(400, 3000)) / 10,
                        land_use="Đất ở tại đô thị",
                        holder_id_number=number,
                        certificate_no=f"CS{index:06d}",
                    )
                )
            if index % 5 == 0:
                households.append(
                    DemoHousehold(
                        registration_no=f"41{code}{index:05d}",
                        name=f"Hộ kinh doanh {full}",
                        owner_id_number=number,
                        commune_code=code,
                        address=street,
                        business_line=rng.choice(LINES),
                        status="Đang hoạt động",
                    )
                )
    DemoCitizen.objects.bulk_create(citizens, ignore_conflicts=True)
    DemoParcel.objects.bulk_create(parcels, ignore_conflicts=True)
    DemoHousehold.objects.bulk_create(households, ignore_conflicts=True)
    return {
        "citizens": DemoCitizen.objects.count(),
        "parcels": DemoParcel.objects.count(),
        "households": DemoHousehold.objects.count(),
    }
