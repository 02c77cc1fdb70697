"""The W3C SPARQL 1.1 Protocol and Service Description manifests, run against the real server.

Each manifest entry becomes a test. Protocol requests are sent byte for byte
as the manifest writes them (http.client: no header added), the path prefix
``/sparql/`` mapped to the endpoint. One deliberate difference: the endpoint
is read-only, so every update request must get a 4xx (the manifest's update
tests expect a 2xx and then check the update's effect; those follow-up checks
are skipped with the update).
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from icc_graph.vocabulary.formats import GRAPH_TYPES, RESULTS_JSON, RESULTS_XML, SOLUTION_TYPES

from ..conftest import standards_file
from .conftest import PROTOCOL_MANIFEST, SD_MANIFEST

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def entries(path) -> list:
    """One test per manifest entry; without the manifest, one placeholder that skips (fails in CI) with the reason."""
    if not path.is_file():
        return [pytest.param("missing", None, None, id=f"{path.parent.name}-manifest-missing")]
    graph = Graph().parse(path, publicID=path.as_uri())
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    tests = Collection(graph, graph.value(manifest, MF.entries))
    return [pytest.param(str(test).rsplit("#", 1)[-1], graph, test, id=str(test).rsplit("#", 1)[-1])
            for test in tests]


PROTOCOL = entries(PROTOCOL_MANIFEST)
SERVICE_DESCRIPTION = entries(SD_MANIFEST)


def read_request(graph: Graph, node) -> dict:
    body = graph.value(node, HT.body)
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
    response = graph.value(node, HT.resp)
    return {
        "method": str(graph.value(node, HT.methodName)),
        "path": str(graph.value(node, HT.absolutePath)),
        "body": None if body is None else str(graph.value(body, CNT.chars)).encode(
            str(graph.value(body, CNT.characterEncoding) or "UTF-8")),
        "headers": headers,
        "statuses": {str(s).rsplit("#StatusCode", 1)[-1] for s in graph.objects(response, MF.expectedStatus)},
        "boolean": graph.value(response, MF.expectedBoolean),
        "format": graph.value(response, MF.expectedFormat),
    }


def is_update(request: dict) -> bool:
    body = request["body"] or b""
    return (request["headers"].get("content-type", "").startswith("application/sparql-update")
            or body.startswith(b"update=") or "update=" in request["path"] or "using-" in request["path"])


def send(server, request: dict) -> http.client.HTTPResponse:
    target = urlsplit(server.url)
    path = "/sparql" + request["path"].removeprefix("/sparql/")   # "/sparql/?query=" -> "/sparql?query="
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    connection.request(request["method"], path, body=request["body"], headers=request["headers"])
    return connection.getresponse()


def check_format(expected: str, content_type: str, body: bytes, boolean) -> None:
    media_type = content_type.split(";")[0].strip()
    if expected == "boolean":
        assert media_type in (RESULTS_JSON, RESULTS_XML)
        value = (json.loads(body)["boolean"] if media_type == RESULTS_JSON
                 else b"<boolean>true</boolean>" in body)
        if boolean is not None:
            assert value == boolean.toPython()
    elif expected == "tabular":
        assert media_type in SOLUTION_TYPES
    elif expected == "RDF":
        assert media_type in GRAPH_TYPES
    else:
        raise AssertionError(f"unknown mf:expectedFormat {expected!r}")


@pytest.mark.server
@pytest.mark.parametrize("name,graph,test", PROTOCOL)
def test_protocol(server, name, graph, test):
    if graph is None:
        standards_file("w3c-sparql11", "protocol", "manifest.ttl")
    action = graph.value(test, MF.action)
    requests = [read_request(graph, node) for node in Collection(graph, graph.value(action, HT.requests))]
    assert requests, f"{name}: no request in the manifest"
    for request in requests:
        response = send(server, request)
        body = response.read()
        if is_update(request):
            assert 400 <= response.status < 500, f"{name}: an update got {response.status} {body[:200]!r}"
            assert body.strip(), "a refused update says why"
            return   # what follows checks the update's effect: there is none on a read-only endpoint
        assert f"{response.status // 100}xx" in request["statuses"], \
            f"{name}: {response.status} not in {request['statuses']}: {body[:300]!r}"
        if request["format"] is not None:
            check_format(str(request["format"]), response.getheader("Content-Type", ""), body, request["boolean"])


def _service_description(server, accept: str = "text/turtle") -> tuple[str, Graph]:
    connection = http.client.HTTPConnection(urlsplit(server.url).hostname, urlsplit(server.url).port, timeout=30)
    connection.request("GET", "/sparql", headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200, body
    media_type = response.getheader("Content-Type").split(";")[0]
    formats = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}
    return media_type, Graph().parse(data=body, format=formats[media_type])


def check_returns_rdf(server) -> None:
    for media_type in GRAPH_TYPES:
        answered, graph = _service_description(server, media_type)
        assert answered == media_type and len(graph) > 0


def check_has_endpoint_triple(server) -> None:
    _, graph = _service_description(server)
    assert list(graph.subjects(SD.endpoint, URIRef(server.endpoint))), "sd:endpoint must be the endpoint's URL"


def check_conforms_to_schema(server) -> None:
    _, graph = _service_description(server)
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    service = services[0]
    languages = set(graph.objects(service, SD.supportedLanguage))
    assert languages and languages <= {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
    assert all(isinstance(e, URIRef) for e in graph.objects(service, SD.endpoint))
    assert set(graph.objects(service, SD.feature)) <= {SD.DereferencesURIs, SD.UnionDefaultGraph,
                                                        SD.RequiresDataset, SD.EmptyGraphs, SD.BasicFederatedQuery}
    formats = set(graph.objects(service, SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph
    assert (graph.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in graph
    names = {graph.value(named, SD.name) for named in graph.objects(dataset, SD.namedGraph)}
    assert URIRef("https://w3id.org/icc-graph/graph/source") in names
    for named in graph.objects(dataset, SD.namedGraph):
        assert (named, RDF.type, SD.NamedGraph) in graph and isinstance(graph.value(named, SD.name), URIRef)


SD_CHECKS = {"returns-rdf": check_returns_rdf, "has-endpoint-triple": check_has_endpoint_triple,
             "conforms-to-schema": check_conforms_to_schema}


@pytest.mark.server
@pytest.mark.parametrize("name,graph,test", SERVICE_DESCRIPTION)
def test_service_description(server, name, graph, test):
    if graph is None:
        standards_file("w3c-sparql11", "service-description", "manifest.ttl")
    assert name in SD_CHECKS, f"the manifest has a test this suite does not know: {name}"
    SD_CHECKS[name](server)
