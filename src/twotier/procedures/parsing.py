"""Parse the scraped National Public Service Portal page of a procedure into structured fields.

Pure module: no ORM, no Django. Input is one record of `national-procedure-catalog.json.gz` (a dict with
Vietnamese field names and the page text `raw_text`), optionally the matching entry of
`procedures-curated.yaml`; output is a `ParsedProcedure` of plain values (JSON-ready via `to_dict`).

The page text is the portal's tables flattened: cells are run together without separators
("Trực tuyến4 Ngày làm việcMiễn phíDịch vụ bưu chính…"). The crawler's own split into fields is wrong for
some records (steps that mention "(Thành phần hồ sơ)" cut the documents field short), so the sections are
cut again here from `raw_text` itself, with the crawler's field as a fallback.

What could not be read is never guessed silently: every aspect (time, fee, documents) ends in one of three
states — parsed, not stated, unparsed — and `problems` says why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from dataclasses import field as dc_field
from decimal import Decimal, InvalidOperation
from typing import Any

from twotier.core.text import fold as fold_letters

PARSER_VERSION = 1

# ---- vocabularies ---------------------------------------------------------------------------------

LEVELS: dict[str, str] = {
    "Cấp xã": "commune",
    "Cấp tỉnh": "province",
    "Cấp bộ": "ministry",
    "Cơ quan khác": "other",
}
LEVEL_ORDER = ["commune", "province", "ministry", "other"]

CHANNELS: dict[str, str] = {
    "Trực tiếp": "in_person",
    "Trực tuyến": "online",
    "Dịch vụ bưu chính": "postal",
}
# A dossier is received at a counter first: the in-person time is the procedure's reference time.
CHANNEL_PRIORITY = ["in_person", "online", "postal"]

UNITS = ("working_days", "calendar_days", "same_day", "hours", "none")

# Status of one parsed aspect (time, fee, documents).
PARSED = "parsed"
NOT_STATED = "not_stated"
UNPARSED = "unparsed"

# Sensitive fields (supervision of land, construction and public assets, ARCHITECTURE.md). Matched on the
# portal's field name (lĩnh vực); the curated file's flag wins over this list.
SENSITIVE_FIELDS: dict[str, str] = {
    "Đất đai": "land",
    "Tài chính đất đai": "land",
    "Hoạt động xây dựng": "construction",
    "Quản lý chất lượng công trình xây dựng": "construction",
    "Quy hoạch đô thị và nông thôn": "construction",
    "Kiến trúc": "construction",
    "Phát triển đô thị": "construction",
    "Hạ tầng kỹ thuật": "construction",
    "Quản lý công sản": "public_assets",
}

NO_INFO = "Không có thông tin"


def _vietnamese_letters(upper: bool) -> str:
    """Every Vietnamese letter of one case, for regex classes (a range from À to Ỹ would mix cases: the
    precomposed letters alternate upper/lower in Unicode)."""
    letters = []
    for code in [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x1B1), *range(0x1EA0, 0x1EFA)]:
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0]
        if (base.isascii() or ch in "ĐđƠơƯư") and ch.isalpha() and ch.isupper() == upper:
            letters.append(ch)
    return "".join(letters)


UPPER = _vietnamese_letters(upper=True)
LOWER = _vietnamese_letters(upper=False)

# ---- small helpers --------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase, without Vietnamese diacritics (đ → d): the key of diacritics-insensitive search."""
    return re.sub(r"\s+", " ", fold_letters(text or "")).strip()


def clean(text: str | None) -> str:
    """Trim, collapse runs of spaces and drop the portal's "no information" filler."""
    text = re.sub(r"[ \t\u00a0]+", " ", (text or "").replace("\u200e", "")).strip()
    return "" if text in {NO_INFO, "--", "-"} else text


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# ---- result types ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeLimit:
    """A processing time: `value` in `unit` (one of UNITS; "" when the text could not be read)."""

    value: Decimal | None = None
    unit: str = ""
    text: str = ""
    cutoff_15h: bool = False
    source: str = ""  # where it was read: "cell", "cell+text", "text", "curated", ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": _json_number(self.value),
            "unit": self.unit,
            "text": self.text,
            "cutoff_15h": self.cutoff_15h,
            "source": self.source,
        }


@dataclass(frozen=True)
class Fee:
    """A fee: `amount_vnd` (0 = free; None = not a single VND amount), the portal text, and its status."""

    amount_vnd: int | None = None
    text: str = ""
    status: str = NOT_STATED
    currency: str = ""  # set when the amount is in another currency (amount in `amount`)
    amount: Decimal | None = None
    by_province: bool = False  # the amount is set by each province's People's Council (HĐND)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "amount_vnd": self.amount_vnd,
            "text": self.text,
            "status": self.status,
            "by_province": self.by_province,
        }
        if self.currency:
            data["currency"] = self.currency
            data["amount"] = _json_number(self.amount)
        return data


@dataclass(frozen=True)
class ChannelRow:
    """One row of the portal's "Cách thức thực hiện" table (a channel may have several rows: cases)."""

    channel: str
    time: TimeLimit
    fee: Fee
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "time": self.time.to_dict(),
            "fee": self.fee.to_dict(),
            "note": self.note,
        }


