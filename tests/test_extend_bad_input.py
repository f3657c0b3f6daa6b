"""Bad input to kg.extend: a clear error naming file, line and problem; never a bare exception;
never a changed graph."""

from __future__ import annotations

import pytest

import sle_graph
from sle_graph import ValidationError

ENTITY_HEADER = "id\tkind\tlabel\tsynonyms\tdefinition\texact_mappings\tclose_mappings\n"
ASSERTION_HEADER = "subject\tpredicate\tobject\tsource\tstart\tend\tquote\treference\n"
GOOD_ENTITY = "il10\tMechanism\tIL-10 secretion\t\tRelease of interleukin 10.\t\t\n"
GOOD_ASSERTION = "msc\tacts_through\til10\t\t\t\t\tPMID:19489103\n"


@pytest.fixture(scope="module")
def fresh() -> sle_graph.KnowledgeGraph:
    return sle_graph.load()


@pytest.fixture()
def kg() -> sle_graph.KnowledgeGraph:
    return sle_graph.load()


def write(folder, entities: str | bytes | None = None, assertions: str | bytes | None = None, suffix=".tsv"):
    for name, content in (("entities", entities), ("assertions", assertions)):
        if content is None:
            continue
        path = folder / f"{name}{suffix}"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def fails(kg, fresh, source, *pieces, **options) -> ValidationError:
    with pytest.raises(ValidationError) as err:
        kg.extend(source, **options)
    text = str(err.value)
    for piece in pieces:
        assert piece in text, text
    assert kg == fresh and kg.schema == fresh.schema
    return err.value


def test_wrong_encoding(kg, fresh, tmp_path):
    latin1 = (ENTITY_HEADER + GOOD_ENTITY + "tnf\tMechanism\tTNF-\xe9 release\t\tA release.\t\t\n").encode("latin-1")
    write(tmp_path, latin1)
    fails(kg, fresh, tmp_path, "entities.tsv:3", "bytes are not UTF-8 (byte 0xe9", "Latin-1")


def test_utf16_byte_order_mark(kg, fresh, tmp_path):
    write(tmp_path, (ENTITY_HEADER + GOOD_ENTITY).encode("utf-16"))
    fails(kg, fresh, tmp_path, "entities.tsv:1", "UTF-16")


def test_utf8_byte_order_mark_and_crlf_keep_line_numbers(kg, fresh, tmp_path):
    text = (ENTITY_HEADER + GOOD_ENTITY + "x\tMechansim\tx\t\tAn x.\t\t\n").replace("\n", "\r\n")
    write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    err = fails(kg, fresh, tmp_path, "entities.tsv:3", "unknown kind 'Mechansim'")
    assert len(err.problems) == 1


def test_missing_and_extra_fields(kg, fresh, tmp_path):
    rows = ENTITY_HEADER + "a\tMechanism\ta\t\tAn a.\t\n" + "b\tMechanism\tb\t\tA b.\t\t\textra\n"
    fails(kg, fresh, write(tmp_path, rows), "entities.tsv:2", "expected 7 fields, found 6",
          "entities.tsv:3", "expected 7 fields, found 8")


def test_missing_and_unknown_columns(kg, fresh, tmp_path):
    write(tmp_path, "id\tkind\tlable\tdefinition\nil10\tMechanism\tIL-10\tA release.\n")
    fails(kg, fresh, tmp_path, "entities.tsv:1", "unknown column 'lable'", "did you mean 'label'",
          "missing column 'label'")


def test_empty_file(kg, fresh, tmp_path):
    fails(kg, fresh, write(tmp_path, ""), "entities.tsv:1", "file is empty")


def test_csv_unterminated_quote(kg, fresh, tmp_path):
    write(tmp_path, 'id,kind,label,definition\nil10,Mechanism,"IL-10,A release.\n', suffix=".csv")
    fails(kg, fresh, tmp_path, "entities.csv:2", "malformed row")


def test_unknown_kind(kg, fresh, tmp_path):
    write(tmp_path, ENTITY_HEADER + GOOD_ENTITY + "x\tMechansim\tx\t\tAn x.\t\t\n")
    fails(kg, fresh, tmp_path, "entities.tsv:3 (kind): unknown kind 'Mechansim'; did you mean 'Mechanism'?")


