"""eth-account for the OCN package, imported without its side effect on the interpreter.

Importing eth-account imports py_ecc, which raises the recursion limit of the whole process to 100,000. At that
limit a hostile answer of about 190 KB of nested JSON arrays makes ``json.loads`` overflow the C stack and kill
roamcert (a segmentation fault), where the default limit raises RecursionError. The limit is put back as it was.
"""

from __future__ import annotations

import sys

_LIMIT = sys.getrecursionlimit()

from eth_account import Account  # noqa: E402  (the limit must be read before this import)
from eth_account.messages import encode_defunct  # noqa: E402
from eth_utils.address import to_checksum_address  # noqa: E402
from eth_utils.crypto import keccak  # noqa: E402

sys.setrecursionlimit(_LIMIT)

__all__ = ["Account", "encode_defunct", "keccak", "to_checksum_address"]
