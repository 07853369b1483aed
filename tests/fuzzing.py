"""How much generated input the tests use: RNN_LAB_FUZZ inputs per page through AppTest (default
1000, the normal run); the property tests of the parsers scale with it. A nightly-size run:

    RNN_LAB_FUZZ=10000 make test
"""

from __future__ import annotations

import os

PER_PAGE = int(os.environ.get("RNN_LAB_FUZZ", "1000"))  # generated widget inputs per page (AppTest)


def examples(normal: int) -> int:
    """A property test's example count: `normal` in the normal run, scaled with RNN_LAB_FUZZ."""
    return max(1, round(normal * PER_PAGE / 1000))