@dataclass(frozen=True)
class Document:
    """One paper of the dossier: name, form file(s), how many originals (bản chính) and copies (bản sao)."""

    name: str
    form: str = ""
    forms: tuple[str, ...] = ()
    n_original: int = 0
    n_copy: int = 0
    group: str = ""

    @property
    def copies(self) -> int:
        return self.n_original + self.n_copy

    @property
    def original_or_copy(self) -> str:
        if self.n_original and self.n_copy:
            return "original_and_copy"
        if self.n_original:
            return "original"
        if self.n_copy:
            return "copy"
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "form": self.form,
            "forms": list(self.forms),
            "copies": self.copies,
            "original_or_copy": self.original_or_copy,
            "n_original": self.n_original,
            "n_copy": self.n_copy,
            "group": self.group,
        }


@dataclass
class ParsedProcedure:
    code: str
    name: str
    levels: list[str] = dc_field(default_factory=list)
    field: str = ""
    kind: str = ""
    decision: str = ""
    target_groups: list[str] = dc_field(default_factory=list)
    steps: str = ""
    channels: list[ChannelRow] = dc_field(default_factory=list)
    time: TimeLimit = dc_field(default_factory=TimeLimit)
    fee: Fee = dc_field(default_factory=Fee)
    documents: list[Document] = dc_field(default_factory=list)
    document_notes: list[str] = dc_field(default_factory=list)
    documents_status: str = NOT_STATED
    result: list[str] = dc_field(default_factory=list)
    legal_basis: list[str] = dc_field(default_factory=list)
    legal_documents: list[dict[str, str]] = dc_field(default_factory=list)
    implementing_agency: str = ""
    competent_agency: str = ""
    authorised_agency: str = ""
    coordinating_agency: str = ""
    address: str = ""
    conditions: str = ""
    text_code: str = ""  # the code the page text itself names
    problems: list[dict[str, str]] = dc_field(default_factory=list)
    # what the text offers, independent of whether it could be read (for the parse-rate figures)
    has_time_text: bool = False
    has_fee_text: bool = False
    has_documents_text: bool = False

    @property
    def suspect_copy(self) -> bool:
        return bool(self.text_code) and self.text_code != self.code

    @property
    def online_available(self) -> bool:
        return any(row.channel == "online" for row in self.channels)

    def problem(self, aspect: str, reason: str, *, blocking: bool = True) -> None:
        self.problems.append({"field": aspect, "reason": reason, "blocking": "yes" if blocking else "no"})

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["channels"] = [row.to_dict() for row in self.channels]
        data["time"] = self.time.to_dict()
        data["fee"] = self.fee.to_dict()
        data["documents"] = [doc.to_dict() for doc in self.documents]
        data["suspect_copy"] = self.suspect_copy
        return data


# ---- sections -------------------------------------------------------------------------------------

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOC_TABLE_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEGAL_TABLE_HEADER = "Tên văn bản pháp lýMã văn bản"


def split_sections(record: Mapping[str, Any]) -> dict[str, str]:
    """Cut the page text into its sections; fall back to the crawler's fields where an anchor is missing."""
    raw = record.get("raw_text") or ""
    sections = {
        "steps": record.get("trinh_tu_thuc_hien") or "",
        "channels": record.get("cach_thuc_thuc_hien") or "",
        "documents": record.get("thanh_phan_ho_so") or "",
        "legal": record.get("can_cu_phap_ly") or "",
        "agency": record.get("co_quan_thuc_hien") or "",
        "conditions": record.get("yeu_cau_dieu_kien") or "",
        "result": record.get("ket_qua_xu_ly") or "",
    }
    steps_at = raw.find("Trình Tự Thực Hiện")
    channels_at = raw.find("Cách Thức Thực Hiện", max(steps_at, 0))
    if steps_at < 0 or channels_at < 0:
        return sections
    table_at = raw.find(DOC_TABLE_HEADER, channels_at)
    if table_at >= 0:
        docs_at = raw.rfind("Thành phần hồ sơ", channels_at, table_at)
    else:
        docs_at = raw.find("Thành phần hồ sơ", channels_at)
    end = raw.find("Chọn cơ quan thực hiện")
    end = len(raw) if end < 0 else end
    result_at = raw.rfind("Kết quả xử lý", 0, end)
    tail_end = result_at if result_at >= 0 else end
    conditions_at = raw.rfind("Yêu cầu, điều kiện thực hiện", 0, tail_end)
    agency_at = raw.rfind("Cơ quan thực hiện", 0, conditions_at if conditions_at >= 0 else tail_end)
    legal_at = raw.rfind("Căn cứ pháp lý", 0, agency_at if agency_at >= 0 else tail_end)
    if docs_at < 0 or legal_at < 0 or not (channels_at < docs_at < legal_at):
        return sections
    sections["steps"] = raw[steps_at + len("Trình Tự Thực Hiện") : channels_at]
    sections["channels"] = raw[channels_at + len("Cách Thức Thực Hiện") : docs_at]
    sections["documents"] = raw[docs_at + len("Thành phần hồ sơ") : legal_at]
    legal_end = agency_at if agency_at > legal_at else tail_end
    sections["legal"] = raw[legal_at + len("Căn cứ pháp lý") : legal_end]
    if agency_at > legal_at and conditions_at > agency_at:
        sections["agency"] = raw[agency_at + len("Cơ quan thực hiện") : conditions_at]
        sections["conditions"] = raw[conditions_at + len("Yêu cầu, điều kiện thực hiện") : tail_end]
    if result_at >= 0:
        sections["result"] = raw[result_at + len("Kết quả xử lý") : end]
    return sections


