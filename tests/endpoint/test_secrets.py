"""Secrets: checked before any header is built, never printed, whatever form a server echoes them in.

Servers are real and on loopback: Oxigraph behind a proxy that checks the Authorization header,
and a server that echoes the credentials it got back in its error messages.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import traceback
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import sle_graph
from sle_graph.cli import main
from sle_graph.endpoint import BasicAuth, BearerAuth, EndpointError
from sle_graph.endpoint._http import MESSAGE_LIMIT, Client
from sle_graph.errors import InvalidArgument
from tests.endpoint.oxigraph_server import AuthProxy, oxigraph  # noqa: F401 (fixtures)
from tests.recording_server import misbehaving  # noqa: F401 (fixture)


def _all_text(exc: BaseException | None) -> str:
    """What a traceback shows of an error and the errors it was raised from (their messages; the
    source lines it shows are the test's own)."""
    out = ""
    while exc is not None:
        out += str(exc) + repr(exc) + "".join(traceback.format_exception_only(type(exc), exc))
        exc = exc.__cause__ or exc.__context__
    return out


# -- checked before any header is built --------------------------------------------------------------

_controls = st.characters(whitelist_categories=("Cc", "Zl", "Zp")).filter(lambda c: c not in "\r\n")
_visible = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=4, max_size=20)


@settings(max_examples=150, deadline=None)
@given(head=_visible, control=_controls | st.sampled_from(["\n", "\r"]), tail=_visible)
def test_a_control_character_inside_a_secret_is_refused_without_showing_it(head, control, tail):
    # Markers at both ends: four characters of a secret alone may occur in any message ("grap").
    secret = "Zq" + head + control + tail + "Jv"
    for make in (lambda: BearerAuth(secret), lambda: BasicAuth("ana", secret), lambda: sle_graph.connect(
            "http://127.0.0.1:9", auth=secret), lambda: sle_graph.connect("http://127.0.0.1:9", auth=("ana", secret))):
        with pytest.raises(InvalidArgument, match=rf"U\+{ord(control):04X}\) at position {len(head) + 3}") as info:
            make()
        text = _all_text(info.value)
        assert secret not in text and "Zq" + head not in text and tail + "Jv" not in text


@pytest.mark.parametrize("end", ["\n", "\r\n", "\n\n"])
def test_a_trailing_line_end_is_dropped(end):
    assert BearerAuth("tok-abc.123" + end).header() == "Bearer tok-abc.123"
    assert BasicAuth("ana", "pw d" + end).header() == "Basic " + base64.b64encode(b"ana:pw d").decode()


@pytest.mark.parametrize("token", ["tok en", "t\u00f6ken", "\u200btoken", "\n"])
def test_a_bearer_token_is_printable_ascii(token):
    with pytest.raises(InvalidArgument, match="printable ASCII") as info:
        BearerAuth(token)
    assert token.strip() == "" or token.strip() not in str(info.value)


def test_a_user_name_holding_a_colon_is_refused_without_showing_it():
    with pytest.raises(InvalidArgument, match="cannot hold ':'") as info:
        BasicAuth("ana:hunter22", "x")
    assert "hunter22" not in _all_text(info.value)


def test_a_token_read_with_its_line_end_authenticates_on_a_real_server(oxigraph):
    with AuthProxy(oxigraph.url, "Bearer tok-abc.123") as proxy:
        assert Client(proxy.url, "tok-abc.123\n").query("ASK {}").json()["boolean"] is True
        assert Client(proxy.url, ("ana", "x\n")).query  # built without error
        with pytest.raises(EndpointError) as info:
            Client(proxy.url, "tok-abc.124\r\n", retries=0).query("ASK {}")
    assert info.value.status == 401 and "tok-abc.124" not in _all_text(info.value)


# -- scrubbed in every form a server may echo ---------------------------------------------------------

def _echoes(secret: str, header: str) -> list[str]:
    """The ways servers have been seen to echo credentials back."""
    return [secret, " ".join(secret.split()), secret.replace(" ", "\n  "), urllib.parse.quote(secret, safe=""),
            urllib.parse.quote_plus(secret), json.dumps(secret)[1:-1], html.escape(secret), header,
            header.split(" ", 1)[1]]


def _echoing(status: int, filler: str = ""):
    def answer(headers, sent):
        header = headers.get("Authorization", "")
        user, _, password = base64.b64decode(header.split(" ", 1)[1]).decode().partition(":")
        body = filler + "refused: " + " | ".join(_echoes(password, header))
        return status, "text/plain", body.encode()
    return answer


