"""Extending a graph with a user's own facts: ``kg.extend(source) -> KnowledgeGraph``.

The result is a **new** graph with the new entities and assertions; the graph extended never
changes, also when the source is rejected. Sources:

- **TSV/CSV tables** in the layout of the curated data (``data/README.md``, template in
  ``examples/user_facts/``): a directory holding ``entities.tsv`` and/or ``assertions.tsv`` (or
  ``.csv``: comma-separated, fields may be quoted and then hold commas, tabs and newlines), a
  tuple ``(entities_path, assertions_path)`` (either may be None), or one table alone (its
  header tells which it is);
- a **YAML** file (``.yaml``/``.yml``, needs PyYAML: ``pip install pyyaml``), read with
  the safe loader: ``entities:`` and ``assertions:`` lists of mappings (example in
  ``examples/user_facts/facts.yaml``); problems name the line of the offending field;
- a **Turtle** (or other RDF: every suffix of :mod:`sle_graph.io.formats`, ``.jsonld``,
  ``.json-ld``, ``.json``, ``.turtle``, ``.nt``, ...) file in our modelling, read with :func:`sle_graph.read_rdf` and
  merged (see :mod:`sle_graph.merge`): it is a graph of its own, so it declares the nodes its
  edges use (kind and label, as ``kg.subgraph(...).serialize()`` writes them);
- **Python rows**: a list of dicts (an entity has ``kind``; an assertion has ``predicate``), or a
  dict ``{"entities": [...], "assertions": [...]}``, or :class:`~sle_graph.model.Node` and
  :class:`~sle_graph.model.Edge` objects; problems name the row (``rows[3] (kind)``);
- another :class:`~sle_graph.KnowledgeGraph` (merged, see :mod:`sle_graph.merge`).

Evidence is never optional; each assertion (each TSV row) cites one of

- a **quote** from a source document: ``source`` is the id of a ``SourceDocument`` node (ours,
  like ``breaking-ground``, or one the user's entities define), ``quote`` the exact words,
  ``start``/``end`` their character offsets, and optionally its ``modality`` (how certain the
  words are: ``asserted``, ``partial``, ``preliminary``, ``possible``, ``potential``; see
  :func:`sle_graph.ontology.modalities`), which only a quote may have;
- a **study** node: ``source`` is the id of a ``Study`` node, with ``stance`` (supports,
  contradicts, neutral), ``finding`` and ``measure``;
- a **reference**: ``reference`` is a PubMed id (``PMID:12345678``), a DOI (``doi:10.1000/x``
  or ``10.1000/x``), a URL, or free text (``Smith et al., Lupus 2020``). A study cited by
  PMID/DOI/URL is a reference, not a new Study node: Study nodes are the curated studies of the
  clinical evidence table. ``source`` may stay empty and then is the reference itself.

Quotes are checked as far as the text is at hand: with ``sources={"doc-id": text}`` or
``sources_dir=`` (a folder of ``<doc-id>.txt`` files) the quote must be in the document at its
offsets. Without the text, the offsets must span the quote, and where the cited span overlaps a
quote of the curated evidence from the same document, the overlapping characters must agree (the
project does not ship the articles, but it knows the quoted sentences).

Every problem of a source is collected and raised together as one
:class:`~sle_graph.errors.ValidationError`, each with the file, line and column or field, and a
suggestion where one exists.

Example
-------
>>> import sle_graph
>>> kg = sle_graph.load()
>>> mine = kg.extend([
...     {"id": "il10", "kind": "Mechanism", "label": "IL-10 secretion",
...      "definition": "Release of the anti-inflammatory cytokine interleukin 10."},
...     {"subject": "msc", "predicate": "acts_through", "object": "il10",
...      "reference": "Smith et al., a review of MSC cytokines"}])
>>> len(mine) - len(kg), mine.edge("msc", "acts_through", "il10").evidence[0].reference
(1, 'Smith et al., a review of MSC cytokines')
>>> kg.extend([{"id": "x", "kind": "Mechansim", "label": "x", "definition": "An x."}])
Traceback (most recent call last):
...
sle_graph.errors.ValidationError: 1 problem:
  rows[0] (kind): unknown kind 'Mechansim'; did you mean 'Mechanism'?
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from . import limits
from .errors import Problem, SleGraphError, UnknownFormat, ValidationError, install_hint, suggest
from .io import formats
from .model import Edge, Evidence, Node
from .build.records import (NAME_WIDTH, ASSERTION_REQUIRED, ENTITY_COLUMNS, ENTITY_REQUIRED, AssertionRecord,
                      NodeRecord, Where, read_assertions, read_entities, shown, split_list, whole_number)
from .build.tables import unusable_path
from .build.validation import check_records
from .graph import KnowledgeGraph
from .io.curated import load
from .merge import absorb
from .rdf.parse import read_rdf

__all__ = ["extend", "facts_graph", "read_facts", "check_files", "check_fact_file", "Facts", "YAML_SUFFIXES",
           "RDF_SUFFIXES", "TABLE_SUFFIXES", "FACT_SUFFIXES"]

# Views of the format registry (sle_graph.io.formats), kept for the names' users.
YAML_SUFFIXES = (".yaml", ".yml")
RDF_SUFFIXES = tuple(formats.rdf_suffixes())
TABLE_SUFFIXES = tuple(s for s in formats.by_name("facts").suffixes if s not in YAML_SUFFIXES)

ENTITY_FIELDS = tuple(ENTITY_COLUMNS) + ("attributes",)
EVIDENCE_FIELDS = ("source", "quote", "start", "end", "stance", "finding", "measure", "reference", "attributes",
                   "modality")
ASSERTION_FIELDS = ("subject", "predicate", "object", "evidence") + EVIDENCE_FIELDS
_LIST_FIELDS = ("synonyms", "exact_mappings", "close_mappings")


@dataclass(frozen=True)
class FieldWhere(Where):
    """A place in a structured file: the item's line, and each field's own line where known."""

    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)

    def problem(self, message: str, column: str | None = None, suggestion: str | None = None) -> Problem:
        line = self.lines.get(column, self.line) if column is not None else self.line
        return Problem(message, file=self.file, line=line, column=column, suggestion=suggestion)


@dataclass
class Facts:
    """Records read from a source, not yet checked against a graph, and the problems met."""

    nodes: list[NodeRecord] = field(default_factory=list)
    assertions: list[AssertionRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    graph: "KnowledgeGraph | None" = None  # an RDF file or a graph: merged, not checked as records

    def add(self, other: "Facts") -> None:
        self.nodes += other.nodes
        self.assertions += other.assertions
        self.problems += other.problems
        if other.graph is not None:
            self.graph = other.graph if self.graph is None else self.graph.merge(other.graph)


# -- reading sources --------------------------------------------------------------------------------

def read_facts(source: Any, *, name: str | None = None, schema: Any = None) -> Facts:
    """The records of a source (any form :func:`extend` takes), with the problems of reading it.

    Nothing is checked against a graph yet; :func:`extend` does that. ``schema`` is used to read
    RDF (a graph that imported predicates knows them).
    """
    if isinstance(source, Facts):
        return source
    if isinstance(source, KnowledgeGraph):
        return Facts(graph=source)
    if isinstance(source, (str, Path)):
        return _read_path(Path(source), schema)
    if isinstance(source, Mapping):
        return _read_document(source, name or "rows")
    if isinstance(source, tuple) and len(source) == 2 and all(
            s is None or isinstance(s, (str, Path)) for s in source):
        return _read_tables(*source)
    if isinstance(source, (list, tuple)):
        return _read_items(source, name or "rows")
    raise ValidationError(Problem(
        f"cannot extend a graph with a {type(source).__name__}",
        suggestion="give a folder of entities/assertions tables, a (entities, assertions) tuple of paths, "
                   "a YAML or Turtle file, a list of dicts, or a KnowledgeGraph"))


def _read_path(path: Path, schema: Any = None) -> Facts:
    refused = unusable_path(path)
    # content taken for a file name would fill the message: cut past a file name's length
    name = str(path) if len(str(path)) <= NAME_WIDTH else shown(str(path), NAME_WIDTH)
    if refused is not None:
        return Facts(problems=[Problem(f"no such file or folder ({refused})", file=name)])
    if path.is_dir():
        found = {stem: [path / f"{stem}{suffix}" for suffix in TABLE_SUFFIXES if (path / f"{stem}{suffix}").is_file()]
                 for stem in ("entities", "assertions")}
        facts = Facts()
        for stem, paths in found.items():
            if len(paths) > 1:
                facts.problems.append(Problem(f"{stem} given twice: {', '.join(p.name for p in paths)}",
                                              file=str(path), suggestion="keep one of them"))
        if not found["entities"] and not found["assertions"]:
            facts.problems.append(Problem("folder has no entities.tsv/.csv or assertions.tsv/.csv", file=str(path),
                                          suggestion="see examples/user_facts/ for the layout"))
        if facts.problems:
            return facts
        return _read_tables(*(found[s][0] if found[s] else None for s in ("entities", "assertions")))
    if not path.exists():
        return Facts(problems=[Problem("no such file or folder", file=name)])
    try:
        fmt = formats.for_path(path, ("facts", "rdf"), reading=True)
    except UnknownFormat as exc:
        return Facts(problems=[Problem(str(exc).split(": ", 1)[-1], file=str(path),
                                       suggestion="use .tsv/.csv tables, .yaml, or RDF such as .ttl")])
    suffix = path.suffix.lower()
    if fmt.family == "rdf":
        return _read_rdf(path, schema, fmt.name)
    if suffix in YAML_SUFFIXES:
        return _read_yaml(path)
    if suffix in TABLE_SUFFIXES:
        which = _table_kind(path)
        if which is None:
            return Facts(problems=[Problem(
                "cannot tell an entities table from an assertions table: the header has neither "
                "'kind' nor 'predicate'", file=str(path), line=1,
                suggestion="entities: " + ", ".join(ENTITY_REQUIRED) + "; assertions: " + ", ".join(ASSERTION_REQUIRED))])
        return _read_tables(path, None) if which == "entities" else _read_tables(None, path)
    return Facts(problems=[Problem(f"unknown kind of file {path.suffix!r}", file=str(path),
                                   suggestion="use .tsv/.csv tables, .yaml, or .ttl")])


def _table_kind(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            first = fh.readline(1 << 16).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return "entities"  # let the table reader report the error
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    header = {h.strip().strip('"') for h in first.split(delimiter)}
    if "predicate" in header or "subject" in header:
        return "assertions"
    if "kind" in header or "id" in header or not first.strip():
        return "entities"
    return None


def _read_tables(entities: str | Path | None, assertions: str | Path | None) -> Facts:
    facts = Facts()
    if entities is not None:
        facts.nodes = read_entities(entities, facts.problems)
    if assertions is not None:
        facts.assertions = read_assertions(assertions, facts.problems)
    return facts


def _read_rdf(path: Path, schema: Any = None, format: str | None = None) -> Facts:  # noqa: A002
    """An RDF file is a graph of its own (it declares the nodes it uses); it is merged."""
    return Facts(graph=read_rdf(path, format=format, schema=schema))


# -- YAML: a document of located values -------------------------------------------------------------

class _Located(dict):
    """A mapping from a structured file, with the line of the mapping and of each value."""

    line: int | None = None
    lines: dict[str, int]


class _LocatedList(list):
    line: int | None = None
    lines: list[int]


_MAX_YAML_NODES = 500_000
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _type_name(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _read_yaml(path: Path) -> Facts:
    try:
        import yaml
    except ImportError:
        return Facts(problems=[Problem("reading YAML needs PyYAML", file=str(path),
                                       suggestion=install_hint("pyyaml", "yaml"))])
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return Facts(problems=[Problem(f"cannot read file: {exc.strerror}", file=name)])
    except UnicodeDecodeError as exc:
        return Facts(problems=[Problem(f"bytes are not UTF-8 (byte 0x{exc.object[exc.start]:02x})", file=name,
                                       line=exc.object[:exc.start].count(b"\n") + 1,
                                       suggestion="save the file as UTF-8")])
    long_scalar = _long_scalar(yaml, text)
    if long_scalar is not None:
        return Facts(problems=[Problem(long_scalar[0], file=name, line=long_scalar[1])])
    loader = None
    try:
        loader = yaml.SafeLoader(text.lstrip("\ufeff"))  # checks the characters: may raise
        root = loader.get_single_node()
        if root is None:
            return Facts(problems=[Problem("file is empty; expected 'entities:' and 'assertions:' lists",
                                           file=name, line=1)])
        counter = [0]
        document = _convert(root, loader, counter, set())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        what = " ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x)
        return Facts(problems=[Problem(f"malformed YAML: {what or exc}", file=name,
                                       line=mark.line + 1 if mark else None,
                                       column=mark.column + 1 if mark else None)])
    except (RecursionError, _TooLarge) as exc:
        return Facts(problems=[Problem(f"YAML document is {exc or 'too deeply nested'}", file=name)])
    except _LongScalar as exc:
        return Facts(problems=[Problem(exc.args[0], file=name, line=exc.args[1])])
    finally:
        if loader is not None:
            loader.dispose()
    return _read_document(document, name, located=True)


class _TooLarge(Exception):
    pass


class _LongScalar(Exception):
    """(message, line) of a scalar past :data:`sle_graph.limits.MAX_SCALAR_CHARS`."""


def _long_scalar(yaml: Any, text: str) -> tuple[str, int] | None:
    """(message, line) of the first scalar past the size limit, found by libyaml's scanner (C,
    fast) before the located Python loader spends seconds on it; None when there is none, or
    when the text cannot hold one, or without libyaml (the loader's own check then finds it)."""
    if len(text) <= limits.MAX_SCALAR_CHARS or not getattr(yaml, "__with_libyaml__", False):
        return None
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            if isinstance(token, yaml.ScalarToken) and len(token.value) > limits.MAX_SCALAR_CHARS:
                return limits.too_long("MAX_SCALAR_CHARS", "a YAML scalar", len(token.value)), token.start_mark.line + 1
    except yaml.YAMLError:
        return None  # malformed: the loader says where
    return None


def _convert(node: Any, loader: Any, counter: list[int], active: set[int]) -> Any:
    import yaml

    counter[0] += 1
    if counter[0] > _MAX_YAML_NODES:
        raise _TooLarge(f"too large (over {_MAX_YAML_NODES} values; aliases expanding?)")
    if id(node) in active:
        raise _TooLarge("recursive (an alias refers to itself)")
    line = node.start_mark.line + 1
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"unsupported tag {node.tag!r}", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        active.add(id(node))
        loader.flatten_mapping(node)
        out = _Located()
        out.line, out.lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, loader, counter, active)
            if not isinstance(key, (str, int, float)) or isinstance(key, bool):
                raise yaml.constructor.ConstructorError(None, None, f"a key must be text, not {key!r}",
                                                        key_node.start_mark)
            key = str(key)
            out[key] = _convert(value_node, loader, counter, active)
            out.lines[key] = value_node.start_mark.line + 1
        active.discard(id(node))
        return out
    if isinstance(node, yaml.SequenceNode):
        active.add(id(node))
        seq = _LocatedList(_convert(item, loader, counter, active) for item in node.value)
        seq.line, seq.lines = line, [item.start_mark.line + 1 for item in node.value]
        active.discard(id(node))
        return seq
    message = limits.check_text(node.value, "MAX_SCALAR_CHARS", "a YAML scalar")
    if message:
        raise _LongScalar(message, line)
    try:
        return loader.construct_object(node, deep=True)
    except ValueError:  # a number past Python's 4,300 digits, a date out of range, ...
        raise yaml.constructor.ConstructorError(
            None, None, f"cannot read {shown(node.value)} as {node.tag.rsplit(':', 1)[-1]}", node.start_mark) from None


