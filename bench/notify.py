"""Benchmark: a ДОН circular to every institution, persisted and pushed live to open WebSockets.

On the real Kyiv register (about 605 schools) with about 3,000 active accounts (each working
institution's provisioned head, plus deputies of every working school), it opens 1,000
WebSocket clients at /ws/events/ (one per recipient, each logged in by a real Django session)
against a real ASGI server in a separate process (Daphne or Uvicorn, on the scratch database and
Redis through channels_redis), waits for every client's "hello", then sends one circular from the
ДОН account to all district offices and schools (`send_circular`, as the form does) and measures:

- the time `send_circular` takes, split into the database work up to the commit ("persist") and
  the live push run on commit (the unread-count query and the channel-layer group sends);
- for each client, the latency from the moment before the call to the receipt of its
  {"type": "notification"} event: p50, p95 and max in ms, and whether all arrived within 2 s;
- that no event was lost (missing 0) and none reached another person (each event's
  notification id is checked against the rows of that client's user).

The clients run in their own process (an asyncio loop, the `websockets` library), as browsers
would, so that they do not share the sender's interpreter lock; both processes read the
system-wide monotonic clock. Before the measured circular, one notification to the ДОН account
itself warms the sender's code path (imports, first queries); no client receives it.

    python -m bench.notify                      # the whole register, ~2,900 accounts, 1,000 clients,
                                                # Uvicorn with 2 worker processes (one per core here)
    python -m bench.notify --quick              # two districts' rows (~670 accounts), 100 clients
    python -m bench.notify --server daphne      # one Daphne process instead
    python -m bench.notify --profile            # also print a cProfile of the send and of its push

Needs DATABASE_URL (PostgreSQL: the server process opens the same database) and REDIS_URL (the
channel layer across processes); the data lives in a scratch database (see bench.common), which
is dropped afterwards with the run's Redis keys, and the server process is stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.common import POSTGRES_SCHEMES, bench_parser, emit, percentile, say, scratch_database
from bench.dashboards import QUICK_KOATUU, filtered_register, provision

TARGET_MS = 2000
SEED = 20260101
SESSION_BACKEND = "portal.accounts.backends.AccountBackend"
SERVER_START_TIMEOUT = 60
CONNECT_CONCURRENCY = 32
HELLO_TIMEOUT = 120  # per client, connection queued behind the others included
READY_TIMEOUT = 900  # all clients connected and greeted
WAIT_AFTER_SEND = 30  # how long the clients wait for their event once the send starts
# Server log lines worth showing: errors, and channels-redis dropping events past capacity.
LOG_PROBLEMS = ("Traceback", "ERROR", "over capacity")


def clock() -> float:
    """Seconds on the system-wide monotonic clock: the same in every process of this machine."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


# --- Data ---------------------------------------------------------------------------------------


def add_deputies(per_school: int) -> int:
    """`per_school` deputy accounts for every working school, created in bulk.

    Real active accounts attached to their school, with the uniform logins (`<code>-02`, ...)
    and the deputies' group, as `create_account` makes them; they share one precomputed hash
    of a password (full-strength PBKDF2) instead of paying for one hash each, and no audit rows.
    """
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from portal.accounts.models import GROUP_NAMES, Position, User
    from portal.accounts.services import generate_password, login_for
    from portal.institutions.models import Institution

    if per_school <= 0:
        return 0
    taken = set(User.objects.values_list("username", flat=True))
    password = make_password(generate_password(16))
    now = timezone.now()
    users = []
    for school in Institution.objects.schools().working().order_by("pk"):
        number = 1
        for _ in range(per_school):
            number += 1
            while login_for(school, number) in taken:
                number += 1
            users.append(
                User(
                    username=login_for(school, number),
                    institution=school,
                    position=Position.DEPUTY,
                    password=password,
                    must_change_password=False,
                    last_login=now,
                    date_joined=now,
                )
            )
    User.objects.bulk_create(users, batch_size=1000)
    group = Group.objects.get(name=GROUP_NAMES[Position.DEPUTY])
    through = User.groups.through
    through.objects.bulk_create([through(user_id=u.pk, group_id=group.pk) for u in users], batch_size=1000)
    return len(users)


