"""The allocator is tuned once the window is on screen (glibc): freed worker buffers go back to
the system instead of staying with the process (ui/shell/memory.py)."""

import subprocess
import sys
import textwrap

import pytest

from ui.shell import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_tuning_applies_on_linux():
    assert memory.tune_allocator() is True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_freed_large_blocks_go_back_to_the_system():
    """Without the fixed threshold, a freed 4 MB block raises glibc's threshold and later
    blocks of that size stay in the heap when freed; with it, RSS falls back after each."""
    script = textwrap.dedent(
        """
        import sys
        from ui.shell import memory

        def rss():
            for line in open("/proc/self/status"):
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) // 1024

        if sys.argv[1] == "tuned":
            memory.tune_allocator()
        base = rss()
        big = bytearray(4 * 1024 * 1024)
        del big  # raises the dynamic threshold when untuned
        blocks, kept = [], []
        for _ in range(40):  # 80 MB, each block followed by a small one that stays
            blocks.append(bytearray(2 * 1024 * 1024))
            kept.append(bytearray(1000))
        del blocks
        print(rss() - base)
        """
    )
    grown = {
        mode: int(
            subprocess.run(
                [sys.executable, "-c", script, mode], capture_output=True, text=True, check=True
            ).stdout
        )
        for mode in ("tuned", "untuned")
    }
    assert grown["tuned"] < 20 <= grown["untuned"], grown