# -- structured items (YAML and Python rows) -----------------------------------------------------------

def _where(item: Any, file: str, label: str, index: int, located: bool, parent: Where | None = None,
           line: int | None = None) -> Where:
    """Where an item is: its line(s) in a YAML file, or ``rows[3]`` / ``rows[3].evidence[0]``."""
    if located:
        if isinstance(item, _Located):
            lines = {**(parent.lines if isinstance(parent, FieldWhere) else {}), **item.lines}
            return FieldWhere(file, item.line, lines)
        return Where(file, line if line is not None else (parent.line if parent else None))
    return Where(f"{parent.file}.evidence[{index}]" if parent is not None else f"{label}[{index}]", None)


def _read_document(doc: Any, name: str, located: bool = False) -> Facts:
    facts = Facts()
    if isinstance(doc, Mapping):
        unknown = [k for k in doc if k not in ("entities", "assertions")]
        for k in unknown:
            facts.problems.append(_at(doc, name, k, located).problem(
                f"unknown section {k!r}", column=k, suggestion=suggest(k, ["entities", "assertions"])
                or "sections: entities, assertions"))
        for section in ("entities", "assertions"):
            items = doc.get(section)
            if items is None:
                continue
            if not isinstance(items, list):
                facts.problems.append(_at(doc, name, section, located).problem(
                    f"{section} must be a list of mappings", column=section))
                continue
            _read_list(items, name, section, located, facts)
        return facts
    if isinstance(doc, list):
        _read_list(doc, name, "rows", located, facts)
        return facts
    facts.problems.append(Problem("expected 'entities:' and 'assertions:' lists", file=name,
                                  line=getattr(doc, "line", None)))
    return facts


