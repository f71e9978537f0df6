"""HTTP load against a running server: wrk when installed, else a threaded Python client."""

import datetime as dt
import http.client
import itertools
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    path: str
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    client: str


def _ms(value: str, unit: str) -> float:
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]
    return float(value) * factor


# Makes every request's query string unique with a filter the page reads — "due to" a different far-future
# date each time, which every task passes — so that no cached page can answer it.
UNIQUE_LUA = """
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local counter = 0
function request()
  counter = counter + 1
  local day = os.time{year=2100, month=1, day=1, hour=12} + (counter * 4 + tid) * 86400
  return wrk.format(nil, "%s" .. "due_to=" .. os.date("!%%Y-%%m-%%d", day))
end
"""


# Walks a list of query strings (page × sort × status filter, see plan_variants): every request of a run
# asks for a different page of the plan, as a busy morning of many people paging and sorting does.
VARIANTS_LUA = """
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local variants = {%s}
local counter = 0
function request()
  counter = counter + 1
  local n = (counter * 2 + tid) %% #variants + 1
  return wrk.format(nil, "%s" .. variants[n])
end
"""

SORT_KEYS = ("deadline", "-deadline", "number", "-number", "title", "-title", "status", "-status", "lead", "-lead")
# The share of tasks in each status in the generated plan (omskevents.demo.volumes), to keep pages in range.
STATUS_SHARES = {
    "": 1.0, "assigned": 0.35, "in_progress": 0.30, "reported": 0.10,
    "accepted": 0.15, "returned": 0.07, "cancelled": 0.03,
}  # fmt: skip


def plan_variants(tasks: int, page_size: int = 50) -> list[str]:
    """Query strings for the plan, each a different page × sort × status filter, interleaved."""
    per_status: list[list[str]] = []
    for status, share in STATUS_SHARES.items():
        count = max(1, int(tasks * share) // page_size)
        prefix = f"status={status}&" if status else ""
        per_status.append([f"{prefix}page={page}" for page in range(1, count + 1)])
    combos: list[str] = []
    longest = max(len(p) for p in per_status)
    for i in range(longest):
        for pages in per_status:
            if i < len(pages):
                combos.extend(f"{pages[i]}&sort={sort}" for sort in SORT_KEYS)
    return combos


def _unique(path: str) -> str:
    return path + ("&" if "?" in path else "?")


def _unique_target(path: str, n: int) -> str:
    return f"{_unique(path)}due_to={dt.date(2100, 1, 1) + dt.timedelta(days=n):%Y-%m-%d}"


def _wrk(
    host: str, port: int, path: str, cookie: str, seconds: int, connections: int, unique: bool,
    variants: list[str] | None,
) -> LoadResult:  # fmt: skip
    threads = min(2, connections)
    cmd = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
        "-H", f"Cookie: {cookie}", f"http://{host}:{port}{path}",
    ]  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if variants:
            script.write(VARIANTS_LUA % (",".join(f'"{v}"' for v in variants), _unique(path)))
        elif unique:
            script.write(UNIQUE_LUA % _unique(path))
        if variants or unique:
            script.flush()
            cmd[1:1] = ["-s", script.name]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]  # wrk always prints it
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]  # wrk always prints it
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    p50 = _ms(*re.match(r"([\d.]+)(\w+)", lat["50"]).groups())  # type: ignore[union-attr]  # wrk --latency prints it
    p99 = _ms(*re.match(r"([\d.]+)(\w+)", lat["99"]).groups())  # type: ignore[union-attr]  # wrk --latency prints it
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    return LoadResult(path, total, errors, rps, p50, p99, "wrk")


def _python(
    host: str, port: int, path: str, cookie: str, seconds: int, connections: int, unique: bool,
    variants: list[str] | None,
) -> LoadResult:  # fmt: skip
    counter = itertools.count()
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                if variants:
                    target = _unique(path) + variants[next(counter) % len(variants)]
                else:
                    target = _unique_target(path, next(counter)) if unique else path
                conn.request("GET", target, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status >= 400:
                    bad += 1
            except OSError:
                bad += 1
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return LoadResult(path, len(latencies), errors, len(latencies) / elapsed, q[49], q[98], "python")


def load(
    host: str, port: int, path: str, cookie: str, seconds: int, connections: int, *, unique: bool = False,
    variants: list[str] | None = None,
) -> LoadResult:  # fmt: skip
    """Load `path` for `seconds`; with `unique`, every request differs so that no cached page answers it;
    with `variants`, each request appends the next of these query strings."""
    if shutil.which("wrk"):
        return _wrk(host, port, path, cookie, seconds, connections, unique, variants)
    return _python(host, port, path, cookie, seconds, connections, unique, variants)


def visit(host: str, port: int, path: str, cookie: str, queries: list[str]) -> None:
    """Ask for each of these query strings once, in turn, over one connection."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    for query in queries:
        conn.request("GET", _unique(path) + query, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}?{query}: HTTP {response.status}")
    conn.close()


def login(host: str, port: int, username: str, password: str) -> str:
    """Log in through the real login form; return the Cookie header value for later requests."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookies = _cookies(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]  # the login form has it
    form = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
    conn.request(
        "POST", "/accounts/login/", body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )  # fmt: skip
    response = conn.getresponse()
    response.read()
    cookies.update(_cookies(response))
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login as {username} failed: HTTP {response.status}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
    return found
