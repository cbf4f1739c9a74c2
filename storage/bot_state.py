"""The bot's dialog state in the database, as a botbuilder ``Storage`` with real eTags.

Dialog state holds botbuilder objects (``DialogState``, ``DialogInstance``); they are stored in
jsonpickle's format, the library botbuilder uses to detect state changes (converted directly in
``storage.state_documents``, through jsonpickle for unusual shapes). Every write checks the
eTag the turn read (no eTag means "create", ``"*"`` means "overwrite"): if another turn (or another
replica) wrote in between, the write fails instead of silently overwriting, and the SDK reports it.
A half-finished intake therefore survives a restart exactly as it was last saved.

``SqlConversationState`` is botbuilder's ``ConversationState`` that flattens the state once per
turn instead of four times: the SDK flattens it to hash it after loading, again to see whether it
changed, the storage again to write it, and once more to hash it after the write (py-spy: about a
tenth of a mid-intake turn). Here the flattened document as stored is the "hash": a turn whose
state flattens to the document it read writes nothing, any other turn writes the one flattened
document it compared.

Two ways to save a turn's state together with other writes, so they commit as one:
``save_in(turn_context, connection)`` writes it in a transaction the caller already holds (the
intake ends in the transaction that stores its ticket), and ``write_with_state`` hands a write to
the turn's closing ``save_changes`` (on SQLite, where each commit is an fsync).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from botbuilder.core import ConversationState, Storage, TurnContext
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from sla.clock import Clock
from storage import state_documents
from storage.db import Database
from storage.models import BotStateRow


class ETagConflict(Exception):
    """Another writer changed this state since it was read."""


def _flatten(value: Any) -> dict[str, Any]:
    return state_documents.flatten(value)


def _restore(document: dict[str, Any]) -> Any:
    return state_documents.restore(document)


def _etag_of(item: Any) -> str | None:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _with_etag(item: Any, etag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = etag
    else:
        item.e_tag = etag


def _document_of(item: Any) -> Any:
    """The item as it is stored: flattened, without its eTag (that is a column of its own)."""
    document = _flatten(item)
    if isinstance(document, dict):
        document.pop("e_tag", None)
    return document


# The statements of every turn, built once (values come with each execution). A turn reads one
# key: ``key = :key`` is cached as is, where ``IN`` re-expands on every call.
_STATE = BotStateRow.__table__
_READ = select(_STATE.c.key, _STATE.c.etag, _STATE.c.document)
_READ_ONE = _READ.where(_STATE.c.key == bindparam("state_key"))
_INSERT = insert(_STATE)
_UPDATE_IF_ETAG = (
    update(_STATE)
    .where(_STATE.c.key == bindparam("state_key"), _STATE.c.etag == bindparam("expected_etag"))
    .values(etag=bindparam("new_etag"), document=bindparam("new_document"), updated_at=bindparam("now"))
)


def _read(keys: list[str]):
    """The statement and its values that read ``keys``."""
    if len(keys) == 1:
        return _READ_ONE, {"state_key": keys[0]}
    return _READ.where(_STATE.c.key.in_(keys)), {}


class SqlStorage(Storage):
    def __init__(self, *, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    async def read(self, keys: list[str]) -> dict[str, Any]:
        return {key: item for key, (item, _document) in (await self.read_with_documents(keys)).items()}

    async def read_with_documents(self, keys: list[str]) -> dict[str, tuple[Any, Any]]:
        """Each key's restored item (eTag set) and the document it was restored from."""
        if not keys:
            return {}
        # Only the SELECT holds the connection; restoring the documents (the costly
        # part) runs after it went back to the pool (SQLite has one, shared in turn).
        async with self._db.single_statement.connect() as connection:
            rows = (await connection.execute(*_read(keys))).all()
        result: dict[str, tuple[Any, Any]] = {}
        for key, etag, document in rows:
            item = _restore(document)
            _with_etag(item, str(etag))
            result[key] = (item, document)
        return result

    async def write(self, changes: dict[str, Any]) -> None:
        await self.write_documents({key: (item, _document_of(item)) for key, item in changes.items()})

    async def write_documents(self, changes: dict[str, tuple[Any, Any]]) -> None:
        """Write items already flattened (``_document_of``); each item gets its new eTag."""
        if not changes:
            return
        # Core statements on a connection (no ORM unit of work: less CPU per turn).
        # One key with an eTag (or none: a first write) is one conditional statement, atomic on
        # its own; an overwrite ("*") reads the row for update first and needs a transaction.
        single = len(changes) == 1 and all(_etag_of(item) != "*" for item, _ in changes.values())
        engine = self._db.single_statement if single else self._db.engine
        async with engine.begin() as connection:
            await self.write_documents_on(connection, changes)

    async def write_documents_on(self, connection, changes: dict[str, tuple[Any, Any]]) -> None:
        """``write_documents`` in the caller's transaction (``connection``), which commits."""
        now = self._clock.now()
        for key, (item, document) in changes.items():
            expected = _etag_of(item)
            if expected == "*":
                current = (
                    await connection.execute(select(_STATE.c.etag).where(_STATE.c.key == key).with_for_update())
                ).scalar_one_or_none()
                if current is None:
                    await connection.execute(_INSERT, {"key": key, "etag": 1, "document": document, "updated_at": now})
                    new_etag = 1
                else:
                    new_etag = current + 1
                    await connection.execute(
                        update(_STATE).where(_STATE.c.key == key).values(etag=new_etag, document=document, updated_at=now)
                    )
            elif expected in (None, ""):
                # No eTag: the writer saw no state, so this must be the first write.
                try:
                    await connection.execute(_INSERT, {"key": key, "etag": 1, "document": document, "updated_at": now})
                except IntegrityError as exc:
                    raise ETagConflict(f"state {key!r} was created by another turn meanwhile") from exc
                new_etag = 1
            else:
                new_etag = int(expected) + 1
                result = await connection.execute(
                    _UPDATE_IF_ETAG,
                    {"state_key": key, "expected_etag": int(expected), "new_etag": new_etag, "new_document": document, "now": now},
                )
                if result.rowcount != 1:
                    raise ETagConflict(f"state {key!r} changed since it was read (eTag {expected})")
            _with_etag(item, str(new_etag))

    def transaction(self):
        """A transaction on a connection, for a state write together with other writes."""
        return self._db.engine.begin()

    @property
    def commits_are_costly(self) -> bool:
        return self._db.commits_are_costly

    async def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        async with self._db.sessions.begin() as session:
            await session.execute(delete(BotStateRow).where(BotStateRow.key.in_(keys)))


