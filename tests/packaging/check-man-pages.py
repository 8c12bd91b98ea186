#!/usr/bin/env python3
# Checks the manual pages in data/man against the tools that render them
# and the programs they describe.
#
#   check-man-pages.py render VERSION PAGE...
#       Each page renders without a single warning, both as man-db shows it
#       (`man --warnings -l`, 80 columns) and with every groff warning on
#       (`groff -man -ww -z`), and its .TH line names qr-signin VERSION.
#       Skipped (77) when neither man nor groff is installed.
#
#   check-man-pages.py options PAGE PROGRAM VERSION
#       The options the page's OPTIONS section lists are exactly those of
#       `PROGRAM --help` (GLib's own -h and --help aside), and
#       `PROGRAM --version` prints "NAME VERSION", NAME being the page's.
#
#   check-man-pages.py gsettings PAGE SCHEMA
#       The page's GSETTINGS section lists exactly the keys of SCHEMA.
#
# Every mismatch is printed; the exit status is 1 if there is any.

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

SKIP = 77


def roff_to_text(line):
    """The text of one roff source line, near enough to compare names."""
    line = re.sub(r'^\.\w+\s*', '', line)         # the macro, if any
    line = re.sub(r'\\f(\[[^]]*\]|.)', '', line)  # font changes
    line = line.replace('\\%', '').replace('\\:', '').replace('\\&', '')
    line = line.replace('\\-', '-').replace('\\e', '\\')
    return line.replace('"', '')


def read_page(path):
    with open(path, encoding='utf-8') as f:
        return f.read().splitlines()


def section(lines, name):
    """The source lines of the section .SH NAME, without the heading."""
    found = None
    for n, line in enumerate(lines):
        if re.fullmatch(r'\.SH\s+"?' + re.escape(name) + r'"?', line):
            found = n + 1
        elif found is not None and line.startswith('.SH'):
            return lines[found:n]
    return lines[found:] if found is not None else None


def tags(lines):
    """The tag lines of the .TP items among lines, as text."""
    return [roff_to_text(lines[n + 1]) for n, line in enumerate(lines[:-1])
            if line.startswith('.TP')]


def check_render(version, pages):
    man = shutil.which('man')
    groff = shutil.which('groff')
    if man is None and groff is None:
        print('neither man nor groff is installed: nothing to render with')
        return SKIP

    env = dict(os.environ, LC_ALL='C.UTF-8', MANWIDTH='80')
    for variable in ('MANOPT', 'MANROFFOPT', 'MAN_KEEP_FORMATTING', 'GROFF_TMAC_PATH'):
        env.pop(variable, None)
    problems = []

    for page in pages:
        name = os.path.basename(page)
        commands = []
        if man is not None:
            commands.append([man, '--warnings', '-l', page])
        if groff is not None:
            commands.append([groff, '-man', '-ww', '-z', '-Tutf8', page])

        for command in commands:
            run = subprocess.run(command, env=env, stdin=subprocess.DEVNULL,
                                 capture_output=True, text=True, check=False)
            shown = ' '.join(command[:-1] + [name])
            if run.returncode != 0 or run.stderr.strip():
                problems.append(f'{shown} (exit status {run.returncode}):\n{run.stderr.rstrip()}')
            elif command[0] == man and 'NAME' not in run.stdout:
                problems.append(f'{shown} rendered no NAME section')
            else:
                print(f'ok: {shown} renders without warnings')

        th = [line for line in read_page(page) if line.startswith('.TH ')]
        if len(th) != 1 or f'"qr-signin {version}"' not in th[0]:
            problems.append(f'{name}: the .TH line must name "qr-signin {version}", not {th}')
        else:
            print(f'ok: {name} is the manual of qr-signin {version}')

    for problem in problems:
        print(f'FAIL: {problem}')
    return 1 if problems else 0


