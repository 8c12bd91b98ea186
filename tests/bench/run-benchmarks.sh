#!/usr/bin/env bash
# Runs the QR Sign-In benchmarks (tests/bench/README.md) and prints their tables.
#
#   tests/bench/run-benchmarks.sh [--short] [bench.py options…]
#
# --short is the CI version (about 4.5 minutes on 2 cores); without it the
# full run takes about 40 minutes (10 of them waiting, 25 of them soaking).
# Builds first (meson compile) in $QRS_BUILDDIR (default ./build), then runs
# tests/bench/bench.py under a 1024×768 Xvfb and a private session bus; the
# start-up and idle benchmarks run each program with the GL and the cairo
# renderer. The programs' stderr and results.json go to
# $QRS_BUILDDIR/meson-logs/bench/. Exits non-zero only if a benchmark could
# not run.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builddir=${QRS_BUILDDIR:-$top/build}

say () { printf 'run-benchmarks: %s\n' "$*" >&2; }

for tool in meson python3 xvfb-run xauth dbus-run-session; do
  if ! command -v "$tool" >/dev/null; then
    say "$tool is missing: run build-aux/dev deps"
    exit 1
  fi
done

if [[ ! -f $builddir/build.ninja ]]; then
  meson setup "$builddir" "$top"
fi
meson compile -C "$builddir" >&2
# A build directory configured before tests/bench existed does not know it yet.
if [[ ! -x $builddir/tests/bench/bench-floor ]]; then
  meson setup --reconfigure "$builddir" "$top" >&2
  meson compile -C "$builddir" >&2
fi
if [[ ! -x $builddir/tests/bench/bench-floor || ! -x $builddir/tests/bench/bench-qr-grab ]]; then
  say "$builddir/tests/bench was not built: configure with -Dtests=true (and X11 development files)"
  exit 1
fi

# bench.py names the renderer for each program it starts.
exec xvfb-run -a -s "-screen 0 1024x768x24 -noreset" \
  dbus-run-session -- python3 "$top/tests/bench/bench.py" --build-dir "$builddir" "$@"
