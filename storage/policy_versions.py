"""A policy edit never silently rewrites a past period.

Figures are computed from the event log whenever a report is asked for, so the numbers of a past
month depend on the policy file as it is *now*. The file keeps its earlier versions (annex §2.2:
a change takes effect at a quarter boundary; ``sla.policy``), and this module makes sure they stay
as they were: the first time a version is in force when a report is computed, its digest is
recorded; later, a recorded version whose text changed is refused, and so is a new version that
would take effect before the last report computed under the old ones. The refusal names the file,
the version and what to do instead (add a version from the next quarter).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sla.calendar import to_us
from sla.policy import Policy, PolicyError
from storage.models import PolicyVersionRow


class PolicyChanged(PolicyError):
    """A version that was in force changed, or a new one would take effect in the past."""


def _key(version: Policy) -> str:
    return version.effective_from.isoformat() if version.effective_from else ""


async def check_and_record(session: AsyncSession, *, policy: Policy, now: datetime) -> None:
    """Refuse a policy whose versions in force up to ``now`` differ from what was recorded;
    record the ones seen for the first time. Runs in the caller's transaction."""
    versions = policy.versions or ((-(2**62), policy),)
    rows = {
        row.effective_from: row
        for row in (
            await session.execute(select(PolicyVersionRow).where(PolicyVersionRow.policy == policy.name))
        ).scalars()
    }
    last_seen = max((row.last_seen_at for row in rows.values()), default=None)
    now_us = to_us(now)
    for start, version in versions:
        if start > now_us:
            continue  # not in force yet: it may still change
        key = _key(version)
        row = rows.get(key)
        label = f"{version.source}: version {key or '(without effective_from)'}"
        if row is None:
            if last_seen is not None and start > -(2**62) and start <= to_us(last_seen):
                raise PolicyChanged(
                    f"{label} would take effect before {last_seen.isoformat()}, when figures were already "
                    "computed with the versions before it; give it the next quarter's date"
                )
            session.add(PolicyVersionRow(policy=policy.name, effective_from=key, digest=version.digest, recorded_at=now, last_seen_at=now))
        elif row.digest != version.digest:
            raise PolicyChanged(
                f"{label} changed after it took effect; keep it as it was (under [[earlier]]) and put the "
                "new numbers in a version from the next quarter"
            )
    await session.execute(
        update(PolicyVersionRow).where(PolicyVersionRow.policy == policy.name).values(last_seen_at=now)
    )