def help_options(program):
    """The long and short options in the Application Options of --help."""
    env = dict(os.environ, LC_ALL='C', LANGUAGE='')
    run = subprocess.run([program, '--help'], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, check=False, timeout=60)
    if run.returncode != 0:
        raise RuntimeError(f'{program} --help exited with {run.returncode}: {run.stderr.strip()}')

    long_names, short_names = set(), set()
    in_options = False
    for line in run.stdout.splitlines():
        if line.strip() == 'Application Options:':
            in_options = True
        elif not line.strip():
            in_options = False
        elif in_options:
            match = re.match(r'\s+(?:-(\w), )?--([\w-]+)', line)
            if match:
                if match.group(1):
                    short_names.add(match.group(1))
                long_names.add(match.group(2))
    if not long_names:
        raise RuntimeError(f'{program} --help lists no Application Options:\n{run.stdout}')
    return long_names, short_names


def check_options(page, program, version):
    lines = read_page(page)
    name = os.path.basename(page).rsplit('.', 1)[0]
    options = section(lines, 'OPTIONS')
    if options is None:
        print(f'FAIL: {page} has no OPTIONS section')
        return 1

    documented_long, documented_short = set(), set()
    for tag in tags(options):
        documented_long.update(re.findall(r'--([a-z][\w-]*)', tag))
        documented_short.update(re.findall(r'(?<![\w-])-(\w)\b', tag))
    # GLib's option parser adds these itself.
    documented_long -= {'help'}
    documented_short -= {'h'}

    try:
        help_long, help_short = help_options(program)
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as e:
        print(f'FAIL: {e}')
        return 1

    problems = []
    for option in sorted(documented_long - help_long):
        problems.append(f'--{option} is in {name}(1) but not in {name} --help')
    for option in sorted(help_long - documented_long):
        problems.append(f'--{option} is in {name} --help but not in {name}(1)')
    for option in sorted(documented_short ^ help_short):
        problems.append(f'-{option} is a short option in one of {name}(1) and {name} --help only')

    env = dict(os.environ, LC_ALL='C', LANGUAGE='')
    run = subprocess.run([program, '--version'], env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, check=False, timeout=60)
    expected = f'{name} {version}'
    if run.returncode != 0 or run.stdout.strip() != expected:
        problems.append(f'{name} --version printed {run.stdout.strip()!r} (exit status '
                        f'{run.returncode}), not {expected!r} as {name}(1) says')

    for problem in problems:
        print(f'FAIL: {problem}')
    if problems:
        return 1
    print(f'ok: {name}(1) documents exactly the {len(help_long)} options of {name} --help')
    print(f'ok: {name} --version prints {expected!r}')
    return 0


def check_gsettings(page, schema):
    lines = read_page(page)
    documented = section(lines, 'GSETTINGS')
    if documented is None:
        print(f'FAIL: {page} has no GSETTINGS section')
        return 1
    documented = {tag.strip() for tag in tags(documented)}

    root = ElementTree.parse(schema).getroot()
    keys = {key.get('name') for key in root.iter('key')}

    problems = []
    for key in sorted(keys - documented):
        problems.append(f'the key {key} is not in the GSETTINGS section of {os.path.basename(page)}')
    for key in sorted(documented - keys):
        problems.append(f'{os.path.basename(page)} documents a key {key} that the schema does not have')
    for problem in problems:
        print(f'FAIL: {problem}')
    if problems:
        return 1
    print(f'ok: {os.path.basename(page)} documents the {len(keys)} keys of the schema')
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == 'render':
        return check_render(argv[1], argv[2:])
    if len(argv) == 4 and argv[0] == 'options':
        return check_options(*argv[1:])
    if len(argv) == 3 and argv[0] == 'gsettings':
        return check_gsettings(*argv[1:])
    print('usage: check-man-pages.py render VERSION PAGE...\n'
          '       check-man-pages.py options PAGE PROGRAM VERSION\n'
          '       check-man-pages.py gsettings PAGE SCHEMA', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
