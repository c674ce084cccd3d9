"""Many clients at once on a live server: every request answered (a Case shared between
worker threads once deadlocked the server under this load)."""

from __future__ import annotations

import threading

import httpx


def test_concurrent_clients_all_answered(live_server: str, ids: dict[str, str]) -> None:
    urls = [
        f"/doc/{ids['herald']}",
        f"/entity/{ids['top']}",
        "/search?q=Epstein",
        "/api/search?q=deal",
        f"/api/neighbors?name={ids['top']}",
        f"/api/documents/{ids['seed']}",
        f"/doc/{ids['seed']}",
        "/api/mentions?limit=200",
    ]
    statuses: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        with httpx.Client(base_url=live_server, timeout=90) as c:
            for i in range(6):
                url = urls[(n + i) % len(urls)]
                try:
                    status = c.get(url).status_code
                    with lock:
                        statuses.append(status)
                except httpx.HTTPError as exc:
                    with lock:
                        failures.append(f"{url}: {exc!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not failures, failures[:3]
    assert len(statuses) == 16 * 6
    assert set(statuses) == {200}
