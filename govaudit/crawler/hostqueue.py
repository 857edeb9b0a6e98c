"""The workers' shared scheduler queue in Redis, keyed by host (a scrapy-redis queue class).

One shared sorted set of whole pickled requests (scrapy-redis's PriorityQueue) did not hold a
province: in the order of their URLs one host's requests came up together and waited in the
workers for their turns; in random order a slow 集约化 host's waiting requests filled every worker;
and skipping the hosts a worker already held meant scanning ~750-byte members, which kept Redis at
100 % CPU (3 ms a pop) at 300 units (bench/RESULTS.md). Here, under the run's `requests` key:

    requests            hash: request id (sha1 of its bytes) -> "<host>\\0<pickled request>"
    requests:h:<host>   sorted set: the host's request ids, by priority (random order within one)
    requests:hosts      sorted set: the hosts with queued requests, by when one may be popped (ms)
    requests:next       hash: host -> when its next request may be popped (kept while it is empty)
    requests:pace       hash: host -> ms between two pops of it (its politeness delay)

A pop takes the best request of the host that has been ready longest, among those this worker
does not already hold HOLD_PER_HOST of, and makes that host wait its delay before it is popped
again: hosts come up side by side at the pace they can be sent (the leases, distributed.py, still
decide when a request leaves), no pop scans requests, and no worker holds a host's queue. In the
same Lua step the request is recorded in the worker's in-flight hash (`inflight:<worker>`, field:
its id, value: "<score> <host>\\0<request>") until its response was handled, so a worker killed
with it is resumed (requeue)."""
from __future__ import annotations

import collections
import hashlib
import random
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request
from scrapy_redis.queue import PriorityQueue

PREFIX = "govaudit:{run}:"


def key(run_id: str, what: str) -> str:
    """A distributed run's Redis key (all of them are under `govaudit:<run>:`)."""
    return PREFIX.format(run=run_id) + what


# Queue a request (KEYS[1]: the queue's hash; ARGV: host, id, score, member, pace ms or '').
# A host new to the queue is ready at once, or when its last pop's pace is over.
PUSH = """
local function push(k, host, id, score, member, pace)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('HSET', k, id, member)
  redis.call('ZADD', k .. ':h:' .. host, score, id)
  if pace ~= '' then redis.call('HSET', k .. ':pace', host, pace) end
  if not redis.call('ZSCORE', k .. ':hosts', host) then
    local nxt = tonumber(redis.call('HGET', k .. ':next', host) or '0')
    redis.call('ZADD', k .. ':hosts', math.max(now, nxt), host)
  end
end
"""
PUSH_LUA = PUSH + "push(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])\nreturn 1\n"

# Pop (KEYS: the queue's hash, the worker's in-flight hash; ARGV[1]: how many ready hosts to look
# at, ARGV[2..]: the hosts this worker holds enough of). Returns {id, member} or false.
POP_LUA = """
local k = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local full = {}
for i = 2, #ARGV do full[ARGV[i]] = true end
local ready = redis.call('ZRANGEBYSCORE', k .. ':hosts', '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]) + #ARGV - 1)
for _, h in ipairs(ready) do
  if not full[h] then
    local q = k .. ':h:' .. h
    local top = redis.call('ZPOPMIN', q)
    if #top == 0 then
      redis.call('ZREM', k .. ':hosts', h)
    else
      local nxt = now + tonumber(redis.call('HGET', k .. ':pace', h) or '0')
      redis.call('HSET', k .. ':next', h, nxt)
      if redis.call('ZCARD', q) > 0 then redis.call('ZADD', k .. ':hosts', nxt, h) else redis.call('ZREM', k .. ':hosts', h) end
      local m = redis.call('HGET', k, top[1])
      if m then
        redis.call('HDEL', k, top[1])
        redis.call('HSET', KEYS[2], top[1], top[2] .. ' ' .. m)
        return {top[1], m}
      end
    end
  end
end
return false
"""
LOOK = 64  # ready hosts a pop looks at (besides those it skips)

# Put a worker's in-flight requests back in the queue (with their priority) and mark it.
# KEYS: in-flight hash, queue hash, workers hash. ARGV: worker, its new state ('' leaves it).
REQUEUE_LUA = PUSH + """
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local v = all[i + 1]
  local sp = string.find(v, ' ', 1, true)
  local m = string.sub(v, sp + 1)
  local z = string.find(m, '\\0', 1, true)
  push(KEYS[2], string.sub(m, 1, z - 1), all[i], string.sub(v, 1, sp - 1), m, '')
end
redis.call('DEL', KEYS[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[3], ARGV[1], ARGV[2]) end
return #all / 2
"""