def _read_items(items: Sequence[Any], name: str) -> Facts:
    facts = Facts()
    _read_list(list(items), name, name, False, facts)
    return facts


def _at(doc: Any, name: str, key: str, located: bool) -> Where:
    if located and isinstance(doc, _Located):
        return FieldWhere(name, doc.line, doc.lines)
    return Where(name, None)


def _read_list(items: list, name: str, label: str, located: bool, facts: Facts) -> None:
    lines = items.lines if isinstance(items, _LocatedList) else None
    for i, item in enumerate(items):
        where = _where(item, name, label, i, located, line=lines[i] if lines else None)
        if isinstance(item, Node):
            facts.nodes.append(NodeRecord(item, where))
        elif isinstance(item, Edge):
            _edge_records(item, where, facts)
        elif not isinstance(item, Mapping):
            facts.problems.append(where.problem(f"expected a mapping (an entity or an assertion), got "
                                                f"{_type_name(item)}"))
        elif label == "entities" or (label != "assertions" and ("kind" in item or "id" in item)
                                     and "predicate" not in item):
            _entity_record(item, where, facts)
        elif label == "assertions" or "predicate" in item or "subject" in item:
            _assertion_records(item, where, name, located, facts)
        else:
            facts.problems.append(where.problem(
                "neither an entity (id, kind, label) nor an assertion (subject, predicate, object)",
                suggestion="fields: " + ", ".join(sorted(item))[:200]))


