"""Every file format sle_graph reads or writes, in one table, and :func:`read` for all of them.

Each :class:`Format` has a name (and aliases), the suffixes of its files, a family (``rdf``,
``kgx``, ``hetionet``, ``facts``, ``diagram``, ``network`` for GraphML and GEXF, ``triples`` for
embedding libraries, ``property-graph`` for Neo4j's importer), and how it is read and written. Everything that
asks "what is this file?" asks here: :func:`sle_graph.read_rdf`, :meth:`KnowledgeGraph.extend`,
:meth:`KnowledgeGraph.serialize`, :func:`sle_graph.render` and the ``sle-graph`` commands
``validate``, ``merge``, ``export`` and ``render``.

A suffix names the format, except where several formats share it; then the content decides:

- ``.json``: JSON-LD (keys starting with ``@``) or Hetionet JSON (``metanode_kinds``, ...);
- ``.tsv``, ``.csv``, ``.tab``: the header decides between a KGX node table (``category``),
  Hetionet's node table (``id``, ``name``, ``kind``) and a table of users' facts (``kind`` or
  ``predicate``);
- a folder: users' ``entities``/``assertions`` tables, a KGX ``nodes.tsv``/``edges.tsv`` pair,
  or Hetionet's files;
- text given instead of a path (RDF only): JSON-LD when it starts with ``{`` or ``[``, RDF/XML
  when it starts with ``<?xml`` or ``<rdf:RDF``, else Turtle.

KGX and Hetionet tables may be compressed (``.gz``, ``.bz2``, ``.xz``). An unknown suffix, or
content that fits no format, raises :class:`~sle_graph.errors.UnknownFormat` naming the file and
listing the formats.

:func:`read` (``sle_graph.read``) gives a :class:`~sle_graph.KnowledgeGraph` from any of them.
A file of users' facts (entities and assertions, TSV/CSV/YAML) is written as an extension of a
graph: its assertions may use the curated nodes (``msc``) and cite the curated documents and
studies. So ``read`` checks the facts as an extension of the curated graph (``base=`` another
graph) and gives the graph of just those facts: their entities, their assertions, and the nodes
these use or cite, without the rest of the curated graph. (An empty base would refuse every fact
that names a curated node; ``sle_graph.load().extend(path)`` gives the whole extended graph.)

Example
-------
>>> import sle_graph, tempfile, os
>>> kg = sle_graph.load().subgraph(["msc", "immunomodulation"])
>>> folder = tempfile.mkdtemp()
>>> for name in ("g.ttl", "g.jsonld", "g.json-ld", "g.nt"):
...     kg.serialize(os.path.join(folder, name), format=for_path(name).name)
>>> all(sle_graph.read(os.path.join(folder, name)) == kg for name in os.listdir(folder))
True
>>> for_path("graph.turtle").name, by_name("ttl").name, for_path("graph.owl").name
('turtle', 'turtle', 'xml')
>>> sle_graph.read(os.path.join(folder, "g.xyz"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
sle_graph.errors.UnknownFormat: cannot read '...g.xyz': unknown suffix '.xyz'; formats: turtle (.ttl, .turtle), ...
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from ..build.records import NAME_WIDTH, shown
from ..build.tables import unusable_path
from ..errors import InvalidArgument, SourceNotFound, UnknownFormat, suggest

if TYPE_CHECKING:  # pragma: no cover
    from ..graph import KnowledgeGraph
    from ..ontology import Schema

__all__ = ["Format", "FORMATS", "FAMILIES", "COMPRESSION", "by_name", "for_path", "sniff_text", "detect",
           "read", "write", "for_output", "known", "rdf_names", "rdf_suffixes", "data_suffix", "looks_like_text"]

#: Families of formats: what a file holds and which reader takes it.
FAMILIES = ("rdf", "kgx", "hetionet", "facts", "diagram", "network", "triples", "property-graph")
#: Suffixes of compressed files (read through these modules), for the families that allow them.
COMPRESSION = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}


@dataclass(frozen=True)
class Format:
    """One format: its name, aliases, file suffixes, family, and how it is read and written.

    ``reader`` reads a located source into a graph (``None``: write-only); ``writer`` writes a
    graph (``None``: read-only). ``parse_as`` is, for RDF, the format parsers read it as (the
    rdflib writer variants ``pretty-xml`` and ``longturtle`` are read as ``xml`` and ``turtle``).
    ``compressed`` says whether its files may be ``.gz``/``.bz2``/``.xz``.
    """

    name: str
    family: str
    suffixes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    description: str = ""
    reader: Callable[..., "KnowledgeGraph"] | None = None
    writer: Callable[..., Any] | None = None
    parse_as: str = ""
    compressed: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The name and its aliases."""
        return (self.name, *self.aliases)

    def __str__(self) -> str:
        return f"{self.name} ({', '.join(self.suffixes)})" if self.suffixes else self.name


