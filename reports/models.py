"""Targets of the grant report: a planned number per indicator and period (plan against actual).

The indicator is a code of reports/plan.py's INDICATORS; the period is whole Almaty days,
first to last inclusive, like reports/period.py. One target per indicator and period: setting
it again changes it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.coltypes import UtcDateTime
from storage.models import Base


class ReportTarget(Base):
    __tablename__ = "report_targets"
    __table_args__ = (UniqueConstraint("indicator", "first_day", "last_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator: Mapped[str] = mapped_column(String(48))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)  # inclusive
    target: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(64))  # staff username
    set_at: Mapped[datetime] = mapped_column(UtcDateTime())