def activate_all() -> int:
    """Every account as after its first login: the consumer refuses those that must change it."""
    from django.utils import timezone

    from portal.accounts.models import User

    return User.objects.update(must_change_password=False, last_login=timezone.now())


def sender_account():
    """The ДОН account that sends: an account of the city institution, position city_staff."""
    from portal.accounts.models import Position, User
    from portal.circulars.services import can_send
    from portal.institutions.models import Kind
    from portal.institutions.scope import scope_of

    user = (
        User.objects.select_related("institution")
        .filter(institution__kind=Kind.CITY, position=Position.CITY_STAFF, is_active=True)
        .order_by("pk")
        .first()
    )
    if user is None:
        raise RuntimeError("No active city_staff account of the city institution: did provisioning run?")
    if not can_send(user):
        raise RuntimeError(
            f"{user.username} may not send circulars: scope {scope_of(user)}, groups "
            f"{list(user.groups.values_list('name', flat=True))}, permissions {sorted(user.get_all_permissions())}"
        )
    return user


def create_sessions(users) -> list[tuple[int, str]]:
    """A logged-in Django session per user, as the login view leaves it: (user id, session key)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = []
    for user in users:
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = SESSION_BACKEND
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append((user.pk, store.session_key))
    return sessions


# --- The ASGI server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(server: str, port: int, workers: int) -> list[str]:
    if server == "daphne":
        return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "ekabinet.asgi:application"]
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "ekabinet.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--lifespan",
        "off",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextlib.contextmanager
def asgi_server(server: str, workers: int, log_dir: Path) -> Iterator[str]:
    """Serve ekabinet.asgi:application in a child process (its own process group); yields the URL.

    The child inherits the scratch database's environment (DATABASE_URL, the Redis prefixes) set
    by `scratch_database`. On exit the whole process group (the server and its workers) is
    stopped: SIGTERM, then SIGKILL if it lingers.
    """
    port = free_port()
    env = dict(os.environ)
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["PYTHONUNBUFFERED"] = "1"
    log_path = log_dir / f"{server}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            server_command(server, port, workers),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{server} exited with {process.returncode}:\n{_tail(log_path)}")
            try:
                with urllib.request.urlopen(f"{url}/health/", timeout=5) as response:  # noqa: S310 - local http
                    body = json.loads(response.read())
                if body.get("status") == "ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{server} did not answer /health/ within {SERVER_START_TIMEOUT} s:\n{_tail(log_path)}"
                )
            time.sleep(0.2)
        yield url
    finally:
        _stop_group(process)
        problems = [line for line in _tail(log_path, 500).splitlines() if any(m in line for m in LOG_PROBLEMS)]
        if problems:
            say(f"  (the server logged {len(problems)} error line(s); last lines of its log:)")
            for line in _tail(log_path, 15).splitlines():
                say(f"  | {line}")


def _stop_group(process: subprocess.Popen) -> None:
    """SIGTERM the process group we started (by its id), then SIGKILL whatever is left."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; workers of the group may still be exiting.
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


# --- The clients (a process of their own) -------------------------------------------------------


def clients_process(conn, ws_url: str, origin: str, cookie: str, sessions: list, wait_after_send: float) -> None:
    """The child's entry point: opens the clients, reports "ready", waits for "go", reports results."""
    try:
        asyncio.run(_clients(conn, ws_url, origin, cookie, sessions, wait_after_send))
    except BaseException as exc:  # noqa: BLE001 - the parent must hear of any failure
        with contextlib.suppress(Exception):
            conn.send(("error", f"{exc.__class__.__name__}: {exc}"))
        raise


