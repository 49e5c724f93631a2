"""Wiring of the outbox (always) and of live handoff (when configured) into the App."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.notify import NoSender
from core.messages import Reply
from core.notify import Purpose
from delivery.courier import Retry
from delivery.notifier import OutboxNotifier
from delivery.outbox import Outbox
from delivery.sendrate import SendBudgets
from handoff.cases import CaseStore
from handoff.desk import HandoffConfig
from handoff.hours import WorkingHours
from handoff.linking import Links
from handoff.presence import Presence
from handoff.relay import Desk
from handoff.topics import Topics

if TYPE_CHECKING:
    from bot.app import App


def install_outbox(app: App) -> None:
    """The one way out (before anything that may send: booking reminders, staff pages)."""
    settings = app.settings
    app.send_budgets = SendBudgets.create(
        settings.telegram_send_per_s, settings.whatsapp_send_per_s, app.redis
    )
    outbox = Outbox(app.db, app.vault)
    notifier = OutboxNotifier(outbox)

    async def send_to_person(
        person_id: int, replies: Sequence[Reply], purpose: Purpose
    ) -> list[str] | None:
        try:
            return await app.notifier.deliver(person_id, replies, purpose)
        except NoSender as exc:
            raise Retry("the channel is not running here yet", after=1.0) from exc
        except Exception as exc:
            from bot.channels.telegram.errors import as_delivery_error

            raise as_delivery_error(exc) from exc

    notifier.serve(send_to_person, on_sent=app.conversations.record_sent)
    app.outbox, app.outbox_notifier = outbox, notifier
    app.jobs.every(3600, "outbox.purge", outbox.purge)
    app.closers.append(outbox.stop)


def install(app: App) -> None:
    """Live handoff, when configured (after `install_outbox` and the rest of the wiring),
    then the outbox's worker: it starts once booking is wired, as it always did (started
    before booking's install, two processes on one SQLite file sent their reminders 30 s
    late or not within the test's 10 s in three runs of eight)."""
    settings = app.settings
    outbox, notifier = app.outbox, app.deliveries
    assert outbox is not None
    outbox.start()
    if not settings.handoff_on():
        return
    conversations = app.conversations
    services = conversations.services
    hours = WorkingHours.parse(settings.handoff_hours)
    config = HandoffConfig(
        groups=settings.consultant_groups(),
        urgent_timeout=_seconds(settings.handoff_urgent_timeout),
        timeout=_seconds(settings.handoff_timeout),
        hours=hours,
        group_lang=settings.handoff_group_lang,
    )
    cases = CaseStore(app.db, app.vault)
    presence = Presence(redis=app.redis, cases=cases)

    async def enter_step(
        person_id: int, step: str, variables: dict[str, object] | None
    ) -> list[Reply]:
        return await conversations.enter_step(person_id, step, variables)

    desk = Desk(
        cases=cases,
        notifier=notifier,
        topics=Topics(outbox, cases, config.groups),
        texts=conversations.engine.texts,
        transcripts=conversations.transcripts,
        nlu=conversations.nlu,
        clock=app.clock,
        config=config,
        audit=app.staff.audit,
        enter_step=enter_step,
        registry_update=services.registry.update if services.registry else None,
        presence=presence,
    )
    desk.links = Links(app.db, app.vault)
    conversations.effects.handoff_hooks.append(desk.on_handoff)
    conversations.interceptors.append(desk.intercept)
    # /forget and retention reach the cases (open or closed) and their copies in the group.
    conversations.effects.erasers.append(desk.erase_person)
    app.retention.erasers.append(desk.erase_people)
    services.handoff_enabled = True
    services.handoff_hours = None if hours.always else hours
    services.availability = presence  # a consultant is promised only while the queue is served
    app.jobs.every(5, "handoff.sweep", desk.sweep)
    app.desk = desk


def _seconds(value: int) -> timedelta:
    return timedelta(seconds=value)
