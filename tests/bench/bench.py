#!/usr/bin/env python3
# bench.py — the QR Sign-In benchmarks (issue 9). Python 3 standard library only.
#
# Run it through tests/bench/run-benchmarks.sh, which builds and provides the
# X display (Xvfb) and session bus this needs. Each benchmark drives the real
# programs — qr-signin against qr-signin-emulator — and prints a table:
# measurement | value | baseline | ratio (value / baseline). A benchmark is not
# a test: it fails only when something could not be run or measured (the app
# crashed, the QR never decoded, no sign-in came back), never on a threshold.
#
# Copyright 2026 The QR Sign-In developers
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import math
import os
import platform
import queue
import random
import re
import select
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

# bench-floor's fixed code (see bench-floor.c).
FLOOR_ID = "QrsBenchFloorFixedCode00000000"
APP_ID = "qrs-demo-app"
STATUS_PATHS = ("/api/v3/check-qrcode-status", "/api/v3/get-qrcode-status")

# Figures from DESIGN.md "Polling policy" and reference/genauth-qr-api.md §7.
POLICY_PENDING_PER_MIN = 60 / 1.5      # one poll every 1.5 s
POLICY_SCANNED_PER_MIN = 60 / 0.4      # one poll every 0.4 s
GUARD_PER_MIN = 60.0                   # Guard: sleep 1 s, then poll (+ RTT)
JS_SDK_PER_MIN = 60 / 0.8              # js-sdk v4: setInterval 800 ms
TARGET_CONFIRM_MEDIAN_MS = 300.0       # DESIGN.md target
# Guard's confirm latency, modelled: the confirmation lands at a uniformly
# random moment of its 1 s sleep (RTT on loopback neglected).
GUARD_CONFIRM_MEDIAN_MS = 500.0
GUARD_CONFIRM_P95_MS = 950.0

BENCHMARKS = ("startup", "confirm", "rpm", "cpu", "soak")
RENDERERS = ("gl", "cairo")

# The goals of issue 11, as ratios to bench-floor in the same run, and idle
# CPU per 10 minutes of waiting.
GOAL_STARTUP_RATIO = 1.25
GOAL_RSS_RATIO = 1.15
GOAL_IDLE_CPU_S = 0.5

FULL = dict(runs=10, sign_ins=50, rpm_window=30.0, cpu_wait=600.0, refreshes=1000)
SHORT = dict(runs=5, sign_ins=10, rpm_window=15.0, cpu_wait=30.0, refreshes=100)

# Loopback only: never through a proxy from the environment.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Failure(Exception):
    """A benchmark could not be run or measured."""


def monotonic_us():
    return time.monotonic_ns() // 1000


