"""``sle-graph push ENDPOINT``: publish the curated graph (and its ontology) to a SPARQL 1.1 server.

Secrets are never command-line arguments (they would show in ``ps`` and shell history): the
password or token is read from the environment variable named by ``--password-env`` or
``--token-env``, or from the file named by ``--password-file`` or ``--token-file``. A trailing
line end (files and ``export VAR=$(cat file)`` often leave one) is dropped; a control character
elsewhere is refused. No message shows a secret, nor a variable name that may be one typed in
its place.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

from . import UserError


def add_auth_options(p: argparse.ArgumentParser) -> None:
    """``--user U`` with ``--password-env VAR`` or ``--password-file F``, or ``--token-env VAR`` or
    ``--token-file F`` (shared with ``sle-graph sparql``)."""
    p.add_argument("--user", metavar="U", help="user name for HTTP basic authentication (with --password-env "
                                               "or --password-file)")
    secret = p.add_mutually_exclusive_group()
    secret.add_argument("--password-env", metavar="VAR",
                        help="environment variable holding the password (never pass a password as an argument)")
    secret.add_argument("--password-file", metavar="FILE", help="file holding the password (one line)")
    secret.add_argument("--token-env", metavar="VAR", help="environment variable holding a bearer token")
    secret.add_argument("--token-file", metavar="FILE", help="file holding a bearer token (one line)")


def auth_from(args: argparse.Namespace) -> Any:
    """The ``auth=`` value the options ask for: None, ``(user, password)`` or a token."""
    if args.token_env or args.token_file:
        if args.user:
            raise UserError("--user goes with --password-env or --password-file, not with a token")
        return _secret(args, "token")
    if args.password_env or args.password_file or args.user:
        if not ((args.password_env or args.password_file) and args.user):
            raise UserError("basic authentication needs both --user and --password-env (or --password-file)")
        return (args.user, _secret(args, "password"))
    return None


#: A name shown back in messages: one that looks like an environment variable. Anything else may
#: be the secret itself, typed where its variable's name should be, and is never echoed.
_SHOWN_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")


def _secret(args: argparse.Namespace, what: str) -> str:
    """The password or token from the variable or file the options name, without its trailing line end."""
    var, path = getattr(args, f"{what}_env"), getattr(args, f"{what}_file")
    if var:
        option = f"--{what}-env"
        shown = f"the environment variable {var}" if _SHOWN_NAME.fullmatch(var) else (
            "the environment variable named (name not shown: it does not look like one, and may be the "
            f"secret itself; {option} takes the NAME of a variable holding the {what})")
        value = os.environ.get(var) if var.isidentifier() else None
        if not value or not value.rstrip("\r\n"):
            raise UserError(f"{option}: {shown} is not set or empty")
        return value
    try:
        with open(path, encoding="utf-8") as handle:
            value = handle.read(64 * 1024 + 1)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise UserError(f"--{what}-file: cannot read {path}: {reason}") from None
    if len(value) > 64 * 1024 or not value.rstrip("\r\n"):
        raise UserError(f"--{what}-file: {path} does not hold a {what} (it is empty, or over 64 KiB)")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "push", help="publish the graph to a SPARQL 1.1 server", allow_abbrev=False,
        description="Publish the curated graph to a SPARQL 1.1 server: the data and the ontology go to "
                    "a new version of the named graph, which then points to it in one small update. "
                    "Readers never see a mix; a failed push leaves the previous version intact; an "
                    "unchanged graph is not uploaded again.",
        epilog="examples:\n"
               "  oxigraph serve --location data --bind 127.0.0.1:7878 &\n"
               "  sle-graph push http://127.0.0.1:7878\n"
               "  SLE_PW=... sle-graph push https://host/repositories/sle --user ana --password-env SLE_PW\n"
               "  sle-graph push https://host/sparql --token-file ~/.config/sle/token\n"
               "endpoint forms: http://host:port (Oxigraph), http://host:3030/DATASET (Fuseki),\n"
               "  .../repositories/NAME (GraphDB, RDF4J), .../sparql (Virtuoso, QLever, Neptune)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("endpoint", metavar="ENDPOINT", help="the server's URL")
    from ..endpoint import DEFAULT_GRAPH

    p.add_argument("--graph", metavar="IRI", default=DEFAULT_GRAPH,
                   help="named graph for the data (default: %(default)s)")
    p.add_argument("--add", action="store_true", help="add to the graph instead of replacing it")
    p.add_argument("--not-atomic", action="store_true",
                   help="rewrite the current version in place (no second copy on the server; readers see "
                        "a partial graph meanwhile, and a failed push leaves it incomplete)")
    p.add_argument("--no-ontology", action="store_true", help="do not push the ontology graph")
    p.add_argument("--chunk-size", type=int, default=50_000, metavar="N", help="triples per request (default: 50000)")
    p.add_argument("--timeout", type=float, default=600.0, metavar="S",
                   help="deadline of each request, in seconds (default: 600)")
    p.add_argument("--retries", type=int, default=4, metavar="N",
                   help="retries of a request after a connection error or 5xx answer (default: 4)")
    add_auth_options(p)
    p.set_defaults(command="push")


def run(args: argparse.Namespace) -> int:
    import sle_graph

    auth = auth_from(args)
    kg = sle_graph.load()
    result = kg.push(args.endpoint, graph=args.graph, replace=not args.add, auth=auth, atomic=not args.not_atomic,
                     ontology=not args.no_ontology, chunk_size=args.chunk_size, timeout=args.timeout,
                     retries=args.retries)
    print(result, file=sys.stderr)  # a status line: the command writes no data
    return 0
