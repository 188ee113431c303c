"""extrawest-ocpi serving as an OCPI 2.2.1 eMSP: credentials (Receiver) and locations (Receiver), in memory.

    /tmp/extrawest-venv/bin/python -m tests.interop.extrawest_emsp --port 8802   # from the repository root

Pushed Locations are kept in memory. Tokens A as for extrawest_cpo (--token-a, repeatable).
"""

from __future__ import annotations

import sys

from tests.interop._extrawest import main

if __name__ == "__main__":
    sys.exit(main("EMSP"))
