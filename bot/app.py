"""Wiring: the one place that builds everything from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.jobs import Jobs
from bot.notify import ChannelNotifier
from bot.pipeline import Conversations
from bot.settings import Settings
from dialogues.build import build_engine
from dialogues.services import Services
from nlu.pipeline import load_pipeline
from registry.service import Registry
from staffweb.auth import StaffAuth
from storage.clock import Clock, SystemClock
from storage.crypto import Vault
from storage.db import Database
from storage.people import People
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
    jobs: Jobs = field(default_factory=Jobs)
    redis: Any = None
    closers: list[Any] = field(default_factory=list)

    @classmethod
    async def create(cls, settings: Settings, *, clock: Clock | None = None) -> App:
        clock = clock or SystemClock()
        vault = Vault(settings.secret_keys())
        db = Database(settings.database)
        await db.upgrade()
        redis = None
        states: StateStore
        if settings.redis_url:
            from redis.asyncio import Redis

            redis = Redis.from_url(settings.redis_url)
            states = RedisStateStore(redis, vault, ttl=timedelta(days=30))
        else:
            states = SqlStateStore(db, vault)
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
            services=Services(clock=clock, registry=Registry(db), notifier=notifier),
            max_chars=settings.max_message_chars,
        )
        notifier.on_sent(conversations.record_sent)
        return cls(settings, db, vault, conversations, clock, StaffAuth(db), notifier, redis=redis)

    async def close(self) -> None:
        self.jobs.shutdown()
        for closer in reversed(self.closers):
            await closer()
        if self.redis is not None:
            await self.redis.aclose()
        await self.db.dispose()