def test_unknown_predicate(kg, fresh, tmp_path):
    write(tmp_path, ENTITY_HEADER + GOOD_ENTITY, ASSERTION_HEADER + GOOD_ASSERTION.replace("acts_through", "acts_thru"))
    fails(kg, fresh, tmp_path, "assertions.tsv:2 (predicate): unknown predicate 'acts_thru'",
          "did you mean 'acts_through'")


def test_domain_violation(kg, fresh, tmp_path):
    write(tmp_path, ENTITY_HEADER + GOOD_ENTITY, ASSERTION_HEADER + "il10\tacts_through\tmsc\t\t\t\t\tPMID:1\n")
    fails(kg, fresh, tmp_path, "assertions.tsv:2", "acts_through expects Cell or Therapy -> Mechanism",
          "got 'il10' (Mechanism) -> 'msc' (StemCell)")


def test_range_violation(kg, fresh, tmp_path):
    write(tmp_path, None, ASSERTION_HEADER + "msc_therapy\ttreats\tmsc\t\t\t\t\tPMID:1\n")
    fails(kg, fresh, tmp_path, "assertions.tsv:2", "treats expects Therapy -> Disease")


def test_dangling_reference(kg, fresh, tmp_path):
    write(tmp_path, None, ASSERTION_HEADER + "msc\tacts_through\til_10\t\t\t\t\tPMID:1\n")
    fails(kg, fresh, tmp_path, "assertions.tsv:2 (object): dangling reference: no node with id 'il_10'")


def test_duplicate_id(kg, fresh, tmp_path):
    write(tmp_path, ENTITY_HEADER + GOOD_ENTITY + GOOD_ENTITY)
    fails(kg, fresh, tmp_path, "entities.tsv:3 (id): duplicate id 'il10'", "first defined at")


def test_id_of_an_existing_node_with_another_kind(kg, fresh, tmp_path):
    write(tmp_path, ENTITY_HEADER + "msc\tMechanism\tmesenchymal stem cell\t\tA thing.\t\t\n")
    fails(kg, fresh, tmp_path, "entities.tsv:2 (id): id 'msc' already names 'mesenchymal stem cell' (StemCell)")


def test_mapping_used_by_another_node(kg, fresh, tmp_path):
    write(tmp_path, ENTITY_HEADER + "il10\tMechanism\tIL-10\t\tA release.\tCL:0000134\t\n")
    fails(kg, fresh, tmp_path, "entities.tsv:2", "mapping CL:0000134 is already used by node 'msc'")


def test_malformed_curie(kg, fresh, tmp_path):
    write(tmp_path, ENTITY_HEADER + "il10\tMechanism\tIL-10\t\tA release.\tCL 0000134\t\n")
    fails(kg, fresh, tmp_path, "entities.tsv:2 (exact_mappings): malformed CURIE 'CL 0000134'")


def test_iri_with_spaces(kg, fresh, tmp_path):
    write(tmp_path, None, ASSERTION_HEADER + "msc\tacts_through\timmunomodulation\t\t\t\t\t"
                                             "https://example.org/my paper.pdf\n")
    fails(kg, fresh, tmp_path, "assertions.tsv:2 (reference): malformed URL", "cannot contain spaces")
    write(tmp_path, ENTITY_HEADER + "il10\tMechanism\tIL-10\t\tA release.\thttp://purl.obolibrary.org/obo/GO 1\t\n",
          ASSERTION_HEADER)
    fails(kg, fresh, tmp_path, "entities.tsv:2 (exact_mappings): malformed CURIE")


def test_malformed_id(kg, fresh, tmp_path):
    write(tmp_path, ENTITY_HEADER + "il 10\tMechanism\tIL-10\t\tA release.\t\t\n")
    fails(kg, fresh, tmp_path, "entities.tsv:2 (id): malformed id 'il 10'")


def test_quote_not_in_the_cited_document(kg, fresh, tmp_path):
    quote = "Stem cells cure lupus in every patient"
    facts, sources = tmp_path / "facts", tmp_path / "sources"
    facts.mkdir(), sources.mkdir()
    # A stand-in for the article's text: what is checked is the error, not the article.
    (sources / "breaking-ground.txt").write_text("MSCs act through immunomodulation. " * 5, encoding="utf-8")
    write(facts, None, ASSERTION_HEADER + f"msc\tacts_through\timmunomodulation\tbreaking-ground\t10\t"
                                          f"{10 + len(quote)}\t{quote}\t\n")
    fails(kg, fresh, facts, "assertions.tsv:2 (quote): quote not found in source 'breaking-ground'",
          sources_dir=sources)