def wait_until(predicate, timeout, what, interval=0.02):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def progress(message):
    """A sign of life on stderr during the long waits; stdout has the tables."""
    print(f"  ... {message}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values)


def p95(values):
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# Processes


class Context:
    def __init__(self, args):
        self.builddir = os.path.abspath(args.build_dir)
        self.app = os.path.join(self.builddir, "src", "qr-signin")
        self.emulator = os.path.join(self.builddir, "src", "emulator", "qr-signin-emulator")
        self.floor = os.path.join(self.builddir, "tests", "bench", "bench-floor")
        self.poll_floor = os.path.join(self.builddir, "tests", "bench", "bench-poll-floor")
        self.grab = os.path.join(self.builddir, "tests", "bench", "bench-qr-grab")
        self.schema_dir = os.path.join(self.builddir, "data")
        self.logdir = args.log_dir or os.path.join(self.builddir, "meson-logs", "bench")
        os.makedirs(self.logdir, exist_ok=True)
        # The previous run's logs, and nothing else.
        for old in os.listdir(self.logdir):
            if re.fullmatch(r"[0-9]{4}-[a-z-]+\.log", old):
                os.remove(os.path.join(self.logdir, old))
        self.children = []
        self.n_logs = 0
        for path in (self.app, self.emulator, self.floor, self.poll_floor, self.grab):
            if not os.access(path, os.X_OK):
                raise SystemExit(f"bench.py: {path} is missing: build first (meson compile -C {self.builddir})")

        # The programs run as in a desktop session: accessibility on, settings
        # from dconf, but from a configuration and cache of their own, so the
        # user's settings (a configured server, a GTK theme) change nothing.
        home = os.path.join(self.logdir, "home")
        for sub in ("config", "cache"):
            os.makedirs(os.path.join(home, sub), exist_ok=True)
        env = dict(os.environ)
        env.update(GDK_BACKEND="x11", GSETTINGS_SCHEMA_DIR=self.schema_dir,
                   XDG_CONFIG_HOME=os.path.join(home, "config"),
                   XDG_CACHE_HOME=os.path.join(home, "cache"),
                   GIO_USE_VFS="local", LC_ALL="C.UTF-8")
        for name in ("G_MESSAGES_DEBUG", "GTK_A11Y", "NO_AT_BRIDGE", "GSETTINGS_BACKEND", "GSK_RENDERER",
                     "GTK_THEME", "GDK_DEBUG", "GSK_DEBUG", "GTK_DEBUG"):
            env.pop(name, None)
        self.env = env

    def spawn(self, name, argv, stdout=subprocess.DEVNULL, renderer="cairo", extra_env=None):
        """Starts a program with its stderr in the log directory, drawing
        with @renderer (GSK_RENDERER)."""
        self.n_logs += 1
        log_path = os.path.join(self.logdir, f"{self.n_logs:04d}-{name}.log")
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(argv, env=dict(self.env, GSK_RENDERER=renderer, **(extra_env or {})),
                                    stdin=subprocess.DEVNULL, stdout=stdout, stderr=log)
        proc.log_path = log_path
        proc.name = name
        self.children.append(proc)
        return proc

    def stop(self, proc):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        if proc in self.children:
            self.children.remove(proc)

    def stop_all(self):
        for proc in list(self.children):
            self.stop(proc)

    def app_argv(self, emulator, *options):
        return [self.app, f"--server={emulator.url}", f"--app-id={APP_ID}", *options]


def log_tail(proc, lines=15):
    try:
        with open(proc.log_path, "rb") as log:
            text = log.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    tail = "\n".join("    " + line for line in text[-lines:])
    return f"\n  last lines of {proc.log_path}:\n{tail}" if tail else ""


def check_alive(proc):
    if proc.poll() is not None:
        raise Failure(f"{proc.name} exited with status {proc.returncode}{log_tail(proc)}")


class Emulator:
    """qr-signin-emulator in its own process, driven over its /__emu/ hooks."""

    def __init__(self, ctx, *options):
        self.ctx = ctx
        self.proc = ctx.spawn("emulator", [ctx.emulator, "--port=0", *options], stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("http://127.0.0.1:"):
            raise Failure(f"the emulator did not start{log_tail(self.proc)}")
        self.url = line

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with _http.open(req, timeout=10) as reply:
                return json.load(reply)
        except urllib.error.HTTPError as error:
            raise Failure(f"{method} {path}: HTTP {error.code} {error.read().decode(errors='replace')}")
        except (urllib.error.URLError, OSError) as error:
            raise Failure(f"{method} {path}: {error}")

    def codes(self):
        return self.request("GET", "/__emu/codes")["codes"]

    def code_ids(self):
        return [code["qrcodeId"] for code in self.codes()]

    def log(self):
        return self.request("GET", "/__emu/log")["entries"]

    def phone(self, qrcode_id, action):
        return self.request("POST", "/__emu/phone", {"qrcodeId": qrcode_id, "action": action,
                                                     "displayName": "Bench"})

    def wait_new_code(self, known, timeout=20, app=None):
        """Waits for a code that is not in @known; returns its id."""
        def newest():
            if app is not None:
                check_alive(app)
            ids = self.code_ids()
            return ids[-1] if ids and ids[-1] not in known else None
        return wait_until(newest, timeout, "the app to ask for a code")

    def stop(self):
        self.ctx.stop(self.proc)


def status_checks(entries):
    return [entry for entry in entries if entry["path"] in STATUS_PATHS]


def read_proc_status(pid):
    """VmRSS, VmHWM, RssAnon … from /proc/PID/status, in kB."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                values[key] = int(rest.split()[0])
    return values


def read_pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of the whole process (every thread, living or not)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def thread_runtimes(pid):
    """Nanoseconds on a CPU so far, per living thread, from the scheduler.

    utime and stime are sampled at each timer tick (4 ms with HZ=250): a
    program that wakes for a millisecond at a time, on timers in step with
    the ticks, is charged nearly all or nearly none of it. The scheduler's
    own count (/proc/PID/task/TID/schedstat) is exact. A thread that starts
    and ends within a measurement is missed; the figures say when the set
    of threads changed.
    """
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as stat:
                out[tid] = int(stat.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return out


def runtime_between(start, end):
    """Seconds on a CPU between two thread_runtimes() readings."""
    return sum(ns - start.get(tid, 0) for tid, ns in end.items()) / 1e9


UNESCAPE = {"n": "\n", "t": "\t", "r": "\r"}


class Grabber:
    """bench-qr-grab: a stream of (grab time in µs, payload) seen on screen."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.proc = ctx.spawn("grab", [ctx.grab], stdout=subprocess.PIPE)
        self.lines = queue.Queue()
        ready = self.proc.stdout.readline().decode().strip()
        if ready != "READY":
            raise Failure(f"bench-qr-grab did not start{log_tail(self.proc)}")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        try:
            for raw in self.proc.stdout:
                grab_us, _, payload = raw.decode("utf-8", "replace").rstrip("\n").split("\t", 2)
                payload = re.sub(r"\\(.)", lambda m: UNESCAPE.get(m.group(1), m.group(1)), payload)
                self.lines.put((int(grab_us), payload))
        except (ValueError, OSError):
            pass
        self.lines.put(None)

    def drain(self):
        while True:
            try:
                item = self.lines.get_nowait()
            except queue.Empty:
                return
            if item is None:
                self.lines.put(None)
                return

    def next(self, deadline):
        """The next picture seen, or None at the deadline."""
        try:
            item = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None
        if item is None:
            raise Failure(f"bench-qr-grab stopped{log_tail(self.proc)}")
        return item

    def stop(self):
        self.proc.terminate()
        self.reader.join(5)
        self.ctx.stop(self.proc)


def qrcode_id(payload):
    try:
        value = json.loads(payload)
    except ValueError:
        return None
    return value.get("qrcodeId") if isinstance(value, dict) else None


# Output


def fmt_ms(value):
    return f"{value:.0f} ms"


def fmt_mb(kb):
    return f"{kb / 1024:.1f} MB"


def fmt_ratio(value, baseline):
    if value is None or baseline is None or baseline == 0:
        return ""
    return f"{value / baseline:.2f}x"


def table(title, rows, notes=()):
    """rows: (measurement, value, baseline, ratio) strings."""
    header = ("measurement", "value", "baseline", "ratio")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]
    print()
    print(title)
    print("=" * len(title))
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(widths[i]) if i == 0 else str(cell).rjust(widths[i])
                        for i, cell in enumerate(row)).rstrip())
    for note in notes:
        print(f"  {note}")
    sys.stdout.flush()


