"""The SPARQL 1.1 Protocol's request side: which operation a request carries, and what kind of query it is.

Three ways to send a query (GET, POST urlencoded, POST direct), one query
string each, graphs in default-graph-uri / named-graph-uri. Updates, in any of
their forms, are refused: the endpoint is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request

from ...store import GraphSelection

FORM = "application/x-www-form-urlencoded"
DIRECT_QUERY = "application/sparql-query"
DIRECT_UPDATE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"

class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Operation:
    query: str | None            # None: no query, the client wants the service description
    graphs: GraphSelection


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"the request carries {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _graphs(*sources) -> GraphSelection:
    default, named = [], []
    for source in sources:
        default += source.getlist("default-graph-uri")
        named += source.getlist("named-graph-uri")
    return GraphSelection(tuple(default), tuple(named))


def _refuse_updates(*sources) -> None:
    for source in sources:
        if any(name in source for name in ("update", "using-graph-uri", "using-named-graph-uri")):
            raise ProtocolError(403, READ_ONLY)


def read_operation(request: Request) -> Operation:
    """The query a request carries; raises ProtocolError with the status and message to answer."""
    args = request.args
    _refuse_updates(args)
    if request.method in ("GET", "HEAD"):   # HEAD answers as GET would, without the body
        return Operation(_one(args.getlist("query"), "query"), _graphs(args))
    content_type = request.mimetype
    if content_type == FORM:
        form = request.form
        _refuse_updates(form)
        query = _one(form.getlist("query") + args.getlist("query"), "query")
        if query is None:
            raise ProtocolError(400, "a url-encoded POST needs a 'query' parameter")
        return Operation(query, _graphs(args, form))
    if content_type == DIRECT_UPDATE:
        raise ProtocolError(403, READ_ONLY)
    if content_type == DIRECT_QUERY:
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"a direct POST query must be UTF-8, not {charset}")
        if "query" in args:
            raise ProtocolError(400, "a direct POST carries the query in its body, not in a 'query' parameter")
        try:
            query = request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the query is not valid UTF-8") from None
        return Operation(query, _graphs(args))
    raise ProtocolError(415, f"a POST must be {FORM} or {DIRECT_QUERY}, not {content_type or 'untyped'}")
