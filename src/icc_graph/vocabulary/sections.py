"""The practice template's sections: the one list that the data, the mapping, the gate and the pages read.

Each is a property of the ontology (``icc:purpose``, ...: the sub-properties of
dcterms:description, a test checks that the two agree); in data/ a section is
named in snake case (``key_success_factors``). Plain strings: records import
this and carry no rdflib.
"""

from __future__ import annotations

from .prefixes import ICC

# In the order the template prints them.
SECTIONS = ("purpose", "stimulus", "process", "outcomes", "evaluation", "key_success_factors", "transferability",
            "key_reference_documents")


def section_iri(name: str) -> str:
    """``key_success_factors`` -> ``https://w3id.org/icc-graph/ontology#keySuccessFactors``."""
    first, *rest = name.split("_")
    return ICC + first + "".join(word.title() for word in rest)


SECTION_IRIS = {name: section_iri(name) for name in SECTIONS}
