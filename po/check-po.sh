#!/bin/sh
# Checks one translation catalogue: msgfmt accepts it (-c --check-format),
# nothing in it is fuzzy or untranslated, and — when xgettext is at hand — it
# covers every string the sources mark today (so a catalogue that was not
# updated after a string changed fails too).
#
# Usage: po/check-po.sh LANG.po

set -eu

po=${1:?"usage: $0 LANG.po"}
podir=$(cd "$(dirname "$0")" && pwd)

LC_ALL=C
export LC_ALL

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0

if ! msgfmt --check --check-format --output-file=/dev/null "$po"; then
  echo "$po: msgfmt -c --check-format failed"
  exit 1
fi

report ()
{
  label=$1
  file=$2
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$file" | grep -c '^msgid ' || true)
  untranslated=$(msgattrib --untranslated --no-obsolete "$file" | grep -c '^msgid ' || true)
  # msgattrib keeps the header entry when it prints anything at all.
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  if [ "$fuzzy" -ne 0 ] || [ "$untranslated" -ne 0 ]; then
    echo "$label: $fuzzy fuzzy, $untranslated untranslated:"
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$file" | grep '^msgid "..*"$' | sed 's/^/  fuzzy: /' || true
    msgattrib --untranslated --no-obsolete --no-wrap "$file" | grep '^msgid "..*"$' | sed 's/^/  untranslated: /' || true
    status=1
  fi
}

if grep -q '^#,.*fuzzy' "$po"; then
  echo "$po: has entries marked fuzzy (the header counts too)"
  status=1
fi
report "$po" "$po"

if command -v xgettext >/dev/null 2>&1 && command -v msgmerge >/dev/null 2>&1; then
  "$podir/update-po.sh" --pot "$tmp/template.pot"
  msgmerge --quiet --no-wrap --output-file="$tmp/merged.po" "$po" "$tmp/template.pot"
  before=$status
  report "$po against the current sources" "$tmp/merged.po"
  if [ "$status" -ne "$before" ]; then
    echo "Run po/update-po.sh and translate the strings above."
  fi
else
  echo "xgettext not found: not checking against the current sources"
fi

exit "$status"
