"""icc-graph ontology terms. Generated from ontology/icc.ttl by `icc-graph generate`: do not edit."""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from .namespaces import pin_terms


class ICC(DefinedNamespace):
    _fail = True
    CityLink: URIRef
    District: URIRef
    GoodPractice: URIRef
    Locality: URIRef
    PracticeSimilarity: URIRef
    ThemeSuggestion: URIRef
    confidence: URIRef
    country: URIRef
    endYear: URIRef
    evaluation: URIRef
    evidence: URIRef
    involvesCity: URIRef
    isoCode: URIRef
    keyReferenceDocuments: URIRef
    keySuccessFactors: URIRef
    linkEnd: URIRef
    linkScore: URIRef
    linkedCity: URIRef
    method: URIRef
    modelVersion: URIRef
    ongoing: URIRef
    outcomes: URIRef
    periodText: URIRef
    process: URIRef
    purpose: URIRef
    score: URIRef
    sharedTheme: URIRef
    similarPractice: URIRef
    startYear: URIRef
    stimulus: URIRef
    suggestedFor: URIRef
    suggestedTheme: URIRef
    threshold: URIRef
    titleMissingInSource: URIRef
    transferability: URIRef
    weight: URIRef
    wikidataCandidate: URIRef
    _NS = Namespace("https://w3id.org/icc-graph/ontology#")


pin_terms(ICC)
