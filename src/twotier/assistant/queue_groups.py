"""Counter groups of a one-stop shop (pure): which counter serves which fields of the catalogue.

A PASC arranges its counters by field (Decree 118/2025/NĐ-CP art. 8: the one-stop shop receives every
procedure of the commune; counters are grouped by field so one officer handles related cases).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from twotier.geography.normalize import fold


@dataclass(frozen=True)
class CounterGroup:
    key: str
    letter: str
    label: str
    fields: tuple[str, ...]  # folded prefixes of catalogue field names


GROUPS: tuple[CounterGroup, ...] = (
    CounterGroup("civil", "A", _("Hộ tịch, chứng thực"), ("ho tich", "chung thuc", "nuoi con nuoi")),
    CounterGroup(
        "residence", "B", _("Cư trú, căn cước"), ("dang ky, quan ly cu tru", "cap, quan ly can cuoc")
    ),
    CounterGroup("land", "C", _("Đất đai, xây dựng, nhà ở"), ("dat dai", "hoat dong xay dung", "nha o")),
    CounterGroup("business", "D", _("Kinh doanh, hợp tác xã"), ("thanh lap va hoat dong",)),
    CounterGroup("other", "E", _("Lĩnh vực khác, bảo hiểm, xã hội"), ()),
)
BY_KEY = {g.key: g for g in GROUPS}


def group_for_field(field: str) -> CounterGroup:
    folded = fold(field)
    for g in GROUPS:
        if any(folded.startswith(prefix) for prefix in g.fields):
            return g
    return BY_KEY["other"]