async def _clients(conn, ws_url, origin, cookie, sessions, wait_after_send):
    from websockets.asyncio.client import connect

    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    received: dict[int, tuple[float, dict]] = {}  # user id -> (receipt time, event)
    others: dict[int, list] = {}  # user id -> any other messages after hello
    all_in = asyncio.Event()
    sockets = []
    failures = []
    hellos = {}

    async def open_one(user_id, key):
        async with gate:
            try:
                ws = await connect(
                    ws_url,
                    origin=origin,
                    additional_headers={"Cookie": f"{cookie}={key}"},
                    compression=None,
                    open_timeout=HELLO_TIMEOUT,
                    ping_interval=None,
                    max_queue=None,
                )
                hello = json.loads(await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT))
            except Exception as exc:  # noqa: BLE001 - counted and reported
                failures.append((user_id, f"{exc.__class__.__name__}: {exc}"))
                return
        if hello.get("type") != "hello":
            failures.append((user_id, f"first message was not hello: {hello!r}"))
            await ws.close()
            return
        hellos[user_id] = hello.get("unread")
        sockets.append((user_id, ws))

    async def listen(user_id, ws):
        with contextlib.suppress(Exception):
            async for raw in ws:
                at = clock()
                event = json.loads(raw)
                if event.get("type") == "notification" and user_id not in received:
                    received[user_id] = (at, event)
                    if len(received) == len(sockets):
                        all_in.set()
                else:
                    others.setdefault(user_id, []).append(event.get("type"))

    started = clock()
    await asyncio.gather(*(open_one(user_id, key) for user_id, key in sessions))
    connect_s = clock() - started
    listeners = [asyncio.create_task(listen(user_id, ws)) for user_id, ws in sockets]
    conn.send(
        (
            "ready",
            {"connected": len(sockets), "failures": failures[:20], "failed": len(failures), "connect_s": connect_s},
        )
    )

    command = await loop.run_in_executor(None, conn.recv)
    if command == "go" and sockets:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_in.wait(), wait_after_send)
    # A little longer for stray events (a second notification, another person's), then report.
    await asyncio.sleep(0.5)
    results = [
        {
            "user": user_id,
            "hello_unread": hellos[user_id],
            "at": received[user_id][0] if user_id in received else None,
            "event": received[user_id][1] if user_id in received else None,
            "others": others.get(user_id, []),
        }
        for user_id, _ in sockets
    ]
    conn.send(("results", results))
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(ws.close() for _, ws in sockets), return_exceptions=True)


def _receive(conn, process, timeout: float, expected: str):
    """The child's next message, failing clearly if it dies or stays silent."""
    deadline = time.monotonic() + timeout
    while not conn.poll(0.5):
        if not process.is_alive():
            raise RuntimeError(f"the clients process exited ({process.exitcode}) before sending {expected!r}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no {expected!r} from the clients process within {timeout:.0f} s")
    kind, payload = conn.recv()
    if kind == "error":
        raise RuntimeError(f"the clients process failed: {payload}")
    if kind != expected:
        raise RuntimeError(f"the clients process sent {kind!r}, expected {expected!r}")
    return payload