HOLD_PER_HOST = 8   # requests of one host a worker holds at most (queued in it, or in flight)
HELD: collections.Counter[str] = collections.Counter()  # this worker's popped, unfinished requests by host


def host_limits(hosts: dict[str, Any], default: tuple[int, float], host: str) -> tuple[int, float]:
    """A host's (concurrency, delay): its download slot's as crawler/settings.py made them, else the defaults."""
    concurrency, delay = hosts.get(host) or default
    return max(1, int(concurrency or default[0])), max(0.0, float(delay or 0.0))


class HostQueue(PriorityQueue):
    """scrapy-redis's queue interface over the host-keyed keys above; a pop also records the
    request as this worker's in flight until WorkerCoordinator.finished (distributed.py)."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        s = spider.settings
        run = s.get("GOVAUDIT_RUN")  # (`key` is scrapy-redis's name for the queue's key here)
        self.inflight = PREFIX.format(run=run) + f"inflight:{s.get('GOVAUDIT_WORKER')}"
        self.out = Path(s.get("GOVAUDIT_OUT_DIR") or ".")
        self.hosts = s.getdict("GOVAUDIT_HOST_LIMITS")
        self.default = (s.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 1), s.getfloat("GOVAUDIT_DEFAULT_DELAY"))
        self.push_lua = server.register_script(PUSH_LUA)
        self.pop_lua = server.register_script(POP_LUA)

    def __len__(self) -> int:
        return int(self.server.hlen(self.key))

    def push(self, request: Request) -> None:
        """A copy of a popped request (a retry, a request replaced by a middleware) takes over the
        original's in-flight record, in one transaction: the original never reaches the scraper."""
        host = urlsplit(request.url).hostname or ""
        member = host.encode() + b"\0" + self._encode_request(request)
        args = [host, hashlib.sha1(member).hexdigest(), -request.priority + random.random() / 2, member,
                int(host_limits(self.hosts, self.default, host)[1] * 1000)]
        old = request.meta.get("govaudit_inflight")
        if not old:
            self.push_lua(keys=[self.key], args=args)
            return
        release(request)
        pipe = self.server.pipeline()
        self.push_lua(keys=[self.key], args=args, client=pipe)
        pipe.hdel(self.inflight, old)
        pipe.execute()

    def pop(self, timeout: int = 0) -> Request | None:
        full = [h for h, n in HELD.items() if n >= HOLD_PER_HOST]
        got = self.pop_lua(keys=[self.key, self.inflight], args=[LOOK, *full])
        if not got:
            return None
        req = self._decode_request(got[1].split(b"\0", 1)[1])
        req.meta["govaudit_inflight"] = got[0].decode()
        req.meta["govaudit_host"] = urlsplit(req.url).hostname or ""
        HELD[req.meta["govaudit_host"]] += 1
        if req.meta.get("screenshot"):  # made by another worker: the screenshot goes to this one's disk
            path = self.out / req.meta["screenshot"]
            path.parent.mkdir(parents=True, exist_ok=True)
            for m in req.meta.get("playwright_page_methods") or []:
                if getattr(m, "method", None) == "screenshot":
                    m.kwargs["path"] = str(path)
        return req

    def clear(self) -> None:
        clear(self.server, self.key)


def release(request: Request) -> None:
    """A popped request is finished (or went back to the queue): its host has one fewer held."""
    host = request.meta.pop("govaudit_host", None)
    if host is not None:
        HELD[host] -= 1
        if HELD[host] <= 0:
            del HELD[host]


def queued(r: Any, queue_key: str) -> int:
    """How many requests wait in the queue."""
    return int(r.hlen(queue_key))


def clear(r: Any, queue_key: str) -> None:
    keys = [queue_key, *(f"{queue_key}:{x}" for x in ("hosts", "next", "pace"))]
    r.delete(*keys, *r.scan_iter(match=f"{queue_key}:h:*", count=1000))


def requeue(r: Any, inflight_key: str, queue_key: str, workers_key: str, worker: str, state: str = "") -> int:
    """Put `worker`'s in-flight requests back in the queue; returns how many."""
    return int(r.register_script(REQUEUE_LUA)(keys=[inflight_key, queue_key, workers_key], args=[worker, state]))
