"""The REST API and web UI of casegraph (`casegraph serve`)."""

from casegraph.server.app import create_app
from casegraph.server.config import ServerConfig

__all__ = ["ServerConfig", "create_app"]
