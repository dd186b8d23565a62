"""How the C allocator hands memory back, set once at start-up (glibc only; elsewhere nothing).

Workers (the Tips page, the doctor check, Patterns) each read a few megabytes in a thread after
every save in a large diary and free them again. With glibc's defaults, each thread gets its own
malloc arena (up to 8 per core), and a freed large block raises the size below which blocks
come from those arenas instead of their own mapping (the dynamic mmap threshold). The freed
memory then stays with the process: at 1,000,000 episodes, four saves with the Tips page on
screen took it from 183 MB to 369 MB (benchmarks/bench_actions.py). With a fixed threshold and
two arenas, blocks of 128 KiB or more are returned to the system when freed and the same four
saves end at about 243 MB.
"""

from __future__ import annotations

import sys

M_MMAP_THRESHOLD = -3  # mallopt parameters from glibc's malloc.h
M_ARENA_MAX = -8
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value, kept fixed
ARENAS = 2


def tune_allocator() -> bool:
    """Fix the mmap threshold and cap the arenas; whether it was applied (glibc on Linux).
    Called once the window is on screen: the arenas made before stay, the cap holds after."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # lazily: called after the first paint (ctypes costs start-up ~5 ms)

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own symbols: the C library's
    except (OSError, AttributeError):  # another C library (musl has no mallopt tuning)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(M_ARENA_MAX, ARENAS)
    )


FREEZE_AFTER_MS = 5000  # after start-up's deferred work (forms built ahead, matplotlib loaded)


def freeze_startup_objects() -> None:
    """Move every object alive now out of the garbage collector's reach (gc.freeze).

    What start-up built (modules, Qt wrappers, matplotlib, the forms built ahead) lives as long
    as the app, yet a full collection walks all of it. A collection runs in whichever thread
    allocates: a worker parsing rows after a save set one off and held the interpreter, and so
    the window, for 50-80 ms at 100,000 episodes. Frozen objects are never collected (they are
    not garbage), and later objects are collected as before. No collection first: it would
    itself hold the window; freezing is a constant-time move of the generations' lists."""
    import gc

    gc.freeze()