# 1. Time to a scannable QR


def read_trace(path):
    """The start-up milestones a program printed with QRS_TRACE=1:
    {milestone: (ms since exec, VmRSS MB)}, the first of each."""
    marks = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                m = re.match(r"qrs-trace:\s+([\d.]+) ms\s+([\d.]+) MB\s+(.*)$", line.rstrip("\n"))
                if m and m.group(3) not in marks:
                    marks[m.group(3)] = (float(m.group(1)), float(m.group(2)))
    except OSError:
        pass
    return marks


def launch_until_decoded(ctx, grabber, name, argv, accept, renderer):
    """Launches argv and times launch → first picture whose code accept()s.

    Returns (ms, VmHWM kB, Pss kB, trace). Every program runs with its
    start-up trace on (QRS_TRACE=1: a line on stderr per milestone).
    """
    grabber.drain()
    t0 = monotonic_us()
    proc = ctx.spawn(name, argv, renderer=renderer, extra_env={"QRS_TRACE": "1"})
    try:
        deadline = time.monotonic() + 30
        while True:
            item = grabber.next(deadline)
            if item is None:
                check_alive(proc)
                raise Failure(f"{name}: no QR code decoded on screen within 30 s{log_tail(proc)}")
            grab_us, payload = item
            if payload and accept(qrcode_id(payload)):
                break
        elapsed_ms = (grab_us - t0) / 1000
        time.sleep(0.5)
        check_alive(proc)
        status = read_proc_status(proc.pid)
        pss = read_pss_kb(proc.pid)
    finally:
        ctx.stop(proc)
    # Let the window go before the next launch: a picture without the code.
    deadline = time.monotonic() + 3
    while (item := grabber.next(deadline)) is not None and item[1]:
        pass
    return elapsed_ms, status["VmHWM"], pss, read_trace(proc.log_path)


def trace_table(renderer, samples, names):
    """Median time (since exec) and VmRSS of each milestone, per program."""
    order = []
    for name in names:
        for sample in samples[(renderer, name)]:
            for what in sample[3]:
                if what not in order:
                    order.append(what)
    rows = []
    for what in sorted(order, key=lambda w: median([s[3][w][0] for n in names
                                                    for s in samples[(renderer, n)] if w in s[3]])):
        cells = []
        for name in names:
            marks = [s[3][what] for s in samples[(renderer, name)] if what in s[3]]
            cells.append(f"{median([m[0] for m in marks]):.0f} ms {median([m[1] for m in marks]):.0f} MB"
                         if marks else "")
        rows.append((what, *cells))
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"\nStart-up trace, GSK_RENDERER={renderer} (medians; ms since exec, to a 10 ms tick, and VmRSS)")
    print("=" * 78)
    print(f"{'milestone':<{width}}  " + "  ".join(f"{n.split()[0]:>18}" for n in names))
    for row in rows:
        print(f"{row[0]:<{width}}  " + "  ".join(f"{c:>18}" for c in row[1:]))
    print("  From the same runs as the table above; what happens before main() (loading")
    print("  libraries) is the first row. The frame 'rendered' is the frame clock's after-paint.")


STARTUP_APPS = ("qr-signin --qr-source=local", "qr-signin")


