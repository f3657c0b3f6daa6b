"""Fuzzing the loaders: whatever the input, the only exceptions are the library's own
(ValidationError / SleGraphError), no input takes more than :data:`HANG_SECONDS`, and the graph
being extended never changes.

Generated inputs per loader: raw bytes and near-valid tables (TSV, CSV), YAML documents, Python
rows, KGX pairs (plain and compressed), Hetionet TSV and JSON files, every RDF format sle_graph
reads (real documents with random edits), RDF given as bytes, and pattern text.

Two sizes. In the suite, a few hundred inputs per loader (CI stays fast). ``make fuzz`` sets
``SLE_FUZZ_EXAMPLES`` (10,000 per loader): every input then runs, an error that is not ours is
recorded rather than stopping the run, and at the end a table gives the inputs tried and the
failures per loader (also written as JSON to ``SLE_FUZZ_REPORT`` when set); any failure fails the run.
"""

from __future__ import annotations

import gzip
import json
import lzma
import os
import signal
import tempfile
import traceback
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph import SleGraphError, read_hetionet, read_kgx, read_rdf

#: Inputs per loader in a long run (``make fuzz``); 0: the suite's small run.
LONG = int(os.environ.get("SLE_FUZZ_EXAMPLES", "0") or 0)
#: Seconds one input may take before it counts as a hang.
HANG_SECONDS = 10


def examples(n: int) -> int:
    """``n`` inputs in the suite, :data:`LONG` in a long run."""
    return LONG or n


SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=not LONG, database=None)
FOLDER = Path(tempfile.mkdtemp(prefix="sle-fuzz-"))
KG = sle_graph.load()

#: Per loader: inputs tried, and the errors that are not ours (type: message, first traceback line).
TRIED: Counter[str] = Counter()
FAILURES: defaultdict[str, Counter[str]] = defaultdict(Counter)

# Pieces of real input, mixed with noise: the fuzzer reaches deep into the readers this way.
TOKENS = ["id", "kind", "label", "definition", "synonyms", "exact_mappings", "close_mappings", "subject",
          "predicate", "object", "source", "start", "end", "quote", "reference", "stance", "msc", "sle",
          "Mechanism", "Mechansim", "acts_through", "treats", "immunomodulation", "breaking-ground", "PMID:1",
          "CL:0000134", "MONDO:0007915", "biolink:Gene", "biolink:related_to", "category", "name",
          "primary_knowledge_source", "Gene::1", "Disease::DOID:9074", "CtD", "GiG", "metaedge", "target",
          "0", "12", "-1", "|", "\t", ",", "\n", "\r\n", '"', "'", " ", ":", "::", "\ufeff", "é", "\x00",
          # the kinds of value the probe of issue 22 broke readers with
          "9" * 4_400, "2001-12-14", "2001-12-14t21:59:43.10-05:00", ".inf", "1e400", "-.nan", "0x1F", "0o17",
          "\u2028", "\u2029", "\x85", "!!binary", "&a", "*a", "<<", "? ", "- ", "~"]
TEXT = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=5)), max_size=40).map("".join)
NOISE = st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=200),
                  TEXT.map(lambda t: t.encode("utf-8", errors="replace")).map(lambda b: b + b"\xe9\xff"))


class Hang(Exception):
    """An input took longer than HANG_SECONDS."""


def _alarm(signum, frame):
    raise Hang(f"an input took more than {HANG_SECONDS} s")


def table(header: list[str], delimiter: str = "\t") -> st.SearchStrategy[bytes]:
    row = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), min_size=len(header) - 1,
                   max_size=len(header) + 1)
    return st.lists(row, max_size=5).map(
        lambda rows: (delimiter.join(header) + "\n" + "".join(delimiter.join(r) + "\n" for r in rows)).encode("utf-8",
                                                                                                             "replace"))


ENTITIES = ["id", "kind", "label", "definition", "exact_mappings"]
ASSERTIONS = ["subject", "predicate", "object", "source", "start", "end", "quote", "reference"]


def expect_own_errors(loader: str, fn) -> None:
    """Run one input: our errors pass, others fail the test (in a long run: are recorded)."""
    TRIED[loader] += 1
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        fn()
    except SleGraphError:
        pass
    except Exception as exc:  # noqa: BLE001 (what the harness looks for)
        if not LONG:
            raise
        where = traceback.extract_tb(exc.__traceback__)[-1]
        FAILURES[loader][f"{type(exc).__name__}: {str(exc)[:100]} ({Path(where.filename).name}:{where.lineno})"] += 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module", autouse=True)
