"""extrawest-ocpi serving as an OCPI 2.2.1 CPO: credentials (Receiver) and locations (Sender), in memory.

    /tmp/extrawest-venv/bin/python -m tests.interop.extrawest_cpo --port 8801   # from the repository root

It serves a handful of roamcert's seed Locations under NL/EXW (with --tokens also extrawest-ocpi's tokens
module, Receiver) and accepts the tokens A given with --token-a (default: interop-token-a-1 .. -4). See
tests/interop/_extrawest.py for what is glue and what is extrawest-ocpi's own behaviour.
"""

from __future__ import annotations

import sys

from tests.interop._extrawest import main

if __name__ == "__main__":
    sys.exit(main("CPO"))
