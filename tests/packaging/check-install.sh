#!/bin/sh
# Installs the build into a temporary DESTDIR and checks that every file
# GNOME looks for lands where it looks. Writes nothing outside the temporary
# directory but meson's own install log in the build dir, and needs no root
# (with DESTDIR set, meson skips the post-install cache updates).
#
# Usage: check-install.sh MESON BUILDDIR BINDIR DATADIR LOCALEDIR
# (the directories as absolute install paths)

set -eu

meson=$1
builddir=$2
bindir=$3
datadir=$4
localedir=$5

app_id=io.github.qrsignin.QrSignIn

destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT

"$meson" install -C "$builddir" --no-rebuild --quiet --destdir "$destdir"

status=0

expect_file ()
{
  if [ -f "$destdir$1" ]; then
    echo "ok: $1"
  else
    echo "missing: $1"
    status=1
  fi
}

# expect_text FILE TEXT: the installed FILE contains TEXT.
expect_text ()
{
  if [ -f "$destdir$1" ] && grep -aqF -- "$2" "$destdir$1"; then
    echo "ok: $1 has $2"
  else
    echo "wrong: $1 lacks $2"
    status=1
  fi
}

expect_file "$bindir/qr-signin"
if [ -f "$destdir$bindir/qr-signin" ] && [ ! -x "$destdir$bindir/qr-signin" ]; then
  echo "wrong: $bindir/qr-signin is not executable"
  status=1
fi

expect_file "$datadir/applications/$app_id.desktop"
expect_file "$datadir/metainfo/$app_id.metainfo.xml"
expect_file "$datadir/glib-2.0/schemas/$app_id.gschema.xml"
expect_file "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
expect_file "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
expect_file "$localedir/zh_CN/LC_MESSAGES/qr-signin.mo"

# The desktop file and the metainfo carry the translations merged from po/.
expect_text "$datadir/applications/$app_id.desktop" "Name[zh_CN]=扫码登录"
expect_text "$datadir/applications/$app_id.desktop" "Icon=$app_id"
expect_text "$datadir/metainfo/$app_id.metainfo.xml" "<name xml:lang=\"zh_CN\">扫码登录</name>"
expect_text "$localedir/zh_CN/LC_MESSAGES/qr-signin.mo" "用手机扫码登录"

if [ "$status" -ne 0 ]; then
  echo
  echo "Installed files:"
  (cd "$destdir" && find . -type f | sort | sed 's/^\./  /')
fi

exit "$status"
