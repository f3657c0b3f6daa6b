"""The format registry and sle_graph.read: everything the project writes or accepts reads back,
equal; suffix spellings and names resolve; unknown suffixes and content fail with one clear error."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph import Edge, Evidence, KnowledgeGraph, Node
from sle_graph.cli import main
from sle_graph.errors import UnknownFormat, ValidationError
from sle_graph.io import formats
from sle_graph.io.formats import FORMATS, by_name, for_path

RDF = [f for f in FORMATS if f.family == "rdf"]
TEMPLATE = Path(__file__).resolve().parents[2] / "examples" / "user_facts"


@pytest.fixture(scope="module")
def kg():
    return sle_graph.load()


@pytest.fixture(scope="module")
def small(kg):
    return kg.subgraph(["msc", "immunomodulation", "reduced_disease_activity", "sle"])


# -- the table -----------------------------------------------------------------------------------------

def test_table_is_consistent():
    names = [n for f in FORMATS for n in f.names]
    assert len(names) == len(set(names))  # a name or alias names one format
    for f in FORMATS:
        assert f.family in formats.FAMILIES
        assert f.reader is not None or f.writer is not None, f.name
        assert all(s.startswith(".") and s == s.lower() for s in f.suffixes), f.name
    # every RDF suffix names exactly one RDF format
    rdf_suffixes = [s for f in RDF for s in f.suffixes]
    assert len(rdf_suffixes) == len(set(rdf_suffixes))
    # the old tables are views of this one
    from sle_graph.draw.diagram import FORMATS as DIAGRAM
    from sle_graph.extend import RDF_SUFFIXES
    from sle_graph.rdf.parse import SUFFIXES
    from sle_graph.rdf.write import FORMATS as WRITE
    assert set(SUFFIXES) == set(RDF_SUFFIXES) == set(rdf_suffixes)
    assert set(WRITE.values()) == {f.name for f in RDF}
    assert DIAGRAM == {"svg": (".svg",), "png": (".png",), "pdf": (".pdf",), "dot": (".dot", ".gv"),
                       "html": (".html", ".htm")}


# -- sle_graph.read reads back what the project writes -------------------------------------------------

@pytest.mark.parametrize("fmt", [f.name for f in RDF])
def test_every_rdf_format_and_suffix_reads_back(fmt, small, tmp_path):
    f = by_name(fmt)
    written = tmp_path / f"graph-{fmt}"
    small.serialize(written, format=fmt)
    assert sle_graph.read(written, format=fmt) == small
    for suffix in f.suffixes:
        path = tmp_path / f"graph{suffix}"
        small.serialize(path, format=fmt)
        assert sle_graph.read(path) == small, suffix
    if f.parse_as != f.name:  # a writer variant: read as the format it parses as
        assert sle_graph.read(written, format=f.parse_as) == small


def test_curated_graph_reads_back_from_canonical_rdf(kg, tmp_path):
    for suffix in (".ttl", ".nt", ".jsonld", ".json"):
        path = tmp_path / f"sle{suffix}"
        kg.serialize(path, format=for_path(path, "rdf").name)
        assert sle_graph.read(path) == kg, suffix
    assert sle_graph.read(kg.serialize()) == kg  # text
    assert sle_graph.read(kg.serialize(format="json-ld").encode("utf-8")) == kg  # bytes
    assert sle_graph.read(kg.to_rdf()) == kg  # an rdflib graph


def test_upper_case_suffixes(small, tmp_path):
    path = tmp_path / "graph.TTL"
    small.serialize(path, format="turtle")
    assert sle_graph.read(path) == small and sle_graph.read_rdf(path) == small


def test_kgx_folder_and_pair(kg, tmp_path):
    nodes, edges = kg.to_kgx(tmp_path / "kgx")
    assert sle_graph.read(tmp_path / "kgx") == kg
    assert sle_graph.read((nodes, edges)) == kg
    assert sle_graph.read((str(nodes), str(edges))) == kg
    assert sle_graph.read(tmp_path / "kgx", format="kgx") == kg
    assert sle_graph.read((nodes, edges), format="KGX") == kg
    with pytest.raises(UnknownFormat, match="it holds kgx"):
        sle_graph.read(tmp_path / "kgx", format="turtle")
    node_only = sle_graph.read(nodes)  # a node table alone: the nodes, no edges
    assert len(node_only) == len(kg) and node_only.edges() == []


def test_hetionet_files(tmp_path):
    from sle_graph.io.hetionet import read_hetionet

    (tmp_path / "het").mkdir()
    (tmp_path / "het" / "nodes.tsv").write_text(
        "id\tname\tkind\nCompound::DB00563\tMethotrexate\tCompound\n"
        "Disease::DOID:9074\tsystemic lupus erythematosus\tDisease\n", encoding="utf-8")
    (tmp_path / "het" / "edges.sif").write_text("source\tmetaedge\ttarget\nCompound::DB00563\tCtD\tDisease::DOID:9074\n",
                                                encoding="utf-8")
    expected = read_hetionet(tmp_path / "het" / "nodes.tsv", tmp_path / "het" / "edges.sif")
    assert len(expected.edges()) == 1
    assert sle_graph.read(tmp_path / "het") == expected
    assert sle_graph.read((tmp_path / "het" / "nodes.tsv", tmp_path / "het" / "edges.sif")) == expected
    doc = {"metanode_kinds": ["Compound", "Disease"], "metaedge_tuples": [["Compound", "Disease", "treats", "both"]],
           "kind_to_abbrev": {}, "nodes": [
               {"kind": "Compound", "identifier": "DB00563", "name": "Methotrexate", "data": {}},
               {"kind": "Disease", "identifier": "DOID:9074", "name": "SLE", "data": {}}],
           "edges": [{"source_id": ["Compound", "DB00563"], "target_id": ["Disease", "DOID:9074"],
                      "kind": "treats", "direction": "both", "data": {}}]}
    path = tmp_path / "hetionet.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert for_path(path).name == "hetionet"
    assert sle_graph.read(path) == read_hetionet(path)
    assert len(sle_graph.read(path).edges()) == 1


# -- users' facts: what kg.extend accepts ---------------------------------------------------------------

NODES = [Node("doc1", "SourceDocument", "A document", definition="A text about cells."),
         Node("c1", "StemCell", "a stem cell", synonyms=("sc one",), definition="A cell."),
         Node("m1", "Mechanism", "a mechanism", definition="A way.")]
EDGES = [Edge("c1", "acts_through", "m1", (Evidence("doc1", quote="cells act", start=3, end=12),)),
         Edge("c1", "acts_through", "m1", (Evidence("PMID:12345678", reference="PMID:12345678"),))]

ENTITIES_TSV = ("id\tkind\tlabel\tsynonyms\tdefinition\n"
                "doc1\tSourceDocument\tA document\t\tA text about cells.\n"
                "c1\tStemCell\ta stem cell\tsc one\tA cell.\n"
                "m1\tMechanism\ta mechanism\t\tA way.\n")
ASSERTIONS_TSV = ("subject\tpredicate\tobject\tsource\tquote\tstart\tend\treference\n"
                  "c1\tacts_through\tm1\tdoc1\tcells act\t3\t12\t\n"
                  "c1\tacts_through\tm1\t\t\t\t\tPMID:12345678\n")
FACTS_YAML = """entities:
  - {id: doc1, kind: SourceDocument, label: A document, definition: A text about cells.}
  - {id: c1, kind: StemCell, label: a stem cell, synonyms: [sc one], definition: A cell.}
  - {id: m1, kind: Mechanism, label: a mechanism, definition: A way.}
