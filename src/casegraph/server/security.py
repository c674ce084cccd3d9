"""Security around every request: headers (a strict Content-Security-Policy), tokens on
non-loopback binds, CSRF defence on state-changing requests, read-only mode and a limit on
the size of request bodies.

Tokens travel either as `Authorization: Bearer TOKEN` (scripts) or in an HttpOnly,
SameSite=Strict session cookie set by /login (browsers). A POST is accepted only with a
valid bearer token, or with an `X-CSRF-Token` header (or `csrf` form field, checked by the
login route) equal to the `cg_csrf` cookie, and an Origin, when the browser sends one, of
this very host.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from casegraph.server.config import ServerConfig, is_loopback

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SESSION_COOKIE = "cg_session"
CSRF_COOKIE = "cg_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
OPEN_PATHS = ("/static/", "/login", "/healthz")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def session_value(config: ServerConfig, token: str) -> str:
    """What the session cookie holds for a token: a keyed hash, never the token itself."""
    return hmac.new(config.secret, token.encode(), hashlib.sha256).hexdigest()


def token_ok(config: ServerConfig, token: str) -> bool:
    return any(hmac.compare_digest(token.encode(), t.encode()) for t in config.tokens)


def session_ok(config: ServerConfig, value: str) -> bool:
    return any(hmac.compare_digest(value, session_value(config, t)) for t in config.tokens)


def same_origin(request: Request) -> bool:
    """True when the browser sent no Origin, or an Origin whose host is this request's Host."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin != "null" and urlsplit(origin).netloc == host


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, config: ServerConfig):
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        new_csrf = None if request.cookies.get(CSRF_COOKIE) else secrets.token_urlsafe(24)
        scope.setdefault("state", {})["csrf"] = request.cookies.get(CSRF_COOKIE) or new_csrf

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS if k not in present]
                if new_csrf:
                    headers.append(
                        (
                            b"set-cookie",
                            f"{CSRF_COOKIE}={new_csrf}; Path=/; SameSite=Strict; HttpOnly".encode(),
                        )
                    )
                message["headers"] = headers
            await send(message)

        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, _limited(receive, self.config.max_upload_bytes), send_with_headers)

    def _refusal(self, request: Request) -> Response | None:
        path = request.url.path
        method = request.method.upper()
        if not self.config.tokens and not is_loopback(_hostname(request.headers.get("host", ""))):
            # without tokens only loopback names may reach the case: a page of another site
            # whose name was re-pointed at 127.0.0.1 (DNS rebinding) is refused
            return _error(421, "this server answers to 127.0.0.1 or localhost only")
        is_api = path.startswith("/api/")
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return _error(400, "bad Content-Length")
            if int(length) > self.config.max_upload_bytes:
                return _error(413, f"request too large (limit {self.config.max_upload_bytes} bytes)")
        bearer = _bearer(request)
        authenticated = not self.config.tokens
        if self.config.tokens:
            if bearer is not None:
                if not token_ok(self.config, bearer):
                    return _error(401, "invalid token")
                authenticated = True
            else:
                authenticated = session_ok(self.config, request.cookies.get(SESSION_COOKIE, ""))
            if not authenticated and not path.startswith(OPEN_PATHS):
                if is_api or method not in SAFE_METHODS:
                    return _error(401, "log in first: send Authorization: Bearer TOKEN")
                return RedirectResponse("/login?next=" + _safe_next(path), status_code=303)
        if method not in SAFE_METHODS:
            if path == "/login":  # the login form checks its own CSRF field
                return None if same_origin(request) else _error(403, "cross-origin request refused")
            if self.config.read_only:
                return _error(403, "this server is read-only (--read-only)")
            if bearer is None:
                if not same_origin(request):
                    return _error(403, "cross-origin request refused")
                sent = request.headers.get(CSRF_HEADER, "")
                cookie = request.cookies.get(CSRF_COOKIE, "")
                if not cookie or not sent or not hmac.compare_digest(sent, cookie):
                    return _error(403, "missing or wrong CSRF token (send the X-CSRF-Token header)")
        return None


def _hostname(host: str) -> str:
    """The name in a Host header: without the port, an IPv6 address without its brackets."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return None


def _safe_next(path: str) -> str:
    return path if path.startswith("/") and not path.startswith("//") else "/"


def _error(status: int, detail: str) -> Response:
    return JSONResponse({"detail": detail}, status_code=status)


class BodyTooLarge(Exception):
    pass


def _limited(receive: Receive, limit: int) -> Receive:
    """Count the body as it arrives (chunked uploads have no Content-Length to check)."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(f"request too large (limit {limit} bytes)")
        return message

    return wrapped


def too_large_response(exc: BodyTooLarge) -> Response:
    return Response(json.dumps({"detail": str(exc)}), status_code=413, media_type="application/json")