def bench_startup(ctx, runs, renderers, results):
    emulator = Emulator(ctx)
    grabber = Grabber(ctx)
    try:
        def app_accept(known):
            def accept(code_id):
                return (code_id is not None and code_id not in known and
                        emulator.code_ids()[-1] == code_id)
            return accept

        variants = {
            "bench-floor": lambda: ([ctx.floor], lambda code_id: code_id == FLOOR_ID),
            "qr-signin --qr-source=local":
                lambda: (ctx.app_argv(emulator, "--qr-source=local"), app_accept(set(emulator.code_ids()))),
            "qr-signin": lambda: (ctx.app_argv(emulator), app_accept(set(emulator.code_ids()))),
        }
        samples = {(renderer, name): [] for renderer in renderers for name in variants}
        # Round 0 warms the caches and is not counted; then the programs take
        # turns, so that whatever else the machine does falls on all alike.
        for round_ in range(runs + 1):
            for renderer in renderers:
                for name, make in variants.items():
                    argv, accept = make()
                    sample = launch_until_decoded(ctx, grabber, name.split()[0], argv, accept, renderer)
                    if round_ > 0:
                        samples[(renderer, name)].append(sample)
    finally:
        grabber.stop()
        emulator.stop()

    out = {"runs": runs}
    for renderer in renderers:
        floor = samples[(renderer, "bench-floor")]
        floor_ms = median([s[0] for s in floor])
        floor_hwm = median([s[1] for s in floor])
        floor_pss = median([s[2] for s in floor if s[2] is not None] or [0])
        rows = [
            ("bench-floor: launch -> QR decodes, median", fmt_ms(floor_ms), "", ""),
            ("bench-floor: min - max",
             f"{min(s[0] for s in floor):.0f} - {max(s[0] for s in floor):.0f} ms", "", ""),
            ("bench-floor: peak RSS (VmHWM), median", fmt_mb(floor_hwm), "", ""),
            ("bench-floor: PSS, median", fmt_mb(floor_pss), "", ""),
        ]
        out[renderer] = {"floor": {"ms": [s[0] for s in floor], "vmhwm_kb": [s[1] for s in floor],
                                   "pss_kb": [s[2] for s in floor]}}
        for name in STARTUP_APPS:
            app = samples[(renderer, name)]
            app_ms = median([s[0] for s in app])
            app_hwm = median([s[1] for s in app])
            app_pss = median([s[2] for s in app if s[2] is not None] or [0])
            rows += [
                (f"{name}: launch -> QR decodes, median", fmt_ms(app_ms), fmt_ms(floor_ms),
                 fmt_ratio(app_ms, floor_ms)),
                (f"{name}: min - max",
                 f"{min(s[0] for s in app):.0f} - {max(s[0] for s in app):.0f} ms", "", ""),
                (f"{name}: peak RSS (VmHWM), median", fmt_mb(app_hwm), fmt_mb(floor_hwm),
                 fmt_ratio(app_hwm, floor_hwm)),
                (f"{name}: PSS, median", fmt_mb(app_pss), fmt_mb(floor_pss), fmt_ratio(app_pss, floor_pss)),
            ]
            out[renderer][name] = {"ms": [s[0] for s in app], "vmhwm_kb": [s[1] for s in app],
                                   "pss_kb": [s[2] for s in app],
                                   "ms_ratio": app_ms / floor_ms, "vmhwm_ratio": app_hwm / floor_hwm}
        table(f"Time to a scannable QR, GSK_RENDERER={renderer} ({runs} runs each after 1 warm-up, taking turns)",
              rows, [
                  "launch = just before spawning; QR decodes = the first grab of the screen (on X damage)",
                  "whose pixels ZBar decodes as the current code (qr-signin: the emulator's newest code).",
                  "Memory read 0.5 s after that. --qr-source=local encodes the code itself; without it",
                  "qr-signin shows the emulator's PNG. Baseline: bench-floor, a bare GTK 4 window of",
                  "qr-signin's size painting a libqrencode code with cairo, in the same run and renderer.",
                  f"Goals: launch <= {GOAL_STARTUP_RATIO:.2f}x and peak RSS <= {GOAL_RSS_RATIO:.2f}x the floor's.",
              ])
        trace_table(renderer, samples, ("bench-floor", "qr-signin --qr-source=local"))
    results["startup"] = out


# 2. Confirm -> signed in


def read_line(proc, timeout):
    """Reads stdout up to the first newline; returns (line, monotonic time)."""
    fd = proc.stdout.fileno()
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(0.0, remaining))
        if not ready:
            raise Failure(f"no token JSON on stdout within {timeout:g} s{log_tail(proc)}")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise Failure(f"stdout closed without a token JSON (status {proc.wait()}){log_tail(proc)}")
        data += chunk
    return data.split(b"\n", 1)[0], time.monotonic()


def bench_confirm(ctx, sign_ins, results):
    emulator = Emulator(ctx)
    jitter = random.Random(9)
    latencies = []
    try:
        for _ in range(sign_ins):
            known = set(emulator.code_ids())
            app = ctx.spawn("qr-signin", ctx.app_argv(emulator), stdout=subprocess.PIPE)
            try:
                code_id = emulator.wait_new_code(known, app=app)
                emulator.phone(code_id, "SCAN")
                seen = len(emulator.log())
                # The app knows it was scanned once it polled after the scan;
                # then the person confirms at a random moment of a poll cycle.
                wait_until(lambda: status_checks(emulator.log()[seen:]), 5, "a status poll after the scan")
                time.sleep(jitter.uniform(0.5, 0.9))
                t0 = time.monotonic()
                emulator.phone(code_id, "CONFIRM")
                line, t1 = read_line(app, 10)
                tokens = json.loads(line)
                if not tokens.get("access_token"):
                    raise Failure(f"the JSON on stdout has no access_token: {line[:80]!r}")
                latencies.append((t1 - t0) * 1000)
                status = app.wait(10)
                if status != 0:
                    raise Failure(f"qr-signin exited {status} after signing in{log_tail(app)}")
            finally:
                ctx.stop(app)
    finally:
        emulator.stop()

    rows = [
        ("CONFIRM -> token JSON on stdout, median", fmt_ms(median(latencies)),
         fmt_ms(GUARD_CONFIRM_MEDIAN_MS), fmt_ratio(median(latencies), GUARD_CONFIRM_MEDIAN_MS)),
        ("CONFIRM -> token JSON on stdout, p95", fmt_ms(p95(latencies)),
         fmt_ms(GUARD_CONFIRM_P95_MS), fmt_ratio(p95(latencies), GUARD_CONFIRM_P95_MS)),
        ("CONFIRM -> token JSON on stdout, min - max",
         f"{min(latencies):.0f} - {max(latencies):.0f} ms", "", ""),
        ("median against the design target", fmt_ms(median(latencies)),
         fmt_ms(TARGET_CONFIRM_MEDIAN_MS), fmt_ratio(median(latencies), TARGET_CONFIRM_MEDIAN_MS)),
    ]
    table(f"Confirm -> signed in ({sign_ins} sign-ins, window mode)", rows, [
        "From just before POST /__emu/phone CONFIRM to the JSON line read from qr-signin's stdout;",
        "CONFIRM comes 0.5-0.9 s (uniformly random) after the app's first poll that saw SCANNED.",
        "Baseline: the official web component (Guard) sleeps 1 s between polls, so a confirmation",
        "waits 0-1 s: median 500 ms, p95 950 ms (model, RTT neglected). DESIGN.md target: < 300 ms median.",
    ])
    results["confirm"] = {"sign_ins": sign_ins, "ms": latencies,
                          "median_ms": median(latencies), "p95_ms": p95(latencies)}


