"""The server runs on uvloop when it is installed, and on asyncio's own loop otherwise."""

from __future__ import annotations

import asyncio
import builtins

import pytest

import app as app_module


@pytest.fixture
def restore_policy():
    policy = asyncio.get_event_loop_policy()
    yield
    asyncio.set_event_loop_policy(policy)


def test_the_server_loop_is_uvloop_when_installed(restore_policy):
    uvloop = pytest.importorskip("uvloop", reason="uvloop is not installed (Windows)")
    assert app_module.use_uvloop() is True
    assert isinstance(asyncio.get_event_loop_policy(), uvloop.EventLoopPolicy)


def test_without_uvloop_the_standard_loop_serves(restore_policy, monkeypatch):
    real_import = builtins.__import__

    def no_uvloop(name, *args, **kwargs):
        if name == "uvloop":
            raise ImportError("no uvloop here")
        return real_import(name, *args, **kwargs)

    before = asyncio.get_event_loop_policy()
    monkeypatch.setattr(builtins, "__import__", no_uvloop)
    assert app_module.use_uvloop() is False
    assert asyncio.get_event_loop_policy() is before
