"""Reads for the assistant: the process-wide index over the receivable catalogue, and full answers."""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from pathlib import Path

import bm25s
from django.conf import settings

from twotier.procedures.models import Procedure

from .retrieval import Index, ProcedureDoc
from .text import VOCABULARY_PATH, load_vocabulary

_lock = threading.Lock()
_index: Index | None = None
_index_key: tuple | None = None

MAX_DOCUMENT_CHARS = 300


def _level(p: Procedure) -> str:
    for flag, level in (("at_commune", "commune"), ("at_province", "province"), ("at_ministry", "ministry")):
        if getattr(p, flag):
            return level
    return "other"


def catalogue_docs() -> list[ProcedureDoc]:
    """One document per receivable procedure (suspect copies excluded), in code order."""
    docs = []
    rows = Procedure.objects.receivable().select_related("current_version").order_by("code")
    for p in rows:
        v = p.current_version
        documents = tuple(str(d.get("name", ""))[:MAX_DOCUMENT_CHARS] for d in (v.documents if v else []))
        docs.append(
            ProcedureDoc(
                code=p.code,
                name=p.name,
                name_en=p.name_en,
                field=p.field,
                documents=documents,
                level=_level(p),
                curated=p.is_curated,
            )
        )
    return docs


def _catalogue_key() -> tuple:
    from django.db.models import Count, Max

    agg = Procedure.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    return (agg["n"], agg["at"])


def _cache_path(key: tuple) -> Path:
    """DATA_DIR/cache/assistant-<digest>.pickle; the digest covers the catalogue (row count, last
    change), the vocabulary file and the retrieval code, so any change rebuilds the index."""
    h = hashlib.sha256(repr(key).encode())
    for source in (
        VOCABULARY_PATH,
        Path(__file__).with_name("retrieval.py"),
        Path(__file__).with_name("text.py"),
    ):
        h.update(source.read_bytes())
    h.update(bm25s.__version__.encode())
    return Path(settings.DATA_DIR) / "cache" / f"assistant-{h.hexdigest()[:20]}.pickle"


def get_index(*, use_disk_cache: bool = True) -> Index:
    """The index for the loaded catalogue, built once per process and rebuilt when the catalogue changes.

    Building takes a few seconds (2,600 procedures with their documents); a pickled copy under
    DATA_DIR/cache, written by this process only, brings `twotier ask` start-up well under a second.
    """
    global _index, _index_key
    key = _catalogue_key()
    with _lock:
        if _index is not None and _index_key == key:
            return _index
        index = None
        path = _cache_path(key)
        if use_disk_cache and path.exists():
            try:
                with path.open("rb") as fh:
                    index = pickle.load(fh)
            except Exception:
                index = None
        if index is None:
            index = Index(catalogue_docs(), load_vocabulary())
            if use_disk_cache and index.docs:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.replace(path)
                for old in path.parent.glob("assistant-*.pickle"):
                    if old != path:
                        old.unlink(missing_ok=True)
        _index, _index_key = index, key
        return index


# ---- full answers ------------------------------------------------------------------------------

# Documents the state already holds: since Decree 104/2022/NĐ-CP (no household book) and the data-reuse
# rule of Decree 07/2025/NĐ-CP, identity, residence and civil-status papers are looked up in the
# National Population Database / e-civil-status database from the personal ID number instead of being
# brought on paper. Matched on folded document names.
STATE_HELD_MARKERS = (
    "can cuoc",
    "cccd",
    "chung minh nhan dan",
    "ho chieu",
    "so ho khau",
    "thong tin ve cu tru",
    "xac nhan cu tru",
    "giay khai sinh",
    "trich luc khai sinh",
    "tinh trang hon nhan",
    "giay to tuy than",
    "giay to tuy than",
)
PERSONAL_ID_DIGITS = 12


def state_holds(document_name: str) -> bool:
    from .text import words

    text = " ".join(words(document_name))
    return any(m in text for m in STATE_HELD_MARKERS)


def valid_personal_id(value: str) -> bool:
    return len(value) == PERSONAL_ID_DIGITS and value.isdigit()


