"""Progress: a tqdm bar (files, bytes, rate, ETA) on a terminal; plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class Progress:
    def __init__(
        self,
        files: int,
        total_bytes: int,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        every_s: float = 5.0,
    ):
        self.stream = stream or sys.stderr
        self.files, self.total_bytes = files, total_bytes
        self.done_files, self.done_bytes = 0, 0
        self.started = self.last_log = time.monotonic()
        self.every_s = every_s
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar: Any = None
        self.log = enabled is None and not tty  # plain lines only when not asked either way
        if enabled or (enabled is None and tty):
            from tqdm import tqdm

            self.bar = tqdm(
                total=total_bytes,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                file=self.stream,
                desc="ingest",
                dynamic_ncols=True,
                smoothing=0.1,
            )
            self.log = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.log and self.files:
            self._line(final=True)

    def advance(self, nbytes: int) -> None:
        self.done_files += 1
        self.done_bytes += nbytes
        if self.bar is not None:
            self.bar.update(nbytes)
            self.bar.set_postfix_str(f"{self.done_files}/{self.files} files", refresh=False)
        elif self.log and time.monotonic() - self.last_log >= self.every_s:
            self._line()

    def write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def message(self, line: str, short: str = "") -> None:
        if self.bar is not None:
            self.bar.set_description_str(short or line)
        elif self.log:
            print(line, file=self.stream, flush=True)

    def _line(self, final: bool = False) -> None:
        self.last_log = now = time.monotonic()
        elapsed = max(now - self.started, 1e-6)
        rate = self.done_files / elapsed
        mbs = self.done_bytes / elapsed / 1e6
        left = (self.files - self.done_files) / rate if rate > 0 else 0.0
        eta = "" if final else f", ETA {left:.0f}s"
        print(
            f"ingest: {self.done_files}/{self.files} files, {self.done_bytes / 1e6:.1f} MB, "
            f"{rate:.1f} files/s, {mbs:.2f} MB/s{eta}",
            file=self.stream,
            flush=True,
        )
