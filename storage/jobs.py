"""Periodic jobs claimed per (job, period): the first replica to insert the row runs the job."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobRun


async def claim_period(session: AsyncSession, *, job: str, period: str, worker: str, now: datetime) -> bool:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(JobRun)
        .values(job=job, period=period, claimed_at=now, claimed_by=worker)
        .on_conflict_do_nothing(index_elements=["job", "period"])
    )
    return (await session.execute(statement)).rowcount == 1
