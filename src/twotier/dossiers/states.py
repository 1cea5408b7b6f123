"""The dossier lifecycle as data: status codes, the transition table and who may make each move.

Pure: no database access (only Django's choice types and lazy translations). The status codes are
those of the provincial systems and the national portal (DOMAIN.md, "Dossier status codes"; Decree
118/2025/NĐ-CP, Circular 03/2025/TT-VPCP); "overdue" is derived from the times, never a status.

Who may move a dossier is decided by two things, both in `MOVES`:
- a permission (held through the role groups of `twotier.core.roles.ROLE_PERMISSIONS`):
  `dossiers.receive_dossier` (PASC receptionists), `dossiers.process_dossier` (specialists and unit
  leaders), `dossiers.lead_dossier` (unit leaders: stop processing, second supplement request);
- a side: the receiving centre's staff act on the counter steps (receipt, refusal, returning the
  result), the competent unit's staff on the processing steps; "either" accepts both.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.IntegerChoices):
    SUBMITTED = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    NOT_ACCEPTED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    AWAITING_SUPPLEMENT = 5, _("Yêu cầu bổ sung giấy tờ")
    AWAITING_PAYMENT = 6, _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    COMPLETED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


class DossierChannel(models.IntegerChoices):
    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Dịch vụ bưu chính")


S = DossierStatus

# Dossiers still in the hands of the administration (the deadline clock matters for these).
OPEN: Final = frozenset({S.RECEIVED, S.PROCESSING, S.AWAITING_SUPPLEMENT, S.AWAITING_PAYMENT})
# The clock runs (a supplement request stops it: Decree 118/2025 art. on supplements; DOMAIN.md "Pause").
CLOCK_RUNNING: Final = frozenset({S.RECEIVED, S.PROCESSING, S.AWAITING_PAYMENT})
FINAL: Final = frozenset({S.NOT_ACCEPTED, S.WITHDRAWN, S.STOPPED, S.RETURNED})
# Statuses after which the citizen may rate the service and complain (the result exists).
RATEABLE: Final = frozenset({S.COMPLETED, S.RETURNED})

RECEIVE: Final = "dossiers.receive_dossier"
PROCESS: Final = "dossiers.process_dossier"
LEAD: Final = "dossiers.lead_dossier"


class Side(enum.StrEnum):
    RECEIVING = "receiving"  # staff of the receiving centre's commune
    COMPETENT = "competent"  # staff of the competent unit (its commune, or the city for city units)
    EITHER = "either"


@dataclass(frozen=True)
class Move:
    """One allowed transition: any of `permissions`, acting from `side`; `wrapper` names the service
    that must be used because the move carries data (None: plain `move_dossier`)."""

    permissions: frozenset[str]
    side: Side
    label: str
    wrapper: str | None = None


def _move(perms: set[str], side: Side, label: str, wrapper: str | None = None) -> Move:
    return Move(frozenset(perms), side, label, wrapper)


STAFF_ANY: Final = {RECEIVE, PROCESS}

MOVES: Final[Mapping[tuple[int, int], Move]] = {
    # online filing waiting at a centre
    (S.SUBMITTED, S.RECEIVED): _move({RECEIVE}, Side.RECEIVING, _("Tiếp nhận"), "receive_online"),
    (S.SUBMITTED, S.NOT_ACCEPTED): _move({RECEIVE}, Side.RECEIVING, _("Từ chối tiếp nhận"), "refuse_receipt"),
    (S.SUBMITTED, S.WITHDRAWN): _move(STAFF_ANY, Side.EITHER, _("Rút hồ sơ"), "withdraw"),
    # received: the competent unit starts
    (S.RECEIVED, S.PROCESSING): _move({PROCESS}, Side.COMPETENT, _("Bắt đầu xử lý")),
    (S.RECEIVED, S.AWAITING_SUPPLEMENT): _move(
        {PROCESS}, Side.COMPETENT, _("Yêu cầu bổ sung"), "request_supplement"
    ),
    (S.RECEIVED, S.WITHDRAWN): _move(STAFF_ANY, Side.EITHER, _("Rút hồ sơ"), "withdraw"),
    (S.RECEIVED, S.STOPPED): _move({LEAD}, Side.COMPETENT, _("Dừng xử lý"), "stop_processing"),
    # processing
    (S.PROCESSING, S.AWAITING_SUPPLEMENT): _move(
        {PROCESS}, Side.COMPETENT, _("Yêu cầu bổ sung"), "request_supplement"
    ),
    (S.PROCESSING, S.AWAITING_PAYMENT): _move(
        {PROCESS}, Side.COMPETENT, _("Yêu cầu nộp nghĩa vụ tài chính"), "request_payment"
    ),
    (S.PROCESSING, S.COMPLETED): _move({PROCESS}, Side.COMPETENT, _("Hoàn thành xử lý")),
    (S.PROCESSING, S.WITHDRAWN): _move(STAFF_ANY, Side.EITHER, _("Rút hồ sơ"), "withdraw"),
    (S.PROCESSING, S.STOPPED): _move({LEAD}, Side.COMPETENT, _("Dừng xử lý"), "stop_processing"),
    # waiting for the citizen
    (S.AWAITING_SUPPLEMENT, S.PROCESSING): _move(
        STAFF_ANY, Side.EITHER, _("Đã nhận hồ sơ bổ sung"), "complete_supplement"
    ),
    (S.AWAITING_SUPPLEMENT, S.WITHDRAWN): _move(STAFF_ANY, Side.EITHER, _("Rút hồ sơ"), "withdraw"),
    (S.AWAITING_SUPPLEMENT, S.STOPPED): _move({LEAD}, Side.COMPETENT, _("Dừng xử lý"), "stop_processing"),
    (S.AWAITING_PAYMENT, S.PROCESSING): _move(
        STAFF_ANY, Side.EITHER, _("Đã nộp nghĩa vụ tài chính"), "record_payment"
    ),
    (S.AWAITING_PAYMENT, S.WITHDRAWN): _move(STAFF_ANY, Side.EITHER, _("Rút hồ sơ"), "withdraw"),
    (S.AWAITING_PAYMENT, S.STOPPED): _move({LEAD}, Side.COMPETENT, _("Dừng xử lý"), "stop_processing"),
    # result
    (S.COMPLETED, S.RETURNED): _move({RECEIVE}, Side.RECEIVING, _("Trả kết quả")),
}

TRANSITIONS: Final[Mapping[int, frozenset[int]]] = {
    status: frozenset(DossierStatus(to) for (frm, to) in MOVES if frm == status) for status in DossierStatus
}


def move_for(source: int, target: int) -> Move | None:
    return MOVES.get((int(source), int(target)))


def side_allows(side: Side, *, on_receiving: bool, on_competent: bool) -> bool:
    """Whether an actor standing on the receiving and/or competent side may act for `side`."""
    if side is Side.RECEIVING:
        return on_receiving
    if side is Side.COMPETENT:
        return on_competent
    return on_receiving or on_competent