def test_quote_offsets_that_do_not_span_it(kg, fresh, tmp_path):
    write(tmp_path, None, ASSERTION_HEADER + "msc\tacts_through\timmunomodulation\tbreaking-ground\t0\t5\tMSCs\t\n")
    fails(kg, fresh, tmp_path, "assertions.tsv:2 (end): offsets 0..5 span 5 characters but the quote has 4")


def test_no_evidence(kg, fresh, tmp_path):
    write(tmp_path, None, ASSERTION_HEADER + "msc\tacts_through\timmunomodulation\t\t\t\t\t\n")
    fails(kg, fresh, tmp_path, "assertions.tsv:2 (source): evidence has no source")
    fails(kg, fresh, [{"subject": "msc", "predicate": "acts_through", "object": "immunomodulation"}],
          "rows[0] (evidence): assertion has no evidence")


def test_evidence_source_of_the_wrong_kind(kg, fresh, tmp_path):
    write(tmp_path, None, ASSERTION_HEADER + "msc\tacts_through\timmunomodulation\tmsc\t\t\t\t\n")
    fails(kg, fresh, tmp_path, "assertions.tsv:2 (source): evidence source 'msc' is not a Study node")


def test_turtle_with_a_syntax_error(kg, fresh, tmp_path):
    path = tmp_path / "mine.ttl"
    path.write_text("@prefix sle: <https://w3id.org/sle-graph/resource/> .\n\nsle:x sle:y sle:z ;\n  ] .\n",
                    encoding="utf-8")
    err = fails(kg, fresh, path, "mine.ttl")
    assert any(p.line == 4 for p in err.problems), str(err)


def test_yaml_problems_name_the_line_of_the_field(kg, fresh, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("entities:\n  - id: il10\n    label: IL-10\n    kind: Mechansim\n    definition: A release.\n"
                    "assertions:\n  - subject: msc\n    predicate: acts_thru\n    object: il10\n"
                    "    evidence:\n      - reference: PMID:1\n", encoding="utf-8")
    err = fails(kg, fresh, path, "facts.yaml:4 (kind): unknown kind 'Mechansim'; did you mean 'Mechanism'?",
                "facts.yaml:8 (predicate): unknown predicate 'acts_thru'")
    assert len(err.problems) == 2


def test_malformed_yaml(kg, fresh, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("entities:\n  - id: il10\n    label: [unclosed\n", encoding="utf-8")
    fails(kg, fresh, path, "facts.yaml:4", "malformed YAML")


def test_yaml_is_loaded_safely(kg, fresh, tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "facts.yaml"
    path.write_text(f"entities:\n  - !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    fails(kg, fresh, path, "facts.yaml:2", "malformed YAML")
    assert not marker.exists()


def test_yaml_unknown_field_and_wrong_types(kg, fresh, tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("entities:\n  - id: il10\n    kind: Mechanism\n    lable: IL-10\n    label: [a, b]\n"
                    "    definition: x\n", encoding="utf-8")
    fails(kg, fresh, path, "facts.yaml:4 (lable): unknown field 'lable'; did you mean 'label'?",
          "facts.yaml:5 (label): label must be text, not a list")


def test_every_problem_of_a_source_is_reported_together(kg, fresh, tmp_path):
    write(tmp_path, ENTITY_HEADER + "x\tMechansim\tx\t\tAn x.\t\t\n" + "y\tMechanism\ty\t\tA y.\tCL 1\t\n",
          ASSERTION_HEADER + "msc\tacts_thru\tx\t\t\t\t\tPMID:1\n" + "msc\tacts_through\tnowhere\t\t\t\t\tPMID:1\n")
    err = fails(kg, fresh, tmp_path, "entities.tsv:2", "entities.tsv:3", "assertions.tsv:2", "assertions.tsv:3")
    assert len(err.problems) == 4


def test_folder_without_tables(kg, fresh, tmp_path):
    fails(kg, fresh, tmp_path, "folder has no entities.tsv/.csv or assertions.tsv/.csv")


def test_missing_file(kg, fresh, tmp_path):
    fails(kg, fresh, tmp_path / "nope.yaml", "nope.yaml", "no such file")
