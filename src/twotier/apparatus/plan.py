"""The plan of a reorganization, as plain data (no ORM), and the structural rules of each kind.

A draft `Reorganization` keeps its plan as JSON; `Plan.from_json` / `to_json` convert it. The rules
here only look at the plan itself; `services.preview_reorganization` adds what needs the database
(units valid on the date, officials to account for, quotas, responsibilities, open work).

Plan JSON:
    {"predecessors": ["code", ...],
     "successors": [{"code", "name", "name_en", "kind", "level", "tier", "function", "commune_code",
                     "parent": "code of an existing unit or of another successor",
                     "from": ["predecessor code", ...]}],
     "posts": [{"key", "unit": "successor code", "title", "quota", "is_leadership", "required_qualifications",
                "wanted_skills", "min_grade", "min_digital_skill"}],
     "children": {"child code": "new parent code"},           # where the children of dissolved units go
     "responsibility_to": {"default": "code", "<task code>": "code"},   # split (required) / abolish
     "dispositions": {"<official id>": {"kind": "move"|"retire"|"release", "post": "<key>"|"#<post id>",
                                        "reason": "..."}}}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("merge", "split", "abolish", "rename", "transfer")
DISPOSITION_KINDS = ("move", "retire", "release")


@dataclass
class SuccessorSpec:
    code: str
    name: str
    kind: str
    level: str
    tier: str
    parent: str
    sources: list[str]
    name_en: str = ""
    function: str = ""
    commune_code: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["from"] = data.pop("sources")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SuccessorSpec:
        return cls(
            code=str(data["code"]).strip(),
            name=str(data["name"]).strip(),
            kind=str(data["kind"]),
            level=str(data["level"]),
            tier=str(data["tier"]),
            parent=str(data.get("parent") or ""),
            sources=[str(c) for c in data.get("from", [])],
            name_en=str(data.get("name_en", "")),
            function=str(data.get("function", "")),
            commune_code=str(data.get("commune_code", "")),
        )


@dataclass
class PostSpec:
    key: str
    unit: str
    title: str
    quota: int
    is_leadership: bool = False
    required_qualifications: list[str] = field(default_factory=list)
    wanted_skills: list[str] = field(default_factory=list)
    min_grade: int = 0
    min_digital_skill: int = 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PostSpec:
        return cls(
            key=str(data["key"]),
            unit=str(data["unit"]),
            title=str(data["title"]),
            quota=int(data["quota"]),
            is_leadership=bool(data.get("is_leadership", False)),
            required_qualifications=list(data.get("required_qualifications", [])),
            wanted_skills=list(data.get("wanted_skills", [])),
            min_grade=int(data.get("min_grade", 0)),
            min_digital_skill=int(data.get("min_digital_skill", 0)),
        )


@dataclass
class DispositionSpec:
    kind: str
    post: str = ""  # a planned post key, or "#<id>" for an existing post
    reason: str = ""

    @property
    def existing_post_id(self) -> int | None:
        return int(self.post[1:]) if self.post.startswith("#") and self.post[1:].isdigit() else None


@dataclass
class Plan:
    predecessors: list[str] = field(default_factory=list)
    successors: list[SuccessorSpec] = field(default_factory=list)
    posts: list[PostSpec] = field(default_factory=list)
    children: dict[str, str] = field(default_factory=dict)
    responsibility_to: dict[str, str] = field(default_factory=dict)
    dispositions: dict[int, DispositionSpec] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Plan:
        data = data or {}
        return cls(
            predecessors=[str(c) for c in data.get("predecessors", [])],
            successors=[SuccessorSpec.from_json(s) for s in data.get("successors", [])],
            posts=[PostSpec.from_json(p) for p in data.get("posts", [])],
            children={str(k): str(v) for k, v in data.get("children", {}).items()},
            responsibility_to={str(k): str(v) for k, v in data.get("responsibility_to", {}).items()},
            dispositions={
                int(k): DispositionSpec(
                    kind=str(v.get("kind", "")), post=str(v.get("post", "")), reason=str(v.get("reason", ""))
                )
                for k, v in data.get("dispositions", {}).items()
            },
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "predecessors": list(self.predecessors),
            "successors": [s.to_json() for s in self.successors],
            "posts": [asdict(p) for p in self.posts],
            "children": dict(self.children),
            "responsibility_to": dict(self.responsibility_to),
            "dispositions": {str(k): asdict(v) for k, v in sorted(self.dispositions.items())},
        }

    # ---- derived -------------------------------------------------------------------------------

    def links(self) -> list[tuple[str, str | None]]:
        """(predecessor, successor) pairs; a predecessor linked to no successor is abolished."""
        pairs: list[tuple[str, str | None]] = []
        linked: set[str] = set()
        for succ in self.successors:
            for pred in succ.sources:
                pairs.append((pred, succ.code))
                linked.add(pred)
        pairs.extend((pred, None) for pred in self.predecessors if pred not in linked)
        return pairs

    def successors_of(self, predecessor: str) -> list[str]:
        return [s.code for s in self.successors if predecessor in s.sources]

    def post_keys(self) -> set[str]:
        return {p.key for p in self.posts}


def structural_errors(kind: str, plan: Plan) -> list[str]:
    """What is wrong with the plan by itself (codes, links, posts), per reorganization kind."""
    errors: list[str] = []
    if kind not in KINDS:
        return [f"Hình thức sắp xếp không hợp lệ: {kind}"]
    preds = plan.predecessors
    if not preds:
        errors.append("Chưa chọn đơn vị bị sắp xếp.")
    if len(set(preds)) != len(preds):
        errors.append("Một đơn vị được chọn hai lần.")
    succ_codes = [s.code for s in plan.successors]
    if len(set(succ_codes)) != len(succ_codes):
        errors.append("Hai đơn vị mới trùng mã.")
    for code in succ_codes:
        if not code:
            errors.append("Đơn vị mới thiếu mã.")
        if code in preds:
            errors.append(f"Đơn vị mới phải có mã mới, không dùng lại mã {code}.")
    for succ in plan.successors:
        if not succ.name:
            errors.append(f"Đơn vị mới {succ.code} thiếu tên.")
        for pred in succ.sources:
            if pred not in preds:
                errors.append(f"Đơn vị mới {succ.code} kế thừa {pred}, đơn vị này không nằm trong danh sách.")
        if not succ.sources:
            errors.append(f"Đơn vị mới {succ.code} không kế thừa đơn vị nào.")
        if succ.parent == succ.code:
            errors.append(f"Đơn vị {succ.code} không thể trực thuộc chính nó.")
    per_pred = {p: plan.successors_of(p) for p in preds}
    if kind == "merge":
        for succ in plan.successors:
            if len(succ.sources) < 2:
                errors.append(f"Hợp nhất: đơn vị mới {succ.code} phải kế thừa ít nhất hai đơn vị.")
        for pred, succs in per_pred.items():
            if len(succs) != 1:
                errors.append(f"Hợp nhất: đơn vị {pred} phải được hợp nhất vào đúng một đơn vị mới.")
    elif kind == "split":
        for pred, succs in per_pred.items():
            if len(succs) < 2:
                errors.append(f"Chia, tách: đơn vị {pred} phải được chia cho ít nhất hai đơn vị mới.")
        for succ in plan.successors:
            if len(succ.sources) != 1:
                errors.append(f"Chia, tách: đơn vị mới {succ.code} phải kế thừa đúng một đơn vị.")
        if not plan.responsibility_to.get("default"):
            errors.append("Chia, tách: phải chỉ định đơn vị mới chủ trì các nhiệm vụ của đơn vị bị chia.")
        elif plan.responsibility_to["default"] not in succ_codes:
            errors.append("Chia, tách: đơn vị chủ trì phải là một trong các đơn vị mới.")
    elif kind == "abolish" and plan.successors:
        errors.append("Giải thể: không tạo đơn vị mới.")
    elif kind in ("rename", "transfer") and (len(preds) != 1 or len(plan.successors) != 1):
        errors.append("Đổi tên, chuyển trực thuộc: đúng một đơn vị cũ và một đơn vị mới.")
    keys = [p.key for p in plan.posts]
    if len(set(keys)) != len(keys):
        errors.append("Hai vị trí việc làm trùng khóa.")
    for post in plan.posts:
        if post.unit not in succ_codes:
            errors.append(f"Vị trí {post.title} thuộc đơn vị {post.unit} không phải đơn vị mới.")
        if post.quota < 0:
            errors.append(f"Vị trí {post.title}: biên chế âm.")
    post_keys = plan.post_keys()
    for official_id, disp in plan.dispositions.items():
        if disp.kind not in DISPOSITION_KINDS:
            errors.append(f"Cán bộ #{official_id}: hình thức bố trí không hợp lệ.")
        elif disp.kind == "move" and not (disp.post in post_keys or disp.existing_post_id):
            errors.append(f"Cán bộ #{official_id}: chưa chọn vị trí việc làm.")
        elif disp.kind == "release" and not disp.reason.strip():
            errors.append(f"Cán bộ #{official_id}: nghỉ theo chính sách tinh giản phải ghi lý do.")
    return errors
