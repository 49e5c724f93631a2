"""Plan against actual on the reports page: the targets of the period and the form that sets,
changes and removes them (coordinators and admins; CSRF and audit like every staff form)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from core.clock import Clock
from reports import fmt
from reports.figures import Figures, Report
from reports.period import Period, PeriodError
from reports.plan import INDICATORS, TargetError, Targets, plan_rows
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


def _day(value: object) -> date:
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise PeriodError("staff-period-bad-date", which="") from None


def _back(form: Any) -> str:
    """The reports page of the period the form was sent from."""
    try:
        period = Period(_day(form.get("back_from")), _day(form.get("back_to")))
        period.check()
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
            first, last = _day(form.get("from")), _day(form.get("to"))
            raw = str(form.get("target", "")).strip().replace(" ", "").replace("\u202f", "")
            if not raw.isdigit() or len(raw) > 9:
                raise TargetError("staff-reports-target-bad-number", most="10 000 000")
            await targets.set(code, first, last, int(raw), who.username, clock.now())
        except (TargetError, PeriodError) as exc:
            return site.render(request, "error.html", {"message": site.told(request, exc)}, 400)
        await staff.audit(who, "report-target-set", f"{code} {first}…{last} = {raw}", clock.now())
        raise web.HTTPSeeOther(_back(form))

    async def remove_target(request: web.Request) -> web.StreamResponse:
        form = await request.post()
        target_id = int(request.match_info["id"])
        if not await targets.remove(target_id):
            raise web.HTTPNotFound(text="no such target")
        await staff.audit(
            current_staff(request), "report-target-remove", f"target {target_id}", clock.now()
        )
        raise web.HTTPSeeOther(_back(form))

    site.add_page("/reports/targets", set_target, roles=roles, method="POST")
    site.add_page("/reports/targets/{id:\\d+}/remove", remove_target, roles=roles, method="POST")
