#!/bin/sh
# Installs the build into a temporary DESTDIR and checks that every file
# GNOME looks for lands where it looks. Writes nothing outside the temporary
# directory but meson's own install log in the build dir, and needs no root
# (with DESTDIR set, meson skips the post-install cache updates).
#
# Usage: check-install.sh MESON BUILDDIR BINDIR DATADIR LOCALEDIR MANDIR UNITDIR
#                         EMULATOR SYSTEMD_UNIT
# (the directories as absolute install paths; EMULATOR and SYSTEMD_UNIT the
# values of the meson options of those names, true or false)

set -eu

meson=$1
builddir=$2
bindir=$3
datadir=$4
localedir=$5
mandir=$6
unitdir=$7
emulator=$8
systemd_unit=$9

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

# expect_none FILE: FILE was not installed.
expect_none ()
{
  if [ -e "$destdir$1" ]; then
    echo "unwanted: $1"
    status=1
  else
    echo "ok: no $1"
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

# expect_program FILE: FILE was installed, executable.
expect_program ()
{
  expect_file "$1"
  if [ -f "$destdir$1" ] && [ ! -x "$destdir$1" ]; then
    echo "wrong: $1 is not executable"
    status=1
  fi
}

expect_program "$bindir/qr-signin"
expect_file "$mandir/man1/qr-signin.1"
expect_text "$mandir/man1/qr-signin.1" ".TH QR-SIGNIN 1"

# The emulator and its manual come and go together.
if [ "$emulator" = true ]; then
  expect_program "$bindir/qr-signin-emulator"
  expect_file "$mandir/man1/qr-signin-emulator.1"
else
  expect_none "$bindir/qr-signin-emulator"
  expect_none "$mandir/man1/qr-signin-emulator.1"
fi

# The kiosk's unit only on request, and running the installed program.
if [ "$systemd_unit" = true ]; then
  expect_file "$unitdir/qr-signin-kiosk.service"
  expect_text "$unitdir/qr-signin-kiosk.service" "$bindir/qr-signin --kiosk"
else
  expect_none "$unitdir/qr-signin-kiosk.service"
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
