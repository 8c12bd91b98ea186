#!/bin/sh
# Regenerates the translation template from po/POTFILES and merges it into
# every catalogue named in po/LINGUAS. Run it after changing translatable
# strings, then translate what it marks untranslated or fuzzy.
#
# Usage: po/update-po.sh             update po/*.po in place
#        po/update-po.sh --pot FILE  only write the template to FILE
#
# Needs xgettext and msgmerge (gettext) and the ITS rules GLib and GTK ship
# for .gschema.xml and .ui files.

set -eu

package=qr-signin
podir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$podir")

pot_only=
if [ "${1:-}" = "--pot" ]; then
  pot_only=${2:?"--pot needs a file name"}
elif [ $# -ne 0 ]; then
  echo "usage: $0 [--pot FILE]" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pot=${pot_only:-$tmp/$package.pot}

# The same arguments as meson's i18n.gettext (preset: 'glib'), so this and
# `meson compile qr-signin-pot` make the same template.
grep -v '^[[:space:]]*#' "$podir/POTFILES" | grep -v '^[[:space:]]*$' > "$tmp/POTFILES"
xgettext --package-name="$package" \
  --msgid-bugs-address=https://github.com/qrsignin/qr-signin/issues \
  --directory="$root" --files-from="$tmp/POTFILES" --output="$pot" \
  --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format \
  --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format

if [ -n "$pot_only" ]; then
  exit 0
fi

for lang in $(sed -e 's/#.*//' "$podir/LINGUAS"); do
  po="$podir/$lang.po"
  if [ -f "$po" ]; then
    msgmerge --quiet --update --backup=none --previous "$po" "$pot"
  else
    msginit --no-translator --locale="$lang" --input="$pot" --output-file="$po"
  fi
  printf '%s: ' "$lang.po"
  LC_ALL=C msgfmt --statistics --output-file=/dev/null "$po" 2>&1
done
