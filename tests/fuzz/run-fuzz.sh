#!/bin/sh
# Builds a libFuzzer target with clang and runs it on a copy of its seed
# corpus.
#
#   tests/fuzz/run-fuzz.sh [SECONDS] [TARGET]   (default 60, genauth-wire)
#
# TARGET is genauth-wire (the GenAuth answer parsers) or json (the strict
# JSON checker and the reader under every wire parser).
#
# Installs clang and libFuzzer's runtime with apt-get when they are missing
# (Debian 12: clang, libclang-rt-14-dev). Builds in $FUZZ_BUILD_DIR (default
# a directory under ${TMPDIR:-/tmp}), prints one summary line, and exits
# non-zero if the fuzzer found a crash, a sanitizer error or a GLib
# warning/critical; the input that did it is kept and named in the summary.

set -eu

seconds=${1:-60}
name=${2:-genauth-wire}
case $seconds in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS] [genauth-wire|json]" >&2; exit 2 ;;
esac
case $name in
  genauth-wire|json) ;;
  *) echo "usage: $0 [SECONDS] [genauth-wire|json]" >&2; exit 2 ;;
esac

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${FUZZ_BUILD_DIR:-${TMPDIR:-/tmp}/qr-signin-fuzz-build}
target=fuzz-$name

# Debian 12's names; other systems need clang with libFuzzer already.
if command -v dpkg-query >/dev/null 2>&1; then
  missing=
  for package in clang libclang-rt-14-dev; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing="$missing $package"
    fi
  done
  if [ -n "$missing" ]; then
    echo "Installing$missing" >&2
    sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq >&2
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
  fi
fi

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" "$srcdir" \
    -Dfuzzing=true -Dtests=true \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized >&2
fi
meson compile -C "$builddir" "$target" >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/qr-signin-fuzz.XXXXXX")
mkdir "$work/corpus" "$work/artifacts"
cp "$srcdir"/tests/fuzz/corpus/"$name"/* "$work/corpus/"
seeds=$(ls "$work/corpus" | wc -l)
log="$work/fuzz.log"

status=0
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
G_DEBUG=fatal-criticals \
  "$builddir/tests/fuzz/$target" \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -max_len=8192 \
    -dict="$srcdir/tests/fuzz/genauth-wire.dict" \
    -artifact_prefix="$work/artifacts/" \
    -print_final_stats=1 \
    "$work/corpus" >"$log" 2>&1 || status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
coverage=$(sed -n 's/.*DONE *cov: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
inputs=$(ls "$work/corpus" | wc -l)
artifact=$(ls "$work/artifacts" 2>/dev/null | head -n 1)

if [ "$status" -eq 0 ] && [ -z "$artifact" ]; then
  echo "$target: OK, ${runs:-?} runs in ${seconds} s, coverage ${coverage:-?} edges, corpus $seeds -> $inputs inputs"
  rm -rf "$work"
  exit 0
fi

tail -n 60 "$log" >&2
echo "$target: FAILED (exit $status) after ${runs:-?} runs; input: $work/artifacts/${artifact:-?}; log: $log"
[ "$status" -ne 0 ] || status=1
exit "$status"