def _edge_records(edge: Edge, where: Where, facts: Facts) -> None:
    if not edge.evidence:
        facts.problems.append(where.problem(f"edge {edge} has no evidence",
                                            suggestion="every edge needs a quote, a study or a reference"))
    for ev in edge.evidence:
        facts.assertions.append(AssertionRecord(edge.subject, edge.predicate, edge.object, ev, where))


def _unknown_fields(item: Mapping, allowed: Sequence[str], where: Where, problems: list[Problem]) -> None:
    for key in item:
        if key not in allowed:
            problems.append(where.problem(f"unknown field {key!r}", column=str(key),
                                          suggestion=suggest(str(key), allowed) or "fields: " + ", ".join(allowed)))


def _text(item: Mapping, key: str, where: Where, problems: list[Problem]) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    problems.append(where.problem(f"{key} must be text, not {_type_name(value)}", column=key))
    return ""


def _texts(item: Mapping, key: str, where: Where, problems: list[Problem]) -> tuple[str, ...]:
    value = item.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return split_list(value)
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            if isinstance(v, str) and v.strip():
                out.append(v.strip())
            elif not isinstance(v, str):
                problems.append(where.problem(f"{key} must be a list of text, found {_type_name(v)}", column=key))
        return tuple(out)
    problems.append(where.problem(f"{key} must be a list of text, not {_type_name(value)}", column=key))
    return ()