def competent_unit(procedure: Procedure, resolution) -> dict | None:
    """Who handles the procedure for the citizen's commune: the apparatus' lead unit (and delegate) for
    the procedure's task when the registry has one, else the People's Committee of the commune for a
    commune-level procedure, else the province."""
    from django.utils import timezone

    from twotier.apparatus.authority import who_may_decide
    from twotier.apparatus.models import Task

    if resolution is None or not resolution.commune_code:
        return None
    unit = {
        "commune_code": resolution.commune_code,
        "commune_name": resolution.commune_name,
        "province_code": resolution.province_code,
        "province_name": resolution.province_name,
        "unit": "",
        "source": "",
    }
    task = Task.objects.filter(procedure_code=procedure.code).first()
    if task is not None:
        try:
            decision = who_may_decide(
                task, resolution.commune_code, timezone.localdate(), province_code=resolution.province_code
            )
        except Exception:  # the registry covers some provinces only; never fail an answer on it
            decision = None
        if decision is not None and decision.decided_by is not None:
            unit["unit"] = str(decision.decided_by)
            unit["source"] = "apparatus"
            return unit
    if procedure.at_commune:
        unit["unit"] = f"Ủy ban nhân dân {resolution.commune_name}"
        unit["source"] = "level"
    else:
        unit["unit"] = f"Cơ quan cấp tỉnh — {resolution.province_name}"
        unit["source"] = "level"
    return unit


def why(hit) -> list[str]:
    reasons = []
    for rule in hit.rules:
        if rule.kind == "english":
            reasons.append(f'"{rule.phrase}" → {rule.means}')
        else:
            reasons.append(f"«{rule.phrase}» = {rule.means}")
    if hit.matched:
        reasons.append("Trùng từ trong tên thủ tục: " + ", ".join(hit.matched))
    return reasons


def answer(
    question: str,
    *,
    top: int = 3,
    address: str = "",
    personal_id: str = "",
    prefer_commune: bool = True,
) -> dict:
    """The assistant's full answer: ranked procedures with what to bring, fee, time, channels, where."""
    from twotier.geography.services import get_resolver

    hits = get_index().search(question, top=top, prefer_commune=prefer_commune)
    resolution = get_resolver().resolve(address) if address.strip() else None
    has_id = valid_personal_id(personal_id.strip())
    procs = {
        p.code: p
        for p in Procedure.objects.filter(code__in=[h.code for h in hits]).select_related("current_version")
    }
    results = []
    for hit in hits:
        p = procs.get(hit.code)
        if p is None:
            continue
        v = p.current_version
        documents = [
            {
                "name": d.get("name", ""),
                "copies": d.get("copies"),
                "original_or_copy": d.get("original_or_copy", ""),
                "state_holds": bool(has_id and state_holds(d.get("name", ""))),
            }
            for d in (v.documents if v else [])
        ]
        channels = sorted({row.get("channel", "") for row in (v.channels if v else []) if row.get("channel")})
        results.append(
            {
                "code": p.code,
                "name": p.name,
                "name_en": p.name_en,
                "level": hit.level,
                "score": hit.score,
                "field": p.field,
                "url": p.get_absolute_url(),
                "documents": documents,
                "fee": v.fee if v else None,
                "time": v.time_limit if v else None,
                "channels": channels,
                "online": p.online_available,
                "competent_unit": competent_unit(p, resolution),
                "why": why(hit),
            }
        )
    return {
        "question": question,
        "address": resolution.as_dict() if resolution else None,
        "personal_id_given": has_id,
        "results": results,
    }


def queue_day_totals(start, end):
    """Per centre and day (start..end, both included), the queue statistics of all counter groups
    summed: issued, served, wait_seconds, service_seconds. Read by the evaluation rollup."""
    from django.db.models import Sum

    from .models import QueueDay

    return (
        QueueDay.objects.filter(day__gte=start, day__lte=end)
        .values("center_code", "day")
        .order_by("center_code", "day")
        .annotate(
            issued=Sum("issued"),
            served=Sum("served"),
            wait_seconds=Sum("wait_seconds"),
            service_seconds=Sum("service_seconds"),
        )
    )