@contextlib.contextmanager
def clients(ws_url: str, origin: str, cookie: str, sessions: list) -> Iterator[tuple]:
    """Start the clients process; yields (connection, process); terminates it on exit."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(
        target=clients_process,
        args=(child, ws_url, origin, cookie, sessions, WAIT_AFTER_SEND),
        name="bench-notify-clients",
        daemon=True,
    )
    process.start()
    try:
        yield parent, process
    except BaseException:
        process.terminate()  # it may be waiting for a "go" that will not come
        raise
    finally:
        process.join(15)
        if process.is_alive():
            process.terminate()
            process.join(5)
        if process.is_alive():
            process.kill()
            process.join(5)
        parent.close()


# --- The send -----------------------------------------------------------------------------------


class SendTimer:
    """Times `send_circular` and its parts by wrapping the notification module's functions in this
    process (the commit moment is when the on-commit push starts); counts and times its SQL, and
    the CPU time this process spends on the push. With `profile`, profiles the call (this thread)
    and the push's event loop (the thread `async_to_sync` runs it in) with cProfile."""

    def __init__(self, profile: bool = False):
        self.marks: dict[str, float] = {}
        self.spans: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.queries = 0
        self.sql_s = 0.0
        self.profiles = {"send_circular": cProfile.Profile(), "push loop": cProfile.Profile()} if profile else {}

    @contextlib.contextmanager
    def installed(self):
        from django.db import connection

        from portal.notifications import live, services

        originals = {name: getattr(services, name) for name in ("push_created", "unread_counts", "send_to_users")}
        send_all = live._send_all

        def timed(name, fn):
            def wrapper(*args, **kwargs):
                start, cpu = clock(), time.process_time()
                self.marks.setdefault(f"{name}_start", start)
                try:
                    return fn(*args, **kwargs)
                finally:
                    self.spans[name] = self.spans.get(name, 0.0) + clock() - start
                    self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu

            return wrapper

        async def profiled_send_all(messages):
            profile = self.profiles["push loop"]
            profile.enable()
            try:
                return await send_all(messages)
            finally:
                profile.disable()

        def sql(execute, query, params, many, context):
            start = time.perf_counter()
            try:
                return execute(query, params, many, context)
            finally:
                self.queries += 1
                self.sql_s += time.perf_counter() - start

        for name, fn in originals.items():
            setattr(services, name, timed(name, fn))
        if self.profiles:
            live._send_all = profiled_send_all
        try:
            with connection.execute_wrapper(sql):
                yield self
        finally:
            for name, fn in originals.items():
                setattr(services, name, fn)
            live._send_all = send_all

    @contextlib.contextmanager
    def profiling(self):
        """Profile this thread (the call) while the block runs, if asked to."""
        profile = self.profiles.get("send_circular")
        if profile is None:
            yield
            return
        profile.enable()
        try:
            yield
        finally:
            profile.disable()

    def print_profiles(self, lines: int = 25) -> None:
        for name, profile in self.profiles.items():
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats(order).print_stats(lines)
                say(f"Profile of the {name} ({order}):")
                for line in out.getvalue().splitlines():
                    if line.strip() and not line.startswith("   Ordered by"):
                        say(f"  {line}")


def warm_up(sender) -> None:
    """One notification to the sender alone, through the same notify -> on-commit push path."""
    from django.db import transaction

    from portal.notifications.services import notify

    with transaction.atomic():
        notify([sender], title="Прогрів (бенчмарк)")


