"""Every kind of bad inbound request gets the right AuthError; a good one passes."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.auth import AuthError, Claims, InboundAuthenticator
from tests.auth.tokens import (
    APP_ID,
    OTHER_TENANT_ID,
    SERVICE_URL,
    TENANT_ID,
    SigningKey,
    claims_for,
    hs256_token,
    tampered,
    unsigned_token,
)

SKEW = timedelta(minutes=5)


def _other_key(kid: str = "key-1") -> SigningKey:
    """A different RSA key that claims the served kid."""
    attacker = SigningKey.generate("attacker-key")
    return SigningKey(kid=kid, private_key=attacker.private_key)


# Each case: (name, build(kit) -> (authorization, activity), status, reason)
BAD_REQUESTS = [
    ("no header", lambda k: (None, k.activity()), 401, "missing_auth"),
    ("empty header", lambda k: ("", k.activity()), 401, "missing_auth"),
    ("not bearer", lambda k: ("Basic " + k.token(), k.activity()), 401, "not_bearer"),
    ("bearer without token", lambda k: ("Bearer ", k.activity()), 401, "malformed_token"),
    ("garbage", lambda k: ("Bearer not.a.jwt", k.activity()), 401, "malformed_token"),
    ("garbage one segment", lambda k: ("Bearer abcdef", k.activity()), 401, "malformed_token"),
    ("expired", lambda k: ("Bearer " + k.token(exp_in=-timedelta(hours=1)), k.activity()), 401, "expired"),
    (
        "just outside skew (expired)",
        lambda k: ("Bearer " + k.token(exp_in=-(SKEW + timedelta(seconds=1))), k.activity()),
        401,
        "expired",
    ),
    (
        "not yet valid",
        lambda k: ("Bearer " + k.token(nbf_in=timedelta(hours=1), exp_in=timedelta(hours=2)), k.activity()),
        401,
        "not_yet_valid",
    ),
    (
        "just outside skew (nbf)",
        lambda k: ("Bearer " + k.token(nbf_in=SKEW + timedelta(seconds=1)), k.activity()),
        401,
        "not_yet_valid",
    ),
    ("exp not a number", lambda k: ("Bearer " + k.token(exp="tomorrow"), k.activity()), 401, "bad_time_claim"),
    ("no exp", lambda k: ("Bearer " + k.token(omit=("exp",)), k.activity()), 401, "missing_claim"),
    ("wrong audience", lambda k: ("Bearer " + k.token(aud="someone-else"), k.activity()), 401, "wrong_audience"),
    (
        "audience list",
        lambda k: ("Bearer " + k.token(aud=[APP_ID, "someone-else"]), k.activity()),
        401,
        "wrong_audience",
    ),
    (
        "wrong issuer",
        lambda k: ("Bearer " + k.token(iss="https://sts.windows.net/evil/"), k.activity()),
        401,
        "wrong_issuer",
    ),
    (
        "unknown key",
        lambda k: ("Bearer " + k.token(key=SigningKey.generate("never-served")), k.activity()),
        401,
        "unknown_key",
    ),
    (
        "other key, served kid",
        lambda k: ("Bearer " + k.token(key=_other_key()), k.activity()),
        401,
        "bad_signature",
    ),
    ("alg none", lambda k: ("Bearer " + unsigned_token(k.claims()), k.activity()), 401, "bad_algorithm"),
    (
        "HS256 with public key text",
        lambda k: ("Bearer " + hs256_token(k.claims(), k.key.public_pem()), k.activity()),
        401,
        "bad_algorithm",
    ),
    (
        "RS512",
        lambda k: ("Bearer " + k.token(headers={"alg": "RS512"}), k.activity()),
        401,
        "bad_algorithm",
    ),
    ("no kid", lambda k: ("Bearer " + k.token(headers={"kid": None}), k.activity()), 401, "missing_kid"),
    (
        "tampered payload",
        lambda k: ("Bearer " + tampered(k.token(), aud="6f1c2b7e-ffff"), k.activity()),
        401,
        "bad_signature",
    ),
    (
        "tampered serviceurl",
        lambda k: (
            "Bearer " + tampered(k.token(), serviceurl="https://evil.example/"),
            k.activity(service_url="https://evil.example/"),
        ),
        401,
        "bad_signature",
    ),
    (
        "wrong serviceurl claim",
        lambda k: ("Bearer " + k.token(serviceurl="https://smba.trafficmanager.net/amer/"), k.activity()),
        401,
        "service_url_mismatch",
    ),
    (
        "missing serviceurl claim",
        lambda k: ("Bearer " + k.token(omit=("serviceurl",)), k.activity()),
        401,
        "missing_service_url_claim",
    ),
    (
        "activity without serviceUrl",
        lambda k: ("Bearer " + k.token(), {**k.activity(), "serviceUrl": None}),
        401,
        "service_url_mismatch",
    ),
    ("wrong channel", lambda k: ("Bearer " + k.token(), k.activity(channel_id="webchat")), 401, "wrong_channel"),
    (
        "http service url",
        lambda k: (
            "Bearer " + k.token(serviceurl="http://smba.trafficmanager.net/emea/"),
            k.activity(service_url="http://smba.trafficmanager.net/emea/"),
        ),
        401,
        "service_url_not_allowed",
    ),
    (
        "service host not allowed",
        lambda k: (
            "Bearer " + k.token(serviceurl="https://smba.trafficmanager.net.evil.example/"),
            k.activity(service_url="https://smba.trafficmanager.net.evil.example/"),
        ),
        401,
        "service_url_not_allowed",
    ),
    (
        "loopback service url without the test flag",
        lambda k: (
            "Bearer " + k.token(serviceurl="http://127.0.0.1:56150/_connector"),
            k.activity(service_url="http://127.0.0.1:56150/_connector"),
        ),
        401,
        "service_url_not_allowed",
    ),
    ("activity not a mapping", lambda k: ("Bearer " + k.token(), ["not", "a", "dict"]), 401, "bad_activity"),
    ("wrong tenant", lambda k: ("Bearer " + k.token(), k.activity(tenant_id=OTHER_TENANT_ID)), 403, "wrong_tenant"),
    ("no tenant", lambda k: ("Bearer " + k.token(), k.activity(tenant_id=None)), 403, "wrong_tenant"),
]


@pytest.mark.parametrize(
    ("build", "status", "reason"),
    [pytest.param(b, s, r, id=name) for name, b, s, r in BAD_REQUESTS],
)
async def test_bad_request_is_rejected(auth, token_kit, build, status, reason):
    authorization, activity = build(token_kit)
    with pytest.raises(AuthError) as caught:
        await auth.authenticate(authorization, activity)
    assert (caught.value.status, caught.value.reason) == (status, reason)


def test_at_least_sixteen_distinct_reasons():
    assert len({(s, r) for _, _, s, r in BAD_REQUESTS}) >= 16
    assert len(BAD_REQUESTS) >= 16


async def test_valid_token_passes(auth, token_kit):
    claims = await auth.authenticate(token_kit.authorization(), token_kit.activity())
    assert isinstance(claims, Claims)
    assert claims.app_id == APP_ID
    assert claims.tenant_id == TENANT_ID
    assert claims.service_url == SERVICE_URL
    assert claims.key_id == "key-1"
    assert claims.claims["serviceurl"] == SERVICE_URL
    with pytest.raises(TypeError):
        claims.claims["aud"] = "x"  # read-only


async def test_claims_identity_for_botbuilder(auth, token_kit):
    claims = await auth.authenticate(token_kit.authorization(), token_kit.activity())
    identity = claims.as_claims_identity()
    assert identity.is_authenticated
    assert identity.claims["aud"] == APP_ID


@pytest.mark.parametrize(
    "claim_url, activity_url",
    [
        ("https://smba.trafficmanager.net/emea", "https://smba.trafficmanager.net/emea/"),
        ("https://SMBA.trafficmanager.net/EMEA/", "https://smba.trafficmanager.net/emea"),
    ],
)
async def test_service_url_compare_is_case_and_slash_tolerant(auth, token_kit, claim_url, activity_url):
    await auth.authenticate(
        "Bearer " + token_kit.token(serviceurl=claim_url), token_kit.activity(service_url=activity_url)
    )


async def test_bearer_scheme_is_case_insensitive(auth, token_kit):
    await auth.authenticate("bearer " + token_kit.token(), token_kit.activity())


async def test_just_inside_skew_passes(auth, token_kit):
    inside = SKEW - timedelta(seconds=1)
    await auth.authenticate("Bearer " + token_kit.token(exp_in=-inside), token_kit.activity())
    await auth.authenticate("Bearer " + token_kit.token(nbf_in=inside), token_kit.activity())


async def test_expiry_follows_the_injected_clock(auth, token_kit):
    header = token_kit.authorization(exp_in=timedelta(minutes=10))
    await auth.authenticate(header, token_kit.activity())
    token_kit.clock.advance(timedelta(minutes=15))  # 5 min past exp: still within skew
    await auth.authenticate(header, token_kit.activity())
    token_kit.clock.advance(timedelta(seconds=1))
    with pytest.raises(AuthError) as caught:
        await auth.authenticate(header, token_kit.activity())
    assert caught.value.reason == "expired"


async def test_token_without_nbf_is_accepted(auth, token_kit):
    await auth.authenticate("Bearer " + token_kit.token(omit=("nbf",)), token_kit.activity())


async def test_key_not_endorsing_msteams_is_rejected(token_kit, session):
    webchat_only = SigningKey.generate("webchat-key", endorsements=("webchat", "directline"))
    token_kit.server.add_key(webchat_only)
    authenticator = InboundAuthenticator(token_kit.settings(), clock=token_kit.clock, session=session)
    await authenticator.start()
    try:
        with pytest.raises(AuthError) as caught:
            await authenticator.authenticate(token_kit.authorization(key=webchat_only), token_kit.activity())
        assert (caught.value.status, caught.value.reason) == (401, "key_not_endorsed")
    finally:
        await authenticator.close()


async def test_key_without_endorsements_field_is_accepted(token_kit, session):
    plain = SigningKey.generate("plain-key", endorsements=None)
    token_kit.server.add_key(plain)
    authenticator = InboundAuthenticator(token_kit.settings(), clock=token_kit.clock, session=session)
    await authenticator.start()
    try:
        await authenticator.authenticate(token_kit.authorization(key=plain), token_kit.activity())
    finally:
        await authenticator.close()


async def test_tenant_is_checked_only_after_the_token(auth, token_kit):
    """An unauthenticated caller from another tenant learns nothing: 401, not 403."""
    with pytest.raises(AuthError) as caught:
        await auth.authenticate(
            "Bearer " + token_kit.token(aud="someone-else"), token_kit.activity(tenant_id=OTHER_TENANT_ID)
        )
    assert caught.value.status == 401


async def test_single_tenant_app_allows_only_its_tenant(token_kit, session):
    settings = token_kit.settings(allowed_tenants=frozenset(), app_tenant_id=TENANT_ID.upper())
    authenticator = InboundAuthenticator(settings, clock=token_kit.clock, session=session)
    await authenticator.start()
    try:
        await authenticator.authenticate(token_kit.authorization(), token_kit.activity())
        with pytest.raises(AuthError) as caught:
            await authenticator.authenticate(token_kit.authorization(), token_kit.activity(tenant_id=OTHER_TENANT_ID))
        assert caught.value.status == 403
    finally:
        await authenticator.close()


async def test_loopback_service_url_allowed_with_test_flag(token_kit, session):
    settings = token_kit.settings(allow_loopback_service_url=True)
    authenticator = InboundAuthenticator(settings, clock=token_kit.clock, session=session)
    await authenticator.start()
    try:
        url = "http://127.0.0.1:56150/_connector"
        await authenticator.authenticate(
            "Bearer " + token_kit.token(serviceurl=url), token_kit.activity(service_url=url)
        )
    finally:
        await authenticator.close()


async def test_rejections_never_log_the_token(auth, token_kit, caplog):
    caplog.set_level(logging.DEBUG)
    token = token_kit.token(aud="someone-else")
    with pytest.raises(AuthError) as caught:
        await auth.authenticate("Bearer " + token, token_kit.activity())
    assert token not in str(caught.value)
    assert "wrong_audience" in caplog.text
    assert token not in caplog.text
    assert token.split(".")[1] not in caplog.text
    assert token.split(".")[2] not in caplog.text
