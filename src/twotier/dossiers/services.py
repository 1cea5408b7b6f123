"""Every write to a dossier: atomic, actor recorded in an append-only event, notifications after commit.

Concurrency: every state change carries the `version` the actor was shown (`seen_version`). The change
is one guarded UPDATE (`WHERE version = seen_version`), the first statement of its transaction: on
PostgreSQL a concurrent writer waits for the row lock and then finds the version moved; on SQLite the
write lock is taken at once (no read snapshot to upgrade). A stale version raises `StaleDossier`
(HTTP 409) and writes nothing. Permission checks run before the transaction starts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from twotier.core.errors import Conflict, DomainError
from twotier.core.scoping import scope_of

from . import notifications, routing
from .calendar import working_calendar
from .deadlines import LimitUnit, resume_after_supplement, to_local
from .deadlines import due_at as compute_due_at
from .models import (
    ApologyLetter,
    Complaint,
    Document,
    Dossier,
    DossierEvent,
    DossierEventKind,
    FeedbackChannel,
    Payment,
    PaymentMethod,
    Rating,
    ReceiptSequence,
    SupplementRequest,
)
from .states import (
    FINAL,
    LEAD,
    OPEN,
    PROCESS,
    RATEABLE,
    RECEIVE,
    DossierChannel,
    DossierStatus,
    Move,
    Side,
    move_for,
    side_allows,
)

STALE_MESSAGE = gettext_noop("Hồ sơ đã được người khác cập nhật, vui lòng tải lại")  # translated where raised
CHANNEL_NAMES = {
    DossierChannel.IN_PERSON: "in_person",
    DossierChannel.ONLINE: "online",
    DossierChannel.POSTAL: "postal",
}


class StaleDossier(Conflict):
    """The dossier changed since the actor saw it (HTTP 409)."""

    def __init__(self, pk: int | None = None):
        super().__init__(_(STALE_MESSAGE))
        self.pk = pk


class TransitionNotAllowed(Conflict):
    def __init__(self, source: int, target: int):
        super().__init__(
            _("Không thể chuyển hồ sơ từ “%(a)s” sang “%(b)s”.")
            % {"a": DossierStatus(source).label, "b": DossierStatus(target).label}
        )
        self.source, self.target = source, target


class SupplementAlreadyRequested(DomainError):
    """Decree 118/2025: one consolidated supplement request per dossier."""


# ---- who may act -------------------------------------------------------------------------------


def _profile_unit(actor) -> str:
    return getattr(getattr(actor, "staff_profile", None), "unit_code", "") or ""


def sides_of(actor, dossier: Dossier) -> tuple[bool, bool]:
    """(on the receiving side, on the competent side) for `actor`.

    A commune official acts for their commune's centre and units; city staff (province scope) act for
    city-level centres and units of their province. An account with a unit code set acts on the
    competent side only for that unit (or for the commune's People's Committee, code = commune code).
    """
    scope = scope_of(actor)
    if scope.everything:
        return True, True
    on_receiving = dossier.receiving_commune_code in scope.commune_codes or (
        dossier.receiving_commune_code == "" and dossier.province_code in scope.province_codes
    )
    if dossier.status == DossierStatus.SUBMITTED and not on_receiving and actor.has_perm(RECEIVE):
        # phi địa giới (Decree 118/2025/NĐ-CP: receipt regardless of administrative boundaries): an
        # online filing waiting for receipt may be received at any centre of its province
        profile_province = getattr(getattr(actor, "staff_profile", None), "province_code", "")
        on_receiving = dossier.province_code in scope.province_codes or (
            bool(scope.commune_codes) and profile_province == dossier.province_code
        )
    on_competent = (
        dossier.competent_commune_code != "" and dossier.competent_commune_code in scope.commune_codes
    ) or (dossier.competent_commune_code == "" and dossier.province_code in scope.province_codes)
    unit_code = _profile_unit(actor)
    if on_competent and unit_code and not unit_code.endswith("-pasc"):
        competent_code = dossier.competent_unit.code if dossier.competent_unit_id else ""
        on_competent = unit_code in {competent_code, dossier.competent_commune_code}
    return on_receiving, on_competent


def may_move(actor, dossier: Dossier, target: int) -> bool:
    move = move_for(dossier.status, target)
    return move is not None and _may(actor, dossier, move)


def _may(actor, dossier: Dossier, move: Move) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if not any(actor.has_perm(p) for p in move.permissions):
        return False
    on_receiving, on_competent = sides_of(actor, dossier)
    return side_allows(move.side, on_receiving=on_receiving, on_competent=on_competent)


def allowed_targets(actor, dossier: Dossier) -> list[tuple[int, Move]]:
    """The moves `actor` may make on `dossier` now (for the buttons and the API)."""
    result = []
    for target in sorted(DossierStatus):
        move = move_for(dossier.status, target)
        if move is not None and _may(actor, dossier, move):
            result.append((int(target), move))
    return result


# ---- the one move service ----------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    """Event data keeps instants in Asia/Ho_Chi_Minh, as officials read them."""
    return to_local(moment).isoformat() if moment is not None else None


def _event_row(
    dossier: Dossier, kind: str, *, actor, note: str = "", data: Mapping[str, Any] | None = None
) -> DossierEvent:
    return DossierEvent(
        dossier=dossier,
        province_code=dossier.province_code,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        note=note,
        data=dict(data or {}),
    )


def _event(dossier: Dossier, kind: str, *, actor, note: str = "", data: Mapping[str, Any] | None = None):
    row = _event_row(dossier, kind, actor=actor, note=note, data=data)
    row.save(force_insert=True)
    return row


def _guarded_update(dossier: Dossier, seen_version: int, changes: Mapping[str, Any]) -> None:
    updated = Dossier.objects.filter(pk=dossier.pk, version=seen_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise StaleDossier(dossier.pk)
    dossier.refresh_from_db()


def move_dossier(
    dossier: Dossier,
    target: int,
    *,
    actor,
    seen_version: int,
    note: str = "",
    changes: Mapping[str, Any] | None = None,
    event_kind: str = DossierEventKind.STATUS_CHANGED,
    event_data: Mapping[str, Any] | None = None,
    after=None,
    _via: str | None = None,
) -> Dossier:
    """Move `dossier` to `target` (TRANSITIONS, roles table in states.MOVES).

    Raises StaleDossier (409) when `seen_version` is not the current version, TransitionNotAllowed (409)
    for a move the table does not have, PermissionDenied when the actor lacks the role or stands on
    the wrong side, DomainError when the move carries data and must go through its named wrapper.
    Writes one event with the actor; `after(dossier)` runs inside the same transaction.
    """
    target = DossierStatus(int(target))
    if int(seen_version) != dossier.version:
        raise StaleDossier(dossier.pk)
    move = move_for(dossier.status, target)
    if move is None:
        raise TransitionNotAllowed(dossier.status, target)
    if move.wrapper is not None and move.wrapper != _via:
        raise DomainError(_("Bước này cần thêm thông tin: dùng chức năng %(name)s.") % {"name": move.wrapper})
    if not _may(actor, dossier, move):
        raise PermissionDenied(_("Không có quyền thực hiện bước này với hồ sơ."))
    now = timezone.now()
    fields: dict[str, Any] = {"status": int(target), **(changes or {})}
    if target == DossierStatus.PROCESSING and dossier.assignee_id is None and actor.has_perm(PROCESS):
        fields.setdefault("assignee", actor)
    if target == DossierStatus.COMPLETED:
        fields.setdefault("completed_at", now)
    if target == DossierStatus.RETURNED:
        fields.setdefault("returned_at", now)
    if target in FINAL:
        fields.setdefault("closed_at", now)
    source = dossier.status
    with transaction.atomic():
        _guarded_update(dossier, seen_version, fields)
        _event(
            dossier,
            event_kind,
            actor=actor,
            note=note,
            data={"from": source, "to": int(target), **(event_data or {})},
        )
        if target == DossierStatus.COMPLETED:
            notifications.queue(dossier, "result_ready")
        if after is not None:
            after(dossier)
    return dossier


def _require(actor, *perms: str) -> None:
    if actor is None or not any(actor.has_perm(p) for p in perms):
        raise PermissionDenied(_("Không có quyền thực hiện thao tác này."))


def _bump(dossier: Dossier, *, actor, seen_version: int, side: Side, perms: Sequence[str]) -> None:
    """Checks shared by the actions that change a dossier without moving it."""
    if int(seen_version) != dossier.version:
        raise StaleDossier(dossier.pk)
    _require(actor, *perms)
    on_receiving, on_competent = sides_of(actor, dossier)
    if not side_allows(side, on_receiving=on_receiving, on_competent=on_competent):
        raise PermissionDenied(_("Không có quyền thực hiện thao tác này với hồ sơ."))


# ---- receipt -----------------------------------------------------------------------------------


@dataclass
class ApplicantInput:
    name: str
    id_number: str = ""
    birth_date: date | None = None
    phone: str = ""
    email: str = ""


@dataclass
class DocumentInput:
    kind: str
    is_scanned: bool = False
    reused_from_registry: str = ""
    registry_reference: str = ""
    file: File | None = None


@dataclass
class ReceiptInput:
    procedure_code: str
    applicant: ApplicantInput
    address: str = ""
    commune_code: str = ""  # the officer's pick for a split/ambiguous address
    level: str = ""
    documents: list[DocumentInput] = field(default_factory=list)
    is_digitised: bool = False
    channel: int = DossierChannel.IN_PERSON


def _validate_applicant(applicant: ApplicantInput) -> None:
    if not applicant.name.strip():
        raise DomainError(_("Chưa nhập họ và tên người nộp hồ sơ."))
    number = applicant.id_number.strip()
    if number and (len(number) != 12 or not number.isdigit()):
        raise DomainError(_("Số định danh cá nhân gồm 12 chữ số."))


def _procedure(code: str):
    """The receivable procedure with its current version (cached per process briefly: refcache)."""
    from . import refcache

    return refcache.cached(("procedure", code), lambda: _load_procedure(code))


def _load_procedure(code: str):
    from twotier.procedures.models import Procedure

    heavy = (
        "raw_text",
        "raw_record",
        "curated_entry",
        "steps",
        "legal_documents",
        "parse_problems",
        "conditions",
    )
    procedure = (
        Procedure.objects.receivable()
        .select_related("current_version")
        .defer(*(f"current_version__{name}" for name in heavy))
        .filter(code=code)
        .first()
    )
    if procedure is None or procedure.current_version is None:
        raise DomainError(_("Không có thủ tục mã %(code)s để tiếp nhận.") % {"code": code})
    return procedure


def _limit(version, channel: int):
    value = version.time_for_channel(CHANNEL_NAMES[DossierChannel(channel)])
    return routing.time_limit_of(value.get("value"), value.get("unit") or "")


def next_receipt_code(prefix: str, day: date) -> str:
    """`<prefix>-<yymmdd>-<5-digit sequence>`, e.g. `26734-260213-00042`: the receiving centre's commune
    code (the province code for a city centre), the receipt date, the centre's sequence of that day.

    Race-free: one UPDATE … RETURNING on the (prefix, day) counter row inside the caller's transaction
    (the row lock on PostgreSQL, the database write lock on SQLite); the first receipt of a day
    inserts the row, and a concurrent first insert loses on the unique constraint and retries.
    """
    table = ReceiptSequence._meta.db_table
    sql = f"UPDATE {table} SET last = last + 1 WHERE prefix = %s AND day = %s RETURNING last"
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, day])
        row = cursor.fetchone()
        if row is None:
            from django.db import IntegrityError

            try:
                with transaction.atomic():
                    ReceiptSequence.objects.create(prefix=prefix, day=day, last=1)
                number = 1
            except IntegrityError:
                cursor.execute(sql, [prefix, day])
                number = cursor.fetchone()[0]
        else:
            number = row[0]
    return f"{prefix}-{day:%y%m%d}-{number:05d}"


def _documents(dossier: Dossier, documents: Iterable[DocumentInput], actor) -> list[Document]:
    rows = []
    for doc in documents:
        if not doc.kind.strip():
            continue
        row = Document(
            dossier=dossier,
            province_code=dossier.province_code,
            kind=doc.kind.strip()[:500],
            is_scanned=doc.is_scanned or doc.file is not None,
            reused_from_registry=doc.reused_from_registry,
            registry_reference=doc.registry_reference,
            added_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if doc.file is not None:
            row.file.save(getattr(doc.file, "name", "document"), doc.file, save=False)
        rows.append(row)
    Document.objects.bulk_create(rows)
    return rows


def _applicant_and_routing(data, place, centre, route) -> dict[str, Any]:
    """The fields a counter receipt and an online submission fill alike: who applies, where, who handles."""
    return {
        "applicant_name": data.applicant.name.strip(),
        "applicant_id_number": data.applicant.id_number.strip(),
        "applicant_birth_date": data.applicant.birth_date,
        "applicant_phone": data.applicant.phone.strip(),
        "applicant_email": data.applicant.email.strip(),
        "address_text": data.address.strip()[:300],
        "address_status": place.status,
        "address_commune_code": place.commune_code,
        "receiving_unit": centre,
        "competent_unit": route.unit,
        "province_code": centre.province_code,
        "receiving_commune_code": centre.commune_code,
        "competent_commune_code": route.unit.commune_code,
    }


def receive_dossier(
    data: ReceiptInput, *, actor, received_at: datetime | None = None, within_transaction=None
) -> Dossier:
    """Receive a dossier at the actor's centre (phi địa giới: any centre of the province).

    Finds the applicant's commune from the address, the competent unit (routing), the due time from
    the procedure version's time limit, allocates the receipt code; writes the dossier, its documents,
    the `received` event (and `transferred` when the centre's commune is not the competent one) and
    queues the receipt notification after commit. `within_transaction(dossier)`, if given, runs last inside
    the same transaction (the API stores its idempotent answer and the access-audit row there).
    Raises PermissionDenied, DomainError (bad input, no competent unit), AddressNeedsChoice.
    """
    from . import addresses, refcache

    _require(actor, RECEIVE)
    _validate_applicant(data.applicant)
    refcache.revalidate()  # a reorganization committed by another worker process is seen now
    received_at = received_at or timezone.now()
    today = to_local(received_at).date()
    centre = routing.centre_of_staff(actor, today)
    procedure = _procedure(data.procedure_code)
    level = data.level or routing.default_level(procedure)
    if level not in routing.levels_of(procedure):
        raise DomainError(_("Thủ tục không thực hiện ở cấp đã chọn."))
    place = addresses.resolve(data.address, commune_code=data.commune_code)
    if place.province_code != centre.province_code:
        raise DomainError(_("Địa chỉ không thuộc tỉnh/thành phố của trung tâm tiếp nhận."))
    route = routing.competent_unit(
        procedure.code,
        level=level,
        province_code=centre.province_code,
        commune_code=place.commune_code,
        on=today,
    )
    version = procedure.current_version
    limit = _limit(version, data.channel)
    due = compute_due_at(received_at, limit, working_calendar())
    prefix = centre.commune_code or centre.province_code
    with transaction.atomic():
        dossier = Dossier(
            status=DossierStatus.RECEIVED,
            channel=data.channel,
            procedure=procedure,
            procedure_version=version,
            level=level,
            limit_amount=limit.amount if limit else None,
            limit_unit=limit.unit.value if limit else "",
            **_applicant_and_routing(data, place, centre, route),
            received_by=actor,
            submitted_at=received_at,
            received_at=received_at,
            due_at=due,
            is_digitised=data.is_digitised,
            fee_vnd=version.fee_amount_vnd,
        )
        dossier.receipt_code = next_receipt_code(prefix, today)
        dossier.save(force_insert=True)
        _documents(dossier, data.documents, actor)
        reused = [
            {"kind": d.kind, "registry": d.reused_from_registry, "reference": d.registry_reference}
            for d in data.documents
            if d.reused_from_registry
        ]
        # One INSERT for the receipt's events (received, reused items, transfer), in this order.
        events = [
            _event_row(
                dossier,
                DossierEventKind.RECEIVED,
                actor=actor,
                data={
                    "to": int(DossierStatus.RECEIVED),
                    "centre": centre.code,
                    "procedure_version": version.number,
                    "due_at": _iso(due),
                },
            )
        ]
        if reused:
            events.append(
                _event_row(dossier, DossierEventKind.REGISTRY_REUSED, actor=actor, data={"items": reused})
            )
        if route.unit.commune_code != centre.commune_code or route.unit.commune_code == "":
            events.append(
                _event_row(
                    dossier,
                    DossierEventKind.TRANSFERRED,
                    actor=actor,
                    data={
                        "from_unit": centre.code,
                        "to_unit": route.unit.code,
                        "delegation": route.delegation_id,
                    },
                )
            )
        DossierEvent.objects.bulk_create(events)
        notifications.queue(dossier, "received")
        if within_transaction is not None:
            within_transaction(dossier)
    return dossier


def submit_online(data: ReceiptInput, *, submitted_at: datetime | None = None) -> Dossier:
    """A citizen's online filing (status 1): filed at the centre of the applicant's commune, where it
    waits; any centre of the province may receive it (receive_online: phi địa giới).

    The competent unit is found now (so the centre knows where it will go); receipt (1 → 2) computes
    the due time. No actor: the citizen is anonymous on the portal; the event records the channel.
    """
    from . import addresses, refcache

    _validate_applicant(data.applicant)
    refcache.revalidate()  # a reorganization committed by another worker process is seen now
    submitted_at = submitted_at or timezone.now()
    today = to_local(submitted_at).date()
    procedure = _procedure(data.procedure_code)
    level = data.level or routing.default_level(procedure)
    if level not in routing.levels_of(procedure):
        raise DomainError(_("Thủ tục không thực hiện ở cấp đã chọn."))
    place = addresses.resolve(data.address, commune_code=data.commune_code)
    centre = routing.receiving_centre(place.commune_code, today)
    route = routing.competent_unit(
        procedure.code,
        level=level,
        province_code=centre.province_code,
        commune_code=place.commune_code,
        on=today,
    )
    version = procedure.current_version
    with transaction.atomic():
        dossier = Dossier(
            status=DossierStatus.SUBMITTED,
            channel=DossierChannel.ONLINE,
            procedure=procedure,
            procedure_version=version,
            level=level,
            **_applicant_and_routing(data, place, centre, route),
            submitted_at=submitted_at,
            is_digitised=True,
            fee_vnd=version.fee_amount_vnd,
        )
        dossier.receipt_code = next_receipt_code(centre.commune_code or centre.province_code, today)
        dossier.save(force_insert=True)
        _documents(dossier, data.documents, None)
        _event(
            dossier,
            DossierEventKind.SUBMITTED,
            actor=None,
            data={
                "to": int(DossierStatus.SUBMITTED),
                "channel": "online",
                "procedure_version": version.number,
            },
        )
        notifications.queue(dossier, "submitted")
    return dossier


def receive_online(
    dossier: Dossier, *, actor, seen_version: int, received_at: datetime | None = None
) -> Dossier:
    """Receipt of an online filing by a centre officer (1 → 2): the clock starts now.

    Any centre of the province may receive it (phi địa giới): the receiving centre becomes the
    officer's own; the receipt code drawn at submission stays. Officers without a centre of that
    province (city staff) receive it for the centre it was filed at.
    """
    received_at = received_at or timezone.now()
    limit = _limit(dossier.procedure_version, dossier.channel)
    due = compute_due_at(received_at, limit, working_calendar())
    changes: dict[str, Any] = {
        "received_at": received_at,
        "received_by": actor,
        "due_at": due,
        "limit_amount": limit.amount if limit else None,
        "limit_unit": limit.unit.value if limit else "",
    }
    event_data: dict[str, Any] = {"due_at": _iso(due), "channel": "online"}
    try:
        centre = routing.centre_of_staff(actor, to_local(received_at).date())
    except routing.NoReceivingCentre:
        centre = None
    if centre is not None and centre.province_code == dossier.province_code:
        changes.update(receiving_unit=centre, receiving_commune_code=centre.commune_code)
        event_data["centre"] = centre.code
        if centre.pk != dossier.receiving_unit_id:
            event_data["filed_at_centre"] = dossier.receiving_unit.code
    return move_dossier(
        dossier,
        DossierStatus.RECEIVED,
        actor=actor,
        seen_version=seen_version,
        changes=changes,
        event_kind=DossierEventKind.RECEIVED,
        event_data=event_data,
        after=lambda d: notifications.queue(d, "received"),
        _via="receive_online",
    )


def refuse_receipt(dossier: Dossier, *, actor, seen_version: int, reasons: Sequence[str]) -> Dossier:
    """Refusal of receipt with reasons (Form 03): 1 → 3."""
    reasons = [r.strip() for r in reasons if r and r.strip()]
    if not reasons:
        raise DomainError(_("Phải nêu lý do từ chối tiếp nhận."))
    return move_dossier(
        dossier,
        DossierStatus.NOT_ACCEPTED,
        actor=actor,
        seen_version=seen_version,
        note="; ".join(reasons),
        event_data={"reasons": reasons},
        after=lambda d: notifications.queue(d, "not_accepted", {"reasons": reasons}),
        _via="refuse_receipt",
    )


# ---- processing --------------------------------------------------------------------------------


def request_supplement(
    dossier: Dossier,
    *,
    actor,
    seen_version: int,
    items: Sequence[str],
    reason: str,
    override_reason: str = "",
    now: datetime | None = None,
) -> Dossier:
    """The one consolidated supplement request (Form 02): 2|4 → 5, the clock stops.

    A second request is refused (SupplementAlreadyRequested) unless a unit leader gives a written
    reason; it then counts the dossier as overdue in evaluation (Decision 766/QĐ-TTg) and is logged.
    """
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise DomainError(_("Phải liệt kê đầy đủ giấy tờ cần bổ sung trong một lần."))
    if not reason.strip():
        raise DomainError(_("Phải nêu lý do yêu cầu bổ sung."))
    override_reason = override_reason.strip()
    second = dossier.supplement_count >= 1
    if second and not override_reason:
        raise SupplementAlreadyRequested(
            _(
                "Hồ sơ đã được yêu cầu bổ sung một lần; chỉ được yêu cầu bổ sung một lần duy nhất. "
                "Lần thứ hai cần lãnh đạo đơn vị cho phép và ghi rõ lý do (hồ sơ sẽ bị tính là quá hạn)."
            )
        )
    if second and not actor.has_perm(LEAD):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị được cho phép yêu cầu bổ sung lần thứ hai."))
    if not second and override_reason:
        override_reason = ""
    now = now or timezone.now()
    number = dossier.supplement_count + 1
    due_before = dossier.due_at

    def after(d: Dossier) -> None:
        SupplementRequest.objects.create(
            dossier=d,
            province_code=d.province_code,
            number=number,
            items=items,
            reason=reason.strip(),
            requested_at=now,
            requested_by=actor,
            override_reason=override_reason,
            due_before=due_before,
        )
        if second:
            _event(
                d,
                DossierEventKind.SUPPLEMENT_OVERRIDE,
                actor=actor,
                note=override_reason,
                data={"number": number},
            )
        notifications.queue(d, "supplement_requested", {"items": items, "reason": reason.strip()})

    changes: dict[str, Any] = {"paused_at": now, "supplement_count": F("supplement_count") + 1}
    if second:
        changes["counts_as_overdue"] = True
    return move_dossier(
        dossier,
        DossierStatus.AWAITING_SUPPLEMENT,
        actor=actor,
        seen_version=seen_version,
        note=reason.strip(),
        changes=changes,
        event_kind=DossierEventKind.SUPPLEMENT_REQUESTED,
        event_data={"items": items, "number": number, "override": second},
        after=after,
        _via="request_supplement",
    )


def complete_supplement(
    dossier: Dossier,
    *,
    actor,
    seen_version: int,
    completed_at: datetime | None = None,
    documents: Sequence[DocumentInput] = (),
) -> Dossier:
    """The citizen completed the dossier (5 → 4): the clock restarts with the r working days that were
    left at the request (deadlines.resume_after_supplement, DOMAIN.md "Pause")."""
    completed_at = completed_at or timezone.now()
    request = dossier.supplement_requests.filter(completed_at__isnull=True).order_by("-number").first()
    if request is None:
        raise DomainError(_("Không có yêu cầu bổ sung đang chờ."))
    unit = LimitUnit(dossier.limit_unit) if dossier.limit_unit else LimitUnit.WORKING_DAYS
    new_due = resume_after_supplement(
        dossier.due_at, request.requested_at, completed_at, working_calendar(), unit=unit
    )

    def after(d: Dossier) -> None:
        SupplementRequest.objects.filter(pk=request.pk).update(completed_at=completed_at, due_after=new_due)
        _documents(d, documents, actor)

    return move_dossier(
        dossier,
        DossierStatus.PROCESSING,
        actor=actor,
        seen_version=seen_version,
        changes={
            "due_at": new_due,
            "paused_at": None,
            "due_soon_flagged_at": None,
            "overdue_flagged_at": None,
        },
        event_kind=DossierEventKind.SUPPLEMENT_COMPLETED,
        event_data={
            "due_before": _iso(dossier.due_at),
            "due_after": _iso(new_due),
        },
        after=after,
        _via="complete_supplement",
    )


def request_payment(
    dossier: Dossier, *, actor, seen_version: int, amount_vnd: int, note: str = ""
) -> Dossier:
    """Ask the citizen to pay fees or financial obligations (4 → 6)."""
    if amount_vnd is None or int(amount_vnd) < 0:
        raise DomainError(_("Số tiền không hợp lệ."))
    return move_dossier(
        dossier,
        DossierStatus.AWAITING_PAYMENT,
        actor=actor,
        seen_version=seen_version,
        note=note,
        changes={"fee_vnd": int(amount_vnd)},
        event_kind=DossierEventKind.PAYMENT_REQUESTED,
        event_data={"amount_vnd": int(amount_vnd)},
        _via="request_payment",
    )


def record_payment(
    dossier: Dossier,
    *,
    actor,
    seen_version: int,
    amount_vnd: int,
    method: str,
    paid_at: datetime | None = None,
    reference: str = "",
) -> Dossier:
    """Record a payment (amount, online | counter, paid_at). From status 6 it resumes processing (→ 4);
    otherwise (a fee paid at receipt) it only records the payment."""
    if method not in PaymentMethod.values:
        raise DomainError(_("Hình thức nộp tiền không hợp lệ."))
    if amount_vnd is None or int(amount_vnd) < 0:
        raise DomainError(_("Số tiền không hợp lệ."))
    paid_at = paid_at or timezone.now()
    data = {"amount_vnd": int(amount_vnd), "method": method, "paid_at": _iso(paid_at), "reference": reference}

    def after(d: Dossier) -> None:
        Payment.objects.create(
            dossier=d,
            province_code=d.province_code,
            amount_vnd=int(amount_vnd),
            method=method,
            paid_at=paid_at,
            reference=reference[:80],
            recorded_by=actor,
        )

    if dossier.status == DossierStatus.AWAITING_PAYMENT:
        return move_dossier(
            dossier,
            DossierStatus.PROCESSING,
            actor=actor,
            seen_version=seen_version,
            event_kind=DossierEventKind.PAYMENT_RECORDED,
            event_data=data,
            after=after,
            _via="record_payment",
        )
    if dossier.status not in OPEN:
        raise DomainError(_("Hồ sơ đã kết thúc, không ghi nhận thanh toán."))
    _bump(dossier, actor=actor, seen_version=seen_version, side=Side.EITHER, perms=[RECEIVE, PROCESS])
    with transaction.atomic():
        _guarded_update(dossier, seen_version, {})
        _event(dossier, DossierEventKind.PAYMENT_RECORDED, actor=actor, data=data)
        after(dossier)
    return dossier


def stop_processing(dossier: Dossier, *, actor, seen_version: int, reason: str) -> Dossier:
    """Stop processing with a notice (Form 05): leader only."""
    if not reason.strip():
        raise DomainError(_("Phải nêu lý do dừng xử lý."))
    return move_dossier(
        dossier,
        DossierStatus.STOPPED,
        actor=actor,
        seen_version=seen_version,
        note=reason.strip(),
        _via="stop_processing",
    )


def withdraw(dossier: Dossier, *, actor, seen_version: int, reason: str = "") -> Dossier:
    """The citizen withdraws the dossier (recorded by a receptionist or the handling unit)."""
    return move_dossier(
        dossier,
        DossierStatus.WITHDRAWN,
        actor=actor,
        seen_version=seen_version,
        note=reason.strip(),
        _via="withdraw",
    )


def issue_apology(
    dossier: Dossier,
    *,
    actor,
    seen_version: int,
    reason: str,
    new_due_at: datetime,
    now: datetime | None = None,
) -> ApologyLetter:
    """Apology letter with a new appointment (Form 04). Sets `rescheduled_due_at`; `due_at` never changes.

    Raises DomainError for a closed dossier, a dossier with no due time or a new date not after it.
    """
    now = now or timezone.now()
    if dossier.status not in OPEN:
        raise DomainError(_("Chỉ xin lỗi, hẹn lại với hồ sơ đang giải quyết."))
    if dossier.due_at is None:
        raise DomainError(_("Thủ tục không quy định thời hạn: không cần hẹn lại."))
    if not reason.strip():
        raise DomainError(_("Phải nêu lý do chậm giải quyết."))
    if new_due_at <= max(now, dossier.due_at):
        raise DomainError(_("Ngày hẹn lại phải sau thời hạn trả kết quả."))
    _bump(dossier, actor=actor, seen_version=seen_version, side=Side.COMPETENT, perms=[PROCESS])
    with transaction.atomic():
        _guarded_update(dossier, seen_version, {"rescheduled_due_at": new_due_at})
        letter = ApologyLetter.objects.create(
            dossier=dossier,
            province_code=dossier.province_code,
            reason=reason.strip(),
            new_due_at=new_due_at,
            issued_at=now,
            issued_by=actor,
            before_due=now < dossier.due_at,
        )
        _event(
            dossier,
            DossierEventKind.APOLOGY_ISSUED,
            actor=actor,
            note=reason.strip(),
            data={"new_due_at": _iso(new_due_at), "before_due": letter.before_due},
        )
        notifications.queue(
            dossier,
            "apology_issued",
            {"reason": reason.strip(), "new_due": timezone.localtime(new_due_at).strftime("%H:%M %d/%m/%Y")},
        )
    return letter


def assign_dossier(dossier: Dossier, *, actor, seen_version: int, assignee) -> Dossier:
    """Give the dossier to a specialist of the competent unit (a leader), or take it (a specialist)."""
    if assignee != actor:
        _require(actor, LEAD)
    _bump(dossier, actor=actor, seen_version=seen_version, side=Side.COMPETENT, perms=[PROCESS])
    if not assignee.has_perm(PROCESS) or not sides_of(assignee, dossier)[1]:
        raise DomainError(_("Người được giao không thuộc đơn vị giải quyết hồ sơ."))
    with transaction.atomic():
        _guarded_update(dossier, seen_version, {"assignee": assignee})
        _event(dossier, DossierEventKind.ASSIGNED, actor=actor, data={"assignee": assignee.get_username()})
    return dossier


def record_registry_reuse(
    dossier: Dossier, *, actor, seen_version: int, kind: str, registry: str, reference: str
) -> Document:
    """Record a paper the state already holds, taken from a registry instead of asking the citizen
    (once-only principle): a document marked with its registry and an event."""
    if registry not in ("population", "land", "business"):
        raise DomainError(_("Cơ sở dữ liệu không hợp lệ."))
    if dossier.status not in OPEN | {DossierStatus.SUBMITTED}:
        raise DomainError(_("Hồ sơ đã kết thúc."))
    _bump(dossier, actor=actor, seen_version=seen_version, side=Side.EITHER, perms=[RECEIVE, PROCESS])
    with transaction.atomic():
        _guarded_update(dossier, seen_version, {})
        (document,) = _documents(
            dossier, [DocumentInput(kind, reused_from_registry=registry, registry_reference=reference)], actor
        )
        _event(
            dossier,
            DossierEventKind.REGISTRY_REUSED,
            actor=actor,
            data={"items": [{"kind": kind, "registry": registry, "reference": reference}]},
        )
    return document


# ---- citizens' feedback ------------------------------------------------------------------------


def rate_service(
    dossier: Dossier, *, score: int, comment: str = "", channel: str = FeedbackChannel.WEB
) -> Rating:
    """The citizen's rating after the result (once). Raises DomainError / Conflict."""
    if dossier.status not in RATEABLE:
        raise DomainError(_("Chỉ đánh giá sau khi hồ sơ có kết quả."))
    if not 1 <= int(score) <= 5:
        raise DomainError(_("Mức đánh giá từ 1 đến 5."))
    if channel not in FeedbackChannel.values:
        raise DomainError(_("Kênh đánh giá không hợp lệ."))
    with transaction.atomic():
        if Rating.objects.filter(dossier=dossier).exists():
            raise Conflict(_("Hồ sơ này đã được đánh giá."))
        rating = Rating.objects.create(
            dossier=dossier,
            province_code=dossier.province_code,
            score=int(score),
            comment=comment[:2000],
            channel=channel,
        )
        _event(dossier, DossierEventKind.RATED, actor=None, data={"score": int(score), "channel": channel})
    return rating


def file_complaint(dossier: Dossier, *, text: str, channel: str = FeedbackChannel.WEB) -> Complaint:
    if dossier.status not in RATEABLE:
        raise DomainError(_("Chỉ gửi phản ánh sau khi hồ sơ có kết quả."))
    if not text.strip():
        raise DomainError(_("Chưa nhập nội dung phản ánh."))
    if channel not in FeedbackChannel.values:
        raise DomainError(_("Kênh phản ánh không hợp lệ."))
    with transaction.atomic():
        complaint = Complaint.objects.create(
            dossier=dossier, province_code=dossier.province_code, text=text.strip()[:5000], channel=channel
        )
        _event(dossier, DossierEventKind.COMPLAINED, actor=None, data={"channel": channel})
    return complaint


# ---- reorganizations (apparatus hook) ------------------------------------------------------------


def count_open_dossiers(unit_codes: Iterable[str], on: date) -> int:
    return Dossier.objects.filter(status__in=OPEN, competent_unit__code__in=list(unit_codes)).count()


def move_open_dossiers(mapping: Mapping[str, str | None], on: date, actor, reorganization_id: int) -> int:
    """Move the open dossiers of dissolved units to their successors, one event on each.

    Runs inside the reorganization's transaction. An abolished unit with open dossiers and no
    successor makes the reorganization fail (Conflict): dossiers are never orphaned.
    """
    from twotier.apparatus.models import Unit

    from . import refcache

    refcache.clear()  # this process at once; the others at their next receipt (ReferenceVersion)
    moved = 0
    for old_code, new_code in mapping.items():
        open_rows = Dossier.objects.filter(
            status__in=OPEN | {DossierStatus.SUBMITTED}, competent_unit__code=old_code
        )
        if new_code is None:
            if open_rows.exists():
                raise Conflict(
                    _("Đơn vị %(code)s còn %(n)d hồ sơ đang giải quyết: phải chỉ định đơn vị kế thừa.")
                    % {"code": old_code, "n": open_rows.count()}
                )
            continue
        successor = Unit.objects.get(code=new_code)
        for dossier in open_rows.select_for_update():
            Dossier.objects.filter(pk=dossier.pk).update(
                competent_unit=successor,
                competent_commune_code=successor.commune_code,
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            _event(
                dossier,
                DossierEventKind.REORGANIZED,
                actor=actor,
                data={
                    "from_unit": old_code,
                    "to_unit": new_code,
                    "reorganization": reorganization_id,
                    "on": on.isoformat(),
                },
            )
            moved += 1
    return moved