def report():
    """In a long run: the table of inputs tried and failures, and a failed run if any failed."""
    yield
    if not LONG:
        return
    lines = [f"{'loader':<22} {'inputs':>8} {'failures':>9}"]
    for loader in sorted(TRIED):
        lines.append(f"{loader:<22} {TRIED[loader]:>8} {sum(FAILURES[loader].values()):>9}")
        lines += [f"    {n} x {what}" for what, n in FAILURES[loader].most_common()]
    print("\n" + "\n".join(lines))
    if os.environ.get("SLE_FUZZ_REPORT"):
        Path(os.environ["SLE_FUZZ_REPORT"]).write_text(json.dumps(
            {loader: {"inputs": TRIED[loader], "failures": dict(FAILURES[loader])} for loader in sorted(TRIED)},
            indent=1, sort_keys=True) + "\n", encoding="utf-8")
    failed = {loader: sum(f.values()) for loader, f in FAILURES.items() if f}
    assert not failed, f"errors that are not ours: {failed}"


def _write(name: str, data: bytes) -> Path:
    path = FOLDER / name
    path.write_bytes(data)
    return path


@settings(max_examples=examples(300), **SETTINGS)
@given(st.one_of(NOISE, table(ENTITIES)), st.one_of(NOISE, table(ASSERTIONS)), st.sampled_from([".tsv", ".csv"]))
def test_tables(entities, assertions, suffix):
    folder = FOLDER / "tables"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / f"entities{suffix}").write_bytes(entities.replace(b"\t", b",") if suffix == ".csv" else entities)
    (folder / f"assertions{suffix}").write_bytes(assertions)
    expect_own_errors("tables", lambda: KG.extend(folder))


LEAVES = st.one_of(st.sampled_from(TOKENS + [None, True, 3, -1, 2.5, ""]), st.integers(-2, 10**6))
YAML_VALUES = st.recursive(LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                           st.dictionaries(st.sampled_from(TOKENS), inner, max_size=4)),
                           max_leaves=8)
ITEMS = st.dictionaries(st.sampled_from(TOKENS), st.one_of(LEAVES, YAML_VALUES), max_size=8)


@settings(max_examples=examples(250), **SETTINGS)
@given(st.one_of(TEXT, YAML_VALUES.map(lambda v: json.dumps({"entities": v, "assertions": v})),
                 st.dictionaries(st.sampled_from(["entities", "assertions", "x"]), st.lists(ITEMS, max_size=3),
                                 max_size=3).map(json.dumps),
                 # plain YAML (not JSON): scalars resolve to dates, floats, big ints
                 st.lists(st.tuples(st.sampled_from(ENTITIES + ASSERTIONS), st.sampled_from(TOKENS)), max_size=6).map(
                     lambda pairs: "entities:\n- " + "\n  ".join(f"{k}: {v}" for k, v in pairs) + "\n")))
def test_yaml(text):
    path = _write("facts.yaml", text.encode("utf-8", errors="replace"))
    expect_own_errors("yaml", lambda: KG.extend(path))


@settings(max_examples=examples(250), **SETTINGS)
@given(st.one_of(YAML_VALUES, st.lists(ITEMS, max_size=4)))
def test_python_rows(rows):
    expect_own_errors("python rows", lambda: KG.extend(rows))


KGX_NODES = table(["id", "category", "name"])
KGX_EDGES = st.one_of(table(["subject", "predicate", "object", "primary_knowledge_source"]),
                      table(["subject", "predicate", "object", "sle_predicate", "sle_evidence", "sle_start",
                             "primary_knowledge_source"]))


@settings(max_examples=examples(300), **SETTINGS)
@given(st.one_of(NOISE, KGX_NODES), st.one_of(NOISE, KGX_EDGES))
def test_kgx(nodes, edges):
    n, e = _write("nodes.tsv", nodes), _write("edges.tsv", edges)
    expect_own_errors("kgx", lambda: KG.merge(read_kgx(n, e)))


COMPRESS = {".gz": gzip.compress, ".xz": lzma.compress}


@settings(max_examples=examples(150), **SETTINGS)
@given(KGX_NODES, KGX_EDGES, st.sampled_from(sorted(COMPRESS)), st.integers(0, 200), st.binary(max_size=20))
def test_kgx_compressed(nodes, edges, suffix, cut, junk):
    """Compressed KGX files, cut and followed by junk (a damaged download)."""
    squeeze = COMPRESS[suffix]
    n = _write("nodes.tsv" + suffix, squeeze(nodes)[:cut or None] + junk)
    e = _write("edges.tsv" + suffix, squeeze(edges)[:cut or None] + junk)
    expect_own_errors("kgx compressed", lambda: KG.merge(read_kgx(n, e)))


