"""Every loader failure of issue 22's probe, as a regression test: each input now gives one of our
errors (a ValidationError naming the file, a limit of sle_graph.limits and how to raise it, or
SourceNotFound), quickly; and raising a limit lets the input through the size check.
"""

from __future__ import annotations

import gzip
import lzma
import re

import pytest

import sle_graph
from sle_graph import LimitExceeded, SleGraphError, SourceNotFound, ValidationError, limits, read_kgx, read_rdf

DIGITS = "9" * 5_000  # past Python's 4,300-digit limit on int("...")
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture(scope="module")
def small(kg):
    return kg.subgraph(["msc", "immunomodulation"])


def problems_of(excinfo) -> str:
    return "\n".join(map(str, excinfo.value.problems))


# -- numbers past 4,300 digits ------------------------------------------------------------------

def test_an_offset_of_5000_digits_in_a_facts_table(kg, tmp_path):
    (tmp_path / "assertions.tsv").write_text(
        "subject\tpredicate\tobject\tsource\tstart\tend\tquote\n"
        f"msc\tacts_through\timmunomodulation\tbreaking-ground\t{DIGITS}\t5\tx\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        kg.extend(tmp_path)
    assert "assertions.tsv:2 (start): start must be a whole number" in problems_of(caught)
    assert "(5,000 characters)" in problems_of(caught)  # the value is cut in the message


def test_an_offset_of_5000_digits_in_yaml(kg, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("assertions:\n- subject: msc\n  predicate: acts_through\n  object: immunomodulation\n"
                    f"  evidence:\n  - source: breaking-ground\n    start: {DIGITS}\n    end: 5\n    quote: x\n",
                    encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        kg.extend(path)
    assert re.search(r"facts\.yaml:7 .*cannot read '9+\.\.\.' \(5,000 characters\) as int", problems_of(caught))


#: Per RDF format: the suffix, and the form of an offset (``oa:start``) in sle_graph's output.
OFFSETS = {"nt": (".nt", r'"1953"\^\^', f'"{DIGITS}"^^'),
           "xml": (".rdf", r">1953</oa:start>", f">{DIGITS}</oa:start>"),
           "json-ld": (".jsonld", r'"@value": "1953"', f'"@value": {DIGITS}')}  # a JSON number, too long for json


@pytest.mark.parametrize("fmt", sorted(OFFSETS))
def test_an_offset_of_5000_digits_in_rdf(small, tmp_path, fmt):
    suffix, found, replacement = OFFSETS[fmt]
    text = small.serialize(format=fmt)
    edited = re.sub(found, replacement, text, count=1)
    assert edited != text
    path = tmp_path / f"g{suffix}"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_rdf(path)
    assert str(path) in str(caught.value)


def test_an_offset_of_5000_digits_in_kgx(small, tmp_path):
    small.to_kgx(tmp_path)
    (tmp_path / "manifest.json").unlink()  # read unchecked, as another tool's KGX is
    edges = tmp_path / "edges.tsv"
    text = edges.read_text(encoding="utf-8")
    edges.write_text(re.sub(r'"start":\d+', f'"start":{DIGITS}', text, count=1), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_kgx(tmp_path / "nodes.tsv", edges)
    assert "edges.tsv:2 (sle_records)" in problems_of(caught)


# -- damaged and misencoded files -------------------------------------------------------------------

@pytest.mark.parametrize("suffix, squeeze", [(".gz", gzip.compress), (".xz", lzma.compress)])
def test_corrupt_compressed_kgx(small, tmp_path, suffix, squeeze):
    small.to_kgx(tmp_path / "plain")
    for name in ("nodes.tsv", "edges.tsv"):
        data = squeeze((tmp_path / "plain" / name).read_bytes())
        (tmp_path / (name + suffix)).write_bytes(data[:len(data) // 2] + b"\x00garbage" * 8)
    with pytest.raises(ValidationError) as caught:
        read_kgx(tmp_path / f"nodes.tsv{suffix}", tmp_path / f"edges.tsv{suffix}")
    assert "cannot read file" in problems_of(caught)


def test_json_ld_that_is_not_utf8(small, tmp_path):  # found by the long fuzz run
    path = tmp_path / "g.jsonld"
    path.write_bytes(small.serialize(format="json-ld").encode("utf-8").replace(b"{", b"{\xf3", 2))
    with pytest.raises(ValidationError, match=r"g.jsonld:1: malformed json-ld: bytes are not UTF-8 \(byte 0xf3\)"):
        read_rdf(path)


def test_turtle_as_utf16(small, tmp_path):
    data = small.serialize(format="turtle").encode("utf-16")
    (tmp_path / "g.ttl").write_bytes(data)
    with pytest.raises(ValidationError, match="g.ttl"):
        read_rdf(tmp_path / "g.ttl")
    with pytest.raises(ValidationError, match="not UTF-8 .*byte 0xff"):
        read_rdf(data)


# -- sizes ---------------------------------------------------------------------------------------

def _big_literal(fmt: str, size: int) -> str:
    big = "x" * size
    if fmt == "nt":
        return f'<https://w3id.org/sle-graph/resource/a> <{LABEL}> "{big}" .\n'
    return ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"><rdf:Description '
            f'rdf:about="https://w3id.org/sle-graph/resource/a"><rdfs:label>{big}</rdfs:label>'
            '</rdf:Description></rdf:RDF>')


def test_a_literal_past_the_turtle_parser_buffer(tmp_path):
    path = tmp_path / "big.nt"
    path.write_text(_big_literal("nt", 17 * 2 ** 20), encoding="utf-8")
    with pytest.raises(ValidationError, match="big.nt: a term too long for the parser"):
        read_rdf(path)


def test_a_literal_past_the_literal_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.rdf"
    path.write_text(_big_literal("xml", 2_000_000), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_rdf(path)
    assert "big.rdf: an RDF literal of 2,000,000 characters is longer than sle_graph.limits.MAX_LITERAL_CHARS" \
        in str(caught.value)
    assert "sle_graph.limits.MAX_LITERAL_CHARS = 2_000_000" in str(caught.value)
    monkeypatch.setattr(limits, "MAX_LITERAL_CHARS", 2_000_000)
    with pytest.raises(ValidationError) as caught:  # past the size check: the node has no kind
        read_rdf(path)
    assert "MAX_LITERAL_CHARS" not in str(caught.value) and "no sleo: class" in str(caught.value)


def _yaml_of(path, definition_size: int):
    path.write_text("entities:\n- id: big\n  kind: Mechanism\n  label: big\n"
                    f"  definition: {'x' * definition_size}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("size", [20_000_000, 200_000])  # found by libyaml's scanner; by the loader
def test_a_long_yaml_scalar(kg, tmp_path, monkeypatch, size):
    path = _yaml_of(tmp_path / "facts.yaml", size)
    with pytest.raises(ValidationError) as caught:
        kg.extend(path)
    assert problems_of(caught).startswith(f"{path}:5: a YAML scalar of {size:,} characters is longer than "
                                          "sle_graph.limits.MAX_SCALAR_CHARS = 131,072")
    monkeypatch.setattr(limits, "MAX_SCALAR_CHARS", 200_000)
    assert len(kg.extend(_yaml_of(path, 200_000)).node("big").definition) == 200_000


def test_a_table_cell_past_the_scalar_limit(kg, tmp_path, monkeypatch):
    (tmp_path / "entities.tsv").write_text(
        f"id\tkind\tlabel\tdefinition\nbig\tMechanism\tbig\t{'x' * 200_000}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        kg.extend(tmp_path)
    assert "entities.tsv:2: a field longer than sle_graph.limits.MAX_SCALAR_CHARS = 131,072" in problems_of(caught)
    monkeypatch.setattr(limits, "MAX_SCALAR_CHARS", 200_000)
    assert len(kg.extend(tmp_path).node("big").definition) == 200_000


def test_a_200000_character_quoted_node_in_a_pattern(kg, monkeypatch):
    pattern = "'" + "x" * 200_000 + "' -> Mechanism"
    with pytest.raises(LimitExceeded) as caught:
        kg.match(pattern)
    assert (caught.value.name, caught.value.limit, caught.value.size) == ("MAX_PATTERN_CHARS", 10_000, len(pattern))
    assert f"sle_graph.limits.MAX_PATTERN_CHARS = {len(pattern):_}" in str(caught.value)
    monkeypatch.setattr(limits, "MAX_PATTERN_CHARS", len(pattern))
    with pytest.raises(sle_graph.NodeNotFound):  # read now; no such node
        kg.count(pattern)


def test_a_trig_file_of_many_foreign_triples_ends(tmp_path):
    # the probe's file held 300,000 (21-26 s here, rdflib's TriG parser); a thirtieth of it says the same
    path = tmp_path / "foreign.trig"
    path.write_text("@prefix ex: <http://example.org/> .\nex:g {\n"
                    + "".join(f'ex:s{i} ex:p "v{i}" .\n' for i in range(10_000)) + "}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="no resources of sle_graph .* in 10000 triples"):
        read_rdf(path)


# -- content taken for a file name ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["some words, not RDF", "x" * 5_000, "a\x00b"])
def test_content_taken_for_a_file_name(kg, text):
    for read in (read_rdf, sle_graph.read):
        with pytest.raises(SourceNotFound) as caught:
            read(text)
        assert isinstance(caught.value, FileNotFoundError) and len(str(caught.value)) < 600  # the name cut
    with pytest.raises(ValidationError, match="no such file or folder"):
        kg.extend(text)


# -- the guards of rdf/guard.py on every RDF input --------------------------------------------------

BOMB = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'rdf:about="https://w3id.org/sle-graph/resource/a"><rdf:value>&b;</rdf:value></rdf:Description></rdf:RDF>')
REMOTE = '{"@context": "https://example.org/context.jsonld", "@id": "https://w3id.org/sle-graph/resource/a"}'


@pytest.mark.parametrize("name, text, words", [("bomb.rdf", BOMB, "entity declaration"),
                                               ("remote.jsonld", REMOTE, "is not inside the file")])
def test_shacl_validation_of_a_users_file_is_guarded_too(tmp_path, name, text, words):
    pytest.importorskip("pyshacl")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=words):
        sle_graph.validate(path)


def test_every_error_above_is_ours():
    for error in (ValidationError, SourceNotFound, LimitExceeded):
        assert issubclass(error, SleGraphError)


def test_graphml_is_never_parsed_unguarded(tmp_path):
    # sle_graph writes GraphML but reads none: a GraphML file is refused by suffix, and read as
    # RDF/XML on request it meets the XML guard like any other
    path = tmp_path / "g.graphml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><graphml>&a;</graphml>', encoding="utf-8")
    with pytest.raises(sle_graph.UnknownFormat, match="unknown suffix '.graphml'"):
        sle_graph.read(path)
    with pytest.raises(ValidationError, match="entity declaration"):
        read_rdf(path, format="xml")