# -- readers and writers (each imports its module when used: the registry sits below them) -------------

def _read_rdf(fmt: Format, where: Any, *, schema: Any = None, progress: bool | None = None) -> "KnowledgeGraph":
    from ..rdf.parse import read_rdf

    return read_rdf(where, format=fmt.name, schema=schema, progress=progress)


def _write_rdf(fmt: Format, kg: "KnowledgeGraph", destination: Any, **options: Any) -> Any:
    from ..rdf.write import serialize

    return serialize(kg, destination, format=fmt.name, **options)


def _read_kgx(fmt: Format, where: Any, *, schema: Any = None, progress: bool | None = None) -> "KnowledgeGraph":
    from .kgx import read_kgx

    nodes, edges = where
    return read_kgx(nodes, edges, schema=schema, progress=progress)


def _write_kgx(fmt: Format, kg: "KnowledgeGraph", destination: Any, **options: Any) -> Any:
    from .kgx import to_kgx

    return to_kgx(kg, destination, **options)


def _read_hetionet(fmt: Format, where: Any, *, schema: Any = None, metaedges: Any = None,
                   reference: str | None = None, progress: bool | None = None) -> "KnowledgeGraph":
    from .hetionet import read_hetionet

    path, edges = where
    return read_hetionet(path, edges, metaedges=metaedges, reference=reference, schema=schema, progress=progress)


def _read_facts(fmt: Format, where: Any, *, base: "KnowledgeGraph | None" = None,
                sources: Mapping[str, str] | None = None, sources_dir: Any = None,
                require_definition: bool = True, progress: bool | None = None) -> "KnowledgeGraph":
    from ..extend import facts_graph

    # (users' fact files are small tables read at once: no bar, whatever ``progress`` says)
    return facts_graph(where, base=base, sources=sources, sources_dir=sources_dir,
                       require_definition=require_definition)


#: The options of :func:`read` each family of formats takes (any other one given is refused).
_READ_OPTIONS = {
    "rdf": ("schema", "progress"),
    "kgx": ("schema", "progress"),
    "hetionet": ("schema", "metaedges", "reference", "progress"),
    "facts": ("base", "sources", "sources_dir", "require_definition", "progress"),
}


def _write_diagram(fmt: Format, kg: Any, destination: Any, **options: Any) -> Any:
    from ..draw.diagram import render

    return render(kg, destination, format=fmt.name, **options)


def _write_network(fmt: Format, kg: "KnowledgeGraph", destination: Any, **options: Any) -> Any:
    from . import networks

    write = networks.write_graphml if fmt.name == "graphml" else networks.write_gexf
    return write(kg, destination, **options)


def _write_triples(fmt: Format, kg: "KnowledgeGraph", destination: Any, **options: Any) -> Any:
    from .triples import write_triples

    return write_triples(kg, destination, **options)


def _write_neo4j(fmt: Format, kg: "KnowledgeGraph", destination: Any, **options: Any) -> Any:
    from .property_graph import write_neo4j

    return write_neo4j(kg, destination, **options)


def _rdf(name: str, suffixes: tuple[str, ...], aliases: tuple[str, ...], description: str,
         parse_as: str = "") -> Format:
    return Format(name, "rdf", suffixes, aliases, description, _read_rdf, _write_rdf, parse_as or name)