def _offset(item: Mapping, key: str, where: Where, problems: list[Problem]) -> int | None:
    value = item.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    number = whole_number(value.strip()) if isinstance(value, str) else None
    if number is None:
        problems.append(where.problem(f"{key} must be a whole number of characters, got "
                                      f"{shown(value) if isinstance(value, str) else repr(value)}", column=key))
    return number


def _attributes(item: Mapping, where: Where, problems: list[Problem]) -> dict[str, str]:
    value = item.get("attributes")
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(where.problem("attributes must be a mapping of names to text", column="attributes"))
        return {}
    out = {}
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, (str, int, float)) or isinstance(v, bool):
            problems.append(where.problem(f"attribute {k!r} must map a name to text", column="attributes"))
        elif str(v).strip():
            out[k] = str(v).strip()
    return dict(sorted(out.items()))


def _entity_record(item: Mapping, where: Where, facts: Facts) -> None:
    problems = facts.problems
    _unknown_fields(item, ENTITY_FIELDS, where, problems)
    for key in ("id", "kind"):  # a missing label is reported by validation
        if item.get(key) is None or (isinstance(item.get(key), str) and not item[key].strip()):
            problems.append(where.problem(f"an entity needs {key!r}", column=key))
    node = Node(id=_text(item, "id", where, problems), kind=_text(item, "kind", where, problems),
                label=_text(item, "label", where, problems),
                synonyms=_texts(item, "synonyms", where, problems),
                definition=_text(item, "definition", where, problems),
                exact_mappings=_texts(item, "exact_mappings", where, problems),
                close_mappings=_texts(item, "close_mappings", where, problems),
                attributes=_attributes(item, where, problems))
    if node.id and node.kind:
        facts.nodes.append(NodeRecord(node, where))