# 3. Requests per minute


def count_window(entries, start_ms, seconds):
    """Status polls in (start_ms, start_ms + seconds]: how many, and their
    rate per minute from the mean gap between them (a count alone would be
    off by up to one poll at the window's edges).
    """
    inside = [e["ms"] for e in status_checks(entries) if start_ms < e["ms"] <= start_ms + seconds * 1000]
    gaps = [b - a for a, b in zip([start_ms] + inside, inside)]
    if not gaps:
        raise Failure(f"no status poll in {seconds:g} s")
    return len(inside), 60000 / statistics.mean(gaps), statistics.mean(gaps)


def bench_rpm(ctx, window, results):
    emulator = Emulator(ctx)
    app = ctx.spawn("qr-signin", ctx.app_argv(emulator))
    try:
        code_id = emulator.wait_new_code(set(), app=app)
        first = wait_until(lambda: status_checks(emulator.log()), 10, "the first status poll")[0]
        time.sleep(window + 0.3)
        check_alive(app)
        pending = count_window(emulator.log(), first["ms"], window)

        emulator.phone(code_id, "SCAN")
        seen = len(emulator.log())
        first = wait_until(lambda: status_checks(emulator.log()[seen:]), 5, "a status poll after the scan")[0]
        time.sleep(window + 0.3)
        check_alive(app)
        scanned = count_window(emulator.log(), first["ms"], window)
    finally:
        ctx.stop(app)
        emulator.stop()

    rows = []
    for state, (n, per_min, gap), policy in (("PENDING", pending, POLICY_PENDING_PER_MIN),
                                             ("SCANNED", scanned, POLICY_SCANNED_PER_MIN)):
        rows += [
            (f"{state}: status polls per minute", f"{per_min:.1f}", f"{GUARD_PER_MIN:.0f} (Guard)",
             fmt_ratio(per_min, GUARD_PER_MIN)),
            (f"{state}: against js-sdk v4", f"{per_min:.1f}", f"{JS_SDK_PER_MIN:.0f} (js-sdk)",
             fmt_ratio(per_min, JS_SDK_PER_MIN)),
            (f"{state}: against the policy", f"{per_min:.1f}", f"{policy:.0f} (policy)",
             fmt_ratio(per_min, policy)),
            (f"{state}: polls counted / mean gap", f"{n} / {gap:.0f} ms", "", ""),
        ]
    table(f"Requests per minute ({window:g} s in each state, from the emulator's log)", rows, [
        "check-qrcode-status requests in the emulator's log, from the first poll of each state;",
        "per minute = 60 s / the mean gap between consecutive polls.",
        "Baselines: Guard sleeps 1 s then polls (about 60/min + RTT); js-sdk v4 polls every 800 ms (75/min);",
        "the policy is 1.5 s in PENDING (40/min) and 0.4 s in SCANNED (150/min), each after the answer.",
    ])
    results["rpm"] = {"window_s": window,
                      "pending": {"polls": pending[0], "per_min": pending[1], "mean_gap_ms": pending[2]},
                      "scanned": {"polls": scanned[0], "per_min": scanned[1], "mean_gap_ms": scanned[2]}}


# 4. CPU while waiting


CPU_NAMES = ("bench-floor", "bench-floor --tick", "bench-poll-floor", "bench-poll-floor --tick",
             "qr-signin", "qr-signin --kiosk")


