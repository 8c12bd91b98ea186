#!/usr/bin/env python3
# build-aux/screenshots.py: the README's pictures, one per state, taken from
# the real app against the real emulator.
#
# Every shot gets its own X server (Xvfb), session bus, qr-signin-emulator
# and qr-signin, so no shot can leak into the next. The emulator's test
# hooks (/__emu/) act as the phone, move its clock and make it fail; the
# script waits until the emulator has seen the app ask for the state it
# set up, lets the window settle, and grabs the app's own window.
#
# Python 3 standard library only. Needs Xvfb, dbus-daemon, xdotool and
# ImageMagick (import, convert); zh_CN also needs gcc (see localedir_preload).
#
#   build-aux/screenshots.py [--builddir DIR] [--output DIR] [STATE...]

import argparse
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP_ID = 'qrs-demo-app'          # the emulator's default application id
NAME = 'Ada Lovelace'
WINDOW_SCREEN = (1024, 768)      # bigger than the window: the crop is the window
KIOSK_SCREEN = (1280, 720)
# Xvfb has no window manager to make a window full screen nor a compositor,
# so GTK keeps the solid 5 px frame it draws round a window there. A kiosk
# under cage has none: the kiosk's screen and window are that much larger,
# and the frame is cut off the picture.
KIOSK_FRAME = 5

STATES = ['pending', 'scanned', 'declined', 'success', 'reconnecting',
          'server-error', 'expired', 'kiosk', 'kiosk-welcome', 'zh_CN']


class ShotError(Exception):
    pass


def say(message):
    print(f'screenshots: {message}', file=sys.stderr, flush=True)


