"""Plan against actual on the reports page: the targets of the period and the form that sets,
changes and removes them (coordinators and admins; CSRF and audit like every staff form)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from core.clock import Clock
from reports import fmt
from reports.figures import Figures, Report
from reports.period import Period, PeriodError
from reports.plan import INDICATORS, MAX_TARGET, TargetError, Targets, plan_rows
from staffweb.auth import StaffAuth
from staffweb.site import Say, StaffSite, current_staff


async def plan_view(
    figures: Figures, targets: Targets, report: Report, t: Say, lang: str
) -> dict[str, Any]:
    """The template's `plan` rows and `indicators` choices, in the reader's language."""
    rows = await plan_rows(figures, report, await targets.overlapping(report.period))
    return {
        "plan": [
            {
                "id": r.target.id,
                "code": r.target.indicator.code,
                "name": r.target.indicator.name.get(lang),
                "first": r.target.period.first,
                "last": r.target.period.last,
                "covers": t(
                    "staff-reports-plan-covers",
                    first=fmt.day(r.target.period.first),
                    last=fmt.day(r.target.period.last),
                ),
                "same": r.target.period == report.period,
                "plan": fmt.number(r.target.target),
                "actual": fmt.number(r.actual),
                "share": fmt.percent(r.share),
            }
            for r in rows
        ],
        "indicators": [(i.code, i.name.get(lang)) for i in INDICATORS],
    }


def _period(form: Any, first: str, last: str, now: datetime) -> Period:
    """Both dates given and valid (YYYY-MM-DD, 2000–2100, in order, at most three years)."""
    given = {
        which: str(form.get(name, "")).strip() for which, name in (("first", first), ("last", last))
    }
    for which, value in given.items():
        if not value:
            raise PeriodError("staff-period-bad-date", which=which)
    return Period.parse(given["first"], given["last"], now)


def _back(form: Any, now: datetime) -> str:
    """The reports page of the period the form was sent from."""
    try:
        period = _period(form, "back_from", "back_to", now)
    except PeriodError:
        return "/staff/reports#plan"
    query = urlencode({"from": period.first.isoformat(), "to": period.last.isoformat()})
    return f"/staff/reports?{query}#plan"


def setup_targets(
    site: StaffSite, targets: Targets, clock: Clock, staff: StaffAuth, roles: tuple[str, ...]
) -> None:
    async def set_target(request: web.Request) -> web.StreamResponse:
        form = await request.post()
        who = current_staff(request)
        code = str(form.get("indicator", ""))
        try:
            period = _period(form, "from", "to", clock.now())
            raw = str(form.get("target", "")).strip().replace(" ", "").replace("\u202f", "")
            if not raw.isdigit() or len(raw) > 9:
                raise TargetError("staff-reports-target-bad-number", most=fmt.number(MAX_TARGET))
            await targets.set(code, period.first, period.last, int(raw), who.username, clock.now())
        except (TargetError, PeriodError) as exc:
            return site.render(request, "error.html", {"message": site.told(request, exc)}, 400)
        await staff.audit(who, "report-target-set", f"{code} {period} = {raw}", clock.now())
        raise web.HTTPSeeOther(_back(form, clock.now()))

    async def remove_target(request: web.Request) -> web.StreamResponse:
        form = await request.post()
        target_id = int(request.match_info["id"])
        if not await targets.remove(target_id):
            raise web.HTTPNotFound(text="no such target")
        await staff.audit(
            current_staff(request), "report-target-remove", f"target {target_id}", clock.now()
        )
        raise web.HTTPSeeOther(_back(form, clock.now()))

    site.add_page("/reports/targets", set_target, roles=roles, method="POST")
    site.add_page("/reports/targets/{id:\\d+}/remove", remove_target, roles=roles, method="POST")
