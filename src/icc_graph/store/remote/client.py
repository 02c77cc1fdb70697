"""A SPARQL 1.1 Protocol client: queries and updates sent to a remote store, answers read as a stream and cut.

Queries go as GET, or as a url-encoded POST when long, never as a direct POST of
``application/sparql-query`` (a store in endpoints.PRODUCTS hangs on that). SELECT and ASK answers
are asked for in SPARQL XML, which every store writes, and read with a pull
parser, so a row cap stops reading (and drops the connection) at the cap
instead of after the whole answer; CONSTRUCT and DESCRIBE come as N-Triples,
one triple a line, cut the same way.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse

from ..base import QuerySyntaxError, QueryTimeout, StoreError
from .endpoints import Endpoints
from .transport import Reply, Transport, shown

RESULTS = "{http://www.w3.org/2005/sparql-results#}"
XML_ACCEPT = "application/sparql-results+xml"
NT_ACCEPT = "application/n-triples, text/plain;q=0.5"
GET_LIMIT = 4000          # longer queries go in a POST body
CHUNK = 1 << 16
BNODE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
MESSAGE_LIMIT = 600       # how much of a store's error body a message repeats


class Solutions:
    """A SELECT or ASK answer: variable names, rows (pyoxigraph terms or None), or a boolean."""

    def __init__(self):
        self.variables: list[str] = []
        self.rows: list[list] = []
        self.boolean: bool | None = None


def _term(element: ET.Element):
    tag = element.tag.removeprefix(RESULTS)
    text = element.text or ""
    if tag == "uri":
        return NamedNode(text)
    if tag == "bnode":
        # A store may label blank nodes nodeID://b123 (endpoints.PRODUCTS says which), which is no N-Triples label.
        return BlankNode(text if BNODE_ID.match(text) else "b" + hashlib.sha1(text.encode()).hexdigest()[:16])
    if tag == "literal":
        language = element.get("{http://www.w3.org/XML/1998/namespace}lang")
        if language:
            return Literal(text, language=language)
        datatype = element.get("datatype")
        return Literal(text, datatype=NamedNode(datatype)) if datatype else Literal(text)
    raise StoreError(f"the store answered a term this endpoint cannot pass on: <{tag}>")


def solutions_reader(cap: int):
    """A transport reader that parses SPARQL XML results and stops after ``cap`` rows."""

    def read(response) -> tuple[Solutions, bool]:
        parser = ET.XMLPullParser(events=("end",))
        answer = Solutions()
        while chunk := response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK):
            try:
                parser.feed(chunk)
                events = list(parser.read_events())
            except ET.ParseError as exc:
                raise StoreError(f"the store answered malformed SPARQL XML: {exc}") from None
            for _, element in events:
                tag = element.tag
                if tag == RESULTS + "result":
                    if len(answer.rows) == cap:
                        return answer, True
                    row = {b.get("name"): _term(b[0]) for b in element.iter(RESULTS + "binding") if len(b)}
                    answer.rows.append([row.get(name) for name in answer.variables])
                    element.clear()
                elif tag == RESULTS + "variable":
                    answer.variables.append(element.get("name"))
                elif tag == RESULTS + "boolean":
                    answer.boolean = (element.text or "").strip() == "true"
        try:
            parser.close()
        except ET.ParseError as exc:
            # The store hung up mid-answer (one does when its own whole-server time limit strikes).
            raise StoreError(f"the store's answer broke off ({exc}): did it hit its own time limit?") from None
        return answer, False

    return read


def triples_reader(cap: int):
    """A transport reader that keeps the first ``cap`` triples of an N-Triples answer (as pyoxigraph triples)."""

    def read(response) -> tuple[list, bool]:
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media not in ("application/n-triples", "text/plain", "text/ntriples"):
            # A store that ignores Accept: read it whole and cut after parsing.
            triples = list(parse(response.read(), format=_format_of(media)))
            return triples[:cap], len(triples) > cap
        kept, pending, truncated = [], b"", False
        while chunk := response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK):
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for line in lines:
                if line.strip() and not line.lstrip().startswith(b"#"):
                    if len(kept) == cap:
                        truncated = True
                        break
                    kept.append(line)
            if truncated:
                break
        if pending.strip() and not truncated:
            if len(kept) == cap:
                truncated = True
            else:
                kept.append(pending)
        triples = list(parse(b"\n".join(kept) + b"\n", format=RdfFormat.N_TRIPLES)) if kept else []
        return triples, truncated

    return read


def _format_of(media: str) -> RdfFormat:
    found = RdfFormat.from_media_type(media) if media else None
    if found is None:
        raise StoreError(f"the store answered a graph in {media or 'an unnamed format'}, which cannot be read")
    return found


class SparqlClient:
    """Queries and updates to one store through its endpoints."""

    def __init__(self, transport: Transport, endpoints: Endpoints):
        self.transport, self.endpoints = transport, endpoints

    def query(self, text: str, accept: str, reader, timeout: float, dataset: dict[str, list[str]] | None = None
              ) -> Reply:
        params = [("query", text)]
        for key, values in (dataset or {}).items():
            params += [(key, value) for value in values]
        params += list(self.endpoints.timeout_params(timeout).items())
        encoded = urlencode(params)
        url = self.endpoints.query
        if len(encoded) < GET_LIMIT:
            reply = self.transport.request("GET", f"{url}{'&' if '?' in url else '?'}{encoded}", timeout=timeout,
                                           headers={"Accept": accept}, reader=reader)
        else:
            reply = self.transport.request(
                "POST", url, timeout=timeout, body=encoded.encode("ascii"), reader=reader,
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        self._check(reply, "query", url)
        if self.endpoints.product.signals.stopped_early(reply.header):
            # An "anytime" answer: partial results when the time limit struck; never pass them on.
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped by the store")
        return reply

    def select(self, text: str, timeout: float, cap: int = 10 ** 9, dataset=None) -> Solutions:
        return self.query(text, XML_ACCEPT, solutions_reader(cap), timeout, dataset).body

    def update(self, text: str, timeout: float) -> None:
        if not self.endpoints.update:
            raise StoreError(f"no SPARQL update endpoint is known for {shown(self.endpoints.query)}: "
                             "give it with --update-url (or ICC_GRAPH_STORE_UPDATE_URL)")
        reply = self.transport.request(
            "POST", self.endpoints.update, timeout=timeout, body=urlencode({"update": text}).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"})
        self._check(reply, "update", self.endpoints.update)

    def _check(self, reply: Reply, what: str, url: str) -> None:
        if reply.status < 300:
            return
        message = _message(reply.body)
        if reply.status in (401, 403):
            raise StoreError(f"the store refused the {what} at {shown(url)} ({reply.status}): check "
                             "ICC_GRAPH_STORE_USER / _PASSWORD / _TOKEN / _AUTH")
        if what == "query" and reply.status >= 500 and self.endpoints.product.signals.timed_out(message):
            raise QueryTimeout(f"the query ran past its time limit and was stopped by the store: {message}")
        if reply.status == 400 and what == "query":
            raise QuerySyntaxError(f"the store refused the query: {message}")
        # A query's failure may reach the public (a 500 from /sparql): name the product, not the internal URL.
        where = self.endpoints.product.name if what == "query" else shown(url)
        raise StoreError(f"the store ({where}) answered {reply.status} to the {what}: {message}")


def _message(body) -> str:
    if not isinstance(body, bytes | bytearray):
        return ""
    text = body.decode("utf-8", "replace").strip()
    return text[:MESSAGE_LIMIT] + ("..." if len(text) > MESSAGE_LIMIT else "")