TEXT_CODE_RE = re.compile(r"Mã thủ tục\s*([0-9A-Za-z][0-9A-Za-z.\-]*?)\s*Số quyết định")


def text_code_of(raw_text: str) -> str:
    """The procedure code as the page text states it ("Mã thủ tục1.001193Số quyết định…")."""
    match = TEXT_CODE_RE.search(raw_text or "")
    return match.group(1) if match else ""


# ---- time limits ----------------------------------------------------------------------------------

CELL_UNITS = {
    "ngày làm việc": "working_days",
    "ngày": "calendar_days",
    "giờ": "hours",
    "giờ làm việc": "hours",
}
# A number in prose followed by a unit ("trong thời hạn 03 ngày làm việc"). Not a date: "ngày 20 tháng…".
TEXT_TIME_RE = re.compile(
    r"(?<![\d/.,])(?<!ngày )(?<!tháng )(\d{1,3}(?:[.,]5)?)\s*(?:\([^)]{0,30}\)\s*)?"
    r"(ngày làm việc|ngày|giờ làm việc|giờ|tháng)(?![\d/])",
    re.IGNORECASE,
)
SAME_DAY_RE = re.compile(
    r"(ngay trong ngày|trong ngày làm việc(?! tiếp theo)|trả kết quả trong ngày|giải quyết trong ngày|"
    r"trong ngày tiếp nhận|ngay sau khi nhận|ngay khi nhận)",
    re.IGNORECASE,
)
CUTOFF_RE = re.compile(r"sau 15\s*(giờ|h\b|:00)", re.IGNORECASE)


def time_from_text(text: str) -> TimeLimit | None:
    """The first processing time stated in prose, or None."""
    if not text:
        return None
    match = TEXT_TIME_RE.search(text)
    same_day = SAME_DAY_RE.search(text)
    if same_day and (match is None or same_day.start() < match.start()):
        return TimeLimit(Decimal(0), "same_day", same_day.group(0), bool(CUTOFF_RE.search(text)), "text")
    if match is None:
        return None
    unit_word = match.group(2).lower()
    value = _number(match.group(1))
    if unit_word == "tháng":
        return None  # months are not a unit the deadline rules know; reported by the caller
    return TimeLimit(value, CELL_UNITS[unit_word], match.group(0), False, "text")


def _with_unit_from_text(value: Decimal, texts: Iterable[str]) -> TimeLimit | None:
    """A bare number ("3") whose unit the crawl lost: take the unit the prose gives the same number."""
    for text in texts:
        for match in TEXT_TIME_RE.finditer(text or ""):
            if _number(match.group(1)) == value and match.group(2).lower() != "tháng":
                unit = CELL_UNITS[match.group(2).lower()]
                return TimeLimit(value, unit, match.group(0), False, "cell+text")
    return None


# ---- fees -----------------------------------------------------------------------------------------

CURRENCY_RE = r"(VNĐ|Việt Nam Đồng|Đồng|đồng|USD|EUR)"
AMOUNT_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*" + CURRENCY_RE)
PROVINCE_FEE_RE = re.compile(r"Hội đồng nhân dân|HĐND", re.IGNORECASE)
WELL_FORMED_AMOUNT = re.compile(r"(?:0|[1-9]\d{0,2}(?:,\d{3})*)")


def _fee_from_amount(digits: str, currency: str, text: str, note: str, problems: list[str]) -> Fee:
    amount = _number(digits.replace(",", ""))
    if amount is None:
        return Fee(None, text, UNPARSED)
    if currency in {"USD", "EUR"}:
        return Fee(None, text, PARSED, currency, amount)
    vnd = int(amount)
    if 0 < vnd < 1000:
        # No Vietnamese fee is below 1,000 đ: the portal shows some fees in thousands ("20 VNĐ" with the
        # note "20.000 vnđ/tờ khai"), some in US dollars labelled VNĐ ("155 VNĐ (… 155 USD/thẻ)"), and a
        # few put "1" where the note says the fee is waived.
        if re.search(rf"(?<![\d.,]){vnd}\s*USD", note):
            problems.append(f"amount {vnd} labelled VNĐ read as {vnd} USD (the note says USD)")
            return Fee(None, text, PARSED, "USD", amount)
        if vnd == 1 and re.search(r"miễn", note, re.IGNORECASE):
            problems.append("amount 1 đ read as free (the note says the fee is waived)")
            return Fee(0, text, PARSED)
        if not re.search(rf"(?<![\d.,]){vnd}[.,]000", note):
            problems.append(f"amount {vnd} đ read as {vnd * 1000:,} đ (portal shows thousands)")
        vnd *= 1000
    return Fee(vnd, text, PARSED)


# ---- channel table --------------------------------------------------------------------------------