# --- Main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--clients", type=int, help="WebSocket clients (default 1000, quick 100)")
    parser.add_argument("--deputies", type=int, default=4, help="deputy accounts per working school (default 4)")
    parser.add_argument("--server", choices=("uvicorn", "daphne"), default="uvicorn", help="ASGI server")
    parser.add_argument("--workers", type=int, default=2, help="Uvicorn worker processes (default 2; Daphne: 1)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the measured send")
    args = parser.parse_args()
    n_clients = args.clients or (100 if args.quick else 1000)
    workers = 1 if args.server == "daphne" else max(1, args.workers)

    if not os.environ.get("REDIS_URL", "").strip():
        sys.exit(
            "bench.notify needs REDIS_URL (e.g. redis://127.0.0.1:6379/0): the live events go from this process "
            "to the server process through the channels_redis layer; the in-memory layer cannot cross processes."
        )
    if os.environ.get("DATABASE_URL", "").strip().split("://", 1)[0] not in POSTGRES_SCHEMES:
        sys.exit(
            "bench.notify needs a PostgreSQL DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): "
            "the server process and this one write and read the same database at once."
        )

    rng = random.Random(SEED)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_notify_") as tmp, scratch_database() as db:
        from django.conf import settings
        from django.db import connections

        from portal.accounts.models import User
        from portal.circulars.models import Delivery
        from portal.circulars.services import Audience, send_circular
        from portal.institutions.models import Institution
        from portal.institutions.services import REGISTER_FILE, import_register
        from portal.notifications.models import Notification

        layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
        say(f"Notify benchmark{' (quick)' if args.quick else ''} on {db.describe()}, channel layer {layer}")

        step = time.perf_counter()
        register = filtered_register(REGISTER_FILE, QUICK_KOATUU, Path(tmp)) if args.quick else REGISTER_FILE
        imported = import_register(register)
        schools = Institution.objects.schools().count()
        working = Institution.objects.schools().working().count()
        say(
            f"Register: {schools} schools ({working} working), {len(imported.unplaced)} rows unplaced; "
            f"{time.perf_counter() - step:.1f} s"
        )

        step = time.perf_counter()
        heads = provision(Path(tmp))
        deputies = add_deputies(args.deputies)
        activate_all()
        accounts = User.objects.filter(is_active=True).count()
        say(
            f"Accounts: {heads} heads provisioned, {deputies} deputies added ({args.deputies} per working school), "
            f"{accounts} active in all; {time.perf_counter() - step:.1f} s"
        )

        sender = sender_account()
        audience = Audience(to_offices=True, to_schools=True)
        institutions = audience.resolve(sender)
        recipients = list(
            User.objects.filter(institution__in=institutions, is_active=True).order_by("pk").only("pk", "password")
        )
        if len(recipients) < n_clients:
            raise RuntimeError(f"only {len(recipients)} recipients for {n_clients} clients")
        chosen = rng.sample(recipients, n_clients)
        step = time.perf_counter()
        sessions = create_sessions(chosen)
        say(
            f"Sender {sender.username} ({sender.institution.short_name}); {len(recipients)} recipients; "
            f"{len(sessions)} sessions created; {time.perf_counter() - step:.1f} s"
        )

        warm_up(sender)
        # The server and the clients process must not inherit this process's database sockets.
        connections.close_all()
        server_label = f"{args.server} ({workers} worker{'s' if workers > 1 else ''})"
        with asgi_server(args.server, workers, Path(tmp)) as url:
            say(f"Server: {server_label} at {url}")
            ws_url = url.replace("http://", "ws://") + "/ws/events/"
            with clients(ws_url, url, settings.SESSION_COOKIE_NAME, sessions) as (conn, process):
                ready = _receive(conn, process, READY_TIMEOUT, "ready")
                say(
                    f"Clients: {ready['connected']} of {len(sessions)} connected and greeted in "
                    f"{ready['connect_s']:.1f} s ({CONNECT_CONCURRENCY} connecting at a time)"
                )
                if ready["failed"]:
                    say(f"  {ready['failed']} failed, e.g. {ready['failures'][:3]}")
                if ready["connected"] != len(sessions):
                    conn.send("stop")
                    raise RuntimeError("not every client connected: no send")

                timer = SendTimer(profile=args.profile)
                conn.send("go")
                with timer.installed(), timer.profiling():
                    t0 = clock()
                    circular = send_circular(
                        sender,
                        subject="Про підготовку закладів освіти до нового навчального року",
                        body="Просимо ознайомитися з листом і підтвердити отримання.",
                        audience=audience,
                    )
                    t1 = clock()
                results = _receive(conn, process, WAIT_AFTER_SEND + 60, "results")

        rows = Notification.objects.filter(url=circular.get_absolute_url())
        notified = rows.count()
        deliveries = Delivery.objects.filter(circular=circular).count()
        owners = dict(rows.values_list("pk", "recipient_id"))

    latencies = []
    wrong = 0
    unread_off = 0
    extra = 0
    for result in results:
        extra += len(result["others"])
        if result["event"] is None:
            continue
        latencies.append((result["at"] - t0) * 1000)
        notification = result["event"].get("notification") or {}
        if owners.get(notification.get("id")) != result["user"]:
            wrong += 1
        if result["event"].get("unread") != (result["hello_unread"] or 0) + 1:
            unread_off += 1
    received = len(latencies)
    missing = len(results) - received

    commit = timer.marks.get("push_created_start", t1)
    persist_ms = (commit - t0) * 1000
    send_ms = (t1 - t0) * 1000
    push_ms = timer.spans.get("push_created", 0.0) * 1000
    unread_ms = timer.spans.get("unread_counts", 0.0) * 1000
    group_send_ms = timer.spans.get("send_to_users", 0.0) * 1000
    push_cpu_ms = timer.cpu.get("push_created", 0.0) * 1000
    say()
    say(
        f"Circular to {deliveries} institutions: {notified} notifications written "
        f"({timer.queries} SQL queries, {timer.sql_s * 1000:.0f} ms in SQL)"
    )
    say(f"  send_circular      {send_ms:8.1f} ms in all")
    say(f"    persist          {persist_ms:8.1f} ms (until the commit)")
    say(f"    live push        {push_ms:8.1f} ms (on commit; {push_cpu_ms:.0f} ms CPU in this process)")
    say(f"      unread counts  {unread_ms:8.1f} ms")
    say(f"      group_send     {group_send_ms:8.1f} ms ({notified} groups through {layer})")
    result = {
        "bench": "notify",
        "quick": args.quick,
        "database": db.vendor,
        "channel_layer": layer,
        "server": args.server,
        "workers": workers,
        "institutions": deliveries,
        "users": notified,
        "accounts": accounts,
        "clients": len(results),
        "connect_s": round(ready["connect_s"], 1),
        "received": received,
        "missing": missing,
        "wrong_recipient": wrong,
        "unread_mismatch": unread_off,
        "extra_events": extra,
        "persist_ms": round(persist_ms, 1),
        "push_ms": round(push_ms, 1),
        "unread_query_ms": round(unread_ms, 1),
        "group_send_ms": round(group_send_ms, 1),
        "push_cpu_ms": round(push_cpu_ms, 1),
        "send_total_ms": round(send_ms, 1),
        "send_sql_queries": timer.queries,
        "send_sql_ms": round(timer.sql_s * 1000, 1),
    }
    if latencies:
        after_commit = [value - persist_ms for value in latencies]
        result.update(
            {
                "min_ms": round(min(latencies), 1),
                "p50_ms": round(percentile(latencies, 50), 1),
                "p95_ms": round(percentile(latencies, 95), 1),
                "max_ms": round(max(latencies), 1),
                "p50_after_commit_ms": round(percentile(after_commit, 50), 1),
                "max_after_commit_ms": round(max(after_commit), 1),
            }
        )
        say(
            f"Latency, send start to receipt, {received} of {len(results)} clients: min {result['min_ms']:.1f}  "
            f"p50 {result['p50_ms']:.1f}  p95 {result['p95_ms']:.1f}  max {result['max_ms']:.1f} ms "
            f"(after the commit: p50 {result['p50_after_commit_ms']:.1f}, max {result['max_after_commit_ms']:.1f} ms)"
        )
    within = missing == 0 and wrong == 0 and bool(latencies) and max(latencies) <= TARGET_MS
    result["within_2s"] = within
    say(
        f"Missing {missing}, to the wrong person {wrong}, unread count off {unread_off}, other events {extra}; "
        f"everything within {TARGET_MS / 1000:.0f} s: {'yes' if within else 'NO'}"
    )
    timer.print_profiles()
    say(f"Done in {time.perf_counter() - started:.1f} s; the scratch database is dropped, the server stopped.")
    emit(result)


if __name__ == "__main__":
    main()