#: The table. Order matters where suffixes are shared: the first format that fits the content wins.
FORMATS: tuple[Format, ...] = (
    _rdf("turtle", (".ttl", ".turtle"), ("ttl",), "Turtle, canonical (the default)"),
    _rdf("nt", (".nt", ".ntriples"), ("ntriples", "n-triples", "nt11"), "N-Triples, canonical"),
    _rdf("json-ld", (".jsonld", ".json-ld", ".json"), ("jsonld",), "JSON-LD, canonical, compacted"),
    _rdf("xml", (".rdf", ".owl", ".xml"), ("rdf/xml", "rdf"), "RDF/XML"),
    _rdf("pretty-xml", (), (), "RDF/XML, nested (read as xml)", parse_as="xml"),
    _rdf("n3", (".n3",), (), "Notation3"),
    _rdf("trig", (".trig",), (), "TriG (the graph is the default graph)"),
    _rdf("nquads", (".nq", ".nquads"), ("nq",), "N-Quads"),
    _rdf("trix", (".trix",), (), "TriX"),
    _rdf("hext", (".hext",), (), "Hextuples"),
    _rdf("longturtle", (), (), "Turtle, one statement per line (read as turtle)", parse_as="turtle"),
    Format("kgx", "kgx", (".tsv",), (), "KGX TSV: nodes.tsv and edges.tsv, a pair or a folder",
           _read_kgx, _write_kgx, compressed=True),
    Format("hetionet", "hetionet", (".json", ".tsv", ".sif"), (),
           "Hetionet: its JSON, or its node table and SIF edges (a pair or a folder)",
           _read_hetionet, None, compressed=True),
    Format("facts", "facts", (".tsv", ".csv", ".tab", ".yaml", ".yml"), ("tsv", "csv", "yaml"),
           "users' facts: entities and assertions tables, or YAML (a file, a pair or a folder)",
           _read_facts, None),
    Format("graphml", "network", (".graphml",), (), "GraphML, attributes as scalars (Cytoscape, Gephi, igraph)",
           None, _write_network),
    Format("gexf", "network", (".gexf",), (), "GEXF 1.2, attributes as scalars (Gephi)", None, _write_network),
    Format("triples", "triples", (), ("pykeen",),
           "head/relation/tail TSV with PyKEEN's id maps, a folder (embedding libraries)", None, _write_triples),
    Format("neo4j", "property-graph", (), ("neo4j-csv",),
           "nodes.csv and relationships.csv for neo4j-admin database import, a folder (also loads into Kùzu)",
           None, _write_neo4j),
    Format("svg", "diagram", (".svg",), (), "diagram, SVG (needs Graphviz)", None, _write_diagram),
    Format("png", "diagram", (".png",), (), "diagram, PNG (needs Graphviz)", None, _write_diagram),
    Format("pdf", "diagram", (".pdf",), (), "diagram, PDF (needs Graphviz)", None, _write_diagram),
    Format("dot", "diagram", (".dot", ".gv"), ("gv",), "diagram, Graphviz DOT text", None, _write_diagram),
    Format("html", "diagram", (".html", ".htm"), (), "interactive explorer, one offline HTML page (needs pyvis)",
           None, _write_diagram),
)

_BY_NAME = {n: f for f in FORMATS for n in f.names}


def _chosen(families: "str | Iterable[str] | None", reading: bool | None) -> list[Format]:
    if isinstance(families, str):
        families = (families,)
    wanted = set(FAMILIES if families is None else families)
    return [f for f in FORMATS if f.family in wanted
            and (reading is None or (f.reader if reading else f.writer) is not None)]


def known(families: "str | Iterable[str] | None" = None, reading: bool | None = None) -> str:
    """The formats, as a message lists them: ``turtle (.ttl, .turtle), nt (.nt, ...), ...``.

    >>> known("diagram")
    'svg (.svg), png (.png), pdf (.pdf), dot (.dot, .gv), html (.html, .htm)'
    """
    return ", ".join(str(f) for f in _chosen(families, reading))


def rdf_names() -> dict[str, str]:
    """RDF format names and aliases -> the format's name (``"ttl"`` -> ``"turtle"``)."""
    return {n: f.name for f in FORMATS if f.family == "rdf" for n in f.names}


