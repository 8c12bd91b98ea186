#!/usr/bin/env python3
# Checks the rules the Flatpak manifests must keep, offline (CI cannot reach
# Flathub, so flatpak-builder cannot build them there).
#
# Both manifests:
# - JSON with the app id, the command and a GNOME runtime >= 50;
# - finish-args are exactly network, ipc, wayland, fallback-x11 and dri: no
#   file system access, no plain X11, and fallback-x11 only with ipc and
#   wayland (flatpak-builder-lint treats the others as errors);
# - libqrencode is built with CMake as a shared library without its tools;
# - the app itself is the last module, built with meson, without its tests
#   and without installing qr-signin-emulator (-Dtests=false,
#   -Demulator=false).
#
# The release manifest (io.github.qrsignin.QrSignIn.json, what Flathub
# builds):
# - no source of type dir anywhere: everything is fetched and pinned;
# - every archive or file source comes over https with a sha256;
# - libqrencode's archive has x-checker-data, so that Flathub's external
#   data checker offers its updates;
# - the app comes from the upstream git repository at a tag and a full
#   40-hex commit; with --version, the tag is v<VERSION>. Releasing means
#   moving "tag" and "commit" to the new release (see README.md here).
#
# The Devel manifest (io.github.qrsignin.QrSignIn.Devel.json, for building
# the working tree) has the id io.github.qrsignin.QrSignIn.Devel, renames the
# desktop file, the metainfo and the icon to it (flatpak-builder exports
# only files named after the app id), and is otherwise the release manifest
# with another source for the app: the two cannot drift apart.
#
# Usage: check-manifest.py [--version VERSION] RELEASE DEVEL
#        check-manifest.py --self-test [--version VERSION] RELEASE DEVEL
#            also proves that a broken copy of either is refused, for every
#            rule above.

import contextlib
import copy
import io
import json
import os
import re
import sys
import tempfile

APP_ID = 'io.github.qrsignin.QrSignIn'
DEVEL_ID = APP_ID + '.Devel'
COMMAND = 'qr-signin'
UPSTREAM = 'https://github.com/qrsignin/qr-signin.git'
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
APP_OPTS = [
    '-Dtests=false',
    '-Demulator=false',
]
# What the Devel manifest may have that the release one has not.
DEVEL_RENAMES = {
    'rename-desktop-file': f'{APP_ID}.desktop',
    'rename-appdata-file': f'{APP_ID}.metainfo.xml',
    'rename-icon': APP_ID,
}
DEVEL_ONLY_KEYS = set(DEVEL_RENAMES) | {'desktop-file-name-suffix'}
# The kinds of x-checker-data Flathub's external data checker knows for an
# archive, and what each needs to find a new version and its address.
CHECKERS = {
    'anitya': [('project-id', int), ('url-template', str)],
    'html': [('url', str)],
    'json': [('url', str), ('version-query', str), ('url-query', str)],
    'rotating-url': [('url', str)],
}


def is_hex(value, digits):
    return isinstance(value, str) and re.fullmatch(f'[0-9a-f]{{{digits}}}', value) is not None


def all_modules(modules):
    """Every module object, nested ones too."""
    for module in modules if isinstance(modules, list) else []:
        if isinstance(module, dict):
            yield module
            yield from all_modules(module.get('modules', []))


def check_common(manifest, app_id):
    """The rules both manifests keep; returns a list of problems."""
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(message)

    if not isinstance(manifest, dict):
        return ['the manifest is not a JSON object']

    expect(manifest.get('id', manifest.get('app-id')) == app_id,
           f'id must be {app_id}')
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
    for module in all_modules(modules):
        for source in module.get('sources', []):
            expect(isinstance(source, dict),
                   f'{module.get("name")}: sources must be objects, not {source!r}')
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
        expect(len(module.get('sources', [])) > 0, 'libqrencode needs a source')

    app = modules[-1] if modules else {}
    expect(app.get('name') == COMMAND, f'the last module must be {COMMAND}')
    expect(app.get('buildsystem') == 'meson', f'{COMMAND} must use buildsystem meson')
    opts = app.get('config-opts', [])
    for opt in APP_OPTS:
        expect(isinstance(opts, list) and opt in opts, f'{COMMAND} config-opts must include {opt}')

    return problems