def make_evidence(item: Mapping, where: Where, problems: list[Problem]) -> Evidence:
    """An evidence record from a mapping of the evidence fields (``source``, ``quote``, ...)."""
    reference = _text(item, "reference", where, problems) or None
    return Evidence(
        source=_text(item, "source", where, problems) or (reference or ""),
        quote=_text(item, "quote", where, problems) or None,
        start=_offset(item, "start", where, problems), end=_offset(item, "end", where, problems),
        stance=_text(item, "stance", where, problems) or "supports",
        finding=_text(item, "finding", where, problems) or None,
        measure=_text(item, "measure", where, problems) or None,
        reference=reference, attributes=_attributes(item, where, problems),
        modality=_text(item, "modality", where, problems) or None)


def _assertion_records(item: Mapping, where: Where, name: str, located: bool, facts: Facts) -> None:
    problems = facts.problems
    _unknown_fields(item, ASSERTION_FIELDS, where, problems)
    ends = {}
    for key in ("subject", "predicate", "object"):
        ends[key] = _text(item, key, where, problems)
        if not ends[key] and (item.get(key) is None or isinstance(item.get(key), str)):
            problems.append(where.problem(f"an assertion needs {key!r}", column=key))
    inline = [k for k in EVIDENCE_FIELDS if item.get(k) not in (None, "")]
    listed = item.get("evidence")
    records: list[tuple[Mapping, Where]] = []
    if inline:
        records.append((item, where))
    if listed is not None:
        if isinstance(listed, Mapping):
            listed = [listed]
        if not isinstance(listed, list):
            problems.append(where.problem("evidence must be a list of mappings", column="evidence"))
            listed = []
        ev_lines = listed.lines if isinstance(listed, _LocatedList) else None
        for j, ev_item in enumerate(listed):
            ev_where = _where(ev_item, name, "", j, located, parent=where, line=ev_lines[j] if ev_lines else None)
            if not isinstance(ev_item, Mapping):
                problems.append(ev_where.problem("an evidence record must be a mapping", column="evidence"))
                continue
            _unknown_fields(ev_item, EVIDENCE_FIELDS, ev_where, problems)
            records.append((ev_item, ev_where))
    if not records:
        problems.append(where.problem("assertion has no evidence", column="evidence",
                                      suggestion="cite a source document with a quote, a study, or a reference"))
    if not all(ends.values()):
        return
    for ev_item, ev_where in records:
        evidence = make_evidence(ev_item, ev_where, problems)
        facts.assertions.append(AssertionRecord(ends["subject"], ends["predicate"], ends["object"], evidence,
                                                ev_where))


# -- checking quotes ----------------------------------------------------------------------------------

def _source_texts(sources: Mapping[str, str] | None, sources_dir: str | Path | None) -> dict[str, str] | None:
    if sources is None and sources_dir is None:
        return None
    texts: dict[str, str] = {}
    if sources_dir is not None:
        folder = Path(sources_dir)
        if not folder.is_dir():
            raise ValidationError(Problem("sources_dir is not a folder", file=str(folder),
                                          suggestion="give a folder of <document id>.txt files"))
        for p in sorted(folder.glob("*.txt")):
            try:
                texts[p.stem] = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ValidationError(Problem(f"cannot read source text: {exc}", file=str(p))) from None
    texts.update(sources or {})
    return texts


def _curated_spans(kg: "KnowledgeGraph") -> dict[str, list[tuple[int, int, str]]]:
    spans: dict[str, set[tuple[int, int, str]]] = {}
    for e in kg.edge_map.values():
        for ev in e.evidence:
            if ev.quote is not None and ev.start is not None and ev.end is not None:
                spans.setdefault(ev.source, set()).add((ev.start, ev.end, ev.quote))
    return {doc: sorted(s) for doc, s in spans.items()}


