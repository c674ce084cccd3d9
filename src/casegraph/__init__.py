"""casegraph: ingest document releases, extract who said what, resolve entities,
connect them in a graph with evidence, and check articles against the sources."""

from casegraph.api import Case, open_case
from casegraph.errors import CasegraphError

__version__ = "0.1.0"
__all__ = ["Case", "CasegraphError", "__version__", "open_case"]