CHANNEL_START_RE = re.compile(rf"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=[0-9{UPPER}])")
CELL_TIME_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ|Tháng)")
FEE_START_RE = re.compile(r"Miễn phí|" + NO_INFO + r"|(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*" + CURRENCY_RE)


def _balanced_note(text: str) -> tuple[str, str]:
    """Split "(note (nested))rest" into ("note (nested)", "rest"); unbalanced → whole text is the note."""
    if not text.startswith("("):
        return "", text
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[1:i], text[i + 1 :]
    return text[1:], ""


def _split_glued_number(digits: str) -> tuple[str, str] | None:
    """'1100' before 'VNĐ' is a unit-less time '1' glued to the fee '100': shortest time prefix wins."""
    for cut in range(1, len(digits)):
        time_part, fee_part = digits[:cut], digits[cut:]
        if "," in time_part:
            return None
        if WELL_FORMED_AMOUNT.fullmatch(fee_part):
            return time_part, fee_part
    return None


def parse_channel_row(channel: str, body: str, context: Iterable[str]) -> tuple[ChannelRow, list[str]]:
    """Parse "<time cell><fee cell>(fee note)<description>" of one channel row."""
    notes: list[str] = []
    time = TimeLimit()
    rest = body
    glued = re.match(r"(\d[\d,]*)\s*" + CURRENCY_RE, rest)
    cell = CELL_TIME_RE.match(rest)
    if glued and not cell:
        split = _split_glued_number(glued.group(1))
        if split:
            time_digits, fee_digits = split
            rest = fee_digits + rest[len(glued.group(1)) :]
            time = TimeLimit(_number(time_digits), "", time_digits, False, "cell")
            notes.append(f"time '{time_digits}' glued to the fee, unit missing")
    elif cell:
        unit = CELL_UNITS.get(cell.group(2).lower(), "")
        time = TimeLimit(_number(cell.group(1)), unit, cell.group(0), False, "cell")
        if cell.group(2) == "Tháng":
            time = TimeLimit(_number(cell.group(1)), "", cell.group(0), False, "cell")
            notes.append(f"time in months ({cell.group(0)}): no such unit in the deadline rules")
        rest = rest[cell.end() :]
    elif rest.startswith(NO_INFO):
        rest = rest[len(NO_INFO) :]
    else:
        bare = re.match(r"(\d+(?:[.,]\d+)?)(?=Miễn phí|" + NO_INFO + ")", rest)
        if bare:
            time = TimeLimit(_number(bare.group(1)), "", bare.group(1), False, "cell")
            rest = rest[bare.end() :]
        else:
            fee_at = FEE_START_RE.search(rest)
            if fee_at and fee_at.start() > 0:
                words = clean(rest[: fee_at.start()])
                rest = rest[fee_at.start() :]
                # Words instead of a number: "Không quy định", "Không phải trả kết quả cho người nộp thuế",
                # "…phản hồi tự động…": no time limit, unless the words state one ("trong ngày").
                found = time_from_text(words)
                if found:
                    time = replace(found, source="cell")
                elif not re.search(r"\d", words):
                    time = TimeLimit(None, "none", words, False, "cell")
                else:
                    time = TimeLimit(None, "", words, False, "cell")
    # fee cell
    fee_problems: list[str] = []
    if rest.startswith("Miễn phí"):
        fee = Fee(0, "Miễn phí", PARSED)
        rest = rest[len("Miễn phí") :]
    elif rest.startswith(NO_INFO):
        fee = Fee(None, "", NOT_STATED)
        rest = rest[len(NO_INFO) :]
    else:
        amount = AMOUNT_RE.match(rest)
        if amount:
            digits = amount.group(1) + (("." + amount.group(2)) if amount.group(2) else "")
            rest = rest[amount.end() :]
            fee = _fee_from_amount(
                digits, amount.group(3), amount.group(0), _balanced_note(rest)[0], fee_problems
            )
        else:
            fee = Fee(None, "", UNPARSED)
            notes.append("fee cell not recognised")
    fee_note, rest = _balanced_note(rest)
    fee_note = clean(fee_note)
    if fee_note:
        fee = replace(fee, text=f"{fee.text} ({fee_note})" if fee.text else fee_note)
        if fee.amount_vnd == 0 and PROVINCE_FEE_RE.search(fee_note):
            # "Miễn phí (Theo quy định của Hội đồng nhân dân cấp tỉnh)": not free, the province sets it
            # (Law on Fees and Charges 97/2015/QH13 art. 21: provincial councils set many local fees).
            fee = replace(fee, amount_vnd=None, by_province=True)
    notes.extend(fee_problems)
    description = clean(rest)
    # time: unit-less numbers take their unit from the prose; no time at all → the prose may state one
    texts = [description, fee_note, *context]
    if time.value is not None and not time.unit and "months" not in " ".join(notes):
        found = _with_unit_from_text(time.value, texts)
        cutoff = next((CUTOFF_RE.search(text) for text in texts if CUTOFF_RE.search(text or "")), None)
        if found:
            time = replace(found, text=f"{time.text} ({found.text})")
        elif time.value <= 1 and cutoff:
            # "1" with the text's "received after 15:00 → next working day": the same-day rule.
            time = TimeLimit(Decimal(0), "same_day", f"{time.text} ({cutoff.group(0)})", True, "cell+text")
        elif time.value == 0:
            # "0" = nothing in the time column; the prose may still state the limit
            found = time_from_text(description) or time_from_text(fee_note)
            time = found or TimeLimit(None, "none", time.text, False, "cell")
        else:
            notes.append(f"time '{time.text}' has no unit and the text does not name one")
    elif time.value is None and not time.unit:
        # nothing in the time column: the description (or a note that swallowed it) may state the limit
        found = time_from_text(description) or time_from_text(fee_note)
        if found:
            time = found
    if time.unit == "calendar_days" and time.source == "cell" and time.value is not None:
        # The portal's bare "Ngày" is often a slip for working days; the row's own legal text decides.
        found = _with_unit_from_text(time.value, [description])
        if found and found.unit == "working_days":
            time = replace(found, text=f"{time.text} ({found.text})")
    row = ChannelRow(CHANNELS[channel], time, fee, description)
    return row, notes


