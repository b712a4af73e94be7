"""The HTTP client for data.police.uk (or a stand-in with the same paths): the only code in
saferplaces that talks to the network.

- `RateLimiter`: a token bucket that keeps requests under police.uk's limit (15 a second, with
  bursts of up to 30; we default to 15 a second and no bursts).
- `PoliceUkClient`: urllib with a User-Agent, a timeout, the rate limiter and retries: HTTP 429
  waits (Retry-After, else exponential backoff); other 5xx, timeouts and dropped connections are
  retried with exponential backoff; 404 raises `NotFound` (no data for that month).

The retry loop is our own rather than urllib3's `Retry`: every attempt, retries included, must
wait for the rate limiter; HTTP 429 and server errors have separate budgets; a 503 from the
street-crimes endpoint means "split the polygon", not "retry"; and tests replace the sleep.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

USER_AGENT = "saferplaces (+https://github.com/saferplaces)"
DEFAULT_TIMEOUT = 60.0  # seconds; some API answers take tens of seconds
DEFAULT_RATE = 15.0  # requests per second (police.uk: 15 a second, bursts of up to 30)
MAX_RETRIES = 4  # retries after the first attempt, for 5xx, timeouts and dropped connections
MAX_THROTTLED = 10  # HTTP 429 answers tolerated for one request before giving up
RETRY_DELAY = 1.0  # seconds before the first retry; doubled for each further one
MAX_RETRY_AFTER = 300.0  # never wait longer than this for one Retry-After
CHUNK_SIZE = 1 << 20  # bytes read at a time when streaming a download to disk


class RateLimiter:
    """A token bucket: on average `rate` requests a second, at most `burst` at once.

    `wait()` before each request sleeps just long enough to keep to the rate. A rate of 0 or
    less means no limit. `clock` and `sleep` can be replaced in tests.
    """

    def __init__(self, rate: float = DEFAULT_RATE, burst: float = 1.0, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.rate = rate
        self.burst = max(1.0, burst)
        self.clock = clock
        self.sleep = sleep
        self.tokens = self.burst
        self.last = clock()

    def wait(self) -> None:
        """Take one token, sleeping until one is available."""
        if self.rate <= 0:
            return
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            delay = (1 - self.tokens) / self.rate
            self.sleep(delay)
            self.tokens = 1.0
            self.last = now + delay
        self.tokens -= 1


class FetchFailed(Exception):
    """A request that failed for good (after any retries); the message says what and why."""


class NotFound(Exception):
    """HTTP 404: police.uk has no data for this request (usually: that month is not out)."""


class TooManyCrimes(Exception):
    """HTTP 503 from the street-crimes endpoint: the polygon holds more than 10,000 crimes."""


class PoliceUkClient:
    """A small HTTP client for data.police.uk (or a stand-in with the same paths).

    Every attempt waits for the rate limiter and sends `User-Agent: saferplaces (...)` with a
    timeout. HTTP 429 is retried after Retry-After seconds (else exponential backoff), up to
    MAX_THROTTLED times; other 5xx answers, timeouts and connection errors are retried
    `retries` times, waiting retry_delay, 2×, 4×... seconds; then FetchFailed. 404 raises
    NotFound. `requests` counts attempts, retries included.
    """

    def __init__(self, base_url: str, *, rate: float = DEFAULT_RATE,
                 retries: int = MAX_RETRIES, retry_delay: float = RETRY_DELAY,
                 timeout: float = DEFAULT_TIMEOUT,
                 sleep: Callable[[float], None] = time.sleep,
                 limiter: RateLimiter | None = None):
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.retry_delay = retry_delay
        self.timeout = timeout
        self.sleep = sleep
        self.limiter = limiter or RateLimiter(rate, sleep=sleep)
        self.requests = 0
        # Its own opener: proxy settings (http_proxy, no_proxy...) are read now, not cached
        # process-wide by urllib.request.urlopen.
        self.opener = urllib.request.build_opener()

    def url(self, path: str, params: dict[str, str] | None = None) -> str:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return f"{self.base_url}{path}{query}"

    def get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET path?params and decode the JSON answer."""
        url = self.url(path, params)
        return self._json(url, self._call("GET", url, None, _read_all))

    def post_json(self, path: str, form: dict[str, str], *,
                  too_many_status: int | None = None) -> Any:
        """POST form fields and decode the JSON answer. If `too_many_status` is given, that
        status raises TooManyCrimes at once instead of being retried."""
        url = self.url(path)
        data = urllib.parse.urlencode(form).encode("ascii")
        return self._json(url, self._call("POST", url, data, _read_all,
                                          give_up_on=too_many_status))

    def download(self, path: str, target: Path, *,
                 on_progress: Callable[[int, int | None], None] | None = None) -> int:
        """Stream path to `target` in chunks (via target.part, renamed when complete); returns
        the bytes written. `on_progress(done, total)` is called after each chunk (total is
        None when the server does not say)."""
        url = self.url(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")

        def stream(response) -> int:
            total = response.headers.get("Content-Length")
            total = int(total) if total and total.isdigit() else None
            done = 0
            with partial.open("wb") as handle:
                while chunk := response.read(CHUNK_SIZE):
                    handle.write(chunk)
                    done += len(chunk)
                    if on_progress:
                        on_progress(done, total)
            if total is not None and done != total:
                raise http.client.IncompleteRead(b"", total - done)
            return done

        try:
            size = self._call("GET", url, None, stream)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
        return size

    # -- internals

    def _json(self, url: str, body: bytes) -> Any:
        try:
            return json.loads(body)
        except ValueError:
            raise FetchFailed(f"{url}: the answer is not JSON") from None

    def _backoff(self, attempt: int) -> float:
        return self.retry_delay * 2 ** (attempt - 1)

    def _call(self, method: str, url: str, data: bytes | None, consume, *,
              give_up_on: int | None = None):
        failures = 0
        throttled = 0
        while True:
            self.limiter.wait()
            self.requests += 1
            request = urllib.request.Request(url, data=data, method=method,
                                             headers={"User-Agent": USER_AGENT,
                                                      "Accept": "application/json, */*"})
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    return consume(response)
            except urllib.error.HTTPError as exc:
                status, retry_after = exc.code, exc.headers.get("Retry-After")
                exc.close()
                if status == 404:
                    raise NotFound(f"{method} {url}: HTTP 404") from None
                if give_up_on is not None and status == give_up_on:
                    raise TooManyCrimes(f"{method} {url}: HTTP {status}") from None
                if status == 429:
                    throttled += 1
                    if throttled > MAX_THROTTLED:
                        raise FetchFailed(f"{method} {url}: HTTP 429 (too many requests) "
                                          f"{throttled} times; giving up") from None
                    self.sleep(_retry_after(retry_after, self._backoff(throttled)))
                    continue
                if status < 500:
                    raise FetchFailed(f"{method} {url}: HTTP {status}") from None
                reason = f"HTTP {status}"
            except (urllib.error.URLError, TimeoutError, ConnectionError,
                    http.client.HTTPException) as exc:
                reason = _describe(exc)
            failures += 1
            if failures > self.retries:
                raise FetchFailed(f"{method} {url}: {reason} (gave up after {self.retries} "
                                  "retries)")
            self.sleep(self._backoff(failures))


def _read_all(response) -> bytes:
    return response.read()


def _retry_after(value: str | None, fallback: float) -> float:
    """Seconds to wait from a Retry-After header (seconds form); `fallback` otherwise."""
    try:
        seconds = float(value) if value is not None else fallback
    except ValueError:
        seconds = fallback
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _describe(exc: Exception) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, Exception) else exc
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
