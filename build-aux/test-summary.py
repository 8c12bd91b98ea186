#!/usr/bin/env python3
"""Print the plain summary line 'N passed, N failed, N skipped' from one or
more of meson's testlog.json files, counting TAP subtests one by one. A test program that failed
without reporting a failing subtest (a crash, a timeout) counts as one
failure. Exits 1 if anything failed or nothing ran."""

import json
import re
import sys

OK = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}


def main(paths):
    passed = failed = skipped = 0
    failures = []
    entries = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as log:
                entries += [json.loads(line) for line in log if line.strip()]
        except OSError as error:
            print(f"no test log: {error}", file=sys.stderr)
            failed += 1

    for entry in entries:
        stdout = entry.get("stdout") or ""
        ok = len(re.findall(r"^ok \d+(?! # SKIP)", stdout, re.M))
        skip = len(re.findall(r"^ok \d+.*# SKIP", stdout, re.M))
        not_ok = len(re.findall(r"^not ok \d+", stdout, re.M))
        result = entry.get("result")

        if ok + skip + not_ok == 0:
            # Not a TAP program: the test itself is the unit.
            ok, skip, not_ok = (result in OK, result in SKIP, result not in OK | SKIP)
        elif result not in OK | SKIP and not_ok == 0:
            not_ok = 1

        passed += ok
        skipped += skip
        failed += not_ok
        if not_ok:
            failures.append(entry.get("name", "?"))

    for name in failures:
        print(f"FAILED: {name}", file=sys.stderr)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["build/meson-logs/testlog.json"]))