def parse_channels(section: str, steps: str) -> tuple[list[ChannelRow], list[str]]:
    body = section.split(CHANNEL_HEADER, 1)[-1]
    starts = list(CHANNEL_START_RE.finditer(body))
    rows: list[ChannelRow] = []
    notes: list[str] = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        row, row_notes = parse_channel_row(match.group(1), body[match.end() : end], [steps])
        rows.append(row)
        notes.extend(f"{row.channel}: {note}" for note in row_notes)
    return rows, notes


def _primary_rows(rows: list[ChannelRow]) -> list[ChannelRow]:
    for channel in CHANNEL_PRIORITY:
        chosen = [row for row in rows if row.channel == channel]
        if chosen:
            return chosen
    return []


def procedure_time(rows: list[ChannelRow]) -> TimeLimit:
    """The procedure's reference time: the in-person rows (else online, else postal); among several rows of
    that channel (cases), the longest of the most common unit — the limit that holds for every case."""
    ordered = [row for channel in CHANNEL_PRIORITY for row in rows if row.channel == channel]
    for candidates in (_primary_rows(rows), ordered):
        known = [row.time for row in candidates if row.time.unit and row.time.unit != "none"]
        if known:
            units = [time.unit for time in known]
            unit = max(set(units), key=lambda u: (units.count(u), -units.index(u)))
            best = max((time for time in known if time.unit == unit), key=lambda time: time.value or 0)
            if best.unit == "same_day":
                # Decree 118/2025/NĐ-CP: a same-day dossier received after 15:00 is due the next working day.
                best = replace(best, cutoff_15h=True)
            return best
    stated = [row.time for row in rows if row.time.text]
    if all(time.unit == "none" for time in stated):
        return TimeLimit(None, "none", stated[0].text if stated else "", False, "cell")
    return TimeLimit(None, "", "; ".join(dict.fromkeys(time.text for time in stated)), False, "cell")


# ---- documents ------------------------------------------------------------------------------------

# A quantity cell is glued to the paper's name and followed by the next row (capital, list mark) or the end:
# "…theo Mẫu số 181 bản chính,1 bản saoGiấy tờ…". Quantities inside prose ("nộp 02 bản chính tờ khai") are
# preceded by a space or followed by prose, so they are not cells.
QUANTITY_RE = re.compile(
    r"(?<=[^ \n])(\d) bản (chính|sao)(?:,\s*(\d) bản (chính|sao))?"
    rf"(?=\s*$|[{UPPER}0-9(\-+*•–]|[a-zđ]\)|\.\s*[{UPPER}])"
)
NOTE_RE = re.compile(
    r"(Trường hợp|Đối với|Người|Cơ quan|Cá nhân|Lưu ý|Việc|Khi|Nếu|Trong|Ghi chú|Thời hạn|Thời gian|Riêng"
    r"|Ví dụ)\b"
)
INLINE_QUANTITY_RE = re.compile(r"(\d+)\s*bản\s*(chính|sao|chụp)", re.IGNORECASE)
FORM_RE = re.compile(r"\.(docx?|pdf|xlsx?|rtf|odt|zip)$", re.IGNORECASE)
FORM_EXT_RE = re.compile(r"\.(docx?|pdf|xlsx?|rtf|odt|zip)(?![a-z])", re.IGNORECASE)
GLUE_RE = re.compile(rf"(?<=[{LOWER}.;:)\]])(?=[{UPPER}0-9])")


def _split_form(cell: str) -> tuple[str, tuple[str, ...]]:
    """Separate the paper's name from the attached form file name(s) ("…theo mẫu.TK 1.001765.docx").

    The form column follows the name without a separator, so the first file name starts at a glue point
    (a lowercase letter or punctuation directly followed by a capital or digit) after the name's last
    sentence break; further file names follow each other ("Mẫu 1.docxMẫu 2.docx").
    """
    text = cell.rstrip()
    first = FORM_EXT_RE.search(text)
    if not first or not FORM_RE.search(text):
        return text, ()
    head = text[: first.end()]
    sentence_end = max(head.rfind(". "), head.rfind("; "), head.rfind(": "))
    candidates = [
        m.start()
        for m in GLUE_RE.finditer(head)
        if m.start() > sentence_end + 1
        and not (head[m.start() - 1] == "." and m.start() >= 2 and head[m.start() - 2].isdigit())
    ]
    if not candidates:
        return text, ()
    start = candidates[0]
    files = text[start:]
    forms = tuple(
        f.strip() for f in re.findall(r".+?\.(?:docx?|pdf|xlsx?|rtf|odt|zip)(?![a-z])", files) if f.strip()
    )
    return text[:start].rstrip(), forms


