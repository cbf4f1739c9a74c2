"""SQLite serves one bot process: a second one on the same file is refused with a clear message.

Several replicas need PostgreSQL (row locks, leases); on SQLite two schedulers would both send
every due message. The lock is an OS file lock beside the database file, released when the
process ends, however it ends.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass

from storage.db import sqlite_file


class AnotherInstanceRunning(RuntimeError):
    pass


@dataclass
class InstanceLock:
    fd: int | None = None

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def hold_sqlite_lock(url: str) -> InstanceLock:
    database = sqlite_file(url)
    if database is None:
        return InstanceLock()
    path = f"{database}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(fd)
        raise AnotherInstanceRunning(
            f"another servicedesk process already uses {database}: SQLite allows one instance. "
            "Stop the other one, or use PostgreSQL (DATABASE_URL) to run several replicas."
        ) from exc
    return InstanceLock(fd)