def bench_cpu(ctx, wait, renderers, results):
    # Everything waits side by side, each app with its own emulator: all of
    # them are idle most of the time, so they hardly disturb one another.
    procs = {}
    emulators = {}
    poll_emulators = {}  # the poll floors': polled, never asked for a code
    try:
        for renderer in renderers:
            procs[(renderer, "bench-floor")] = ctx.spawn("bench-floor", [ctx.floor], renderer=renderer)
            procs[(renderer, "bench-floor --tick")] = ctx.spawn("bench-floor", [ctx.floor, "--tick"],
                                                                renderer=renderer)
            for name, options in (("bench-poll-floor", ()), ("bench-poll-floor --tick", ("--tick",))):
                emulator = poll_emulators[(renderer, name)] = Emulator(ctx)
                url = f"{emulator.url}/api/v3/check-qrcode-status?qrcodeId=QrsBenchPollFloor"
                procs[(renderer, name)] = ctx.spawn("bench-poll-floor",
                                                    [ctx.poll_floor, f"--poll={url}", *options],
                                                    renderer=renderer)
            for name, options in (("qr-signin", ()), ("qr-signin --kiosk", ("--kiosk",))):
                emulators[(renderer, name)] = Emulator(ctx, "--qr-ttl=3600")
                procs[(renderer, name)] = ctx.spawn("qr-signin", ctx.app_argv(emulators[(renderer, name)], *options),
                                                    renderer=renderer)
        for key, emulator in emulators.items():
            emulator.wait_new_code(set(), app=procs[key])
        time.sleep(2)
        codes_before = {key: len(emulator.codes()) for key, emulator in emulators.items()}
        polled = {**emulators, **poll_emulators}
        polls_before = {key: len(status_checks(emulator.log())) for key, emulator in polled.items()}
        start = {key: cpu_seconds(proc.pid) for key, proc in procs.items()}
        start_exact = {key: thread_runtimes(proc.pid) for key, proc in procs.items()}
        t0 = time.monotonic()
        deadline = t0 + wait
        next_report = t0 + 60
        while time.monotonic() < deadline:
            time.sleep(min(5.0, max(0.0, deadline - time.monotonic())))
            for proc in procs.values():
                check_alive(proc)
            if time.monotonic() >= next_report:
                progress(f"cpu: {time.monotonic() - t0:.0f} of {wait:g} s")
                next_report += 60
        elapsed = time.monotonic() - t0
        ticked = {key: cpu_seconds(proc.pid) - start[key] for key, proc in procs.items()}
        end_exact = {key: thread_runtimes(proc.pid) for key, proc in procs.items()}
        exact = all(start_exact[key] and end_exact[key] for key in procs)
        used = ({key: runtime_between(start_exact[key], end_exact[key]) for key in procs}
                if exact else ticked)
        threads_changed = sorted(" ".join(key) for key in procs
                                 if set(start_exact[key]) != set(end_exact[key]))
        refreshes = {key: len(emulator.codes()) - codes_before[key] for key, emulator in emulators.items()}
        polls = {key: len(status_checks(emulator.log())) - polls_before[key] for key, emulator in polled.items()}
    finally:
        for proc in procs.values():
            ctx.stop(proc)
        for emulator in list(emulators.values()) + list(poll_emulators.values()):
            emulator.stop()

    def fmt_cpu(seconds):
        return f"{seconds:.3f} s" if seconds < 0.1 else f"{seconds:.2f} s"

    def per_10_min(seconds):
        return seconds * 600 / elapsed

    out = {"wait_s": elapsed}
    for renderer in renderers:
        floor = used[(renderer, "bench-floor")]
        tick = used[(renderer, "bench-floor --tick")]
        poll_tick = used[(renderer, "bench-poll-floor --tick")]
        rows = [
            ("bench-floor: CPU per 10 min", fmt_cpu(per_10_min(floor)), "", ""),
            ("bench-floor --tick (a label changing every second)", fmt_cpu(per_10_min(tick)), "", ""),
            ("bench-poll-floor (a GET every 1.5 s through libsoup)",
             fmt_cpu(per_10_min(used[(renderer, "bench-poll-floor")])), "", ""),
            ("bench-poll-floor: status polls", f"{polls[(renderer, 'bench-poll-floor')]}", "", ""),
            ("bench-poll-floor --tick (the GET and the label)", fmt_cpu(per_10_min(poll_tick)),
             f"{GOAL_IDLE_CPU_S:.2f} s (goal)", fmt_ratio(per_10_min(poll_tick), GOAL_IDLE_CPU_S)),
        ]
        for name in ("qr-signin", "qr-signin --kiosk"):
            key = (renderer, name)
            rows += [
                (f"{name}: CPU per 10 min", fmt_cpu(per_10_min(used[key])),
                 f"{GOAL_IDLE_CPU_S:.2f} s (goal)", fmt_ratio(per_10_min(used[key]), GOAL_IDLE_CPU_S)),
                (f"{name}: against bench-floor --tick", fmt_cpu(per_10_min(used[key])),
                 fmt_cpu(per_10_min(tick)), fmt_ratio(used[key], tick)),
                (f"{name}: against bench-poll-floor --tick", fmt_cpu(per_10_min(used[key])),
                 fmt_cpu(per_10_min(poll_tick)), fmt_ratio(used[key], poll_tick)),
                (f"{name}: status polls / new codes", f"{polls[key]} / {refreshes[key]}", "", ""),
                (f"{name}: CPU per 10 min by tick sampling (utime + stime)",
                 fmt_cpu(per_10_min(ticked[key])), "", ""),
            ]
        table(f"CPU while waiting, GSK_RENDERER={renderer} ({elapsed:.0f} s in PENDING, nobody scans)", rows, [
            "Time on a CPU by the scheduler's exact count (/proc/PID/task/*/schedstat, every thread) over",
            "the wait, after the first code plus 2 s, scaled to 10 minutes; the kernel's tick-sampled",
            "utime + stime beside it for comparison. The emulator keeps codes for an hour, so codes are",
            "replaced only at the app's own 120 s deadline (window mode does that up to 5 times, the",
            "kiosk forever); the CPU includes those refreshes, a status poll every 1.5 s, and the",
            "countdown of each code's last 30 s.",
            "Baselines: bench-floor idling beside them, and bench-floor --tick, whose label changes every",
            "second (what a countdown shown all the time would cost at least); bench-poll-floor, the same",
            "window polling its own emulator with libsoup every 1.5 s after each answer (the least polling at",
            "the PENDING rate costs a GTK program), and with --tick as well: polling and counting down each",
            "second, which qr-signin does only in each code's last 30 s.",
        ] + ([] if exact else ["/proc/PID/task/*/schedstat cannot be read here: the figures are the tick-sampled ones."]
        ) + ([f"Threads came or went during the wait (one that lived only within it is missed) in: "
              f"{', '.join(threads_changed)}."] if threads_changed else []))
        out[renderer] = {
            "cpu_s": {name: used[(renderer, name)] for name in
                      CPU_NAMES},
            "cpu_s_per_10_min": {name: per_10_min(used[(renderer, name)]) for name in
                                 CPU_NAMES},
            "cpu_s_per_10_min_ticks": {name: per_10_min(ticked[(renderer, name)]) for name in
                                       CPU_NAMES},
            "status_polls": {name: polls[(renderer, name)] for name in ("bench-poll-floor", "bench-poll-floor --tick", "qr-signin", "qr-signin --kiosk")},
            "new_codes": {name: refreshes[(renderer, name)] for name in ("qr-signin", "qr-signin --kiosk")},
        }
    results["cpu"] = out


