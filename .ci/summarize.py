"""Print 'N passed, N failed, N skipped' over every JUnit report under a folder."""

import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for report in sorted(Path(sys.argv[1]).glob("junit-*.xml")):
    for suite in ElementTree.parse(report).getroot().iter("testsuite"):
        counts = {key: int(suite.get(key, 0)) for key in totals}
        print(f"{report.stem.removeprefix('junit-'):12} {counts}")
        for key in totals:
            totals[key] += counts[key]
failed = totals["failures"] + totals["errors"]
passed = totals["tests"] - failed - totals["skipped"]
print(f"{passed} passed, {failed} failed, {totals['skipped']} skipped")
sys.exit(1 if failed or not totals["tests"] else 0)