def rdf_suffixes() -> dict[str, str]:
    """RDF file suffixes -> the format's name (``".jsonld"`` -> ``"json-ld"``)."""
    return {s: f.name for f in FORMATS if f.family == "rdf" for s in f.suffixes}


def by_name(name: str, families: "str | Iterable[str] | None" = None, *, reading: bool | None = None,
            what: str = "format") -> Format:
    """The format of this name or alias (case-insensitive), among ``families`` (default: all),
    readable (``reading=True``) or writable (``False``) ones when asked.

    Raises :class:`~sle_graph.errors.UnknownFormat` with "did you mean" and the formats.

    >>> by_name("JSONLD").name
    'json-ld'
    >>> by_name("turtel", "rdf")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sle_graph.errors.UnknownFormat: unknown RDF format 'turtel'; did you mean 'turtle' or ...? (formats: turtle, ...
    """
    choices = _chosen(families, reading)
    found = _BY_NAME.get(name.lower()) if isinstance(name, str) else None
    if found is not None and found in choices:
        return found
    family = families if isinstance(families, str) else None
    label = "RDF format" if family == "rdf" else what
    names = [n for f in choices for n in f.names]
    hint = suggest(str(name), names)
    raise UnknownFormat(f"unknown {label} {name!r}{'; ' + hint if hint else ''} "
                        f"(formats: {', '.join(f.name for f in choices)})")


def data_suffix(path: "str | os.PathLike[str]") -> tuple[str, str]:
    """``(suffix, compression suffix)`` of a file name: ``nodes.tsv.gz`` -> ``(".tsv", ".gz")``.

    >>> data_suffix("hetionet-v1.0.json.bz2"), data_suffix("g.TTL"), data_suffix("README")
    (('.json', '.bz2'), ('.ttl', ''), ('', ''))
    """
    suffixes = [s.lower() for s in Path(path).suffixes]
    compression = suffixes.pop() if suffixes and suffixes[-1] in COMPRESSION else ""
    return (suffixes[-1] if suffixes else ""), compression


# -- sniffing -------------------------------------------------------------------------------------------

def sniff_text(text: str) -> Format:
    """The RDF format of text given instead of a file: JSON-LD, RDF/XML, else Turtle.

    >>> sniff_text('{"@context": {}}').name, sniff_text("<?xml version='1.0'?>").name
    ('json-ld', 'xml')
    """
    head = text.lstrip()[:200]
    if head.startswith(("{", "[")):
        return _BY_NAME["json-ld"]
    if head.startswith("<?xml") or head.startswith("<rdf:RDF"):
        return _BY_NAME["xml"]
    return _BY_NAME["turtle"]


def _head(path: Path, size: int = 1 << 16) -> str:
    """The first bytes of a file (decompressed), as text; ``""`` when it cannot be read."""
    import importlib

    module = COMPRESSION.get(path.suffix.lower())
    try:
        opener = importlib.import_module(module).open if module else open
        with opener(path, "rb") as fh:
            return fh.read(size).decode("utf-8", errors="replace").lstrip("\ufeff")
    except (OSError, EOFError, ValueError, ImportError):
        return ""


def _header(path: Path) -> set[str]:
    first = _head(path).split("\n", 1)[0].rstrip("\r")
    delimiter = "," if data_suffix(path)[0] == ".csv" else "\t"
    return {h.strip().strip('"') for h in first.split(delimiter)}


def _table_family(header: set[str]) -> str | None:
    """What the first line of a table tells (checked in this order)."""
    if "category" in header:
        return "kgx"  # KGX node table
    if {"id", "name", "kind"} <= header:
        return "hetionet"  # Hetionet node table
    if {"subject", "predicate", "object"} <= header and header & {"primary_knowledge_source", "knowledge_source",
                                                                  "aggregator_knowledge_source", "provided_by",
                                                                  "publications", "sle_predicate"}:
        return "kgx-edges"
    if {"source", "metaedge", "target"} <= header:
        return "hetionet-edges"
    if header & {"kind", "predicate", "subject", "id"}:
        return "facts"
    return None