# 5. Soak


def bench_soak(ctx, target, results):
    # The floor's resident size, for scale.
    floor = ctx.spawn("bench-floor", [ctx.floor])
    try:
        time.sleep(2)
        check_alive(floor)
        floor_rss = read_proc_status(floor.pid)["VmRSS"]
    finally:
        ctx.stop(floor)

    # Codes live one second: the app's first poll of each (1.5 s after it
    # arrived) says EXPIRED, and the kiosk asks for the next one at once.
    emulator = Emulator(ctx, "--qr-ttl=1")
    app = ctx.spawn("qr-signin", ctx.app_argv(emulator, "--kiosk"))
    samples = []
    try:
        seen = set([emulator.wait_new_code(set(), app=app)])
        time.sleep(0.5)
        t0 = time.monotonic()
        status = read_proc_status(app.pid)
        samples.append((0, 0.0, status["VmRSS"], status.get("RssAnon", 0)))
        step = max(1, target // 10)
        next_sample = min(10, target)
        deadline = t0 + target * 4 + 60
        refreshes = 0
        while refreshes < target:
            if time.monotonic() > deadline:
                raise Failure(f"only {refreshes} of {target} refreshes in {deadline - t0:.0f} s")
            time.sleep(0.5)
            check_alive(app)
            ids = emulator.code_ids()
            new = [code_id for code_id in ids if code_id not in seen]
            seen.update(new)
            refreshes += len(new)
            if refreshes >= next_sample or refreshes >= target:
                status = read_proc_status(app.pid)
                samples.append((refreshes, time.monotonic() - t0, status["VmRSS"], status.get("RssAnon", 0)))
                progress(f"soak: {refreshes} of {target} refreshes, {time.monotonic() - t0:.0f} s, "
                         f"VmRSS {fmt_mb(status['VmRSS'])}")
                next_sample = (next_sample // step + 1) * step
        elapsed = time.monotonic() - t0
        end = read_proc_status(app.pid)
        created = [e["ms"] for e in emulator.log() if e["path"] == "/api/v3/gene-qrcode" and e["status"] == 200]
        per_refresh = (created[-1] - created[0]) / (len(created) - 1) / 1000
    finally:
        ctx.stop(app)
        emulator.stop()

    start_rss, start_anon = samples[0][2], samples[0][3]
    warm = samples[1]
    rows = [
        ("refreshes (new codes after the first)", f"{refreshes}", "", ""),
        ("elapsed", f"{elapsed:.0f} s", "", ""),
        ("time per refresh (between gene-qrcode calls)", f"{per_refresh:.3f} s", "1.500 s (policy)",
         fmt_ratio(per_refresh, 1.5)),
        ("VmRSS at start (first code shown)", fmt_mb(start_rss), f"{fmt_mb(floor_rss)} (floor)",
         fmt_ratio(start_rss, floor_rss)),
        (f"VmRSS after {warm[0]} refreshes", fmt_mb(warm[2]), "", ""),
        (f"VmRSS at end ({refreshes} refreshes)", fmt_mb(end["VmRSS"]), f"{fmt_mb(floor_rss)} (floor)",
         fmt_ratio(end["VmRSS"], floor_rss)),
        ("VmRSS growth, start -> end",
         f"{(end['VmRSS'] - start_rss) / 1024:+.1f} MB ({100 * (end['VmRSS'] - start_rss) / start_rss:+.1f} %)",
         "", ""),
        (f"VmRSS growth, after {warm[0]} -> end",
         f"{(end['VmRSS'] - warm[2]) / 1024:+.1f} MB ({100 * (end['VmRSS'] - warm[2]) / warm[2]:+.1f} %)", "", ""),
        ("RssAnon (heap) start -> end",
         f"{start_anon / 1024:.1f} -> {end.get('RssAnon', 0) / 1024:.1f} MB", "", ""),
        ("VmHWM (peak) at end", fmt_mb(end["VmHWM"]), "", ""),
    ]
    series = " ".join(f"{s[2] / 1024:.1f}" for s in samples)
    table(f"Soak: {refreshes} code refreshes in kiosk mode", rows, [
        "The emulator's codes live 1 s (--qr-ttl=1): each is EXPIRED at the app's first poll, 1.5 s after it",
        "arrived, and the kiosk asks for the next at once (server QR image, fetched each time).",
        f"VmRSS (MB) at refreshes {', '.join(str(s[0]) for s in samples)}:",
        f"  {series}",
        "Baseline: bench-floor's VmRSS 2 s after launch.",
    ])
    results["soak"] = {"refreshes": refreshes, "elapsed_s": elapsed, "per_refresh_s": per_refresh,
                       "floor_vmrss_kb": floor_rss,
                       "samples": [{"refreshes": s[0], "t_s": s[1], "vmrss_kb": s[2], "rssanon_kb": s[3]}
                                   for s in samples],
                       "end": {"vmrss_kb": end["VmRSS"], "vmhwm_kb": end["VmHWM"],
                               "rssanon_kb": end.get("RssAnon", 0)}}


# Main


def describe_machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        gtk = subprocess.run(["pkg-config", "--modversion", "gtk4"], capture_output=True,
                             text=True, check=False).stdout.strip() or "?"
    except OSError:
        gtk = "?"
    return f"{os.cpu_count()} x {cpu}; Linux {platform.release()}; GTK {gtk}; Xvfb {screen_size()}"


def screen_size():
    try:
        out = subprocess.run(["xdotool", "getdisplaygeometry"], capture_output=True, text=True,
                             check=False).stdout.split()
    except OSError:
        return "?"
    return "x".join(out) if len(out) == 2 else "?"


def load_average():
    """The machine's load over the last 1, 5 and 15 minutes: other work
    on it makes every figure noisier."""
    try:
        with open("/proc/loadavg") as loadavg:
            return " ".join(loadavg.read().split()[:3])
    except OSError:
        return "?"


def main():
    parser = argparse.ArgumentParser(description="QR Sign-In benchmarks (run through run-benchmarks.sh)")
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--short", action="store_true",
                        help="the CI version: fewer runs, shorter waits (%s)" % ", ".join(
                            f"{k}={v:g}" for k, v in SHORT.items()))
    parser.add_argument("--only", default=",".join(BENCHMARKS),
                        help="comma-separated subset of: " + ", ".join(BENCHMARKS))
    parser.add_argument("--renderers", default=",".join(RENDERERS),
                        help="GSK_RENDERER values for startup and cpu, comma-separated (default: gl,cairo); "
                             "confirm, rpm and soak use cairo")
    parser.add_argument("--runs", type=int, help="start-up runs per program")
    parser.add_argument("--sign-ins", type=int, help="sign-ins timed from CONFIRM")
    parser.add_argument("--rpm-window", type=float, help="seconds counted in each state")
    parser.add_argument("--cpu-wait", type=float, help="seconds of PENDING wait")
    parser.add_argument("--refreshes", type=int, help="code refreshes in the soak")
    parser.add_argument("--log-dir", help="where the programs' stderr and results.json go "
                                          "(default BUILD/meson-logs/bench)")
    args = parser.parse_args()

    settings = dict(SHORT if args.short else FULL)
    for key in settings:
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    renderers = [name.strip() for name in args.renderers.split(",") if name.strip()]
    for name in only:
        if name not in BENCHMARKS:
            parser.error(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
    if "DISPLAY" not in os.environ:
        parser.error("no X display: run through tests/bench/run-benchmarks.sh (it starts Xvfb)")

    ctx = Context(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    print(f"QR Sign-In benchmarks, {'short (CI)' if args.short else 'full'} run: "
          + ", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in settings.items()))
    print(describe_machine())
    print(f"renderers: {', '.join(renderers)} (startup, cpu); cairo (confirm, rpm, soak); load average {load_average()}")
    results = {"short": args.short, "settings": settings, "machine": describe_machine(),
               "renderers": renderers, "load_average": {"start": load_average()}}
    failed = []
    started = time.monotonic()
    steps = {
        "startup": lambda: bench_startup(ctx, settings["runs"], renderers, results),
        "confirm": lambda: bench_confirm(ctx, settings["sign_ins"], results),
        "rpm": lambda: bench_rpm(ctx, settings["rpm_window"], results),
        "cpu": lambda: bench_cpu(ctx, settings["cpu_wait"], renderers, results),
        "soak": lambda: bench_soak(ctx, settings["refreshes"], results),
    }
    try:
        for name in only:
            t = time.monotonic()
            try:
                steps[name]()
            except Failure as error:
                print(f"\n{name}: FAILED: {error}", flush=True)
                failed.append(name)
            finally:
                ctx.stop_all()
            results["load_average"][name] = load_average()
            print(f"  ({name}: {time.monotonic() - t:.0f} s; load average after it {load_average()})", flush=True)
    finally:
        ctx.stop_all()

    results["failed"] = failed
    results["elapsed_s"] = time.monotonic() - started
    with open(os.path.join(ctx.logdir, "results.json"), "w") as out:
        json.dump(results, out, indent=1)
    print(f"\nAll done in {results['elapsed_s']:.0f} s; logs and results.json in {ctx.logdir}")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