def _check_known_quotes(kg: "KnowledgeGraph", records: Iterable[AssertionRecord],
                        texts: Mapping[str, str] | None, problems: list[Problem]) -> None:
    """Quotes whose document text is not at hand, against the curated quotes of that document."""
    spans = None
    for rec in records:
        ev = rec.evidence
        if ev.kind != "quote" or ev.start is None or ev.end is None or (texts and ev.source in texts):
            continue
        if ev.end - ev.start != len(ev.quote or ""):
            continue  # validation reports it
        spans = spans if spans is not None else _curated_spans(kg)
        for start, end, known in spans.get(ev.source, ()):
            lo, hi = max(start, ev.start), min(end, ev.end)
            if lo < hi and ev.quote[lo - ev.start:hi - ev.start] != known[lo - start:hi - start]:
                hint = None
                found = known.find(ev.quote)
                if found >= 0:
                    hint = f"it is at start={start + found}, end={start + found + len(ev.quote)}"
                problems.append(rec.where.problem(
                    f"quote does not match the text of {ev.source!r} at {lo}..{hi}, which reads "
                    f"{known[lo - start:hi - start][:60]!r}", column="quote", suggestion=hint))
                break


# -- extend -------------------------------------------------------------------------------------------

def extend(kg: "KnowledgeGraph", source: Any, *, sources: Mapping[str, str] | None = None,
           sources_dir: str | Path | None = None, require_definition: bool = True) -> "KnowledgeGraph":
    """A new graph: ``kg`` with the entities and assertions of ``source``; ``kg`` never changes.

    See :mod:`sle_graph.extend` for the forms of ``source`` and the evidence each assertion needs.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph extended.
    source : path-like, tuple of paths, list of dicts, or KnowledgeGraph
        A folder or file of users' facts (TSV, CSV, YAML, RDF), a pair ``(entities_path,
        assertions_path)``, Python rows (dicts, or nodes and edges), or another graph.
    sources : mapping of str to str, optional
        Document id -> text, to check quotes against.
    sources_dir : str or path-like, optional
        A folder of ``<id>.txt`` document texts, to check quotes against.
    require_definition : bool, default True
        Ask every new entity for a definition, as for the curated data.

    Returns
    -------
    KnowledgeGraph
        ``kg`` and the new facts.

    Raises
    ------
    ValidationError
        Listing every problem, with its file and line (or row).
    UnknownFormat
        For a file of a format that holds no facts.

    Examples
    --------
    >>> import sle_graph
    >>> from sle_graph.extend import extend
    >>> kg = sle_graph.load()
    >>> extend(kg, [{"id": "x", "kind": "Mechansim", "label": "x", "definition": "An x."}])
    Traceback (most recent call last):
    ...
    sle_graph.errors.ValidationError: 1 problem:
      rows[0] (kind): unknown kind 'Mechansim'; did you mean 'Mechanism'?
    """
    texts = _source_texts(sources, sources_dir)
    facts = read_facts(source, schema=kg.schema)
    if facts.problems:
        raise ValidationError(facts.problems)
    base = kg if facts.graph is None else kg.merge(facts.graph)
    if not facts.nodes and not facts.assertions:
        return base
    _check_known_quotes(base, facts.assertions, texts, facts.problems)
    nodes, edges, problems = check_records(facts.nodes, facts.assertions, base.schema,
                                           existing_nodes=base.node_map, existing_edges=base.edge_map,
                                           sources=texts, require_definition=require_definition)
    problems = facts.problems + problems
    if problems:
        raise ValidationError(problems)
    all_nodes = dict(base.node_map)
    for node_id, node in nodes.items():
        all_nodes[node_id] = absorb(all_nodes[node_id], node) if node_id in all_nodes else node
    all_edges = dict(base.edge_map)
    all_edges.update(edges)
    return KnowledgeGraph.from_checked(all_nodes, all_edges, schema=base.schema)


