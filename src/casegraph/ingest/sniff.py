"""Content sniffing helpers shared by the ingestors."""

from __future__ import annotations

_BINARY_CONTROL = set(range(0, 9)) | {14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}


def looks_textual(head: bytes) -> bool:
    """True when the bytes look like text in some 8-bit or UTF encoding (few control bytes)."""
    if not head:
        return False
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    bad = sum(1 for b in head if b in _BINARY_CONTROL)
    return bad <= max(2, len(head) // 200)


def head_text(head: bytes) -> str:
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")
