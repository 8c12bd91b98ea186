#!/usr/bin/env python3
# Checks the kiosk's systemd unit as the build made it.
#
#   check-systemd-unit.py UNIT BINDIR
#
# Always: every line is a comment, a section or Key=Value; [Unit], [Service]
# and [Install] are there; no @placeholder@ is left; ExecStart runs
# BINDIR/qr-signin --kiosk under an absolute program.
#
# Where systemd-analyze is installed, `systemd-analyze verify` must accept
# the unit without printing anything: it exits 0 even for unknown keys and
# bad values, and only warns about them. It also insists that ExecStart's
# program exists; where cage is not installed, a copy is verified with
# /bin/true in its place, and this says so.

import os
import re
import shutil
import subprocess
import sys
import tempfile

SECTIONS = ['Unit', 'Service', 'Install']


def parse(path):
    """[(section, key, value)] and a list of problems."""
    entries, problems = [], []
    section = None
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip('\n')
            where = f'{os.path.basename(path)}:{number}'
            if not line.strip() or line.lstrip().startswith(('#', ';')):
                continue
            if re.search(r'@\w+@', line):
                problems.append(f'{where}: a placeholder was not substituted: {line}')
            match = re.fullmatch(r'\[([A-Za-z]+)\]', line)
            if match:
                section = match.group(1)
                continue
            match = re.fullmatch(r'([A-Za-z][A-Za-z0-9]*)=(.*)', line)
            if match is None:
                problems.append(f'{where}: not a comment, a [Section] or Key=Value: {line}')
            elif section is None:
                problems.append(f'{where}: {match.group(1)} comes before any section')
            else:
                entries.append((section, match.group(1), match.group(2)))
    return entries, problems


def check_static(path, bindir):
    entries, problems = parse(path)
    sections = {section for section, _, _ in entries}
    for section in SECTIONS:
        if section not in sections:
            problems.append(f'there is no [{section}] section')

    exec_start = [value for section, key, value in entries
                  if section == 'Service' and key == 'ExecStart']
    if len(exec_start) != 1:
        problems.append(f'there must be one ExecStart, not {len(exec_start)}')
    else:
        words = exec_start[0].split()
        if not words or not words[0].startswith('/'):
            problems.append(f'ExecStart must start with an absolute program: {exec_start[0]}')
        if f'{bindir}/qr-signin --kiosk' not in exec_start[0]:
            problems.append(f'ExecStart must run {bindir}/qr-signin --kiosk: {exec_start[0]}')
    return exec_start[0].split()[0] if len(exec_start) == 1 else None, problems


def verify(path, program):
    analyze = shutil.which('systemd-analyze')
    if analyze is None:
        print('systemd-analyze is not installed: only the static checks ran')
        return []

    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, os.path.basename(path))
        with open(path, encoding='utf-8') as f:
            text = f.read()
        if program is not None and not os.access(program, os.X_OK):
            print(f'{program} is not installed here: verifying with /bin/true in its place')
            text = re.sub(r'^ExecStart=' + re.escape(program) + r'(?=\s|$)', 'ExecStart=/bin/true',
                          text, flags=re.MULTILINE)
        with open(copy, 'w', encoding='utf-8') as f:
            f.write(text)

        # --man=no: the unit's Documentation=man:qr-signin(1) is not
        # installed where the tests run.
        run = subprocess.run([analyze, 'verify', '--man=no', copy],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True,
                             check=False, timeout=120)
        output = (run.stdout + run.stderr).strip()
        if run.returncode != 0 or output:
            return [f'systemd-analyze verify (exit status {run.returncode}):\n{output}']
    print('ok: systemd-analyze verify accepts it without a word')
    return []


def main(argv):
    if len(argv) != 2:
        print('usage: check-systemd-unit.py UNIT BINDIR', file=sys.stderr)
        return 2
    path, bindir = argv

    program, problems = check_static(path, bindir)
    if not problems:
        print(f'ok: {os.path.basename(path)} is well formed and runs {bindir}/qr-signin --kiosk')
        problems = verify(path, program)

    for problem in problems:
        print(f'FAIL: {problem}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