def facts_graph(source: Any, *, base: "KnowledgeGraph | None" = None, sources: Mapping[str, str] | None = None,
                sources_dir: str | Path | None = None, require_definition: bool = True) -> "KnowledgeGraph":
    """The graph of just the facts of ``source``, checked as an extension of ``base``: their
    entities, their assertions, and the nodes these use or cite, without the rest of ``base``.
    ``sle_graph.read`` gives this for users' fact files. An assertion ``base`` also makes has
    only the evidence of ``source``.

    Users' facts may use the curated nodes and cite the curated documents and studies (as
    ``examples/user_facts/`` does); against an empty base every such fact would be refused.

    Parameters
    ----------
    source : path, pair of paths, or rows
        Any form :func:`extend` takes except RDF and graphs: a table, YAML, a folder, an
        ``(entities, assertions)`` pair, or a list of dicts.
    base : KnowledgeGraph, optional
        The graph the facts extend (default: the curated one, :func:`sle_graph.load`).
    sources, sources_dir, require_definition
        As for :func:`extend`.

    Returns
    -------
    KnowledgeGraph
        The facts' nodes and edges, with ``base``'s schema.

    Raises
    ------
    ValidationError
        Every problem of the facts (file, line, column), or RDF given instead of facts.

    Examples
    --------
    >>> import sle_graph
    >>> mine = facts_graph([{"subject": "msc", "predicate": "acts_through", "object": "immunomodulation",
    ...                      "reference": "PMID:12345678"}])
    >>> sorted(n.id for n in mine), len(mine.edges())
    (['immunomodulation', 'msc'], 1)
    """
    if base is None:
        base = load()
    facts = read_facts(source, schema=base.schema)
    if facts.problems:
        raise ValidationError(facts.problems)
    if facts.graph is not None:  # RDF or a graph: its nodes may have landed on base's, so no "just these"
        raise ValidationError(Problem("facts_graph takes users' tables, YAML or rows",
                                      suggestion="read RDF with sle_graph.read_rdf"))
    extended = extend(base, facts, sources=sources, sources_dir=sources_dir, require_definition=require_definition)
    keys = {(r.subject, r.predicate, r.object) for r in facts.assertions}
    mine = {r.evidence for r in facts.assertions}
    # An assertion base also makes keeps only the evidence of these facts (grades are recomputed).
    edges = {k: replace(e, evidence=tuple(ev for ev in e.evidence if ev in mine))
             for k in sorted(keys) for e in (extended.edge_map[k],)}
    ids = {r.node.id for r in facts.nodes} | {k[0] for k in keys} | {k[2] for k in keys}
    ids |= {ev.source for e in edges.values() for ev in e.evidence if ev.source in extended.node_map}
    return KnowledgeGraph.from_checked({i: extended.node_map[i] for i in ids}, edges, extended.schema)


#: Suffixes of users' data files (``sle-graph validate`` sends them here).
FACT_SUFFIXES = TABLE_SUFFIXES + YAML_SUFFIXES


def check_fact_file(path: Path, args: Any) -> tuple[bool, list[str]]:
    """``sle-graph validate`` for one users' data file: ``(ok, lines to print)``.

    All the data files named on the command line (``args.files``) are checked together, once
    (an assertion may use an entity of another file), as an extension of ``args.base`` (the
    graph of ``--graph``; the curated graph when absent), and each file reports its own problems.
    """
    group = [Path(f) for f in args.files if Path(f).suffix.lower() in FACT_SUFFIXES]
    # Checked once for all the files, on the first call; kept on ``args`` for the next ones.
    problems = getattr(args, "fact_problems", None)
    if problems is None:
        problems = args.fact_problems = check_files(group, base=getattr(args, "base", None),
                                                    sources_dir=getattr(args, "sources_dir", None))
    names = {str(g) for g in group}
    mine = [p for p in problems if p.file == str(path) or (p.file not in names and path == group[0])]
    if mine:
        return False, [f"{path}: {len(mine)} problem{'s' if len(mine) != 1 else ''}"] + [f"  {p}" for p in mine]
    if problems:
        return True, [f"{path}: ok (other files have problems)"]
    return True, [f"{path}: ok"]


def check_files(paths: Sequence[str | Path], *, base: "KnowledgeGraph | None" = None,
                sources_dir: str | Path | None = None) -> list[Problem]:
    """Every problem of users' data files, checked together as one extension of ``base``
    (the curated graph by default); an empty list when they would load.

    Tables are grouped (all entity tables, then all assertion tables), so an assertion may refer
    to an entity of another file. Used by ``sle-graph validate``.
    """
    if base is None:
        base = load()
    facts = Facts()
    for p in paths:
        try:
            facts.add(read_facts(Path(p)))
        except SleGraphError as exc:
            facts.problems += list(getattr(exc, "problems", [Problem(str(exc), file=str(p))]))
    if facts.problems:
        return facts.problems
    try:
        extend(base, facts, sources_dir=sources_dir)
    except ValidationError as exc:
        return list(exc.problems)
    return []
