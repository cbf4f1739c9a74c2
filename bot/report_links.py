"""The monthly report behind a signed link that expires: how regie opens the SLR from the card.

Why a link and not a file: a bot cannot attach a file to a channel message (Teams offers bots
files only in personal chat, through a file consent card each person must accept, and a channel's
files live in SharePoint, which the bot may not write to). A link to the bot's own endpoint works
for everyone in the regie channel, on a phone too, and the report is rendered when it is opened,
from the figures as they are then (the same as ``servicedesk report monthly``).

The link is ``{PUBLIC_BASE_URL}/rapport/{month}.pdf?verloopt={unix time}&handtekening={hex}``, the
signature an HMAC-SHA256 of the month and the expiry under ``REPORT_LINK_SECRET``. Whoever holds
the link can open that month's report until it expires (``REPORT_LINK_DAYS``): it names no
reporter and holds no reporter's description (``bot.reports.slr``), only the figures, the supplier's
causes and actions, regie's evaluations and the employees' anonymous CSAT remarks. A link that
is forged, altered or for another month gets 403; an expired one 410 with a line saying how to
get the report another way. Neither changes anything.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable
from urllib.parse import urlencode

from aiohttp import web

from dialogs import texts

log = logging.getLogger("servicedesk.report_links")

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class ReportLinks:
    base_url: str
    secret: bytes = field(repr=False)
    valid_for: timedelta = timedelta(days=31)

    def _signature(self, month: str, expires: int) -> str:
        return hmac.new(self.secret, f"monthly:{month}:{expires}".encode(), hashlib.sha256).hexdigest()

    def url(self, month: str, *, expires: datetime) -> str:
        stamp = int(expires.timestamp())
        query = urlencode({"verloopt": stamp, "handtekening": self._signature(month, stamp)})
        return f"{self.base_url}/rapport/{month}.pdf?{query}"

    def check(self, month: str, expires: str, signature: str, *, now: datetime) -> int:
        """200 when the link is genuine and valid, 410 when it expired, 403 otherwise."""
        if not MONTH.match(month) or not expires.isdigit() or len(expires) > 12:
            return 403
        if not hmac.compare_digest(self._signature(month, int(expires)), signature):
            return 403
        if datetime.fromtimestamp(int(expires), timezone.utc) <= now:
            return 410
        return 200


def report_handler(links: ReportLinks, *, now: Callable[[], datetime], render: Callable[[str], Any]):
    """``GET /rapport/{month}.pdf``: the PDF of that month's report, for a genuine, valid link.

    ``render(month)`` is a coroutine returning the PDF's bytes; the PDF is drawn off the event loop.
    """

    async def serve(request: web.Request) -> web.StreamResponse:
        month = request.match_info["month"]
        status = links.check(
            month, request.query.get("verloopt", ""), request.query.get("handtekening", ""), now=now()
        )
        if status != 200:
            log.info("report link refused: status=%d", status)
            text = texts.REPORT_LINK_FORBIDDEN if status == 403 else texts.REPORT_LINK_EXPIRED.format(month=month)
            return web.Response(status=status, text=text, content_type="text/plain", charset="utf-8")
        pdf = await render(month)
        log.info("monthly report %s served", month)
        return web.Response(
            body=pdf, content_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="servicelevelrapport-{month}.pdf"', "Cache-Control": "private, no-store"},
        )

    return serve
