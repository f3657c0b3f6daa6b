"""Run the ``kgx`` command (PyPI package ``kgx``) offline, on the Biolink model installed locally.

Usage (any ``kgx`` sub-command and its options)::

    python tools/kgx_offline.py validate -i tsv nodes.tsv edges.tsv
    python tools/kgx_offline.py transform -i tsv -f jsonl -o out nodes.tsv edges.tsv

Left alone, ``kgx`` fetches at import the Biolink model (``biolink-model.yaml`` and
``predicate_mapping.yaml`` through the Biolink Model Toolkit) and three JSON-LD contexts (Biolink's
and prefixcommons' ``monarch_context``/``obo_context``) from GitHub. This wrapper points each at a
local copy before ``kgx`` is imported:

- the schema: ``biolink_model/schema/biolink_model.yaml`` from the ``biolink-model`` package;
- the predicate map: empty (it serves only to turn qualified predicates into plain ones, which
  neither validation nor transformation of our files uses);
- the ``biolink`` context: the ``biolink-model`` package's prefix map, plus ``biolink`` itself and
  the prefixes of ``sle_graph`` (:data:`sle_graph.io.kgx.KGX_PREFIXES`). KGX's validator accepts a
  CURIE only when its prefix is in this context: it is where a project declares its own prefix;
- ``monarch_context`` and ``obo_context``: the copies the ``prefixcommons`` package ships.

Sockets may then connect to the loopback interface only: any other connection fails with an
``OSError`` naming the address, so a run that succeeds is a run that did not use the network.

The exit status is ``kgx``'s; ``validate`` exits 0 even when it reports errors (read its report).
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
from pathlib import Path


def _loopback_only() -> None:
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address, *args):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else None
        if host is not None:
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise OSError(f"kgx_offline: network access to {address!r} refused (offline run)")
        return connect(sock, address, *args)

    socket.socket.connect = guarded  # type: ignore[method-assign]
    socket.getaddrinfo = _refuse_lookup(socket.getaddrinfo)  # type: ignore[assignment]


def _refuse_lookup(lookup):  # type: ignore[no-untyped-def]
    def guarded(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in (None, "localhost", "127.0.0.1", "::1"):
            raise OSError(f"kgx_offline: name lookup of {host!r} refused (offline run)")
        return lookup(host, *args, **kwargs)
    return guarded


def _json(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return data.get("@context", data)


def configure() -> None:
    """Point bmt and kgx at local files and keep sockets on loopback (call before importing kgx)."""
    import biolink_model
    import bmt.toolkit
    import prefixcommons

    from sle_graph.io.kgx import KGX_PREFIXES

    _loopback_only()
    model = Path(next(iter(biolink_model.__path__)))  # a namespace package: no __file__
    schema = str(model / "schema" / "biolink_model.yaml")
    empty_map = {"predicate mappings": []}
    init = bmt.toolkit.Toolkit.__init__
    init.__defaults__ = (schema, empty_map)  # type: ignore[attr-defined]

    import kgx.config

    registry = Path(prefixcommons.__file__).parent / "registry"
    biolink = dict(_json(model / "prefixmaps" / "biolink-model-prefix-map.json"))
    biolink.setdefault("biolink", "https://w3id.org/biolink/vocab/")
    biolink.setdefault("@vocab", "https://w3id.org/biolink/vocab/")
    biolink.update(KGX_PREFIXES)
    kgx.config.jsonld_context_map.update({
        "biolink": biolink,
        "monarch_context": _json(registry / "monarch_context.jsonld"),
        "obo_context": _json(registry / "obo_context.jsonld"),
    })


def main(argv: list[str]) -> int:
    configure()
    from kgx.cli import cli

    try:
        cli.main(args=argv, prog_name="kgx", standalone_mode=False)
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
