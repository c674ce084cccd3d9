"""How a server is configured: which case, who may use it, what it may change."""

from __future__ import annotations

import ipaddress
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from casegraph.errors import CasegraphError

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


@dataclass
class ServerConfig:
    """`tokens` empty means no login (allowed on loopback binds only, see `check_bind`)."""

    db: str
    host: str = "127.0.0.1"
    port: int = 8000
    read_only: bool = False
    tokens: frozenset[str] = frozenset()
    max_upload_bytes: int = 100 << 20  # one request, all files together
    max_upload_files: int = 200
    max_paste_chars: int = 2_000_000
    uploads_dir: Path | None = None  # default: "<db>.uploads" beside a SQLite case (see upload_root)
    worker_threads: int = 6  # requests handled at once; the others wait their turn
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    @property
    def upload_root(self) -> Path:
        """Where uploaded files are kept: beside a SQLite case; for a database server's URL, a
        folder in the working directory named after the database (never after the URL,
        which may hold a password)."""
        if self.uploads_dir is not None:
            return self.uploads_dir
        if "://" in str(self.db):
            name = re.sub(r"[^A-Za-z0-9_-]", "_", urlsplit(str(self.db)).path.strip("/")) or "case"
            return Path.cwd() / f"casegraph-uploads-{name}"
        return Path(str(self.db) + ".uploads")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(config: ServerConfig) -> None:
    """Refuse to serve a case on a non-loopback address without tokens."""
    if not is_loopback(config.host) and not config.tokens:
        raise CasegraphError(
            f"binding {config.host} exposes the case to the network: give --token-file "
            "(one token per line) or bind 127.0.0.1"
        )


def read_tokens(path: str | Path) -> frozenset[str]:
    """Tokens from a file, one per line; blank lines and lines starting with # are ignored."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CasegraphError(f"cannot read token file {path}: {exc}") from exc
    tokens = frozenset(t.strip() for t in lines if t.strip() and not t.strip().startswith("#"))
    short = [t for t in tokens if len(t) < 16]
    if short:
        raise CasegraphError(f"{path}: every token must have at least 16 characters")
    if not tokens:
        raise CasegraphError(f"{path}: no token found (one per line)")
    return tokens
