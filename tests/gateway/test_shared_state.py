"""The Redis link: absent without a URL, keys under the deployment's prefix."""

from __future__ import annotations

from gateway.shared_state import SharedRedis, open_redis


def test_no_url_means_in_process() -> None:
    assert open_redis(None, "moi-gateway:") is None
    assert open_redis("", "moi-gateway:") is None


async def test_keys_carry_the_prefix(shared_redis: SharedRedis) -> None:
    key = shared_redis.key("ratelimit", "k1")
    assert key == f"{shared_redis.prefix}ratelimit:k1"
    await shared_redis.client.set(key, "1")
    assert await shared_redis.client.get(key) == b"1"