def check_checker_data(data):
    """Problems with one x-checker-data object of an archive."""
    if not isinstance(data, dict):
        return ['libqrencode needs x-checker-data, so that new releases are noticed']
    kind = data.get('type')
    if kind not in CHECKERS:
        return [f'libqrencode x-checker-data type must be one of {", ".join(sorted(CHECKERS))}, not {kind!r}']
    problems = []
    for key, kind_of_value in CHECKERS[kind]:
        if not isinstance(data.get(key), kind_of_value) or isinstance(data.get(key), bool):
            problems.append(f'libqrencode x-checker-data of type {kind} needs {key}')
    if kind == 'html':
        if not any(isinstance(data.get(k), str) for k in ('version-pattern', 'pattern')):
            problems.append('libqrencode x-checker-data of type html needs version-pattern or pattern')
        if not any(isinstance(data.get(k), str) for k in ('url-template', 'url-pattern', 'pattern')):
            problems.append('libqrencode x-checker-data of type html needs url-template, url-pattern or pattern')
    for key in ('url', 'url-template'):
        if isinstance(data.get(key), str) and not data[key].startswith('https://'):
            problems.append(f'libqrencode x-checker-data {key} must be https')
    return problems


def check_release(manifest, version=None):
    """The release manifest's rules; returns a list of problems."""
    problems = check_common(manifest, APP_ID)
    if not isinstance(manifest, dict) or not isinstance(manifest.get('modules'), list):
        return problems
    modules = [m for m in manifest['modules'] if isinstance(m, dict)]

    for module in all_modules(modules):
        name = module.get('name')
        for source in module.get('sources', []):
            if not isinstance(source, dict):
                continue
            kind = source.get('type')
            if kind == 'dir':
                problems.append(f'{name}: no source of type dir in the release manifest: '
                                'Flathub builds from pinned sources')
            elif kind in ('archive', 'file'):
                if not is_hex(source.get('sha256'), 64):
                    problems.append(f'{name}: every {kind} source needs a sha256 of 64 hex digits')
                if not str(source.get('url', '')).startswith('https://'):
                    problems.append(f'{name}: every {kind} source must come over https')
            elif kind == 'git':
                if not is_hex(source.get('commit'), 40):
                    problems.append(f'{name}: a git source must pin a commit of 40 hex digits')

    qrencode = [m for m in modules if m.get('name') == 'libqrencode']
    if len(qrencode) == 1:
        archives = [s for s in qrencode[0].get('sources', [])
                    if isinstance(s, dict) and s.get('type') == 'archive']
        if len(archives) != 1:
            problems.append('libqrencode must come from one pinned archive')
        else:
            problems += check_checker_data(archives[0].get('x-checker-data'))

    app = modules[-1] if modules else {}
    sources = app.get('sources', [])
    if not isinstance(sources, list) or len(sources) != 1 or not isinstance(sources[0], dict):
        problems.append(f'{COMMAND} must have exactly one source, its git repository')
    else:
        source = sources[0]
        if source.get('type') != 'git':
            problems.append(f'{COMMAND} must come from git, not {source.get("type")!r}')
        if source.get('url') != UPSTREAM:
            problems.append(f'{COMMAND} must come from {UPSTREAM}, not {source.get("url")!r}')
        tag = source.get('tag')
        if version is not None and tag != f'v{version}':
            problems.append(f'{COMMAND} must be built from the tag v{version} (the version '
                            f'in meson.build), not {tag!r}: a release moves tag and commit')
        elif not (isinstance(tag, str) and re.fullmatch(r'v\d+(\.\d+)*', tag)):
            problems.append(f'{COMMAND} must be built from a release tag like v1.2.3, not {tag!r}')
        if source.get('type') == 'git' and 'commit' not in source:
            problems.append(f'{COMMAND} must pin the tag\'s commit, not just name the tag')
        if 'branch' in source:
            problems.append(f'{COMMAND} is pinned by tag and commit, not by a branch')

    return problems


def without(manifest, keys):
    return {k: v for k, v in manifest.items() if k not in keys}


