"""What the server built at start-up is left out of the garbage collector's work afterwards."""

from __future__ import annotations

import gc

import app as app_module


async def test_startup_objects_are_frozen_out_of_garbage_collection():
    gc.unfreeze()
    built_at_startup = [[] for _ in range(1000)]  # lists are tracked by the collector
    try:
        await app_module.freeze_startup_objects(None)
        assert gc.get_freeze_count() >= len(built_at_startup)
    finally:
        gc.unfreeze()