_IN_TURN = "servicedesk.conversation_state"
_WRITE_WITH_STATE = "servicedesk.write_with_state"  # [(write(connection), then)] of this turn
_AFTER_COMMIT = "servicedesk.after_state_commit"  # ``then``s of writes a caller's transaction made


class _LoadedState:
    """What a turn read: the live state (mutated by dialogs) and the document it came from."""

    def __init__(self, state: dict[str, Any] | None, document: Any) -> None:
        self.state = state if state is not None else {}
        self.document = document  # None: nothing stored yet


class SqlConversationState(ConversationState):
    """``ConversationState`` over ``SqlStorage`` that flattens the state once per turn.

    Same contract as the SDK's: ``load`` caches the stored state in the turn, ``save_changes``
    writes it when it changed (or when forced), with the eTag it was read with.
    """

    def __init__(self, storage: SqlStorage) -> None:
        super().__init__(storage)
        self._sql_storage = storage

    def attach(self, turn_context: TurnContext) -> None:
        """Make this state findable by the turn's dialogs (``of``), for ``save_in``."""
        turn_context.turn_state[_IN_TURN] = self

    @staticmethod
    def of(turn_context: TurnContext) -> "SqlConversationState | None":
        """The conversation state the turn's handler attached, if any."""
        return turn_context.turn_state.get(_IN_TURN)

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        cached = self.get_cached_state(turn_context)
        # The SDK reads again while the cached state is empty; a state this class read is known
        # even when empty (a new conversation), so only the SDK's own cache objects are re-read.
        # Otherwise a new conversation's first turn read its row twice (get, then set a default).
        if force or not cached or (not isinstance(cached, _LoadedState) and not cached.state):
            key = self.get_storage_key(turn_context)
            item, document = (await self._sql_storage.read_with_documents([key])).get(key, (None, None))
            turn_context.turn_state[self._context_service_key] = _LoadedState(item, document)

    async def save_changes(self, turn_context: TurnContext, force: bool = False) -> None:
        riders = turn_context.turn_state.pop(_WRITE_WITH_STATE, [])
        committed = turn_context.turn_state.pop(_AFTER_COMMIT, [])
        cached = self.get_cached_state(turn_context)
        changes: dict[str, tuple[Any, Any]] = {}
        if cached is not None:
            document = _document_of(cached.state)
            # Unchanged means: flattens to exactly what was read (a cache object of the SDK's
            # own, without a document, always counts as changed).
            if force or document != getattr(cached, "document", None):
                changes = {self.get_storage_key(turn_context): (cached.state, document)}
        if riders:
            async with self._sql_storage.transaction() as connection:
                for write, _then in riders:
                    await write(connection)
                if changes:
                    await self._sql_storage.write_documents_on(connection, changes)
        elif changes:
            await self._sql_storage.write_documents(changes)
        if changes and isinstance(cached, _LoadedState):
            cached.document = document
        for then in committed + [then for _write, then in riders if then is not None]:
            then()

    def write_with_state(
        self,
        turn_context: TurnContext,
        write: Callable[[Any], Awaitable[None]],
        *,
        then: Callable[[], None] | None = None,
    ) -> bool:
        """Have ``write(connection)`` committed with this turn's dialog state, then call ``then``.

        For a write that may wait until the end of the turn (the employee's conversation
        reference): on SQLite it then costs no commit of its own. Returns False where that does
        not pay (``Database.commits_are_costly``); the caller writes it itself. A turn that ends
        in ``forget_changes`` drops it.
        """
        if not self._sql_storage.commits_are_costly:
            return False
        turn_context.turn_state.setdefault(_WRITE_WITH_STATE, []).append((write, then))
        return True

    async def save_in(self, turn_context: TurnContext, connection) -> None:
        """Write this turn's state now, in the caller's transaction (``connection``, which commits).

        For a turn whose domain change and dialog step belong together: the intake's ticket and
        the intake's end commit at once, so a process that dies in between cannot leave a stored
        ticket behind an intake that still asks "klopt dit?" (a second "ja" would make a second
        ticket). If the caller's transaction fails, it must call ``forget_changes``.
        """
        cached = self.get_cached_state(turn_context)
        if not isinstance(cached, _LoadedState):
            raise TypeError("save_in needs the state this class loaded in this turn")
        for write, then in turn_context.turn_state.pop(_WRITE_WITH_STATE, []):
            await write(connection)
            if then is not None:  # called by the closing save_changes, after the caller committed
                turn_context.turn_state.setdefault(_AFTER_COMMIT, []).append(then)
        document = _document_of(cached.state)
        if document == cached.document:
            return
        key = self.get_storage_key(turn_context)
        await self._sql_storage.write_documents_on(connection, {key: (cached.state, document)})
        cached.document = document  # the turn's closing save_changes finds nothing left to write

    def forget_changes(self, turn_context: TurnContext) -> None:
        """Drop what this turn changed: its closing ``save_changes`` writes nothing, the stored
        state stays as the turn found it (the employee can give the same answer again)."""
        for key in (self._context_service_key, _WRITE_WITH_STATE, _AFTER_COMMIT):
            turn_context.turn_state.pop(key, None)