def wait_until(predicate, what, timeout=15.0, interval=0.05):
    """Polls predicate until it returns something true, and returns that."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise ShotError(f'gave up after {timeout:g} s waiting for {what}')
        time.sleep(interval)


# gettext looks for the catalogue only where the build's prefix says
# (LOCALEDIR, /usr/local/share/locale by default), not in the build tree,
# and qr-signin offers no way to point it elsewhere. A tiny preloaded
# library moves bindtextdomain() for the app's own domain to the catalogue
# compiled in <builddir>/po, as tests/packaging/test-translation.c does by
# calling bindtextdomain() itself.
LOCALEDIR_PRELOAD_C = r'''
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

char *
bindtextdomain (const char *domain, const char *dir)
{
  static char *(*real) (const char *, const char *);
  const char *ours = getenv ("QRS_SCREENSHOTS_LOCALEDIR");

  if (real == NULL)
    real = (char *(*) (const char *, const char *)) dlsym (RTLD_NEXT, "bindtextdomain");
  if (ours != NULL && dir != NULL && domain != NULL && strcmp (domain, "qr-signin") == 0)
    dir = ours;
  return real (domain, dir);
}
'''


def localedir_preload(workdir):
    source = os.path.join(workdir, 'localedir-preload.c')
    library = os.path.join(workdir, 'localedir-preload.so')
    with open(source, 'w') as f:
        f.write(LOCALEDIR_PRELOAD_C)
    subprocess.run(['gcc', '-shared', '-fPIC', '-O2', '-o', library, source, '-ldl'],
                   check=True)
    return library


class Shot:
    """One state's X server, bus, emulator and app, all ended on exit."""

    def __init__(self, args, name, screen):
        self.args = args
        self.name = name
        self.screen = screen
        self.processes = []
        self.workdir = tempfile.mkdtemp(prefix=f'qrs-shot-{name}-')
        self.env = None
        self.url = None
        self.app = None
        self.window = None

    # ---- processes ---------------------------------------------------

    def spawn(self, argv, log, **kwargs):
        # Its own process group: ending the group ends whatever it forked.
        with open(os.path.join(self.workdir, log), 'wb') as stderr:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=stderr,
                                       start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def first_line(self, stream, log, timeout=15.0):
        """The first line a program writes: it is ready."""
        ready, _, _ = select.select([stream], [], [], timeout)
        line = stream.readline().strip() if ready else ''
        if not line:
            raise ShotError(f'no start ({log}):\n' + self.log_tail(log))
        return line

    def log_tail(self, log, lines=15):
        try:
            with open(os.path.join(self.workdir, log), errors='replace') as f:
                return ''.join(f.readlines()[-lines:])
        except OSError:
            return ''

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for process in reversed(self.processes):
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
        # The group may outlive its leader (a child it forked).
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        subprocess.run(['rm', '-rf', self.workdir])
        return False

    def start_display(self):
        # -displayfd: Xvfb picks a free display number and writes it to us.
        read_fd, write_fd = os.pipe()
        width, height = self.screen
        self.spawn(['Xvfb', '-displayfd', str(write_fd), '-screen', '0',
                    f'{width}x{height}x24', '-nolisten', 'tcp', '-noreset'],
                   'xvfb.log', pass_fds=(write_fd,))
        os.close(write_fd)
        with os.fdopen(read_fd) as f:
            number = self.first_line(f, 'xvfb.log')

        bus = self.spawn(['dbus-daemon', '--session', '--nofork', '--print-address=1',
                          '--address=unix:tmpdir=' + self.workdir],
                         'dbus.log', stdout=subprocess.PIPE, text=True)
        address = self.first_line(bus.stdout, 'dbus.log')

        config = os.path.join(self.workdir, 'config')
        os.makedirs(os.path.join(config, 'glib-2.0', 'settings'))
        # GNOME's font, as the people the README speaks to see the window.
        os.makedirs(os.path.join(config, 'gtk-4.0'))
        with open(os.path.join(config, 'gtk-4.0', 'settings.ini'), 'w') as f:
            f.write('[Settings]\ngtk-font-name=Cantarell 11\n')
        self.env = dict(os.environ,
                        DISPLAY=':' + number,
                        DBUS_SESSION_BUS_ADDRESS=address,
                        GDK_BACKEND='x11',
                        GSK_RENDERER='cairo',
                        GTK_A11Y='none',
                        LC_ALL='C.UTF-8',
                        GSETTINGS_SCHEMA_DIR=os.path.join(self.args.builddir, 'data'),
                        # The developer's own settings must not change the pictures.
                        GSETTINGS_BACKEND='keyfile',
                        XDG_CONFIG_HOME=config,
                        XDG_DATA_HOME=os.path.join(self.workdir, 'data'),
                        XDG_CACHE_HOME=os.path.join(self.workdir, 'cache'),
                        XDG_RUNTIME_DIR=self.workdir)
        for name in ('LANGUAGE', 'LANG', 'WAYLAND_DISPLAY', 'GTK_THEME', 'LD_PRELOAD'):
            self.env.pop(name, None)

    def preset(self, **keys):
        """Sets keys of the app's schema before it starts."""
        path = os.path.join(self.env['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile')
        with open(path, 'w') as f:
            f.write('[io/github/qrsignin/QrSignIn]\n')
            for key, value in keys.items():
                f.write(f'{key.replace("_", "-")}={value}\n')

    def start_emulator(self, *options):
        emulator = self.spawn([os.path.join(self.args.builddir, 'src', 'emulator', 'qr-signin-emulator'),
                               *options], 'emulator.log', stdout=subprocess.PIPE, text=True)
        self.url = self.first_line(emulator.stdout, 'emulator.log')

    def start_app(self, *options, env=None):
        self.app = self.spawn([os.path.join(self.args.builddir, 'src', 'qr-signin'),
                               '--server=' + self.url, *options],
                              'app.log', stdout=subprocess.DEVNULL,
                              env=dict(self.env, **(env or {})))
        self.window = wait_until(self.find_window, 'the window to show')

    def check_app(self):
        if self.app.poll() is not None:
            raise ShotError(f'qr-signin exited with status {self.app.returncode}:\n'
                            + self.log_tail('app.log'))

    def x(self, *argv):
        return subprocess.run(argv, env=self.env, capture_output=True, check=False)

    def find_window(self):
        self.check_app()
        found = self.x('xdotool', 'search', '--onlyvisible', '--pid', str(self.app.pid))
        windows = found.stdout.split()
        return windows[0].decode() if windows else None

    # ---- the emulator's hooks ----------------------------------------

    def hook(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + '/__emu/' + path, data=data,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=5) as reply:
            return json.load(reply)

    def codes(self):
        return self.hook('codes')['codes']

    def status_polls(self):
        """How many status requests the app has made so far."""
        return sum('qrcode-status' in entry['path'] for entry in self.hook('log')['entries'])

    def newest_code(self, status=None, **members):
        def matches():
            self.check_app()
            codes = self.codes()
            if not codes:
                return None
            code = codes[-1]
            if status is not None and code['status'] != status:
                return None
            if any(code.get(key) != value for key, value in members.items()):
                return None
            return code
        return wait_until(matches, f'a code {status or ""} {members or ""}')

    def next_poll(self):
        """Waits for the app to ask for the status once more: then it knows."""
        seen = self.status_polls()
        wait_until(lambda: self.check_app() or self.status_polls() > seen,
                   'the app to poll the status')

    def fetched(self, what):
        """Waits until the app has fetched an image (qrcode or avatar)."""
        wait_until(lambda: self.check_app() or any(
            entry['path'].startswith(f'/__emu/{what}/') for entry in self.hook('log')['entries']),
            f'the app to fetch the {what} image')

    def pending(self):
        """Waits for a code and for the app to have its picture."""
        code = self.newest_code('PENDING')
        self.fetched('qrcode')
        return code

    def phone(self, action, **extra):
        return self.hook('phone', dict(action=action, **extra))

    def scan(self):
        """The phone scans the code on screen."""
        self.pending()
        self.phone('SCAN', displayName=NAME)
        self.newest_code('SCANNED')

    def sign_in(self):
        """The phone scans and confirms; the app has the tokens."""
        self.pending()
        self.phone('SCAN', displayName=NAME)
        self.phone('CONFIRM')
        self.newest_code('AUTHORIZED', ticketUsed=True)

    # ---- the picture -------------------------------------------------

    def geometry(self):
        shell = self.x('xdotool', 'getwindowgeometry', '--shell', self.window).stdout.decode()
        values = dict(line.split('=', 1) for line in shell.split() if '=' in line)
        x, y = int(values['X']), int(values['Y'])
        width, height = int(values['WIDTH']), int(values['HEIGHT'])
        # A window larger than the screen is cut to what is on it.
        width = min(width, self.screen[0] - max(x, 0))
        height = min(height, self.screen[1] - max(y, 0))
        return f'{width}x{height}+{max(x, 0)}+{max(y, 0)}'

    def grab(self):
        result = self.x('import', '-window', 'root', '-crop', self.geometry(), '+repage', 'ppm:-')
        if result.returncode != 0:
            raise ShotError('import failed: ' + result.stderr.decode(errors='replace'))
        return result.stdout

    def shoot(self, settle=0.4, steady=2.0, freeze=False, shave=0):
        """Lets the window settle, then grabs it once two grabs agree.

        freeze: stop the app for the grab, for a state it leaves on its own
        (the success page closes after 1.5 s). shave: pixels of frame to cut
        off each side.
        """
        time.sleep(settle)
        if freeze:
            self.check_app()
            os.kill(self.app.pid, signal.SIGSTOP)
            try:
                picture = self.grab()
            finally:
                os.kill(self.app.pid, signal.SIGCONT)
        else:
            picture = self.grab()
            deadline = time.monotonic() + steady
            while time.monotonic() < deadline:
                time.sleep(0.2)
                again = self.grab()
                if again == picture:
                    break
                picture = again
            self.check_app()
        output = os.path.join(self.args.output, self.name + '.png')
        subprocess.run(['convert', 'ppm:-', '-shave', f'{shave}x{shave}', '+repage', '-strip',
                        '-define', 'png:exclude-chunks=date,time', output],
                       input=picture, check=True)
        return output


# ---- the states ----------------------------------------------------------

@contextlib.contextmanager
def window_shot(args, name, *app_options, server_app_id=APP_ID, screen=WINDOW_SCREEN,
                settings=None, language=None, kiosk=False):
    with Shot(args, name, screen) as shot:
        shot.start_display()
        if settings:
            shot.preset(**settings)
        shot.start_emulator('--app-id=' + server_app_id)
        env = {}
        if language is not None:
            env = {'LANGUAGE': language,
                   'LD_PRELOAD': localedir_preload(shot.workdir),
                   'QRS_SCREENSHOTS_LOCALEDIR': os.path.join(args.builddir, 'po')}
        shot.start_app('--app-id=' + APP_ID, *app_options, env=env)
        if kiosk:
            shot.x('xdotool', 'windowmove', shot.window, '0', '0')
            shot.x('xdotool', 'windowsize', shot.window, str(screen[0]), str(screen[1]))
        yield shot


def shoot_pending(args):
    with window_shot(args, 'pending') as shot:
        shot.pending()
        return shot.shoot()


def shoot_scanned(args):
    with window_shot(args, 'scanned') as shot:
        shot.scan()
        shot.fetched('avatar')
        return shot.shoot()


def shoot_declined(args):
    with window_shot(args, 'declined') as shot:
        shot.scan()
        shot.next_poll()
        shot.phone('CANCEL')
        shot.next_poll()
        return shot.shoot()


def shoot_success(args):
    # The window hands off and closes 1.5 s after it says so: no dawdling.
    with window_shot(args, 'success') as shot:
        shot.sign_in()
        return shot.shoot(settle=0.3, freeze=True)


def shoot_reconnecting(args):
    # Three failed polls in a row make the window say it is reconnecting.
    with window_shot(args, 'reconnecting') as shot:
        shot.pending()
        shot.hook('fault', {'endpoint': 'check-qrcode-status', 'mode': 'http500', 'count': 100})

        def failures():
            shot.check_app()
            entries = [entry for entry in shot.hook('log')['entries'] if 'qrcode-status' in entry['path']]
            return len(entries) >= 3 and all(entry['status'] == 500 for entry in entries[-3:])
        wait_until(failures, 'three failed polls in a row', timeout=20)
        return shot.shoot()


def shoot_server_error(args):
    # A server that does not know the app answers with its own message and
    # a request id, and that is no reason to try again.
    with window_shot(args, 'server-error', server_app_id='another-app') as shot:
        wait_until(lambda: shot.check_app() or shot.hook('log')['entries'], 'the app to ask for a code')
        return shot.shoot()


def shoot_expired(args):
    # No automatic new code, and the emulator's clock past the code's 120 s:
    # the next poll hears EXPIRED.
    with window_shot(args, 'expired', settings={'auto_refresh_cap': 0}) as shot:
        shot.pending()
        shot.hook('clock', {'advance': 125})
        shot.newest_code('EXPIRED')
        shot.next_poll()
        return shot.shoot()


def kiosk_shot(args, name):
    width, height = KIOSK_SCREEN
    return window_shot(args, name, '--kiosk', kiosk=True,
                       screen=(width + 2 * KIOSK_FRAME, height + 2 * KIOSK_FRAME))


def shoot_kiosk(args):
    with kiosk_shot(args, 'kiosk') as shot:
        shot.pending()
        return shot.shoot(shave=KIOSK_FRAME)


def shoot_kiosk_welcome(args):
    with kiosk_shot(args, 'kiosk-welcome') as shot:
        shot.sign_in()
        return shot.shoot(shave=KIOSK_FRAME)


def shoot_zh_cn(args):
    with window_shot(args, 'zh_CN', language='zh_CN') as shot:
        shot.pending()
        return shot.shoot()


SHOOTERS = {
    'pending': shoot_pending,
    'scanned': shoot_scanned,
    'declined': shoot_declined,
    'success': shoot_success,
    'reconnecting': shoot_reconnecting,
    'server-error': shoot_server_error,
    'expired': shoot_expired,
    'kiosk': shoot_kiosk,
    'kiosk-welcome': shoot_kiosk_welcome,
    'zh_CN': shoot_zh_cn,
}


def main():
    parser = argparse.ArgumentParser(
        description='Take a screenshot of each state of qr-signin, run against '
                    'qr-signin-emulator under Xvfb, into OUTPUT/STATE.png.')
    parser.add_argument('states', nargs='*', metavar='STATE',
                        help='the states to take (default: all): ' + ', '.join(STATES))
    parser.add_argument('--builddir', default=os.path.join(TOP, 'build'),
                        help='the meson build directory (default: ./build)')
    parser.add_argument('--output', default=os.path.join(TOP, 'docs', 'screenshots'),
                        help='where the PNGs go (default: docs/screenshots)')
    args = parser.parse_args()
    for state in args.states:
        if state not in STATES:
            parser.error(f'no state {state!r}; the states are: ' + ', '.join(STATES))
    args.builddir = os.path.abspath(args.builddir)
    args.output = os.path.abspath(args.output)

    for program in ('src/qr-signin', 'src/emulator/qr-signin-emulator', 'data/gschemas.compiled'):
        if not os.path.exists(os.path.join(args.builddir, program)):
            parser.error(f'{args.builddir}/{program} is missing: build first (build-aux/dev build)')
    os.makedirs(args.output, exist_ok=True)

    # SIGTERM ends the run like Ctrl+C does: through every cleanup.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

    failed = []
    started = time.monotonic()
    for state in args.states or STATES:
        begun = time.monotonic()
        try:
            path = SHOOTERS[state](args)
            say(f'{state}: {os.path.relpath(path)} ({time.monotonic() - begun:.1f} s)')
        except (ShotError, subprocess.CalledProcessError, OSError) as error:
            say(f'{state}: FAILED: {error}')
            failed.append(state)
    say(f'{len(args.states or STATES) - len(failed)} pictures in {time.monotonic() - started:.1f} s')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
