"""The ``sle-graph`` command line: one entry point, one module per subcommand.

Each subcommand lives in ``sle_graph/cli/<name>.py`` and defines ``register(subparsers)``
(adding its parser, with a help text and an example) and ``run(args) -> int``. Exit codes: 0 on
success, 1 on a user error (one-line message on stderr, traceback only with ``--debug``), 2 on a
usage error (argparse).

Example
-------
>>> from sle_graph.cli import main
>>> main(["info"])  # doctest: +ELLIPSIS
sle_graph ...
0
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import re
import sys
import textwrap
import traceback
from typing import Sequence

from ..errors import SleGraphError

__all__ = ["main", "COMMANDS", "UserError"]

#: Subcommands, in the order ``--help`` lists them; each is the module ``sle_graph.cli.<name>``.
COMMANDS = ("info", "export", "validate", "paths", "match", "render", "sparql", "merge", "push")


class UserError(SleGraphError):
    """A mistake the user can fix (bad file, unknown node): one line on stderr, exit code 1."""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Prose paragraphs wrap to the terminal; paragraphs with indented lines or ``- `` items (the
    examples, lists) print as written, so example commands are never broken across lines."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out = []
        for para in re.split(r"\n\s*\n", text.strip("\n")):
            lines = para.splitlines()
            if all(line[:1].strip() and not line.startswith("- ") for line in lines):
                out.append(textwrap.fill(" ".join(line.strip() for line in lines), width,
                                         initial_indent=indent, subsequent_indent=indent))
            else:
                out.append("\n".join(indent + line for line in lines))
        return "\n\n".join(out)


#: An option whose value may be a secret, and that value, in a usage message (``--password x``,
#: ``--api-key=x``): argparse echoes what it does not recognise, and a secret typed by mistake
#: must not reach the terminal or its scroll-back.
_SECRET_VALUE = re.compile(r"(--?[\w-]*(?:pass|pwd|token|secret|key|auth|cred)[\w-]*)(=|\s+)(?!-)\S+", re.IGNORECASE)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error never shows the value given to an option that may hold a secret.

    >>> _Parser(prog="x").error("unrecognized arguments: --password hunter2 --token=abc")
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """

    def error(self, message: str):  # type: ignore[override]
        masked = _SECRET_VALUE.sub(r"\1\2***", message)
        if masked != message:
            masked += (" (a value that may be a secret is not shown; secrets are never arguments: use "
                       "--password-env/--token-env VAR or --password-file/--token-file FILE)")
        super().error(masked)


def _available() -> list[str]:
    return [c for c in COMMANDS if importlib.util.find_spec(f"{__name__}.{c}") is not None]


def _version() -> str:
    from .. import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(  # (its subcommands' parsers are _Parser too: argparse makes them of the same class)
        prog="sle-graph",
        description="Evidence-backed knowledge graph of stem-cell therapy for lupus (SLE).",
        epilog="Run 'sle-graph COMMAND --help' for a command's options and an example.")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _available():
        importlib.import_module(f"{__name__}.{name}").register(sub)
    for command in sub.choices.values():
        command.formatter_class = HelpFormatter
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    module = importlib.import_module(f"{__name__}.{args.command}")
    try:
        code = int(module.run(args) or 0)
        sys.stdout.flush()  # a reader that left early (`| head`) shows here, not at exit
        return code
    except BrokenPipeError:  # before OSError, which it is: a closed stdout is not an error
        _quiet_stdout()
        return 0
    except (SleGraphError, OSError) as exc:  # every error a user can cause is a SleGraphError
        if args.debug:
            traceback.print_exc()
        message = str(exc)
        first, *rest = message.strip().splitlines() or [type(exc).__name__]
        detail = f" (+{len(rest)} more lines; --debug for all)" if rest and not args.debug else ""
        if rest and len(rest) <= 20:
            detail = ""
            first = first + "\n" + "\n".join(rest)
        print(f"sle-graph {args.command}: error: {first}{detail}", file=sys.stderr)
        return 1


def _quiet_stdout() -> None:
    """Point stdout at the null device, so that Python's own flush at exit finds no closed pipe
    (the way the Python documentation advises for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured by a test or a notebook)
        pass
    finally:
        os.close(devnull)


def run() -> None:  # console-script entry point
    sys.exit(main())
