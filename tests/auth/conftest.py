import aiohttp
import pytest_asyncio

from bot.auth import InboundAuthenticator
from tests.auth.tokens import key_server, token_kit  # noqa: F401  (fixtures)


@pytest_asyncio.fixture
async def session():
    async with aiohttp.ClientSession() as s:
        yield s


@pytest_asyncio.fixture
async def auth(token_kit, session):
    """An authenticator with keys loaded from the local key server."""
    authenticator = InboundAuthenticator(token_kit.settings(), clock=token_kit.clock, session=session)
    await authenticator.start()
    yield authenticator
    await authenticator.close()
