"""Behind one trusted reverse proxy the app sees the client's address, scheme and host; otherwise never."""

from __future__ import annotations

import dataclasses

from flask import request

from icc_graph.web.app import create_app

PROXIED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.org"}


def _seen(settings, store) -> tuple[str | None, str]:
    """The client address the app's handlers see, and the endpoint its service description names."""
    app = create_app(settings, store)
    addresses: list = []
    app.before_request(lambda: addresses.append(request.remote_addr))
    client = app.test_client()
    assert client.get("/", headers=PROXIED).status_code == 200      # a page: Flask's own request
    answer = client.get("/sparql", headers={**PROXIED, "Accept": "application/n-triples"})
    assert answer.status_code == 200
    endpoint = next(line.split()[2] for line in answer.get_data(as_text=True).splitlines()
                    if "http://www.w3.org/ns/sparql-service-description#endpoint" in line)
    return addresses[0], endpoint


def test_a_trusted_proxy_names_the_client_and_the_public_url(seed_settings, pages_store):
    address, endpoint = _seen(dataclasses.replace(seed_settings, trust_proxy=True), pages_store)
    assert address == "203.0.113.7"      # the per-client limits count this client, not the proxy
    assert endpoint == "<https://data.example.org/sparql>"


def test_without_trust_the_forwarded_headers_change_nothing(seed_settings, pages_store):
    address, endpoint = _seen(dataclasses.replace(seed_settings, trust_proxy=False), pages_store)
    assert address == "127.0.0.1"
    assert endpoint == "<http://localhost/sparql>"
