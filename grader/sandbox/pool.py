"""Warm zygotes for parallel grading: one per job slot, launched before anything secret loads.

The first slot starts at once, and the others are forked from it once it is ready, each with
its own setup (uid, isolation): on a machine with few cores, zygotes importing torch side by
side (and beside the grader, which imports it too) would each take longer, and the first report
would wait for all of them. A slot is lent only once ready.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator

from grader.sandbox.tiers import Tier, detect
from grader.sandbox.zygote import Zygote


class Pool:
    """`size` zygotes, each with its own uid where uids are dropped; a grading thread borrows one
    for each submission."""

    def __init__(self, size: int, tier: Tier | None = None, hide: list[str] | None = None):
        self.tier = tier or detect()
        self.zygotes = [Zygote(self.tier, eager=True, hide=hide) for _ in range(max(1, size))]
        self._free: queue.Queue[Zygote] = queue.Queue()
        self._starting: list[threading.Thread] = []
        self._waited = False
        self._lock = threading.Lock()

    def launch(self) -> None:
        """Start the first slot (the others start once it is ready: see `wait`)."""
        self.zygotes[0].launch()

    def wait(self) -> None:
        """Wait for the first slot; the others start now and join the pool as each is ready."""
        with self._lock:
            if self._waited:
                return
            self.zygotes[0].wait()
            self._waited = True
        for zygote in self.zygotes[1:]:
            zygote.clone_from(self.zygotes[0])  # or, failing that, launched on its own
            thread = threading.Thread(target=self._ready, args=(zygote,), daemon=True)
            thread.start()
            self._starting.append(thread)
        self._free.put(self.zygotes[0])

    def _ready(self, zygote: Zygote) -> None:
        with contextlib.suppress(Exception):  # a slot that will not start says so when it is used
            zygote.wait()
        self._free.put(zygote)

    @contextlib.contextmanager
    def borrow(self) -> Iterator[Zygote]:
        self.wait()
        zygote = self._free.get()
        try:
            yield zygote
        finally:
            self._free.put(zygote)

    def close(self) -> None:
        for zygote in self.zygotes:
            zygote.close()
        for thread in self._starting:
            thread.join(timeout=5)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
