"""Warm zygotes for parallel grading: one per job slot, launched before anything secret loads."""

from __future__ import annotations

import contextlib
import queue
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
        for zygote in self.zygotes:
            self._free.put(zygote)

    def launch(self) -> None:
        for zygote in self.zygotes:
            zygote.launch()

    def wait(self) -> None:
        for zygote in self.zygotes:
            zygote.wait()

    @contextlib.contextmanager
    def borrow(self) -> Iterator[Zygote]:
        zygote = self._free.get()
        try:
            yield zygote
        finally:
            self._free.put(zygote)

    def close(self) -> None:
        for zygote in self.zygotes:
            zygote.close()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
