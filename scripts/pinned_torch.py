"""The fixture generators run on the PyTorch pinned in scripts/requirements-fixtures.txt, from pip.

`npm run fixtures` (scripts/fixtures.js) makes a venv with that version once and runs every
generator with it; `node scripts/fixtures.js --print-python` prints that venv's python, to run
one generator by hand. Any other PyTorch (Debian's python3-torch is 1.13) is refused, so a
fixture can only come from the pinned version.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIREMENTS = os.path.join(ROOT, "scripts", "requirements-fixtures.txt")


def pinned_version():
    with open(REQUIREMENTS, encoding="utf-8") as f:
        return re.search(r"^torch==(\S+)", f.read(), re.M).group(1)


def require_pinned_torch():
    """Import torch and exit with a message saying what to run unless it is the pinned version."""
    try:
        import torch
    except ImportError:
        torch = None
    want = pinned_version()
    got = torch.__version__.split("+")[0] if torch else None
    if got != want:
        where = "no PyTorch" if torch is None else "PyTorch %s (%s)" % (torch.__version__, os.path.dirname(torch.__file__))
        sys.exit("%s: this Python (%s) has %s; the fixtures come from torch==%s (scripts/requirements-fixtures.txt).\n"
                 "Run `npm run fixtures`: it makes a venv with that version and runs every generator.\n"
                 "To run one generator by hand: \"$(node scripts/fixtures.js --print-python)\" %s"
                 % (os.path.relpath(sys.argv[0], ROOT), sys.executable, where, want, os.path.relpath(sys.argv[0], ROOT)))
    return torch