def _json_family(path: Path) -> str | None:
    head = _head(path)
    if any(k in head for k in ('"metanode_kinds"', '"metaedge_tuples"', '"kind_to_abbrev"')):
        return "hetionet"
    if head.lstrip().startswith("[") or any(k in head for k in ('"@context"', '"@graph"', '"@id"')):
        return "rdf"
    return None


def _unknown(path: Any, reason: str, families: "str | Iterable[str] | None" = None,
             reading: bool | None = True) -> UnknownFormat:
    verb = "read" if reading is not False else "write"
    return UnknownFormat(f"cannot {verb} {str(path)!r}: {reason}; formats: {known(families, reading)}")


def for_path(path: "str | os.PathLike[str]", families: "str | Iterable[str] | None" = None, *,
             reading: bool | None = None) -> Format:
    """The format of a file, from its suffix, and from its content where formats share a suffix
    (``.json``, ``.tsv``: module docstring). ``families`` limits the formats considered: RDF
    only for :func:`sle_graph.read_rdf` (where ``.json`` is JSON-LD without looking).

    Raises :class:`~sle_graph.errors.UnknownFormat` naming the file and listing the formats.

    >>> for_path("sle.nq").name, for_path("out.gv").name, for_path("x.jsonld", "rdf").family
    ('nquads', 'dot', 'rdf')
    """
    path = Path(path)
    suffix, compression = data_suffix(path)
    candidates = [f for f in _chosen(families, reading) if suffix in f.suffixes
                  and (f.compressed or not compression)]
    if not candidates:
        if not suffix:
            raise _unknown(path, "it has no suffix", families, reading)
        whole = suffix + compression
        if compression and any(suffix in f.suffixes for f in _chosen(families, reading)):
            raise _unknown(path, f"{whole!r} files are not read compressed: decompress it first", families, reading)
        return _nearest(path, whole, families, reading)
    if reading is False or not path.is_file() or (len(candidates) == 1 and suffix != ".sif"):
        return candidates[0]  # (a .sif file is an edge table: read alone, it gets the error below)
    family = _json_family(path) if suffix == ".json" else _table_family(_header(path))
    if family in ("kgx-edges", "hetionet-edges"):
        which = "KGX" if family == "kgx-edges" else "Hetionet"
        raise UnknownFormat(f"cannot read {str(path)!r} alone: it is a {which} edge table; give its node "
                            "table too, as a pair (nodes, edges) or the folder of both")
    for f in candidates:
        if f.family == family:
            return f
    if suffix == ".json":
        reason = "JSON that is neither JSON-LD (@context, @graph) nor Hetionet (metanode_kinds, nodes, edges)"
    else:
        reason = ("a table whose header fits no format (KGX: category; Hetionet: id, name, kind; "
                  "users' facts: id, kind or subject, predicate, object)")
    raise _unknown(path, reason, families, reading)


def _nearest(path: Path, suffix: str, families: Any, reading: bool | None) -> Format:
    near = suggest(suffix, [s for f in _chosen(families, reading) for s in f.suffixes])
    raise _unknown(path, f"unknown suffix {suffix!r}{' (' + near + ')' if near else ''}", families, reading)


def _folder(path: Path) -> tuple[Format, Any]:
    """What a folder holds: users' tables, a KGX pair, or Hetionet's files."""
    files = sorted(p for p in path.iterdir() if p.is_file())
    names = [p.name for p in files]
    if any(n.startswith(("entities.", "assertions.")) for n in names):
        return _BY_NAME["facts"], path
    nodes = [p for p in files if "nodes" in p.name and ".tsv" in p.name]
    edges = [p for p in files if "edges" in p.name and (".tsv" in p.name or ".sif" in p.name)]
    if not nodes and any(data_suffix(p)[0] == ".json" for p in files):
        return _BY_NAME["hetionet"], (path, None)
    if len(nodes) == 1 and len(edges) <= 1:
        family = _table_family(_header(nodes[0]))
        if family == "kgx":
            return _BY_NAME["kgx"], (nodes[0], edges[0] if edges else None)
        if family == "hetionet":
            return _BY_NAME["hetionet"], (nodes[0], edges[0] if edges else None)
    raise UnknownFormat(f"cannot read the folder {str(path)!r}: expected users' entities/assertions tables, "
                        f"a KGX nodes.tsv and edges.tsv, or Hetionet's node table and SIF edges (or JSON)")


