"""Reading a file never reaches anything but that file: JSON-LD contexts named by IRI (remote or
local) and XML entity declarations are refused before rdflib sees them.

Each refusal has a control: rdflib given the same file does fetch, open or expand, so the test
would fail if the check were gone."""

from __future__ import annotations

import json

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph import ValidationError
from tests.recording_server import recorder  # noqa: F401 (fixture)

DOC = {"@id": "http://example.org/a", "name": "Ana"}


def _write(tmp_path, doc, name="doc.jsonld"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own, in the control
def test_remote_context_is_refused_without_a_request(recorder, tmp_path):
    url = recorder.url + "/context.jsonld"
    path = _write(tmp_path, {"@context": url, **DOC})
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(path)
    assert url in str(err.value) and str(path) in str(err.value)
    assert recorder.requests == []
    # The control: rdflib alone fetches it.
    rdflib.Graph().parse(path, format="json-ld")
    assert recorder.requests == [("GET", "/context.jsonld")]


def test_remote_context_in_text_is_refused_too(recorder):
    with pytest.raises(ValidationError, match="not inside the file"):
        sle_graph.read_rdf(json.dumps({"@context": recorder.url, **DOC}), format="json-ld")
    assert recorder.requests == []


@pytest.mark.parametrize("where", ["absolute", "relative"])
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own, in the control
def test_local_file_context_is_refused_and_its_content_never_shown(where, tmp_path):
    secret = "SECRET-" + where
    ctx = tmp_path / "ctx.jsonld"
    ctx.write_text(json.dumps({"@context": {"name": "http://example.org/" + secret}}), encoding="utf-8")
    ref = ctx.as_uri() if where == "absolute" else "ctx.jsonld"
    path = _write(tmp_path, {"@context": ref, **DOC})
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(path)
    assert ref in str(err.value) and secret not in str(err.value)
    # The control: rdflib alone opens the local file and uses what it holds.
    assert secret in rdflib.Graph().parse(path, format="json-ld").serialize(format="nt")


def _hide(doc, url, depth, how):
    """``doc`` with a context naming ``url`` placed ``depth`` levels down, in one of the ways
    JSON-LD lets a context name another."""
    contexts = {"string": url, "list": [{"x": "http://example.org/x"}, url], "import": {"@import": url},
                "scoped": {"term": {"@id": "http://example.org/t", "@context": url}}}
    node = {"@context": contexts[how], **DOC}
    for _ in range(depth):
        node = {"@id": "http://example.org/outer", "http://example.org/has": node}
    return node


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(depth=st.integers(0, 4), how=st.sampled_from(["string", "list", "import", "scoped"]),
       in_list=st.booleans())
def test_a_named_context_anywhere_is_refused_without_a_request(recorder, depth, how, in_list):
    doc = _hide(DOC, recorder.url + "/c", depth, how)
    text = json.dumps([doc] if in_list else doc)
    with pytest.raises(ValidationError, match="not inside the file"):
        sle_graph.read_rdf(text, format="json-ld")
    assert recorder.requests == []


def test_inline_contexts_still_read(kg, tmp_path):
    path = tmp_path / "kg.jsonld"
    kg.serialize(path, format="json-ld")
    assert sle_graph.read_rdf(path) == kg


def test_json_ld_that_is_not_json_names_its_line(tmp_path):
    path = tmp_path / "bad.jsonld"
    path.write_text('{\n"@context": {}\n,, }', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad\.jsonld:3: malformed json-ld"):
        sle_graph.read_rdf(path)


def _laughs(levels: int) -> str:
    """Nested entities: each level ten of the one before, ``10**levels`` copies of "lol"."""
    decls = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(decls) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
            f'  <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol{levels};</ex:p></rdf:Description>\n'
            "</rdf:RDF>\n")


def test_billion_laughs_is_refused_at_the_first_entity(tmp_path):
    path = tmp_path / "laughs.rdf"
    path.write_text(_laughs(9), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        sle_graph.read_rdf(path)
    assert f"{path}:3: XML entity declaration <!ENTITY lol0 ...> refused" in str(err.value)
    # The control, at a size rdflib gets through: it does expand entities.
    small = tmp_path / "small.rdf"
    small.write_text(_laughs(2), encoding="utf-8")
    assert "lol" * 100 in rdflib.Graph().parse(small, format="xml").serialize(format="nt")


@pytest.mark.parametrize("fmt, root", [("xml", "rdf:RDF"), ("trix", "TriX")])
def test_external_dtd_and_entities_are_refused(fmt, root, tmp_path):
    outside = tmp_path / "outside.dtd"
    outside.write_text('<!ENTITY x "outside">', encoding="utf-8")
    for doctype in (f'<!DOCTYPE {root} SYSTEM "{outside.as_uri()}">',
                    f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "{outside.as_uri()}">]>'):
        text = f'<?xml version="1.0"?>\n{doctype}\n<{root}/>\n'
        with pytest.raises(ValidationError, match="refused"):
            sle_graph.read_rdf(text, format=fmt)


def test_a_doctype_without_declarations_still_reads(kg, tmp_path):
    text = kg.serialize(format="xml")
    head, rest = text.split("\n", 1)
    path = tmp_path / "kg.rdf"
    path.write_text(f"{head}\n<!DOCTYPE rdf:RDF>\n{rest}", encoding="utf-8")
    assert sle_graph.read_rdf(path) == kg
