#!/bin/sh
# Checks po/POTFILES against the source tree: every file under src/ and data/
# with translatable strings must be listed, every listed file must exist, and
# the list must be sorted without duplicates.
#
# Usage: po/check-potfiles.sh [SOURCE_ROOT]
#
# In a git checkout the files are those git knows about (tracked, or new and
# not ignored), so stray build or editor files do not count; elsewhere (a
# tarball) every file under src/ and data/.

set -eu

root=${1:-$(dirname "$0")/..}
cd "$root"

potfiles=po/POTFILES
if [ ! -f "$potfiles" ]; then
  echo "check-potfiles: $root/$potfiles not found" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

LC_ALL=C
export LC_ALL

# Listed files: everything but comments and blank lines.
sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's/^[[:space:]]*//' "$potfiles" \
  | grep -v '^$' > "$tmp/listed" || true

if git rev-parse --is-inside-work-tree >/dev/null 2>&1 \
   && [ "$(git rev-parse --show-toplevel)" = "$(pwd -P)" ]; then
  git ls-files --cached --others --exclude-standard -- src data | sort -u > "$tmp/candidates"
else
  find src data -type f | sort -u > "$tmp/candidates"
fi

# Code: gettext calls (_(), N_(), C_(), NC_(), Q_() and the ngettext
# family). Builder files: translatable properties and attributes.
c_calls='(^|[^A-Za-z0-9_])(N|C|NC|Q)?_[[:space:]]*\(|(^|[^A-Za-z0-9_])(g_d|d|dc)?n?p?gettext2?[[:space:]]*\('
ui_marks='translatable=["'\''](yes|true|1)["'\'']'

: > "$tmp/needed"
while IFS= read -r f; do
  [ -f "$f" ] || continue
  case "$f" in
    *.desktop.in|*.desktop.in.in|*.metainfo.xml.in|*.metainfo.xml.in.in|*.appdata.xml.in|*.policy.in)
      echo "$f" >> "$tmp/needed" ;;
    *.gschema.xml|*.gschema.xml.in)
      if grep -qE '<(summary|description)' "$f"; then echo "$f" >> "$tmp/needed"; fi ;;
    *.c|*.h|*.js|*.py|*.vala)
      if grep -qE "$c_calls" "$f"; then echo "$f" >> "$tmp/needed"; fi ;;
    *.ui|*.blp)
      if grep -qE "$ui_marks|_\(\"" "$f"; then echo "$f" >> "$tmp/needed"; fi ;;
  esac
done < "$tmp/candidates"

status=0

sort -u "$tmp/listed" > "$tmp/listed.sorted"
sort -u "$tmp/needed" > "$tmp/needed.sorted"

missing=$(comm -13 "$tmp/listed.sorted" "$tmp/needed.sorted")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from po/POTFILES:"
  echo "$missing" | sed 's/^/  /'
  status=1
fi

absent=$(while IFS= read -r f; do [ -e "$f" ] || echo "$f"; done < "$tmp/listed")
if [ -n "$absent" ]; then
  echo "Files listed in po/POTFILES that do not exist:"
  echo "$absent" | sed 's/^/  /'
  status=1
fi

if ! sort -c -u "$tmp/listed" 2>/dev/null; then
  echo "po/POTFILES is not sorted (LC_ALL=C) or lists a file twice."
  status=1
fi

if [ "$status" -ne 0 ]; then
  echo
  echo "A po/POTFILES that would pass (keep its comment lines):"
  sort -u "$tmp/needed" "$tmp/listed" | while IFS= read -r f; do
    if [ -e "$f" ]; then echo "  $f"; fi
  done
fi

exit "$status"