def detect(source: Any, format: str | None = None) -> tuple[Format, Any]:  # noqa: A002
    """``(format, where)`` for a source :func:`read` takes: ``where`` is what the format's reader
    reads (a path, a ``(nodes, edges)`` pair, the text, or an ``rdflib.Graph``)."""
    if isinstance(source, bytes):
        source = source.decode("utf-8")
    if isinstance(source, tuple) and len(source) == 2:
        if format is not None:  # a pair is two tables
            return by_name(format, ("kgx", "hetionet", "facts"), reading=True), source
        first, second = source
        family = _table_family(_header(Path(first))) if first is not None else None
        if family in ("kgx", "hetionet"):
            return _BY_NAME[family], (first, second)
        return _BY_NAME["facts"], source
    if (isinstance(source, str) and looks_like_text(source)) or (
            hasattr(source, "triples") and not isinstance(source, (str, os.PathLike))):  # text, rdflib graph
        fmt = by_name(format, "rdf", reading=True) if format else sniff_text(source if isinstance(source, str) else "")
        return fmt, source
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"expected a path, a (nodes, edges) pair of paths, RDF text or an rdflib.Graph, "
                        f"not {type(source).__name__}")
    path = Path(source)
    refused = unusable_path(path)
    if refused is not None:
        raise SourceNotFound(f"no such file or folder: {shown(str(path), NAME_WIDTH)} ({refused})")
    if path.is_dir():
        found, where = _folder(path)
        if format is not None and by_name(format, reading=True) is not found:
            raise UnknownFormat(f"cannot read the folder {str(path)!r} as {format!r}: it holds {found.name}")
        return found, where
    if format is not None:
        fmt = by_name(format, reading=True)
    elif not path.exists():
        if path.suffix:
            for_path(path, reading=True)  # an unknown suffix is said first
        raise SourceNotFound(f"no such file or folder: {shown(str(path), NAME_WIDTH)}")
    else:
        fmt = for_path(path, reading=True)
    return fmt, _where(fmt, path)


def _where(fmt: Format, path: Path) -> Any:
    if fmt.family in ("kgx", "hetionet"):
        return (path, None)
    return path


def looks_like_text(source: str) -> bool:
    """Whether a string is RDF text rather than a path (it has a newline, or starts as RDF does)."""
    head = source.lstrip()[:20]
    return "\n" in source or head.startswith(("@", "<", "{", "[", "#", "PREFIX", "prefix", "BASE", "base"))


# -- read and write ---------------------------------------------------------------------------------------