# (with something visible: a secret of two visible characters is too short to scrub at all)
_passwords = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=16).filter(
    str.strip).map(
    lambda s: "Zq" + s + "  \u00a0" + s)  # always a run of whitespace, which servers collapse


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=_passwords, status=st.sampled_from([400, 401, 403, 500]),
       filler=st.sampled_from(["", "x" * (MESSAGE_LIMIT - 30), "x" * (MESSAGE_LIMIT - 3),
                               "x" * (MESSAGE_LIMIT * 4 - 40), " " * (MESSAGE_LIMIT * 4 - 40)]))
def test_a_password_echoed_by_the_server_never_reaches_a_message(misbehaving, caplog, password, status, filler):
    """Whatever whitespace, escaping or cut the echo goes through: near the quoted length, or
    at the end of what is read of the answer (after whitespace that collapsing removes)."""
    misbehaving.answer = _echoing(status, filler)
    remote = sle_graph.connect(misbehaving.url, auth=("ana", password), retries=1)
    with caplog.at_level(logging.DEBUG, logger="sle_graph"), pytest.raises(EndpointError) as info:
        remote.count("* -> *")
    text = _all_text(info.value) + caplog.text + info.value.server_message
    assert "refused" in text or filler  # the server's message is quoted (when not cut before it)
    assert "***" in text or filler  # the echo is there, scrubbed
    # Every password starts with "Zq", which nothing else in the answer holds: no piece of it,
    # in any form, is left (a cut could leave its start, which no scrubbing can recognise).
    assert "Zq" not in text


# -- the command line ------------------------------------------------------------------------------

def test_cli_reads_a_token_file_and_variable_with_their_line_ends(oxigraph, tmp_path, monkeypatch, capsys):
    token = tmp_path / "token"
    token.write_text("tok-abc.123\n")
    monkeypatch.setenv("SLE_TOKEN", "tok-abc.123\n")
    with AuthProxy(oxigraph.url, "Bearer tok-abc.123") as proxy:
        for option in (["--token-file", str(token)], ["--token-env", "SLE_TOKEN"]):
            assert main(["sparql", "ASK {}", "--endpoint", proxy.url, *option]) == 0
    assert capsys.readouterr().out.count("True") == 2


@pytest.mark.parametrize("argv", [
    ["--password", "hunter22-x"], ["--password=hunter22-x"], ["--token", "hunter22-x"], ["--api-key=hunter22-x"],
    ["--pass", "hunter22-x"], ["--user", "ana", "--passwd", "hunter22-x"],
])
def test_cli_never_echoes_a_secret_given_as_an_argument(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(["push", "http://127.0.0.1:9", *argv])
    err = capsys.readouterr().err
    assert info.value.code == 2 and "hunter22" not in err
    assert "unrecognized arguments" in err and "--password-env" in err


@pytest.mark.parametrize("name", ["hunter22.xyz-tok", "ghp_hunter22Abc"])
def test_cli_never_echoes_a_secret_typed_for_a_variable_name(name, capsys, monkeypatch):
    monkeypatch.delenv(name, raising=False) if name.isidentifier() else None
    assert main(["push", "http://127.0.0.1:9", "--token-env", name]) == 1
    err = capsys.readouterr().err
    assert "hunter22" not in err and "not set or empty" in err and "NAME of a variable" in err


def test_cli_names_a_conventional_variable(capsys, monkeypatch):
    monkeypatch.delenv("SLE_TOKEN_UNSET", raising=False)
    assert main(["push", "http://127.0.0.1:9", "--token-env", "SLE_TOKEN_UNSET"]) == 1
    assert "SLE_TOKEN_UNSET is not set or empty" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["hunter22\x1b[2Jx", "hunter22\x07x", "hunter22\u2028x"])
def test_cli_refuses_a_control_character_without_showing_the_secret(value, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SLE_PW", value)
    secret_file = tmp_path / "pw"
    secret_file.write_text(value + "\n", encoding="utf-8")
    for option in (["--password-env", "SLE_PW"], ["--password-file", str(secret_file)]):
        assert main(["push", "http://127.0.0.1:9", "--user", "ana", *option]) == 1
        err = capsys.readouterr().err
        assert "hunter22" not in err and "control character" in err


def test_cli_secret_file_errors(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.write_text("\n")
    assert main(["push", "http://127.0.0.1:9", "--token-file", str(empty)]) == 1
    assert "does not hold a token" in capsys.readouterr().err
    assert main(["push", "http://127.0.0.1:9", "--token-file", str(tmp_path / "missing")]) == 1
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["http://h/sparql?access_token=hunter22-x", "http://h/sparql#hunter22-x",
                                 "ftp://ana:hunter22-x@h/x", "http://ana:hunter22-x@h:abc/s", "http://[hunter22-x"])
def test_a_token_in_an_endpoint_url_is_not_echoed(url):
    with pytest.raises(InvalidArgument) as info:
        sle_graph.connect(url)
    assert "hunter22" not in _all_text(info.value)