def _doc_name(text: str) -> str:
    text = clean(text)
    text = re.sub(r"^[\-+•*–]\s*", "", text)
    return text.strip()


def _group_label(text: str) -> str:
    """ "* Giấy tờ phải nộp:" → "Giấy tờ phải nộp"; "--" (no case) → ""."""
    return clean(text).strip("*-–•: ").strip()[:300]


def parse_documents(section: str) -> tuple[list[Document], list[str], list[str]]:
    """Rows of the documents table(s): (documents, notes, problems). A row with zero papers is a note."""
    parts = section.split(DOC_TABLE_HEADER)
    documents: list[Document] = []
    notes: list[str] = []
    problems: list[str] = []
    group = _group_label(parts[0])
    for part in parts[1:]:
        position = 0
        matches = list(QUANTITY_RE.finditer(part))
        for match in matches:
            cell = part[position : match.start()]
            position = match.end()
            counts = {"chính": 0, "sao": 0}
            counts[match.group(2)] += int(match.group(1))
            if match.group(3):
                counts[match.group(4)] += int(match.group(3))
            name, forms = _split_form(cell)
            name = _doc_name(name)
            if not name:
                continue
            if counts["chính"] + counts["sao"] == 0:
                # "0 bản chính" marks both explanatory notes (civil status) and papers whose number is
                # written in the name instead ("Tờ khai hải quan: 02 bản chính;0 bản chính").
                if NOTE_RE.match(name) or name.endswith(":"):
                    notes.append(name)
                    continue
                inline = INLINE_QUANTITY_RE.search(name)
                if inline:
                    kind = "chính" if inline.group(2) == "chính" else "sao"
                    counts[kind] = int(inline.group(1))
            documents.append(
                Document(name, forms[0] if forms else "", forms, counts["chính"], counts["sao"], group)
            )
        trailing = clean(part[position:])
        if not matches and trailing:
            problems.append(f"document rows without a quantity: {trailing[:80]}")
        group = _group_label(trailing)
    return documents, notes, problems


# ---- legal basis, results, agencies ---------------------------------------------------------------

# Document numbers: "123/2015/NĐ-CP", "60/2014/QH13", "66.7/2025/NQ-CP", "163/QĐ-BTP", "1685/QĐ-TTg".
# Title and number cells are glued ("…Luật 54/2014/QH1354/2014/QH13", "…NĐ-CPNghị định…"), hence the
# bounded number of digits and the trimming of a capital that starts the next cell.
LEGAL_NUMBER_RE = re.compile(
    r"(?:\d{1,3}(?:\.\d+)?/\d{4}|\d{1,5})/(?:TTg|[A-ZĐ]+)(?:(?<=QH)\d{2})?(?:-(?:TTg|[A-ZĐ]+)(?:(?<=QH)\d{2})?)*"
)


# Issuers that end a document number; a longer run of capitals is the number glued to the next title
# ("NĐ-CPLUẬT HÀNG KHÔNG…", "TT-BTCQuy định…").
ISSUERS = frozenset(
    {
        *("CP", "TTg", "TTG", "BTC", "NHNN", "BCA", "BNNMT", "BTP", "BGTVT", "BNNPTNT", "BXD", "BTNMT"),
        *("BLĐTBXH", "BKHĐT", "BQP", "UBND", "HĐND", "BYT", "BKHCN", "BNG", "BCT", "BNV", "BHXH", "VPCP"),
        *("BVHTTDL", "BGDĐT", "BTTTT", "TANDTC", "VKSNDTC", "UBTVQH", "QH", "UBDT", "BDT", "KTNN", "TCT"),
        *("TCHQ", "UBCKNN", "NĐ", "ND", "QĐ", "TT", "TTLT", "NQ", "NQLT", "PL", "CT", "VBHN", "HD", "TB"),
    }
)


def _trim_issuer(segment: str, following: str) -> str:
    core = segment.rstrip("0123456789")
    if core in ISSUERS:
        return segment
    for size in range(len(core) - 1, 0, -1):
        if core[:size] in ISSUERS:
            return core[:size]
    if len(core) > 1 and following and following in LOWER:
        return core[:-1]  # "NĐ-CQuy định…": a truncated issuer glued to the next title
    return segment


def _legal_numbers(body: str) -> Iterable[tuple[int, int, str]]:
    for match in LEGAL_NUMBER_RE.finditer(body):
        start = match.start()
        head, _, issuer = match.group(0).rpartition("/")
        segments = issuer.split("-")
        segments[-1] = _trim_issuer(segments[-1], body[match.end() : match.end() + 1])
        number = f"{head}/{'-'.join(segments)}"
        end = start + len(number)
        year_part = re.search(r"\d{1,2}/\d{1,2}/(\d{1,3})$", body[:start])
        if year_part:
            # "ngày 29/6/202443/2024/QH15": the date's year took the number's first digits
            skip = 4 - len(year_part.group(1))
            if number[:skip].isdigit() and number[skip : skip + 1].isdigit():
                number, start = number[skip:], start + skip
        yield start, end, number