def check_devel(devel, release):
    """The Devel manifest's rules, given the release one."""
    problems = check_common(devel, DEVEL_ID)
    if not isinstance(devel, dict) or not isinstance(release, dict):
        return problems

    for key, value in DEVEL_RENAMES.items():
        if devel.get(key) != value:
            problems.append(f'the Devel manifest must have "{key}": "{value}", or its '
                            'files are not exported under the Devel id')

    ignored = DEVEL_ONLY_KEYS | {'id', 'app-id', 'modules'}
    devel_top, release_top = without(devel, ignored), without(release, ignored)
    for key in sorted(set(devel_top) | set(release_top)):
        if devel_top.get(key) != release_top.get(key):
            problems.append(f'the Devel manifest differs from the release one in {key}')

    devel_modules, release_modules = devel.get('modules', []), release.get('modules', [])
    if not (isinstance(devel_modules, list) and isinstance(release_modules, list)
            and devel_modules and release_modules):
        return problems
    if devel_modules[:-1] != release_modules[:-1]:
        problems.append('the Devel manifest must build the same dependencies as the release one')
    devel_app, release_app = devel_modules[-1], release_modules[-1]
    if isinstance(devel_app, dict) and isinstance(release_app, dict):
        if without(devel_app, {'sources'}) != without(release_app, {'sources'}):
            problems.append(f'the Devel manifest must build {COMMAND} as the release one does '
                            '(only its source may differ)')
        sources = devel_app.get('sources', [])
        if (not isinstance(sources, list) or len(sources) != 1 or not isinstance(sources[0], dict)
                or sources[0].get('type') not in ('dir', 'git')):
            problems.append(f'the Devel manifest must build {COMMAND} from one dir or git source')

    return problems


def devel_of(release, devel):
    """The Devel manifest that goes with @release: @devel's id, renames and
    app source on everything else of @release."""
    derived = copy.deepcopy(release)
    derived['id'] = DEVEL_ID
    for key in DEVEL_ONLY_KEYS & set(devel):
        derived[key] = copy.deepcopy(devel[key])
    for module in derived.get('modules', []):
        if isinstance(module, dict) and module.get('name') == COMMAND:
            module['sources'] = copy.deepcopy(devel['modules'][-1]['sources'])
    return derived


def mutants(release, devel, version):
    """Broken copies of good manifests: (description, which, release, devel)
    where the manifest @which ('release' or 'devel') breaks a rule and must
    be refused for it. A broken release manifest comes with the Devel
    manifest made from it, so that it cannot be refused only for drifting
    from its Devel twin."""
    def mutate(description, change, which='release'):
        if which == 'release':
            broken = copy.deepcopy(release)
            change(broken)
            return description, which, broken, devel_of(broken, devel)
        broken = copy.deepcopy(devel)
        change(broken)
        return description, which, copy.deepcopy(release), broken

    def module(m, name):
        return next(x for x in m['modules'] if x.get('name') == name)

    def qrencode(m):
        return module(m, 'libqrencode')

    def app(m):
        return m['modules'][-1]

    def app_source(m):
        return app(m)['sources'][0]

    def remove_opt(m, name, opt):
        module(m, name)['config-opts'].remove(opt)

    # Both manifests.
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
    yield mutate('puts the app first',
                 lambda m: m['modules'].reverse())
    yield mutate('installs the emulator',
                 lambda m: remove_opt(m, COMMAND, '-Demulator=false'))
    yield mutate('builds the tests',
                 lambda m: remove_opt(m, COMMAND, '-Dtests=false'))

    # The release manifest.
    yield mutate('builds the app from the working tree',
                 lambda m: app(m).update({'sources': [{'type': 'dir', 'path': '..'}]}))
    yield mutate('adds a dir source to libqrencode',
                 lambda m: qrencode(m)['sources'].append({'type': 'dir', 'path': 'patches'}))
    yield mutate('does not pin the libqrencode archive',
                 lambda m: qrencode(m)['sources'][0].pop('sha256'))
    yield mutate('adds a module whose archive has no sha256',
                 lambda m: m['modules'].insert(0, {
                     'name': 'extra', 'buildsystem': 'meson',
                     'sources': [{'type': 'archive', 'url': 'https://example.org/extra-1.0.tar.xz'}]}))
    yield mutate('fetches an archive over plain http',
                 lambda m: qrencode(m)['sources'][0].update({'url': qrencode(m)['sources'][0]['url']
                                                             .replace('https://', 'http://')}))
    yield mutate('drops the x-checker-data of libqrencode',
                 lambda m: qrencode(m)['sources'][0].pop('x-checker-data'))
    yield mutate('has an x-checker-data of no known type',
                 lambda m: qrencode(m)['sources'][0]['x-checker-data'].update({'type': 'guess'}))
    yield mutate('has an anitya x-checker-data without a project id',
                 lambda m: qrencode(m)['sources'][0].update({'x-checker-data': {
                     'type': 'anitya',
                     'url-template': 'https://github.com/fukuchi/libqrencode/archive/refs/tags/v$version.tar.gz'}}))
    yield mutate('drops the tag',
                 lambda m: app_source(m).pop('tag'))
    yield mutate('drops the commit',
                 lambda m: app_source(m).pop('commit'))
    yield mutate('pins a short commit',
                 lambda m: app_source(m).update({'commit': app_source(m)['commit'][:12]}))
    yield mutate('follows a branch',
                 lambda m: app_source(m).update({'branch': 'main'}))
    yield mutate('builds the app from a fork',
                 lambda m: app_source(m).update({'url': 'https://github.com/someone/qr-signin.git'}))
    yield mutate('builds the app from an archive',
                 lambda m: app(m).update({'sources': [{
                     'type': 'archive', 'url': 'https://example.org/qr-signin-0.1.0.tar.xz',
                     'sha256': '0' * 64}]}))
    if version is not None:
        yield mutate('builds another release than meson.build names',
                     lambda m: app_source(m).update({'tag': 'v999.0.0'}))

    # The Devel manifest.
    yield mutate('gives the Devel manifest the release id',
                 lambda m: m.update({'id': APP_ID}), 'devel')
    yield mutate('drops rename-desktop-file from the Devel manifest',
                 lambda m: m.pop('rename-desktop-file'), 'devel')
    yield mutate('drops rename-icon from the Devel manifest',
                 lambda m: m.pop('rename-icon'), 'devel')
    yield mutate('cleans up differently in the Devel manifest',
                 lambda m: m['cleanup'].remove('/share/man'), 'devel')
    yield mutate('builds libqrencode differently in the Devel manifest',
                 lambda m: qrencode(m)['config-opts'].append('-DCMAKE_BUILD_TYPE=Debug'), 'devel')
    yield mutate('builds the app with other options in the Devel manifest',
                 lambda m: app(m)['config-opts'].append('-Dwerror=true'), 'devel')
    yield mutate('uses another command in the Devel manifest',
                 lambda m: m.update({'command': 'qr-signin-devel'}), 'devel')


