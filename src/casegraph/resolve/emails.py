"""E-mail parties: who sent and received each e-mail document.

Ingest parses an e-mail's header structure once (casegraph.ingest.email_header) and stores
the parties (table email_parties, read with `store.email_parties()`): a display name and an
address that appear together in a header are evidence that they belong to one person
("Jeffrey Epstein <jeevacation@gmail.com>"); resolution joins them. Addresses are compared
lower-cased by `valid_address`, the one address reader.
"""

from __future__ import annotations

from casegraph.ingest.email_header import valid_address

__all__ = ["valid_address"]
