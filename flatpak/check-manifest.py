#!/usr/bin/env python3
# Checks the rules the Flatpak manifest must keep, offline (CI cannot reach
# Flathub, so flatpak-builder cannot build it there):
#
# - it is JSON with the app id, the command and a GNOME runtime >= 50;
# - finish-args are exactly network, ipc, wayland, fallback-x11 and dri: no
#   file system access, no plain X11, and fallback-x11 only with ipc and
#   wayland (flatpak-builder-lint treats the others as errors);
# - libqrencode is built with CMake as a shared library without its tools,
#   from a pinned archive;
# - the app itself is the last module, built with meson.
#
# Usage: check-manifest.py MANIFEST
#        check-manifest.py --self-test MANIFEST
#            also proves that broken copies of MANIFEST are rejected.

import contextlib
import copy
import io
import json
import os
import re
import sys
import tempfile

APP_ID = 'io.github.qrsignin.QrSignIn'
COMMAND = 'qr-signin'
MIN_RUNTIME = 50
FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
]
QRENCODE_OPTS = [
    '-DWITH_TOOLS=OFF',
    '-DBUILD_SHARED_LIBS=ON',
    '-DCMAKE_POLICY_VERSION_MINIMUM=3.5',
]


def check(manifest):
    """Returns a list of problems; empty when the manifest keeps the rules."""
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(message)

    if not isinstance(manifest, dict):
        return ['the manifest is not a JSON object']

    expect(manifest.get('id', manifest.get('app-id')) == APP_ID,
           f'id must be {APP_ID}')
    expect(manifest.get('command') == COMMAND, f'command must be {COMMAND}')
    expect(manifest.get('runtime') == 'org.gnome.Platform',
           'runtime must be org.gnome.Platform')
    expect(manifest.get('sdk') == 'org.gnome.Sdk', 'sdk must be org.gnome.Sdk')

    version = str(manifest.get('runtime-version', ''))
    match = re.fullmatch(r'(\d+)(?:\.\d+)?', version)
    expect(match is not None and int(match.group(1)) >= MIN_RUNTIME,
           f'runtime-version must be {MIN_RUNTIME} or newer, not {version!r}')

    args = manifest.get('finish-args', [])
    if not isinstance(args, list):
        problems.append('finish-args must be a list')
        args = []
    for arg in args:
        if not isinstance(arg, str):
            problems.append(f'finish-args entry {arg!r} is not a string')
        elif arg.startswith('--filesystem') or arg.startswith('--persist'):
            problems.append(f'no file system access allowed: {arg}')
        elif arg == '--socket=x11':
            problems.append('no plain X11 socket: use --socket=fallback-x11')
    if '--socket=fallback-x11' in args:
        expect('--share=ipc' in args, 'fallback-x11 needs --share=ipc')
        expect('--socket=wayland' in args, 'fallback-x11 needs --socket=wayland')
    expect('--socket=wayland' in args, 'finish-args must have --socket=wayland')
    expect(sorted(map(str, args)) == sorted(FINISH_ARGS) and len(args) == len(set(map(str, args))),
           'finish-args must be exactly ' + ' '.join(FINISH_ARGS) +
           ', not ' + ' '.join(map(str, args)))

    modules = manifest.get('modules', [])
    if not isinstance(modules, list) or not modules:
        return problems + ['modules must be a non-empty list']
    modules = [m for m in modules if isinstance(m, dict)]

    qrencode = [m for m in modules if m.get('name') == 'libqrencode']
    if len(qrencode) != 1:
        problems.append('there must be one libqrencode module')
    else:
        module = qrencode[0]
        opts = module.get('config-opts', [])
        expect(module.get('buildsystem') == 'cmake-ninja',
               'libqrencode must use buildsystem cmake-ninja')
        for opt in QRENCODE_OPTS:
            expect(opt in opts, f'libqrencode config-opts must include {opt}')
        sources = module.get('sources', [])
        expect(len(sources) > 0, 'libqrencode needs a source')
        for source in sources:
            if not isinstance(source, dict):
                problems.append('libqrencode sources must be objects')
                continue
            if source.get('type') in ('archive', 'file'):
                expect(re.fullmatch(r'[0-9a-f]{64}', str(source.get('sha256', ''))) is not None,
                       'libqrencode archive needs a sha256 of 64 hex digits')
                expect(str(source.get('url', '')).startswith('https://'),
                       'libqrencode archive must come over https')
            elif source.get('type') == 'git':
                expect(re.fullmatch(r'[0-9a-f]{40}', str(source.get('commit', ''))) is not None,
                       'libqrencode git source must pin a commit')
            else:
                problems.append(f'libqrencode source type {source.get("type")!r} is not pinned')

    app = modules[-1] if modules else {}
    expect(app.get('name') == COMMAND, f'the last module must be {COMMAND}')
    expect(app.get('buildsystem') == 'meson', f'{COMMAND} must use buildsystem meson')

    return problems


