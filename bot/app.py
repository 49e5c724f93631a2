"""Wiring: the one place that builds everything from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot import models as _schema  # noqa: F401  (every table on Base.metadata)
from bot.admission import URGENT_RESERVE, Admission
from bot.booking_setup import install as install_booking
from bot.directory_setup import install as install_directory
from bot.directory_setup import read_file
from bot.jobs import Jobs
from bot.locks import RedisLocks
from bot.notify import ChannelNotifier
from bot.pipeline import Conversations
from bot.settings import ConfigError, Settings
from contacts.store import ContactStore
from core.clock import Clock, SystemClock
from delivery.flood import FloodGate, FloodPolicy, MemoryFloodGate, RedisFloodGate
from delivery.notifier import OutboxNotifier
from delivery.outbox import Outbox
from delivery.sendrate import SendBudgets
from dialogues.build import build_engine
from dialogues.directory import DirectoryError
from dialogues.services import Services
from handoff.relay import Desk
from nlu.pipeline import load_pipeline
from registry.service import Registry
from staffweb.auth import StaffAuth
from storage.crypto import Vault
from storage.db import Database
from storage.people import People
from storage.retention import Retention
from storage.state import RedisStateStore, SqlStateStore, StateStore
from storage.transcript import MessageIds, Transcripts

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    db: Database
    vault: Vault
    conversations: Conversations
    clock: Clock
    staff: StaffAuth
    notifier: ChannelNotifier
    retention: Retention
    jobs: Jobs = field(default_factory=Jobs)
    redis: Any = None
    closers: list[Any] = field(default_factory=list)
    outbox: Outbox | None = None  # durable deliveries (bot/handoff_setup.py)
    outbox_notifier: OutboxNotifier | None = None  # a Notifier that goes through the outbox
    desk: Desk | None = None  # live handoff, when configured
    send_budgets: SendBudgets | None = None  # messages a second per platform (handoff_setup)
    contacts: ContactStore | None = None  # the live directory (bot/directory_setup.py)
    # Turns this process runs at once, urgent ones first; shared by every channel.
    admission: Admission = field(init=False)

    def __post_init__(self) -> None:
        self.admission = Admission(self.settings.turn_slots, URGENT_RESERVE)

    @classmethod
    async def create(cls, settings: Settings, *, clock: Clock | None = None) -> App:
        clock = clock or SystemClock()
        seed_file = settings.contacts_file.expanduser() if settings.contacts_file else None
        if seed_file is not None:
            try:  # checked at every start: a broken file never seeds half a directory
                read_file(seed_file, clock.now())
            except (DirectoryError, OSError) as exc:
                raise ConfigError(f"QAMQOR_CONTACTS_FILE: {exc}") from exc
        vault = Vault(settings.secret_keys())
        db = Database(settings.database)
        await db.upgrade()
        redis = None
        states: StateStore
        flood_policy = FloodPolicy(settings.flood_limit, settings.flood_window_s)
        flood: FloodGate
        retention = timedelta(days=settings.retention_days)
        if settings.redis_url:
            from redis.asyncio import Redis

            redis = Redis.from_url(settings.redis_url)
            states = RedisStateStore(redis, vault, ttl=retention)
            flood = RedisFloodGate(redis, flood_policy)
        else:
            states = SqlStateStore(db, vault)
            flood = MemoryFloodGate(flood_policy)
        nlu = load_pipeline(settings.nlu_backend, settings.rasa_url)
        people = People(db, vault)
        notifier = ChannelNotifier(people)
        conversations = Conversations(
            engine=build_engine(),
            nlu=nlu,
            people=people,
            states=states,
            transcripts=Transcripts(db, vault),
            message_ids=MessageIds(db),
            services=Services(clock=clock, registry=Registry(db)),
            max_chars=settings.max_message_chars,
            flood=flood,
        )
        if redis is not None:  # several processes: one person's turns still one at a time
            conversations.locks.shared = RedisLocks(redis)
        app = cls(
            settings,
            db,
            vault,
            conversations,
            clock,
            StaffAuth(db),
            notifier,
            retention=Retention(db, retention),
            redis=redis,
        )
        app.jobs.every(3600, "retention.sweep", lambda: app.retention.sweep(clock.now()))
        await install_directory(app, seed_file)
        from bot import handoff_setup

        handoff_setup.install_outbox(app)
        await install_booking(app)
        handoff_setup.install(app)
        return app

    @property
    def deliveries(self) -> OutboxNotifier:
        """The one way out to a person, staff actions included (installed by `create`)."""
        assert self.outbox_notifier is not None
        return self.outbox_notifier

    async def close(self) -> None:
        self.jobs.shutdown()
        for closer in reversed(self.closers):
            await closer()
        if self.redis is not None:
            await self.redis.aclose()
        await self.db.dispose()
