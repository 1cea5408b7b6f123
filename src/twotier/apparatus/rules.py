"""Responsibility rules (pure, no ORM): field × level → lead unit, from data/responsibility_rules.yaml."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent / "data" / "responsibility_rules.yaml"


def norm(text: str) -> str:
    """Compare fields as people read them: Unicode NFC (the catalogue mixes composed and decomposed
    diacritics), case-insensitive, repeated spaces collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "").strip()).casefold()


@dataclass(frozen=True)
class Decision:
    """The lead chosen by the rules: a commune unit function or a city unit code, else a reason."""

    lead: str | None
    reason: str
    basis: str = ""


@dataclass(frozen=True)
class Duty:
    code: str
    name: str
    field: str
    lead: str


@dataclass
class Rules:
    commune_fields: dict[str, str] = field(default_factory=dict)  # normalised field → function
    commune_basis: dict[str, str] = field(default_factory=dict)  # function → legal basis
    commune_coordinate: list[str] = field(default_factory=list)
    city_competent: list[tuple[str, str]] = field(default_factory=list)  # (normalised keyword, unit code)
    city_fields: dict[str, str] = field(default_factory=dict)  # normalised field → unit code
    outside: dict[str, str] = field(default_factory=dict)  # normalised field → reason
    duties: list[Duty] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Rules:
        rules = cls()
        for function, spec in (data.get("commune") or {}).items():
            rules.commune_basis[function] = spec.get("basis", "")
            for name in spec.get("fields", []):
                key = norm(name)
                if key in rules.commune_fields:
                    raise ValueError(f"field {name!r} has two commune leads")
                rules.commune_fields[key] = function
        rules.commune_coordinate = list(data.get("commune_coordinate") or [])
        city = data.get("city") or {}
        rules.city_competent = [(norm(keyword), code) for keyword, code in city.get("competent", [])]
        for code, names in (city.get("fields") or {}).items():
            for name in names:
                key = norm(name)
                if key in rules.city_fields:
                    raise ValueError(f"field {name!r} has two city leads")
                rules.city_fields[key] = code
        rules.outside = {norm(k): v for k, v in (data.get("outside") or {}).items()}
        rules.duties = [Duty(**d) for d in data.get("duties", [])]
        return rules

    def commune_lead(self, field_name: str) -> Decision:
        key = norm(field_name)
        if key in self.outside:
            return Decision(None, f"Ngoài bộ máy hai cấp: {self.outside[key]}")
        function = self.commune_fields.get(key)
        if function is None:
            return Decision(None, f"Chưa có quy tắc cho lĩnh vực “{field_name or '(trống)'}” ở cấp xã")
        return Decision(function, "", self.commune_basis.get(function, ""))

    def city_lead(self, field_name: str, competent_agency: str) -> Decision:
        text = norm(competent_agency)
        for keyword, code in self.city_competent:
            if keyword in text:
                return Decision(code, "", f"Cơ quan có thẩm quyền: {competent_agency.strip()}")
        key = norm(field_name)
        if key in self.outside:
            return Decision(None, f"Ngoài bộ máy hai cấp: {self.outside[key]}")
        code = self.city_fields.get(key)
        if code is None:
            return Decision(None, f"Chưa có quy tắc cho lĩnh vực “{field_name or '(trống)'}” ở cấp tỉnh")
        return Decision(code, "", f"Lĩnh vực {field_name}")


def load_rules(path: Path = RULES_FILE) -> Rules:
    return Rules.from_data(yaml.safe_load(path.read_text(encoding="utf-8")))
