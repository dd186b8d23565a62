"""Run part of a test as if the machine were in another time zone, and put it back after."""

import os
import time
from contextlib import contextmanager


@contextmanager
def machine_zone(name: str):
    """Set the process time zone (Python's and Qt's local time follow ``TZ``) for a block.

    Restored even when the block fails, so one test's zone never leaks into the next.
    """
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()