@settings(max_examples=examples(250), **SETTINGS)
@given(st.one_of(NOISE, table(["id", "name", "kind"])), st.one_of(NOISE, table(["source", "metaedge", "target"])))
def test_hetionet_tsv(nodes, edges):
    n, e = _write("het-nodes.tsv", nodes), _write("het-edges.sif", edges)
    expect_own_errors("hetionet tsv", lambda: KG.merge(read_hetionet(n, e)))


@settings(max_examples=examples(250), **SETTINGS)
@given(st.one_of(TEXT, st.dictionaries(st.sampled_from(["nodes", "edges", "kind_to_abbrev"]), st.lists(
    st.dictionaries(st.sampled_from(["kind", "identifier", "name", "data", "source_id", "target_id", "direction"]),
                    st.one_of(LEAVES, st.lists(LEAVES, max_size=3), st.dictionaries(st.sampled_from(TOKENS), LEAVES,
                                                                                     max_size=2)), max_size=7),
    max_size=4), max_size=3).map(json.dumps)))
def test_hetionet_json(text):
    path = _write("het.json", text.encode("utf-8", errors="replace"))
    expect_own_errors("hetionet json", lambda: KG.merge(read_hetionet(path)))


# -- RDF: real documents of every format, edited at random ------------------------------------------

SMALL = KG.subgraph(["msc", "immunomodulation"])
RDF_FORMATS = {"turtle": ".ttl", "nt": ".nt", "xml": ".rdf", "json-ld": ".jsonld", "trig": ".trig",
               "nquads": ".nq", "trix": ".trix"}
RDF_DOCS = {fmt: SMALL.serialize(format=fmt).encode("utf-8") for fmt in RDF_FORMATS}
RDF_TOKENS = TOKENS + ['"', '"""', "<", ">", "@prefix", "_:b", "^^", "@en", ".", ";", "{", "}", "[", "]",
                       "<!ENTITY a 'x'>", "&a;", "<!DOCTYPE r [", '"@context": "http://example.org/"',
                       "http://www.w3.org/2001/XMLSchema#integer", "https://w3id.org/sle-graph/resource/"]
EDITS = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), st.one_of(st.sampled_from(RDF_TOKENS),
                                                                        st.text(max_size=4))), max_size=4)


def edited(doc: bytes, edits: list[tuple[float, int, str]]) -> bytes:
    """``doc`` with each edit: at a fraction of its length, cut some bytes and insert a token."""
    for where, cut, token in edits:
        at = int(where * len(doc))
        doc = doc[:at] + token.encode("utf-8", "replace") + doc[at + cut:]
    return doc


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
@settings(max_examples=examples(60), **SETTINGS)
@given(edits=EDITS)
def test_rdf(fmt, edits):
    path = _write("facts" + RDF_FORMATS[fmt], edited(RDF_DOCS[fmt], edits))
    expect_own_errors(f"rdf {fmt}", lambda: read_rdf(path))


@settings(max_examples=examples(100), **SETTINGS)
@given(st.sampled_from(sorted(RDF_FORMATS)), EDITS, st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_rdf_bytes_and_text(fmt, edits, encoding):
    """RDF handed over in memory, as bytes in some encoding or as a string."""
    data = edited(RDF_DOCS[fmt], edits).decode("utf-8", "replace")
    raw = data.encode(encoding, "replace")
    expect_own_errors("rdf in memory", lambda: read_rdf(raw, format=fmt))
    expect_own_errors("rdf in memory", lambda: read_rdf(data.split("\n", 1)[0], format=fmt))


@settings(max_examples=examples(100), **SETTINGS)
@given(TEXT)
def test_facts_extend_rdf(text):
    path = _write("facts.ttl", ("@prefix sle: <https://w3id.org/sle-graph/resource/> .\n" + text).encode("utf-8", "replace"))
    expect_own_errors("extend rdf", lambda: KG.extend(path))


PATTERN_TOKENS = ["Cell", "Mechanism", "Outcome", "Therapy", "*", "->", "<-", "-", "-[", "]->", "]-", "|",
                  "acts_through", "leads_to", "'msc'", '"', "'", "[", "]", " ", "Celll", "x" * 3_000]


@settings(max_examples=examples(200), **SETTINGS)
@given(st.lists(st.one_of(st.sampled_from(PATTERN_TOKENS), st.text(max_size=3)), max_size=12).map("".join))
def test_patterns(text):
    expect_own_errors("patterns", lambda: (KG.match(text, limit=3), KG.count(text)))


def test_the_graph_never_changed():
    assert KG == sle_graph.load()
