"""The two scripts Gradescope runs from the autograder zip: `setup.sh` once, `run_autograder` per submission."""

from __future__ import annotations

import json
import shlex

from grader.export.gradescope import failure

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04 by default).
# The grader gets its own Python (3.11+) in a virtualenv: the system python3 belongs to the harness.
set -euo pipefail
SOURCE=/autograder/source
VENV=/opt/grader/venv

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3.11 python3.11-venv libseccomp2 >/dev/null
python3.11 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
# The CPU build of the torch version the instructor graded with (no CUDA download, same numbers).
"$VENV/bin/pip" install --quiet --index-url https://download.pytorch.org/whl/cpu -c "$SOURCE/constraints.txt" torch
"$VENV/bin/pip" install --quiet -c "$SOURCE/constraints.txt" "$SOURCE/grader-src"

# Only root may read the reference solution, the grading seed and the results; student code runs
# as a dedicated uid and, on the linux-rlimit tier, sees an empty /autograder.
chmod -R go-rwx "$SOURCE"
"$VENV/bin/grader" doctor || true
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this as root in /autograder for every submission. results.json is always
# written: by the grader, or below if the grader itself could not start.
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
GRADER="${{GRADER_BIN:-/opt/grader/venv/bin/grader}}"
RESULTS="$ROOT/results"
mkdir -p "$RESULTS"
chmod go-rwx "$ROOT/source" "$RESULTS" 2>/dev/null || true

"$GRADER" gradescope run "$ROOT/source/course/assignments/{name}" --root "$ROOT"{sandbox}

if ! [ -s "$RESULTS/results.json" ]; then
    cat > "$RESULTS/results.json" <<'JSON'
{failure}
JSON
fi
exit 0
"""


def run_autograder(name: str, sandbox: str | None) -> str:
    return RUN_AUTOGRADER.format(
        name=name, sandbox=f" --sandbox {shlex.quote(sandbox)}" if sandbox else "",
        failure=json.dumps(failure(), separators=(",", ":")),
    )