def parse_legal(section: str) -> tuple[list[str], list[dict[str, str]]]:
    body = section.split(LEGAL_TABLE_HEADER, 1)[-1]
    numbers: list[str] = []
    documents: list[dict[str, str]] = []
    position = 0
    for start, end, number in _legal_numbers(body):
        title = clean(body[position:start])
        position = end
        if number in numbers:
            continue
        numbers.append(number)
        documents.append({"number": number, "title": title or number})
    return numbers, documents


RESULT_CODE_RE = re.compile(r"Mã:\s*KQ\.[\w.]+Từ khóa.*?Mô tả(?:" + NO_INFO + ")?", re.DOTALL)


def parse_result(section: str) -> list[str]:
    results: list[str] = []
    for chunk in RESULT_CODE_RE.split(section):
        name = clean(chunk)
        if name and name not in results:
            results.append(name[:500])
    return results


def split_outside_parens(text: str, sep: str = ",") -> list[str]:
    items: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == sep and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    return [clean(item) for item in items if clean(item)]


def parse_levels(text: str) -> list[str]:
    found = {LEVELS[part] for part in split_outside_parens(text) if part in LEVELS}
    return [level for level in LEVEL_ORDER if level in found]


# ---- the record -----------------------------------------------------------------------------------

TIME_WORDS_RE = re.compile(r"\d\s*(ngày|giờ|tháng)|trong ngày|15 giờ", re.IGNORECASE)


def parse_record(record: Mapping[str, Any]) -> ParsedProcedure:
    """Parse one catalogue record (the portal page as crawled)."""
    # The crawl mixes composed and decomposed Vietnamese letters ("ờ" vs "ơ" + U+0300): compose first.
    record = {k: unicodedata.normalize("NFC", v) if isinstance(v, str) else v for k, v in record.items()}
    sections = split_sections(record)
    parsed = ParsedProcedure(
        code=str(record.get("ma_thu_tuc") or "").strip(),
        name=clean(record.get("ten_thu_tuc")),
        levels=parse_levels(record.get("cap_thuc_hien") or ""),
        field=clean(record.get("linh_vuc")),
        kind=clean(record.get("loai_thu_tuc")),
        decision=clean(record.get("so_quyet_dinh")),
        target_groups=split_outside_parens(record.get("doi_tuong_thuc_hien") or ""),
        steps=clean(sections["steps"]),
        implementing_agency=clean(sections["agency"]),
        competent_agency=clean(record.get("co_quan_co_tham_quyen")),
        authorised_agency=clean(record.get("co_quan_duoc_uy_quyen")),
        coordinating_agency=clean(record.get("co_quan_phoi_hop")),
        address=clean(record.get("dia_chi_tiep_nhan")),
        conditions=clean(sections["conditions"]),
        text_code=text_code_of(record.get("raw_text") or ""),
    )
    if parsed.suspect_copy:
        parsed.problem(
            "code",
            f"page text names code {parsed.text_code}: a copy of another page filed under {parsed.code}",
            blocking=False,
        )
    if not parsed.levels:
        parsed.problem("levels", f"no level in '{record.get('cap_thuc_hien')}'")

    # channels, time, fee
    channel_text = sections["channels"]
    rows, row_notes = parse_channels(channel_text, sections["steps"])
    parsed.channels = rows
    cells = channel_text.split(CHANNEL_HEADER, 1)[-1]
    parsed.has_time_text = bool(TIME_WORDS_RE.search(cells))
    parsed.has_fee_text = any(row.fee.status != NOT_STATED for row in rows)
    parsed.time = procedure_time(rows)
    if not rows:
        parsed.problem("channels", "no channel row (Trực tiếp / Trực tuyến / Dịch vụ bưu chính) found")
    if not parsed.time.unit:
        reasons = [note for note in row_notes if "time" in note] or [f"time text '{parsed.time.text[:80]}'"]
        parsed.problem("time", "; ".join(dict.fromkeys(reasons)))
    primary = _primary_rows(rows)
    fees = [row.fee for row in primary if row.fee.status == PARSED] or [
        row.fee for row in rows if row.fee.status == PARSED
    ]
    if fees:
        parsed.fee = fees[0]
    elif any(row.fee.status == UNPARSED for row in rows):
        parsed.fee = Fee(None, "", UNPARSED)
        parsed.problem("fee", "fee cell not recognised")
    else:
        parsed.fee = Fee(None, "", NOT_STATED)
    for note in row_notes:
        if "read as" in note or "glued" in note:
            parsed.problem("fee" if "read as" in note else "time", note, blocking=False)

    # documents
    documents, doc_notes, doc_problems = parse_documents(sections["documents"])
    parsed.documents = documents
    parsed.document_notes = doc_notes
    parsed.has_documents_text = DOC_TABLE_HEADER in sections["documents"] and bool(
        re.search(r"\d bản (chính|sao)", sections["documents"])
    )
    if documents:
        parsed.documents_status = PARSED
    elif parsed.has_documents_text:
        parsed.documents_status = UNPARSED
        parsed.problem("documents", "; ".join(doc_problems) or "table present but no row with a paper count")
    else:
        parsed.documents_status = NOT_STATED

    parsed.legal_basis, parsed.legal_documents = parse_legal(sections["legal"])
    parsed.result = parse_result(sections["result"])
    return parsed