def mutants(manifest):
    """Broken copies of a good manifest, each of which check() must reject."""
    def mutate(description, change):
        broken = copy.deepcopy(manifest)
        change(broken)
        return description, broken

    def qrencode(m):
        return next(x for x in m['modules'] if x.get('name') == 'libqrencode')

    yield mutate('adds --filesystem=home',
                 lambda m: m['finish-args'].append('--filesystem=home'))
    yield mutate('adds --filesystem=xdg-download:ro',
                 lambda m: m['finish-args'].append('--filesystem=xdg-download:ro'))
    yield mutate('uses --socket=x11',
                 lambda m: m.update({'finish-args': ['--socket=x11' if a == '--socket=fallback-x11' else a
                                                     for a in m['finish-args']]}))
    yield mutate('drops --share=ipc',
                 lambda m: m['finish-args'].remove('--share=ipc'))
    yield mutate('drops --socket=wayland',
                 lambda m: m['finish-args'].remove('--socket=wayland'))
    yield mutate('adds a session bus name',
                 lambda m: m['finish-args'].append('--talk-name=org.freedesktop.secrets'))
    yield mutate('uses runtime 48',
                 lambda m: m.update({'runtime-version': '48'}))
    yield mutate('uses a master runtime',
                 lambda m: m.update({'runtime-version': 'master'}))
    yield mutate('changes the id',
                 lambda m: m.update({'id': 'org.example.QrSignIn'}))
    yield mutate('builds libqrencode statically',
                 lambda m: qrencode(m)['config-opts'].remove('-DBUILD_SHARED_LIBS=ON'))
    yield mutate('builds the qrencode tool',
                 lambda m: qrencode(m)['config-opts'].remove('-DWITH_TOOLS=OFF'))
    yield mutate('uses autotools for libqrencode',
                 lambda m: qrencode(m).update({'buildsystem': 'autotools'}))
    yield mutate('does not pin the archive',
                 lambda m: qrencode(m)['sources'][0].pop('sha256'))
    yield mutate('puts the app first',
                 lambda m: m['modules'].reverse())


def main(argv):
    self_test = '--self-test' in argv
    paths = [a for a in argv if a != '--self-test']
    if len(paths) != 1:
        print('usage: check-manifest.py [--self-test] MANIFEST', file=sys.stderr)
        return 2

    try:
        with open(paths[0], encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f'{paths[0]}: cannot read the manifest: {e}')
        return 1

    problems = check(manifest)
    for problem in problems:
        print(f'{paths[0]}: {problem}')
    if problems:
        return 1

    if self_test:
        # Each broken copy goes through the whole command as a file of its
        # own, so this proves the exit status, not just check().
        failed = 0
        with tempfile.TemporaryDirectory() as tmp:
            for n, (description, broken) in enumerate(mutants(manifest)):
                path = os.path.join(tmp, f'mutant-{n}.json')
                with open(path, 'w', encoding='utf-8') as f:
                    json.dump(broken, f)
                with contextlib.redirect_stdout(io.StringIO()):
                    status = main([path])
                if status == 1:
                    print(f'ok: rejected a manifest that {description}')
                else:
                    print(f'FAIL: accepted a manifest that {description}')
                    failed += 1
        if failed:
            return 1

    print(f'{paths[0]}: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