assertions:
  - subject: c1
    predicate: acts_through
    object: m1
    evidence:
      - {source: doc1, quote: cells act, start: 3, end: 12}
      - {reference: "PMID:12345678"}
"""


def _expected() -> KnowledgeGraph:
    pooled = Edge("c1", "acts_through", "m1", EDGES[0].evidence + EDGES[1].evidence)
    return KnowledgeGraph(NODES, [pooled])


def test_self_contained_facts_read_as_the_graph_of_those_facts(tmp_path):
    expected = _expected()
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "entities.tsv").write_text(ENTITIES_TSV, encoding="utf-8")
    (tmp_path / "facts" / "assertions.tsv").write_text(ASSERTIONS_TSV, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(FACTS_YAML, encoding="utf-8")
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / "entities.csv").write_text(ENTITIES_TSV.replace("\t", ","), encoding="utf-8")
    (csv_dir / "assertions.csv").write_text(ASSERTIONS_TSV.replace("\t", ","), encoding="utf-8")
    sources = [tmp_path / "facts", tmp_path / "facts.yaml", csv_dir, str(tmp_path / "facts"),
               (tmp_path / "facts" / "entities.tsv", tmp_path / "facts" / "assertions.tsv")]
    for source in sources:
        assert sle_graph.read(source) == expected, source
        assert sle_graph.read(source, base=KnowledgeGraph()) == expected, source  # nothing from the base used
    # one table alone: the entities table gives the nodes
    assert sle_graph.read(tmp_path / "facts" / "entities.tsv") == KnowledgeGraph(NODES, [])


def test_facts_using_curated_nodes(kg):
    extended = kg.extend(TEMPLATE)
    mine = sle_graph.read(TEMPLATE)
    assert mine == sle_graph.read(TEMPLATE / "facts.yaml")
    assert len(mine.edges()) == 3 and all(len(e.evidence) == 1 for e in mine.edges())
    for e in mine.edges():  # each edge is the extended graph's, with only the facts' evidence
        assert e.evidence[0] in extended.edge(e.subject, e.predicate, e.object).evidence
    assert {n.id for n in mine} < {n.id for n in extended}
    assert "b_cell_depletion" in mine and "b_cell_depletion" not in kg
    with pytest.raises(ValidationError, match="hsct"):  # against an empty base the curated nodes are unknown
        sle_graph.read(TEMPLATE, base=KnowledgeGraph())


@pytest.mark.parametrize("suffix", [".ttl", ".turtle", ".json", ".jsonld", ".json-ld", ".nt", ".rdf", ".trig"])
def test_extend_takes_every_rdf_suffix(suffix, kg, small, tmp_path):
    mine = KnowledgeGraph([Node("doc9", "SourceDocument", "Doc nine", definition="A text."),
                           Node("m9", "Mechanism", "mechanism nine", definition="A way.")],
                          [Edge("m9", "related_to", "doc9", (Evidence("doc9", quote="x", start=0, end=1),))])
    path = tmp_path / f"facts{suffix}"
    mine.serialize(path, format=for_path(path, "rdf").name)
    assert kg.extend(path) == kg.merge(mine)
    assert sle_graph.read(path) == mine


# -- names and suffixes: a property test --------------------------------------------------------------

SPELLINGS = [(n, f.name) for f in FORMATS for n in f.names]
RDF_SPELLINGS = [(s, f.name) for f in RDF for s in f.suffixes]
KNOWN_SUFFIXES = {s for f in FORMATS for s in f.suffixes}


def _mixed_case(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if flip else c for c, flip in zip(text, flips + [False] * len(text)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spelling=st.sampled_from(SPELLINGS), flips=st.lists(st.booleans(), max_size=12))
def test_every_name_and_alias_in_any_case(spelling, flips):
    name, canonical = spelling
    assert by_name(_mixed_case(name, flips)).name == canonical


@settings(max_examples=300, deadline=None)
@given(spelling=st.sampled_from(RDF_SPELLINGS), flips=st.lists(st.booleans(), max_size=12),
       stem=st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=12),
       folder=st.sampled_from(["", "data/", "a.b/", "/tmp/x.ttl/"]))
def test_every_rdf_suffix_in_any_case(spelling, flips, stem, folder):
    suffix, canonical = spelling
    name = f"{folder}{stem}{_mixed_case(suffix, flips)}"
    assert for_path(name, "rdf").name == canonical
    assert for_path(name, "rdf", reading=False).name == canonical


@settings(max_examples=200, deadline=None)
@given(suffix=st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=6),
       stem=st.text(string.ascii_letters, min_size=1, max_size=8))
def test_unknown_suffixes_fail_naming_the_file_and_the_formats(suffix, stem):
    name = f"{stem}.{suffix}"
    if "." + suffix in KNOWN_SUFFIXES or "." + suffix in formats.COMPRESSION:
        return
    with pytest.raises(UnknownFormat) as caught:
        for_path(name)
    message = str(caught.value)
    assert repr(name) in message and f"'.{suffix}'" in message and "turtle (.ttl, .turtle)" in message
    assert isinstance(caught.value, ValueError)


@settings(max_examples=100, deadline=None)
@given(name=st.text(string.ascii_letters + "-/ ", min_size=1, max_size=12))
def test_unknown_format_names_fail_listing_the_formats(name):
    if name.lower() in {n for f in FORMATS for n in f.names}:
        return
    with pytest.raises(UnknownFormat, match=r"\(formats: turtle, nt, json-ld"):
        by_name(name)


# -- unknown suffixes, unreadable content --------------------------------------------------------------

def test_unknown_suffix(tmp_path):
    path = tmp_path / "graph.xyz"
    path.write_text("@prefix a: <http://a/> .\n", encoding="utf-8")
    with pytest.raises(UnknownFormat, match=r"cannot read '.*graph\.xyz': unknown suffix '\.xyz'; formats: turtle"):
        sle_graph.read(path)
    with pytest.raises(UnknownFormat, match="unknown suffix '.xyz'"):  # also for a file that is not there
        sle_graph.read(tmp_path / "missing.xyz")
    with pytest.raises(FileNotFoundError):
        sle_graph.read(tmp_path / "missing.ttl")
    with pytest.raises(UnknownFormat, match="cannot tell the RDF format"):
        sle_graph.read_rdf(path)
    with pytest.raises(UnknownFormat, match="not read compressed"):
        (tmp_path / "g.ttl.gz").write_bytes(b"")
        sle_graph.read(tmp_path / "g.ttl.gz")
    with pytest.raises(UnknownFormat, match="unknown format 'turtel'; did you mean 'turtle'"):
        sle_graph.read(path, format="turtel")


def test_garbage_content(tmp_path):
    garbage = "\x00\x01 this is not a graph {{{ <<< \n" * 3
    for name in ("g.ttl", "g.nt", "g.jsonld", "g.rdf", "g.trig"):
        path = tmp_path / name
        path.write_text(garbage, encoding="utf-8")
        with pytest.raises(ValidationError, match=name.replace(".", r"\.")):
            sle_graph.read(path)
    cases = {"g.json": ('{"hello": 1}', "neither JSON-LD"),
             "g.tsv": ("alpha\tbeta\n1\t2\n", "header fits no format"),
             "noext": (garbage, "it has no suffix"),
             "edges.tsv": ("subject\tpredicate\tobject\tprimary_knowledge_source\n", "edge table"),
             "edges.sif": ("source\tmetaedge\ttarget\n", "edge table")}
    for name, (text, needle) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(UnknownFormat, match=needle) as caught:
            sle_graph.read(path)
        assert name in str(caught.value)
    (tmp_path / "empty").mkdir()
    with pytest.raises(UnknownFormat, match="cannot read the folder"):
        sle_graph.read(tmp_path / "empty")


def test_read_is_exported():
    assert "read" in sle_graph.__all__ and sle_graph.read is formats.read
    assert "UnknownFormat" in sle_graph.__all__


# -- the command line --------------------------------------------------------------------------------------

def test_cli_export_refuses_an_unknown_suffix(tmp_path, capsys):
    out = tmp_path / "graph.xyz"
    assert main(["export", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sle-graph export: error: cannot write") and "unknown suffix '.xyz'" in err
    assert "turtle (.ttl, .turtle)" in err and "json-ld (.jsonld, .json-ld, .json)" in err
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".turtle", ".json-ld", ".nquads", ".owl"])
def test_cli_export_takes_every_spelling(suffix, kg, tmp_path, capsys):
    out = tmp_path / f"sle{suffix}"
    assert main(["export", "-o", str(out)]) == 0
    assert sle_graph.read(out) == kg


def test_cli_merge_output_formats(tmp_path, capsys):
    assert main(["merge", str(TEMPLATE), "-o", str(tmp_path / "out.xyz")]) == 1
    assert "unknown suffix '.xyz'" in capsys.readouterr().err
    assert main(["merge", str(TEMPLATE), "-o", str(tmp_path / "out.json-ld")]) == 0
    assert sle_graph.read(tmp_path / "out.json-ld") == sle_graph.load().extend(TEMPLATE)


def test_cli_validate_takes_every_rdf_spelling(small, tmp_path, capsys):
    path = tmp_path / "g.json-ld"
    small.serialize(path, format="json-ld")
    assert main(["validate", "--no-shacl", str(path)]) == 0
    assert "ok" in capsys.readouterr().out
