"""`python -s -B -m sandbox.inside CONTROL_FD [--single]`: a zygote (or, with --single, one child)."""

import sys

from .server import main

sys.exit(main(sys.argv))
