"""Open work of other apps in a reorganization: a registry other apps fill at start-up.

Another app (dossiers, petitions, ...) holds work assigned to units: dossiers being processed,
petitions to answer. When units are merged or split that work must follow the units. The apparatus
app cannot read those tables (apps talk through services), so each app registers two callables:

    # dossiers/apps.py
    class DossiersConfig(AppConfig):
        def ready(self):
            from twotier.apparatus import hooks
            from . import services
            hooks.register_open_work(
                "dossiers",
                label="Hồ sơ đang xử lý",
                count=services.count_open_dossiers,     # (unit_codes, on) -> int
                move=services.move_open_dossiers,        # (mapping, on, actor, reorganization_id) -> int
            )

`count(unit_codes, on)` returns how many open items the units hold on date `on`; it is called by the
preview (read only). `move(mapping, on, actor, reorganization_id)` receives `{predecessor code:
successor code or None}` and moves the items inside the reorganization's transaction (so a failure
rolls the whole reorganization back); it returns how many items it moved. For an abolished unit the
successor is None: the app decides (usually it refuses by raising `twotier.core.errors.Conflict`
while work is open, which makes the reorganization fail with that message).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

CountFn = Callable[[Iterable[str], date], int]
MoveFn = Callable[[Mapping[str, str | None], date, Any, int], int]


@dataclass(frozen=True)
class OpenWorkHook:
    name: str
    label: str
    count: CountFn
    move: MoveFn


_HOOKS: dict[str, OpenWorkHook] = {}


def register_open_work(name: str, *, label: str, count: CountFn, move: MoveFn) -> None:
    """Register (or replace, so that reloading an app is harmless) the open-work hook of an app."""
    _HOOKS[name] = OpenWorkHook(name=name, label=label, count=count, move=move)


def unregister_open_work(name: str) -> None:
    _HOOKS.pop(name, None)


def open_work_hooks() -> list[OpenWorkHook]:
    return [_HOOKS[name] for name in sorted(_HOOKS)]