# ---- the curated file -----------------------------------------------------------------------------

TIERS = {"commune": ["commune"], "city": ["province"], "commune+city": ["commune", "province"]}
CURATED_SAME_DAY_RE = re.compile(r"same[- ]day|15:00", re.IGNORECASE)
CURATED_NOT_STATED_RE = re.compile(r"(portal: )?not (stated|verified)", re.IGNORECASE)
CURATED_UNIT_LOST_RE = re.compile(r"\d+ \(portal, unit not captured", re.IGNORECASE)
CURATED_PER_CHANNEL_RE = re.compile(r"in person|online|post\b", re.IGNORECASE)
CURATED_TIME_RE = re.compile(r"(\d+)\s*(working days?|days?|hours?)\b", re.IGNORECASE)


def curated_time(entry: Mapping[str, Any]) -> TimeLimit | None:
    """The curated processing time, or None where the curated file does not state one.

    Its text wins over its number: "same day; if received after 15:00, result on the next working day" is
    a same-day limit with the cut-off even where `working_days` says 1."""
    info = entry.get("processing_time") or {}
    text = str(info.get("text") or "")
    number = info.get("working_days")
    if CURATED_SAME_DAY_RE.search(text):
        # Decree 118/2025/NĐ-CP: received after 15:00 → result on the next working day.
        return TimeLimit(Decimal(0), "same_day", text, True, "curated")
    if CURATED_NOT_STATED_RE.match(text) and number is None:
        return None
    if CURATED_UNIT_LOST_RE.match(text):
        # "1 (portal, unit not captured). Procedure text: verification … within 03 working days": the
        # text's other figures are sub-steps; the curated number is the procedure's time.
        if number is None:
            return None
        return TimeLimit(Decimal(number), "working_days", text, False, "curated")
    match = CURATED_TIME_RE.search(text)
    if match:
        word = match.group(2).lower()
        value = Decimal(match.group(1))
        if word.startswith("working"):
            unit = "working_days"
        elif word.startswith("hour"):
            unit = "hours"
        else:
            unit = "calendar_days"
        return TimeLimit(value, unit, text, False, "curated")
    if number is not None:
        return TimeLimit(Decimal(number), "working_days", text, False, "curated")
    return None


def _supersede(parsed: ParsedProcedure, aspect: str) -> None:
    for problem in parsed.problems:
        if problem["field"] == aspect and problem["blocking"] == "yes":
            problem["blocking"] = "no"
            problem["reason"] += " (superseded by the curated file)"


def apply_curated(parsed: ParsedProcedure, entry: Mapping[str, Any]) -> ParsedProcedure:
    """Overlay the curated entry (hand-checked) on the values parsed from the page: time and fee."""
    time = curated_time(entry)
    if time is not None:
        parsed.time = time
        _supersede(parsed, "time")
        if not CURATED_PER_CHANNEL_RE.search(time.text):
            # one time for every channel: the rows must not contradict it (the one-stop shop reads the row
            # of the dossier's channel); per-channel curated texts mirror the portal rows, which stay
            parsed.channels = [replace(row, time=time) for row in parsed.channels]
    fee_vnd = entry.get("fee_vnd")
    if fee_vnd is not None:
        parsed.fee = Fee(int(fee_vnd), str(entry.get("fee_note") or parsed.fee.text), PARSED)
        _supersede(parsed, "fee")
    if not parsed.levels and entry.get("tier") in TIERS:
        parsed.levels = list(TIERS[entry["tier"]])
    return parsed


def parse_curated_only(entry: Mapping[str, Any]) -> ParsedProcedure:
    """A curated procedure absent from the catalogue: everything comes from the curated entry."""
    parsed = ParsedProcedure(
        code=str(entry["code"]),
        name=str(entry.get("name_vi") or ""),
        levels=list(TIERS.get(str(entry.get("tier")), [])),
        field=str(entry.get("field_vi") or ""),
        implementing_agency=str(entry.get("handling_agency") or ""),
        conditions=str(entry.get("conditions") or ""),
    )
    parsed.documents = [Document(str(doc), n_original=1) for doc in entry.get("required_documents") or []]
    parsed.documents_status = PARSED if parsed.documents else NOT_STATED
    parsed.legal_basis = [str(item) for item in entry.get("legal_basis") or []]
    parsed.legal_documents = [{"number": item, "title": item} for item in parsed.legal_basis]
    parsed.time = TimeLimit(None, "none", str((entry.get("processing_time") or {}).get("text") or ""))
    parsed = apply_curated(parsed, entry)
    if not parsed.time.unit:
        parsed.time = TimeLimit(None, "none", parsed.time.text)
    parsed.problem("source", "not in the national catalogue: taken from the curated file", blocking=False)
    return parsed


def sensitive_category(field_name: str, entry: Mapping[str, Any] | None) -> str:
    if entry and entry.get("sensitive_category"):
        return str(entry["sensitive_category"])
    return SENSITIVE_FIELDS.get(field_name, "")
