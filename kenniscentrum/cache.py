"""Django's RedisCache with the two things the page cache needs when several app servers share Redis.

1. One Redis client per connection pool. Django's `RedisCacheClient.get_client()` builds a new
   `redis.Redis` for every cache call, and building one fills a table of ~170 response callbacks:
   about as much CPU as the network round trip itself. The client is thread-safe (connections come
   from the pool), so one per pool is enough.
2. Publish/subscribe, so a process can learn that the content version changed without asking Redis
   on every request (see `kenniscentrum.pagecache.VersionWatch`).
"""
import os

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """`django.core.cache.backends.redis.RedisCache` plus `publish` and `pubsub`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def publish(self, channel: str, message: str) -> None:
        self._cache.get_client(write=True).publish(self.make_key(channel), message)

    def pubsub(self, channel: str):
        """A new subscription to `channel` on its own connection, confirmed by Redis before it is returned,
        so that every message published after this call returns reaches it."""
        subscription = self._cache.get_client(write=True).pubsub()
        subscription.subscribe(self.make_key(channel))
        confirmation = subscription.get_message(timeout=self._cache._pool_options.get("socket_timeout") or 1)
        if not confirmation or confirmation["type"] != "subscribe":
            subscription.close()
            raise ConnectionError("Redis did not confirm the subscription")
        subscription.pid = os.getpid()
        return subscription
