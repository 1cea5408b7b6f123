"""Lexical retrieval of procedures for a citizen's question (pure: no ORM, no network).

Two BM25 indexes (bm25s, Lucene variant) over folded syllables and syllable pairs:

* the *title* index — official name, English name and field: what the procedure *is*;
* the *body* index — the documents to bring: what the citizen *has* ("giấy chứng sinh", "sổ đỏ").

score = title + BODY_WEIGHT · body, then priors: commune-level procedures are preferred at a
commune kiosk (the citizen stands at the commune's one-stop counter, Decree 118/2025 art. 8), the
curated list of procedures citizens use most gets a small lift, and specialist sectors (customs, banks,
aviation ...) that a citizen at a commune kiosk almost never means get a small penalty. The question is
first expanded with the vocabulary (everyday → official terms, English → Vietnamese), so "sổ đỏ" also
searches "giấy chứng nhận quyền sử dụng đất".

Variants: the catalogue lists one procedure several times, once per level ("Cấp đổi thẻ căn cước",
"… (thực hiện tại cấp tỉnh)", "… (thực hiện tại cấp trung ương)"). They share a *variant key* (the
name without the level suffix); an answer shows one per key — the commune-level one at a commune kiosk —
so the three slots of an answer name three different procedures. Names that carry an action the citizen
must say to mean it ("cấp lại", "cấp đổi", "trình báo mất", "điều chỉnh" …) or an addressee that is not a
household ("đối với tổ chức", "nhà đầu tư", "chứng chỉ hành nghề") are gently penalised unless the
question (after the vocabulary) carries the same words.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import bm25s
import numpy as np

from twotier.core.text import fold

from .text import Rule, Vocabulary, marked_words, with_pairs, words

logging.getLogger("bm25s").setLevel(logging.WARNING)

BODY_WEIGHT = 0.25
BM25_K1, BM25_B = 1.2, 0.75
COMMUNE_PRIOR = 1.3
CURATED_PRIOR = 1.15
COVERAGE_FLOOR = 0.8
SPECIALIST_PRIOR = 0.8
# Sectors whose procedures are asked by banks, airlines, shipping lines, customs brokers, securities firms
# or professionals about their trade — not by a household at a commune's one-stop counter (folded field
# names of the national catalogue).
SPECIALIST_FIELDS = frozenset(
    fold(f)
    for f in [
        "Hải quan",
        "Hàng hải và đường thủy nội địa",
        "Thành lập và hoạt động ngân hàng",
        "Hàng không",
        "Chứng khoán",
        "Địa chất và khoáng sản",
        "Hoạt động ngoại hối",
        "Quản lý nợ",
        "Biển và hải đảo",
        "Kho bạc Nhà nước",
        "Hoạt động thanh toán",
        "Hoạt động tiền tệ",
        "Tài chính ngân hàng",
        "Định chế tài chính",
        "Hoạt động kho quỹ",
        "Hoạt động công nghệ thông tin ngân hàng",
        "Hoạt động tín dụng",
        "Hoạt động thông tin tín dụng",
        "Bảo đảm an ninh hàng không",
        "Đường sắt",
        "Bảo hiểm",
        "Kế toán, kiểm toán",
        "Trọng tài thương mại",
        "Hòa giải thương mại",
        "Quản tài viên",
        "Thừa phát lại",
        "Giám định tư pháp",
        "Khí tượng, thủy văn",
        "Biến đổi khí hậu",
        "Đầu tư từ Việt nam ra nước ngoài",
        "Đầu tư theo phương thức đối tác công tư",
        "sàn giao dịch các-bon trong nước",
        "Tổ chức, cán bộ",
        "Thi đua – Khen thưởng",
        "Đảm bảo an toàn thông tin, an ninh mạng",
        "Dữ liệu",
        # welfare of the police force's own staff and veterans (Ministry of Public Security), incl. its
        # health-insurance cards: the citizen's card is Vietnam Social Security's procedure
        "Chính sách",
    ]
)
# Words of official names that say nothing about which procedure it is.
GENERIC_WORDS = frozenset(
    [
        "thu",
        "tuc",
        "doi",
        "voi",
        "truong",
        "hop",
        "cua",
        "cho",
        "va",
        "cac",
        "theo",
        "quy",
        "dinh",
        "tai",
        "thuc",
        "hien",
        "cap",
        "xa",
        "tinh",
        "huyen",
        "nhan",
        "dan",
        "uy",
        "ban",
    ]
)
# Official names of variants that a citizen only means when they say so (foreign element, border area,
# mobile registration, re-registration ...): a gentle penalty unless the question brings the same words.
VARIANT_MARKERS = {
    ("dieu", "chinh", "quyet", "dinh"): 0.85,
    # actions a citizen names when they mean them ("nộp lại biển số" → thu hồi, "cắt khẩu" → xóa ...)
    ("thu", "hoi"): 0.8,
    ("xoa",): 0.85,
    ("cham", "dut"): 0.85,
    ("ky", "lai"): 0.85,
    ("giam", "sat"): 0.85,
    ("gia", "han"): 0.85,
    ("thoi",): 0.85,
    ("giao", "dich"): 0.85,
    # a vehicle's change of owner ("sang tên") is asked for as such: "mua xe mới" is a first registration
    ("thay", "doi", "chu", "xe"): 0.85,
    # one-stop bundles (birth + residence + health card for a child under 6): asked for by name only
    ("lien", "thong"): 0.8,
    ("yeu", "to", "nuoc", "ngoai"): 0.8,
    ("khu", "vuc", "bien", "gioi"): 0.8,
    ("luu", "dong"): 0.8,
    # social housing is asked for by name ("nhà ở xã hội", "căn hộ giá rẻ"): its name also says "tự xây
    # dựng hoặc cải tạo", words of every building-permit question
    ("nha", "o", "xa", "hoi"): 0.8,
    # forest land is asked for as such ("đất rừng"): a household's land-use change is not the forest's
    ("rung",): 0.8,
    # social-insurance cases a citizen names: a commune official's pension, moving one's pension to
    # another province
    ("can", "bo", "xa"): 0.8,
    ("chuyen", "huong"): 0.85,
    # addressees other than a household or a person
    ("doi", "voi", "to", "chuc"): 0.85,
    ("nha", "dau", "tu"): 0.85,
    ("chung", "chi", "hanh", "nghe"): 0.8,
    ("trung", "tam", "sat", "hach"): 0.8,
    # channel and origin qualifiers the citizen names when they mean them
    ("truc", "tuyen", "toan", "trinh"): 0.85,
    ("nhap", "khau"): 0.85,
    # the identity card for a child is asked for as such ("con 6 tuổi", "trẻ em"; an age in the question
    # adds these words, Law on Identity 2023 art. 19)
    ("duoi", "14", "tuoi"): 0.85,
    # criminal-record extracts and similar papers requested by a court, the prosecution or an agency,
    # not by the person concerned
    ("co", "quan", "tien", "hanh", "to", "tung"): 0.8,
    ("theo", "yeu", "cau", "cua", "co", "quan"): 0.85,
    # nationality procedures exist twice: in the country (province) and abroad (embassy, ministry)
    ("o", "nuoc", "ngoai"): 0.85,
    # a paper of a foreigner or of the police force's own staff ("Đổi giấy phép lái xe … của người nước
    # ngoài", "… Công an nhân dân"): the citizen says so when they mean it
    ("cua", "nguoi", "nuoc", "ngoai"): 0.85,
    ("cong", "an", "nhan", "dan"): 0.85,
}
# Markers said in other words: a foreigner's paper is meant by any foreign element the vocabulary derives
# ("người Hàn" → "có yếu tố nước ngoài").
VARIANT_SAID_AS = {("cua", "nguoi", "nuoc", "ngoai"): ("nuoc", "ngoai")}
# Addressees other than a household: no qualifier when the name also addresses households ("… lần đầu
# đối với hộ gia đình, cá nhân, cộng đồng dân cư, người gốc Việt Nam định cư ở nước ngoài" is the
# household's first certificate). "cá nhân" alone does not say it: "tổ chức, cá nhân trả thu nhập" is
# the employer.
ADDRESSEE_MARKERS = frozenset([("doi", "voi", "to", "chuc"), ("nha", "dau", "tu"), ("o", "nuoc", "ngoai")])
HOUSEHOLD_WORDS = (("ho", "gia", "dinh"),)
# Actions a procedure's name *starts* with ("Cấp lại …", "Cấp đổi …", "Trình báo mất …", "Đổi …"): the
# citizen who says only "làm căn cước" or "làm hộ chiếu" wants the first issue, not the re-issue, the
# exchange or the report of a loss. Checked at the start of the name only: folded "doi" is also "đối"
# in "đối với". The vocabulary adds these words for everyday wording ("bị mất" → "mất cấp lại",
# "hết hạn" → "cấp đổi").
ACTION_MARKERS = {
    ("cap", "lai"): 0.8,
    ("cap", "doi"): 0.8,
    ("doi",): 0.8,
    ("trinh", "bao", "mat"): 0.6,
    ("khoi", "phuc"): 0.8,
    ("dieu", "chinh"): 0.85,
    ("thay", "doi"): 0.85,
    ("cap", "dieu", "chinh"): 0.85,
    # a correction of a certificate already issued: the citizen says "sai", "sửa" (→ đính chính)
    ("dinh", "chinh"): 0.85,
    ("huy",): 0.85,
    ("tich", "hop"): 0.85,
    ("dang", "ky", "thay", "doi"): 0.85,
    ("thu", "thap"): 0.85,
}
# The reverse: an action the citizen *says* ("xóa thế chấp", "gia hạn tạm trú", "đăng ký lại") that a
# procedure's name does not carry makes that procedure a less likely answer.
SAID_ACTIONS = {
    ("xoa",): 0.8,
    ("gia", "han"): 0.8,
    ("cham", "dut"): 0.8,
    ("thu", "hoi"): 0.8,
    ("dang", "ky", "lai"): 0.8,
    ("cap", "lai"): 0.8,
}
# Two-fact questions ("Mẹ tôi mất rồi, đã có trích lục khai tử, giờ muốn cắt tên bà khỏi hộ khẩu"): the
# citizen states the background first and the request after a verb of asking ("muốn", "xin", "làm sao",
# "cần", "want to", "how do I"). The request clause is searched once more and added with this weight, so
# the procedure asked for outranks the one already done.
REQUEST_MARKER = re.compile(
    r"(?:^|[\s,;.])(muốn|muon|xin|làm sao|lam sao|làm thế nào|lam the nao|cần|want to|would like to"
    r"|how do i|how can i|need to|can i)\b",
    re.IGNORECASE,
)
REQUEST_WEIGHT = 0.5
# A purpose clause ("… để xây nhà") keeps half its weight: the question is searched with and without it
# and the two scores averaged (dropping it outright lost "trả hết để xóa nợ", where the purpose is the
# request).
PURPOSE_WEIGHT = 0.5
NEGATIONS = frozenset(["khong", "chua", "ko", "hong", "k"])
# ... only when the background tells of something already done or happened (a death, a wedding, "đã …
# xong"): otherwise the words before the verb of asking are part of the request itself.
DONE_MARKER = re.compile(
    r"(?<!\w)(đã|xong|rồi|mất|qua đời|cưới|da|xong|roi|died|passed away|married|after)(?!\w)", re.IGNORECASE
)
# "đổi" (exchange) written with its diacritics, or a plain-ASCII "doi" not followed by "với" (folded
# "doi" is also "đối" in "đối với"), or the English "exchange": the citizen holds the paper and wants it
# exchanged (Law on Identity 2023 art. 24, Circular 35/2024/TT-BGTVT on driving licences), not issued a
# first time — the exchange procedure's own marker counts as said and names without "đổi" are lowered.
_EXCHANGE_SAID = re.compile(r"(?<!\w)đổi(?!\w)|\bexchang", re.IGNORECASE)
_EXCHANGE_SAID_ASCII = re.compile(r"\bdoi\b(?!\s+voi)", re.IGNORECASE)
EXCHANGE_PENALTY = 0.8
# A paper that is wrong ("ghi sai ngày sinh", "sai tên", "bị nhầm", "wrong name"): the citizen wants it
# corrected, so names that correct, change or adjust ("cải chính", "đính chính", "điều chỉnh", "thay đổi",
# "bổ sung thông tin") are kept and the others — the first issue of the same paper, whose words the
# question shares — lowered. Applied to the whole catalogue before the candidates are cut, as a
# correction's name is often short and far down the raw BM25 order.
CORRECTION_WORDS = (
    ("cai", "chinh"),
    ("dinh", "chinh"),
    ("dieu", "chinh"),
    ("thay", "doi"),
    ("sai", "sot"),
    ("bo", "sung"),
)
CORRECTION_PENALTY = 0.7
_WRONG_SAID = re.compile(r"\b(?:wrong|incorrect|mistake|misspel\w*|error|typo)\b", re.IGNORECASE)


def says_wrong(content: list[str], added: list[str], question: str) -> bool:
    """Does the citizen say that a paper is wrong? "sai" (not "Sài Gòn", not an official's "làm sai"),
    "nhầm", the English words, or a correction the vocabulary derived from their words."""
    for i, w in enumerate(content):
        nxt = content[i + 1] if i + 1 < len(content) else ""
        prev = content[i - 1] if i else ""
        if (w == "sai" and nxt != "gon" and prev != "lam") or w == "nham":
            return True
    if any(_contains(added, m) for m in (("cai", "chinh"), ("dinh", "chinh"))):
        return True
    return bool(_WRONG_SAID.search(question))


# Two steps asked in order ("làm giấy báo tử và sau đó xóa hộ khẩu, trước hết phải làm gì?", "… then …,
# what comes first?"): the request is the first step.
FIRST_STEP = re.compile(
    r"(?<!\w)(trước hết|trước tiên|đầu tiên|truoc het|truoc tien|dau tien|first)(?!\w)", re.IGNORECASE
)
THEN_MARKER = re.compile(
    r"(?:,|\s)\s*(?:và\s+|va\s+|and\s+)?(?:sau đó|rồi mới|sau do|roi moi|then|after that)\b", re.IGNORECASE
)


def first_step(question: str) -> str:
    """Of a request in two steps asked in order, the first step; else ""."""
    first = FIRST_STEP.search(question)
    if not first:
        return ""
    m = REQUEST_MARKER.search(question)
    start = m.start(1) if m and m.start(1) < first.start() else 0
    then = THEN_MARKER.search(question, start)
    if not then or then.start() > first.start():
        return ""
    clause = question[start : then.start()]
    return clause if len(clause.split()) >= 3 else ""


def request_clause(question: str) -> str:
    """The part of a question after its first verb of asking when a background comes before it (the
    first step of a request in two steps), else ""."""
    step = first_step(question)
    if step:
        return step
    m = REQUEST_MARKER.search(question)
    if not m or len(question[: m.start(1)].split()) < 2 or not DONE_MARKER.search(question[: m.start(1)]):
        return ""
    clause = question[m.start(1) :]
    return clause if len(clause.split()) >= 3 else ""


# A purpose clause after the request ("muốn chuyển lên đất ở *để xây nhà*", "xin giấy xác nhận khuyết tật
# *để được hưởng chế độ*", "bản sao giấy kết hôn *để nộp hồ sơ*"): what the citizen will do with the
# paper is mostly another procedure's words, so it counts half (PURPOSE_WEIGHT). Only "để" written with
# its diacritics (folded "de" is also "đẻ", "đề", "dễ"), not "để lại" (left behind), and only after a
# request of three words or more that does not end on a question word: in "cần giấy tờ gì để làm căn
# cước" or "làm sao để …" the words after "để" are the request itself. The clause runs to the next "thì"
# or punctuation.
_PURPOSE = re.compile(r"(?<!\w)để(?!\w)(?!\s+lại\b)[^,.;:?!]*?(?=\s+thì\b|[,.;:?!]|$)", re.IGNORECASE)
_ASKING_BEFORE = frozenset(["gi", "sao", "nao", "can", "phai", "cach", "the", "lam", "tuc", "so", "to", "de"])


def without_purpose(question: str) -> str:
    m = _PURPOSE.search(question)
    if not m:
        return question
    before = words(question[: m.start()])
    if len(before) < 3 or before[-1] in _ASKING_BEFORE:
        return question
    return question[: m.start()] + question[m.end() :]


def says_exchange(question: str) -> bool:
    if _EXCHANGE_SAID.search(question):
        return True
    return question.isascii() and bool(_EXCHANGE_SAID_ASCII.search(question))


_LEVEL_SUFFIX = re.compile(
    r"\((?:thuc hien )?(?:tai |o )?cap (?:xa|huyen|tinh|trung uong)[^)]*\)|\(thuc hien[^)]*\)"
)


def variant_key(name: str) -> str:
    """The name without its level suffix and the leading "Thủ tục": one key per procedure whatever the
    level it is published for ("Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)" → "cap lai the can cuoc")."""
    toks = words(_LEVEL_SUFFIX.sub(" ", fold(name)))
    if toks[:2] == ["thu", "tuc"]:
        toks = toks[2:]
    return " ".join(toks)


@dataclass(frozen=True)
class ProcedureDoc:
    code: str
    name: str
    name_en: str = ""
    field: str = ""
    documents: tuple[str, ...] = ()
    level: str = ""  # "commune" | "province" | "ministry" | "other" — the lowest level it is done at
    curated: bool = False


@dataclass
class Hit:
    code: str
    name: str
    level: str
    score: float
    matched: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


# Abbreviations the catalogue's official names use; the question side spells them out through the
# vocabulary ("bhyt" → bảo hiểm y tế), so names are indexed with both forms.
NAME_ABBREVIATIONS = {
    "bhyt": "bao hiem y te",
    "bhxh": "bao hiem xa hoi",
    "bhtn": "bao hiem that nghiep",
    "bhtnld": "bao hiem tai nan lao dong",
    "tnld": "tai nan lao dong",
    "bnn": "benh nghe nghiep",
    "tncn": "thu nhap ca nhan",
    "tndn": "thu nhap doanh nghiep",
    "gtgt": "gia tri gia tang",
    "tnhh": "trach nhiem huu han",
    "kcb": "kham chua benh",
    "dsphsk": "duong suc phuc hoi suc khoe",
}


def name_words(name: str) -> list[str]:
    out: list[str] = []
    for w in words(name):
        out.append(w)
        if w in NAME_ABBREVIATIONS:
            out.extend(NAME_ABBREVIATIONS[w].split())
    return out


def _title_tokens(doc: ProcedureDoc) -> list[str]:
    toks = with_pairs(name_words(doc.name))
    if doc.name_en:
        toks += words(doc.name_en)
    toks += with_pairs(words(doc.field))
    return toks


def _body_tokens(doc: ProcedureDoc) -> list[str]:
    toks: list[str] = []
    for d in doc.documents:
        toks += with_pairs(words(d))
    return toks


class Index:
    """Built once per process (see `querysets.get_index`); `search` is read-only and thread-safe."""

    def __init__(self, docs: list[ProcedureDoc], vocabulary: Vocabulary):
        self.docs = docs
        self.vocabulary = vocabulary
        self.title = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        self.title.index([_title_tokens(d) or [""] for d in docs], show_progress=False)
        self.body = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        self.body.index([_body_tokens(d) or [""] for d in docs], show_progress=False)
        self.commune = np.array([d.level == "commune" for d in docs])
        self.curated = np.array([d.curated for d in docs])
        self.specialist = np.array([fold(d.field) in SPECIALIST_FIELDS for d in docs])
        self.corrects = np.array([any(_contains(words(d.name), m) for m in CORRECTION_WORDS) for d in docs])
        self._key = [variant_key(d.name) for d in docs]
        self._name_seq = [name_words(d.name) for d in docs]
        self._actions: list[list[tuple[str, ...]]] = []
        for d in docs:
            name = words(d.name)
            if name[:2] == ["thu", "tuc"]:
                name = name[2:]
            self._actions.append([m for m in ACTION_MARKERS if tuple(name[: len(m)]) == m])
        self.variant = np.ones(len(docs), dtype=np.float32)
        self._variant_of: list[list[tuple[str, ...]]] = []
        for _i, d in enumerate(docs):
            name = qualifier_words(d.name)
            marks = [m for m in VARIANT_MARKERS if _contains(name, m)]
            if any(_contains(name, h) for h in HOUSEHOLD_WORDS):
                marks = [m for m in marks if m not in ADDRESSEE_MARKERS]
            self._variant_of.append(marks)
        # Typos: a question word the catalogue never uses is replaced by a catalogue word one edit away
        # (deletion neighbourhoods, as in SymSpell): "khai sinhh" → "sinh", "tam chu" stays (both known).
        known = {w for d in docs for w in name_words(d.name) + words(d.field)}
        known |= {w for key in (*vocabulary.everyday, *vocabulary.english) for w in key}
        self._known = frozenset(known)
        # a word of the documents to bring is a real word too ("điện thoại", "email"): left as written,
        # not "corrected" into a catalogue word one letter away ("thoai" → "hoai")
        self._real = self._known | {w for d in docs for doc in d.documents for w in words(doc)}
        self._deletes: dict[str, str] = {}
        for w in sorted(known):
            for variant in _deletions(w):
                self._deletes.setdefault(variant, w)
        self._name_words = [set(name_words(d.name)) - GENERIC_WORDS for d in docs]
        self._title_words = [set(words(d.name)) | set(words(d.name_en)) for d in docs]

    def correct(self, word: str) -> str:
        if word in self._real or len(word) < 4 or word.isdigit():
            return word
        if word in self._deletes:
            return self._deletes[word]
        for variant in _deletions(word):
            if variant in self._known:
                return variant
            if variant in self._deletes:
                return self._deletes[variant]
        return word

    def query_tokens(self, question: str) -> tuple[list[str], list[str], list[Rule]]:
        toks, added, rules = self.vocabulary.expand(question, fix=self.correct)
        content = self.vocabulary.content(toks)
        # A negated phrase the vocabulary knows ("không có lương hưu" → trợ cấp hưu trí xã hội): what the
        # citizen does *not* have is not what they ask for, so its words leave the question; the
        # official term stands for the phrase.
        for r in rules:
            phrase = words(r.phrase)
            if phrase and phrase[0] in NEGATIONS:
                for w in phrase[1:]:
                    if w in content:
                        content.remove(w)
        return content, added, rules

    def search(self, question: str, top: int = 5, *, prefer_commune: bool = True) -> list[Hit]:
        content, added, rules = self.query_tokens(question)
        q = with_pairs(content) + with_pairs(added)
        if not q:
            return []
        scores = self.title.get_scores(q) + BODY_WEIGHT * self.body.get_scores(q)
        main = without_purpose(question)
        if main != question:
            m_content, m_added, _ = self.query_tokens(main)
            mq = with_pairs(m_content) + with_pairs(m_added)
            if mq:
                scores = PURPOSE_WEIGHT * scores + (1 - PURPOSE_WEIGHT) * (
                    self.title.get_scores(mq) + BODY_WEIGHT * self.body.get_scores(mq)
                )
        clause = request_clause(question)
        if clause:
            c_content, c_added, _ = self.query_tokens(clause)
            cq = with_pairs(c_content) + with_pairs(c_added)
            if cq:
                scores = scores + REQUEST_WEIGHT * (
                    self.title.get_scores(cq) + BODY_WEIGHT * self.body.get_scores(cq)
                )
        if prefer_commune:
            scores = scores * np.where(self.commune, COMMUNE_PRIOR, 1.0)
        scores = scores * np.where(self.curated, CURATED_PRIOR, 1.0)
        scores = scores * np.where(self.specialist, SPECIALIST_PRIOR, 1.0)
        if says_wrong(content, added, question):
            scores = scores * np.where(self.corrects, 1.0, CORRECTION_PENALTY)
        qset = set(content) | set(added)
        step = first_step(question)
        if step:  # the actions said of the later step are not asked for yet
            content_s, added_s, _ = self.query_tokens(step)
        else:
            content_s, added_s = content, added
        said = [a for a in SAID_ACTIONS if _contains(content_s, a) or _contains(added_s, a)]
        exchange = says_exchange(question)
        n = min(len(self.docs), max(top * 4, 20))
        order = np.argsort(-scores, kind="stable")[:n]
        adjusted = []
        for i in order:
            s = float(scores[i])
            if s <= 0:
                continue
            for m in self._variant_of[i]:
                # said as a phrase, in the question or in what the vocabulary added ("ở" and
                # "nước ngoài" apart do not say "ở nước ngoài")
                phrase = VARIANT_SAID_AS.get(m, m)
                if not (_contains(content, phrase) or _contains(added, phrase)):
                    s *= VARIANT_MARKERS[m]
            for m in self._actions[i]:
                if not (set(m) <= qset or (exchange and m in (("cap", "doi"), ("doi",)))):
                    s *= ACTION_MARKERS[m]
            if exchange and "doi" not in self._name_seq[i]:
                s *= EXCHANGE_PENALTY
            for a in said:
                if not _contains(self._name_seq[i], a):
                    s *= SAID_ACTIONS[a]
            # Names differ by their qualifiers ("đăng ký *lại* khai sinh", "cấp *đổi*"): among close
            # candidates, the one whose name the question covers best wins.
            name_words = self._name_words[i]
            if name_words:
                s *= COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * len(name_words & qset) / len(name_words)
            adjusted.append((s, int(i)))
        adjusted.sort(key=lambda t: (-t[0], t[1]))
        # One answer per procedure: the best-placed variant's slot goes to the commune-level variant when
        # there is one among the candidates (prefer_commune), else to the best-scored variant.
        chosen: list[tuple[float, int]] = []
        seen: set[str] = set()
        for s, i in adjusted:
            key = self._key[i]
            if key in seen:
                continue
            seen.add(key)
            if prefer_commune and not self.commune[i]:
                local = [(s2, j) for s2, j in adjusted if self._key[j] == key and self.commune[j]]
                if local:
                    s, i = s, local[0][1]
            chosen.append((s, i))
            if len(chosen) == top:
                break
        hits = []
        for s, i in chosen:
            d = self.docs[i]
            matched = sorted(self._title_words[i] & qset)
            hits.append(
                Hit(code=d.code, name=d.name, level=d.level, score=round(s, 4), matched=matched, rules=rules)
            )
        return hits


def qualifier_words(name: str) -> list[str]:
    """The folded words of a name where its qualifiers are looked for: the first case only of a name that
    lists several cases after semicolons ("Giao đất …; giao đất và giao rừng; … gia hạn sử dụng đất"
    also answers the household's change of land-use purpose: the later cases are alternatives, not
    qualifiers of the first), and "thời" (time, "thời hạn") kept apart from "thôi" (to cease), which fold
    alike."""
    head = name.split(";", 1)[0]
    plain, marked = words(head), marked_words(head)
    if len(plain) != len(marked):
        return plain
    return [w if w != "thoi" or m == _THOI else "thoi_" for w, m in zip(plain, marked, strict=True)]


_THOI = marked_words("thôi")[0]


def _deletions(word: str) -> list[str]:
    """The word with one letter deleted, in order of position (a list, not a set: the first known
    variant wins, and a set's order changes with each process's string hashing)."""
    if len(word) < 3:
        return []
    return list(dict.fromkeys(word[:i] + word[i + 1 :] for i in range(len(word))))


def _contains(seq: list[str], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(tuple(seq[i : i + n]) == sub for i in range(len(seq) - n + 1))