def read(source: Any, format: str | None = None, *, schema: "Schema | None" = None,  # noqa: A002
         base: "KnowledgeGraph | None" = None, metaedges: "str | os.PathLike[str] | None" = None,
         reference: str | None = None, sources: Mapping[str, str] | None = None,
         sources_dir: "str | os.PathLike[str] | None" = None, require_definition: bool = True,
         progress: bool | None = None) -> "KnowledgeGraph":
    r"""A graph from any input sle_graph reads; the format from the suffix and content, or ``format``.

    Users' facts give the graph of just those facts: their entities and assertions and the
    nodes these use or cite (module docstring). Options that do not apply to the format read
    are refused, not ignored.

    Parameters
    ----------
    source : path, (nodes, edges) pair of paths, str or rdflib.Graph
        A file or a folder; a KGX, Hetionet or users' ``(entities, assertions)`` pair of tables;
        or RDF text.
    format : str, optional
        A format name or alias (:data:`FORMATS`); default: from the suffix and the content.
    schema : Schema, optional
        RDF, KGX, Hetionet: the schema to read against (default: the shipped ontology's).
    base : KnowledgeGraph, optional
        Users' facts: the graph they extend (default: the curated one).
    metaedges : path, optional
        Hetionet: the metaedge table of another Hetionet version.
    reference : str, optional
        Hetionet: the reference of the evidence records.
    sources : mapping of str to str, optional
        Users' facts: document id -> text, to check quotes against.
    sources_dir : path, optional
        Users' facts: a folder of ``<document id>.txt`` files, to check quotes against.
    require_definition : bool, default True
        Users' facts: whether every new entity needs a definition.
    progress : bool, optional
        RDF, KGX, Hetionet: a progress bar of the bytes read, by default shown on a terminal or
        in a notebook for files of :data:`sle_graph.progress.LARGE_FILE` bytes or more;
        ``True`` for any file, ``False`` never. (Users' facts are read at once, with no bar.)

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    UnknownFormat
        An unknown suffix or format name, or content that fits no format.
    ValidationError
        A file of a known format with problems: every one listed, with file and line.
    InvalidArgument
        An option the format does not take (``metaedges=`` for a Turtle file).
    FileNotFoundError
        No such file or folder.

    Examples
    --------
    >>> import os, sle_graph, tempfile
    >>> kg = sle_graph.load()
    >>> folder = tempfile.mkdtemp()
    >>> _ = kg.to_kgx(folder)
    >>> sle_graph.read(folder, progress=False) == kg
    True
    >>> facts = os.path.join(folder, "assertions.tsv")
    >>> with open(facts, "w") as fh:
    ...     _ = fh.write("subject\tpredicate\tobject\tsource\treference\n"
    ...                  "msc\tacts_through\timmunomodulation\t\tPMID:1\n")
    >>> mine = sle_graph.read(facts)  # the curated nodes it uses come along; nothing else
    >>> sorted(n.id for n in mine), [e.evidence[0].reference for e in mine.edges()]
    (['immunomodulation', 'msc'], ['PMID:1'])
    >>> sle_graph.read(facts, metaedges="metaedges.tsv")
    Traceback (most recent call last):
    ...
    sle_graph.errors.InvalidArgument: metaedges= does not apply to facts files; facts takes base=, sources=, sources_dir=, require_definition=, progress=
    """
    fmt, where = detect(source, format)
    if fmt.reader is None:  # pragma: no cover (every readable family has a reader)
        raise UnknownFormat(f"format {fmt.name!r} is written, not read; formats read: {known(reading=True)}")
    given = {"schema": schema, "base": base, "metaedges": metaedges, "reference": reference, "sources": sources,
             "sources_dir": sources_dir, "require_definition": require_definition, "progress": progress}
    return fmt.reader(fmt, where, **_options(fmt, given, _READ_OPTIONS[fmt.family], {"require_definition": True}))


def _options(fmt: Format, given: dict[str, Any], takes: tuple[str, ...], defaults: dict[str, Any]) -> dict[str, Any]:
    """The options ``fmt`` takes, from all those given; one it does not take, given a value
    other than its default (``None`` unless ``defaults`` says), is refused."""
    for name, value in given.items():
        default = defaults.get(name)
        if name not in takes and value is not default and value != default:
            taken = ", ".join(f"{t}=" for t in takes) or "no option"
            raise InvalidArgument(f"{name}= does not apply to {fmt.name} files; {fmt.name} takes {taken}")
    return {name: given[name] for name in takes}


def for_output(destination: "str | os.PathLike[str]", format: str | None = None,  # noqa: A002
               families: "str | Iterable[str] | None" = None, default: str | None = None) -> Format:
    """The format to write ``destination`` in: ``format`` when given, else from its suffix, else
    ``default`` (a folder for KGX), else :class:`~sle_graph.errors.UnknownFormat`.

    >>> for_output("sle.jsonld").name, for_output("out/", families=("rdf", "kgx"), default="kgx").name
    ('json-ld', 'kgx')
    >>> for_output("graph.xyz", families="rdf")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sle_graph.errors.UnknownFormat: cannot write 'graph.xyz': unknown suffix '.xyz'; formats: turtle (.ttl, ...
    """
    if format is not None:
        return by_name(format, families, reading=False)
    suffix, _ = data_suffix(destination)
    if not suffix and default is not None:
        return by_name(default, families, reading=False)
    return for_path(destination, families, reading=False)