def load(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def main(argv):
    args = list(argv)
    self_test = '--self-test' in args
    if self_test:
        args.remove('--self-test')
    version = None
    if '--version' in args:
        at = args.index('--version')
        if at + 1 >= len(args):
            args = []
        else:
            version = args[at + 1]
            del args[at:at + 2]
    if len(args) != 2:
        print('usage: check-manifest.py [--self-test] [--version VERSION] RELEASE DEVEL',
              file=sys.stderr)
        return 2
    release_path, devel_path = args

    manifests = []
    for path in args:
        try:
            manifests.append(load(path))
        except (OSError, ValueError) as e:
            print(f'{path}: cannot read the manifest: {e}')
            return 1
    release, devel = manifests

    problems = [(release_path, p) for p in check_release(release, version)]
    problems += [(devel_path, p) for p in check_devel(devel, release)]
    for path, problem in problems:
        print(f'{path}: {problem}')
    if problems:
        return 1

    if self_test:
        # Each broken copy goes through the whole command as files of its
        # own, so this proves the exit status, not just the checks.
        failed = 0
        version_args = ['--version', version] if version is not None else []
        with tempfile.TemporaryDirectory() as tmp:
            for n, (description, which, broken_release, broken_devel) in enumerate(
                    mutants(release, devel, version)):
                paths = [os.path.join(tmp, f'mutant-{n}.json'), os.path.join(tmp, f'mutant-{n}.Devel.json')]
                for path, broken in zip(paths, (broken_release, broken_devel)):
                    with open(path, 'w', encoding='utf-8') as f:
                        json.dump(broken, f)
                output = io.StringIO()
                with contextlib.redirect_stdout(output):
                    status = main(version_args + paths)
                # Refused, and for the manifest that was broken.
                broken_path = paths[0] if which == 'release' else paths[1]
                if status == 1 and f'{broken_path}: ' in output.getvalue():
                    print(f'ok: refused a {which} manifest that {description}')
                else:
                    print(f'FAIL: accepted a {which} manifest that {description}')
                    failed += 1
        if failed:
            return 1

    print(f'{release_path}: ok')
    print(f'{devel_path}: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