#: The options of :func:`write` each family of formats takes (any other one given is refused).
_WRITE_OPTIONS = {
    "rdf": ("include_ontology", "progress"),
    "diagram": ("engine", "timeout", "highlight", "include_sources", "edge_labels", "legend", "wrap", "title"),
    "triples": ("status", "grade", "modality"),
}
_WRITE_DEFAULTS = {"include_ontology": False, "engine": "auto", "include_sources": False, "legend": True, "wrap": 24}


def write(kg: "KnowledgeGraph", destination: "str | os.PathLike[str]", format: str | None = None,  # noqa: A002
          *, include_ontology: bool = False, progress: bool | None = None, engine: str = "auto",
          timeout: float | None = None, highlight: Any = None, include_sources: bool = False,
          edge_labels: bool | None = None, legend: bool = True, wrap: int = 24, title: str | None = None,
          status: "str | Iterable[str] | None" = None, grade: "str | Iterable[str] | None" = None,
          modality: "str | Iterable[str] | None" = None) -> Any:
    """Write ``kg`` to ``destination`` in any format written (:data:`FORMATS`).

    Options that do not apply to the format written are refused, not ignored.

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph (for diagrams also a path or a list of paths).
    destination : str or PathLike
        A file, or a folder for KGX, triples and Neo4j.
    format : str, optional
        A format name or alias; default: from the suffix (see :func:`for_output`).
    include_ontology : bool, default False
        RDF: also write the ontology, as for :func:`sle_graph.rdf.write.serialize`.
    progress : bool, optional
        RDF: a progress bar, as for :func:`sle_graph.rdf.write.serialize`.
    engine : str, default "auto"
        Diagrams: the Graphviz layout engine, as for :func:`sle_graph.draw.diagram.render`.
    timeout : float, optional
        Diagrams: seconds allowed for Graphviz (:func:`sle_graph.draw.diagram.render`'s default
        when ``None``).
    highlight : Path, PathList or KnowledgeGraph, optional
        Diagrams: drawn bold over the faded rest.
    include_sources : bool, default False
        Diagrams: also draw studies and source documents.
    edge_labels : bool, optional
        Diagrams: label edges with their predicates (default: when the drawing is small enough).
    legend : bool, default True
        Diagrams: draw the legend of kinds.
    wrap : int, default 24
        Diagrams: wrap node names at this many characters.
    title : str, optional
        Diagrams: the drawing's title.
    status : str or iterable of str, optional
        Triples: keep only edges of these evidence statuses (:func:`sle_graph.io.triples.to_triples`).
    grade : str or iterable of str, optional
        Triples: keep only edges of these grades.
    modality : str or iterable of str, optional
        Triples: keep only edges of these modalities.

    Returns
    -------
    object
        What the format's writer returns (``None``, or the paths written).

    Raises
    ------
    UnknownFormat
        An unknown format name or suffix.
    InvalidArgument
        An option the format does not take (``wrap=`` for Turtle).

    Examples
    --------
    >>> import os, sle_graph, tempfile
    >>> kg = sle_graph.load()
    >>> folder = tempfile.mkdtemp()
    >>> write(kg, os.path.join(folder, "g.nt"), progress=False)
    >>> sle_graph.read(os.path.join(folder, "g.nt")) == kg
    True
    >>> write(kg, os.path.join(folder, "g.ttl"), wrap=30)
    Traceback (most recent call last):
    ...
    sle_graph.errors.InvalidArgument: wrap= does not apply to turtle files; turtle takes include_ontology=, progress=
    """
    fmt = for_output(destination, format)
    assert fmt.writer is not None  # for_output only gives writable formats
    given = {"include_ontology": include_ontology, "progress": progress, "engine": engine, "timeout": timeout,
             "highlight": highlight, "include_sources": include_sources, "edge_labels": edge_labels,
             "legend": legend, "wrap": wrap, "title": title, "status": status, "grade": grade, "modality": modality}
    chosen = _options(fmt, given, _WRITE_OPTIONS.get(fmt.family, ()), _WRITE_DEFAULTS)
    if chosen.get("timeout", 0) is None:
        del chosen["timeout"]
    return fmt.writer(fmt, kg, destination, **chosen)
