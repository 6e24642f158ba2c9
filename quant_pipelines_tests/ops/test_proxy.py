"""docker/nginx's template, rendered as the official image renders it, in front of real webservers.

Debian's nginx runs the same server block the compose file mounts; only the file paths of
the wrapper around it differ from the image's /etc/nginx/nginx.conf.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from quant_pipelines.ops import cli
from quant_pipelines_tests.ops.fixtures import Stack
from quant_pipelines_tests.services import PROJECT_ROOT, envsubst, free_port, port_open, service

TEMPLATE = PROJECT_ROOT / "docker" / "nginx" / "templates" / "default.conf.template"
NGINX = "/usr/sbin/nginx"
MUTATION = """mutation { launchPartitionBackfill(backfillParams: {partitionsByAssets: [
  {assetKey: {path: ["senate_filings"]}, partitions: {range: {start: "2025-06-01", end: "2025-06-02"}}}]}) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on Error { message } } }"""
WRAPPER = """{user}worker_processes 1;
pid {root}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    include {root}/conf.d/*.conf;
}}
"""


@dataclass(frozen=True)
class Proxy:
    url: str
    token: str
    operator: tuple[str, str]
    viewer: tuple[str, str]


def htpasswd(path: Path, user: str, password: str) -> None:
    """An htpasswd line made the way docs/deploy.md tells operators to (`openssl passwd -6`: SHA-512 crypt)."""
    hashed = subprocess.run(
        ["openssl", "passwd", "-6", "-stdin"], input=password, capture_output=True, text=True, check=True
    ).stdout.strip()
    path.write_text(f"{user}:{hashed}\n")


@contextmanager
def nginx(root: Path, variables: dict[str, str]) -> Iterator[str]:
    """Render the template into conf.d, check it with `nginx -t`, serve it until the block ends."""
    (root / "conf.d").mkdir(parents=True)
    (root / "conf.d" / "default.conf").write_text(envsubst(TEMPLATE, variables))
    # As root, nginx's workers would run as "nobody" and could not read the test's private tmp dir.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (root / "nginx.conf").write_text(WRAPPER.format(user=user, root=root))
    command = [NGINX, "-p", str(root), "-e", str(root / "error.log"), "-c", str(root / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    port = int(variables["QUANT_PROXY_LISTEN"].rsplit(":", 1)[-1])
    with service(f"nginx-{port}", [*command, "-g", "daemon off;"], root, port_open(port)):
        yield f"http://127.0.0.1:{port}"


def _variables(stack: Stack, viewer_port: int, auth: Path, token: str) -> dict[str, str]:
    return {
        "QUANT_PROXY_LISTEN": f"127.0.0.1:{free_port()}",
        "QUANT_WEBSERVER_UPSTREAM": stack.webserver.removeprefix("http://"),
        "QUANT_VIEWER_UPSTREAM": f"127.0.0.1:{viewer_port}",
        "QUANT_API_TOKEN": token,
        "QUANT_HTPASSWD_DIR": str(auth),
    }


@pytest.fixture(scope="module")
def auth_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, str], tuple[str, str]]:
    auth = tmp_path_factory.mktemp("auth")
    operator, viewer = ("operator", secrets.token_urlsafe(12)), ("viewer", secrets.token_urlsafe(12))
    htpasswd(auth / "operators.htpasswd", *operator)
    htpasswd(auth / "viewers.htpasswd", *viewer)
    return auth, operator, viewer


@pytest.fixture(scope="module")
def proxy(ops_stack: Stack, auth_dir, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """nginx in front of the session webserver and a --read-only viewer webserver."""
    auth, operator, viewer = auth_dir
    token = secrets.token_hex(32)
    viewer_port, viewer_server = ops_stack.start_viewer()
    with viewer_server, nginx(tmp_path_factory.mktemp("nginx"), _variables(ops_stack, viewer_port, auth, token)) as url:
        yield Proxy(url=url, token=token, operator=operator, viewer=viewer)


def _post(url: str, query: str, **headers: str) -> requests.Response:
    return requests.post(f"{url}/graphql", json={"query": query}, headers=headers, timeout=30)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.e2e
def test_the_health_path_is_open_and_tells_no_versions(proxy: Proxy) -> None:
    answer = requests.get(f"{proxy.url}/health", timeout=30)
    assert (answer.status_code, answer.text) == (200, "ok\n")


@pytest.mark.e2e
def test_health_fails_while_the_webserver_does_not_answer(ops_stack: Stack, auth_dir, tmp_path: Path) -> None:
    auth, _, _ = auth_dir
    variables = {**_variables(ops_stack, free_port(), auth, secrets.token_hex(32)),
                 "QUANT_WEBSERVER_UPSTREAM": f"127.0.0.1:{free_port()}"}
    with nginx(tmp_path, variables) as url:
        assert requests.get(f"{url}/health", timeout=30).status_code >= 500


def _backfills(proxy: Proxy) -> int:
    query = "{ partitionBackfillsOrError { ... on PartitionBackfills { results { id } } } }"
    answer = _post(proxy.url, query, Authorization=_basic(*proxy.operator))
    return len(answer.json()["data"]["partitionBackfillsOrError"]["results"])


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("method", "headers", "body", "status"),
    [
        ("GET", {}, None, 405),
        ("POST", {"Content-Type": "application/x-www-form-urlencoded"}, "form", 415),
        ("POST", {"Content-Type": "text/plain"}, "json-text", 415),
        ("POST", {"Content-Type": "multipart/form-data; boundary=x"}, "json-text", 415),
        ("POST", {"Content-Type": "application/json", "Origin": "https://evil.example"}, "json-text", 403),
        ("POST", {"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}, "json-text", 403),
        ("POST", {"Content-Type": "application/json", "Sec-Fetch-Site": "same-site"}, "json-text", 403),
    ],
    ids=["get-query-string", "form-post", "text-plain", "multipart", "foreign-origin", "cross-site", "same-site"],
)
def test_graphql_refuses_what_a_cross_site_page_could_send(
    proxy: Proxy, method: str, headers: dict[str, str], body: str | None, status: int
) -> None:
    """With the operator's credentials attached, as a browser would resend them."""
    before = _backfills(proxy)
    payload = {"form": {"query": MUTATION}, "json-text": json.dumps({"query": MUTATION}), None: None}[body]
    answer = requests.request(
        method, f"{proxy.url}/graphql", params={"query": MUTATION} if method == "GET" else None, data=payload,
        headers={**headers, "Authorization": _basic(*proxy.operator)}, timeout=30,
    )
    assert answer.status_code == status
    assert _backfills(proxy) == before


@pytest.mark.e2e
def test_graphql_from_the_proxys_own_origin_passes(proxy: Proxy) -> None:
    same = {"Origin": proxy.url, "Sec-Fetch-Site": "same-origin", "Authorization": _basic(*proxy.operator)}
    answer = _post(proxy.url, MUTATION, **same)
    assert answer.json()["data"]["launchPartitionBackfill"]["__typename"] == "LaunchBackfillSuccess"


@pytest.mark.e2e
def test_the_token_matches_exactly_not_ignoring_case(proxy: Proxy) -> None:
    assert _post(proxy.url, MUTATION, Authorization=f"Bearer {proxy.token.upper()}").status_code == 401
    assert _post(proxy.url, MUTATION, Authorization=f"bearer {proxy.token}").status_code == 401


@pytest.mark.e2e
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-the-token-0123456789abcdef0123456789", "Basic b3BlcmF0b3I6d3Jvbmc=", "Bearer "],
    ids=["anonymous", "wrong-token", "wrong-password", "empty-token"],
)
def test_without_valid_credentials_mutations_are_refused(proxy: Proxy, authorization: str | None) -> None:
    answer = _post(proxy.url, MUTATION, **({"Authorization": authorization} if authorization else {}))
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Basic realm="quant_pipelines"'


@pytest.mark.e2e
def test_the_token_opens_the_api_only(proxy: Proxy) -> None:
    bearer = {"Authorization": f"Bearer {proxy.token}"}
    answer = _post(proxy.url, MUTATION, **bearer)
    assert answer.status_code == 200
    assert answer.json()["data"]["launchPartitionBackfill"]["__typename"] == "LaunchBackfillSuccess"
    assert requests.get(f"{proxy.url}/", headers=bearer, timeout=30).status_code == 401


@pytest.mark.e2e
def test_operators_use_the_ui_and_the_api_with_basic_auth(proxy: Proxy) -> None:
    operator = {"Authorization": _basic(*proxy.operator)}
    assert requests.get(f"{proxy.url}/", headers=operator, timeout=30).status_code == 200
    answer = _post(proxy.url, MUTATION, **operator)
    assert answer.json()["data"]["launchPartitionBackfill"]["__typename"] == "LaunchBackfillSuccess"


@pytest.mark.e2e
@pytest.mark.parametrize(("origin", "status"), [(None, "101"), ("same", "101"), ("https://evil.example", "403")],
                         ids=["no-origin", "own-origin", "foreign-origin"])
def test_the_ui_websocket_passes_through_from_its_own_origin_only(proxy: Proxy, origin: str | None, status: str) -> None:
    host, port = proxy.url.removeprefix("http://").split(":")
    origin_line = f"Origin: {proxy.url if origin == 'same' else origin}\r\n" if origin else ""
    handshake = (
        "GET /graphql HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {base64.b64encode(secrets.token_bytes(16)).decode()}\r\n"
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-ws\r\n"
        f"{origin_line}Authorization: {_basic(*proxy.operator)}\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(handshake.encode())
        status_line = conn.recv(4096).decode(errors="replace").splitlines()[0]
    assert status_line.startswith(f"HTTP/1.1 {status}")


@pytest.mark.e2e
def test_the_cli_goes_through_the_proxy_with_its_token(
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, proxy: Proxy
) -> None:
    monkeypatch.delenv("QUANT_API_TOKEN", raising=False)
    argv = ["trigger", "--start", "2025-06-01", "--end", "2025-06-03", "--assets", "senate", "--url", proxy.url]
    assert cli.main(argv) == 1
    assert capsys.readouterr().err == (
        f"error: the webserver at {proxy.url}/graphql asks for credentials (HTTP 401): "
        "set QUANT_API_TOKEN or pass --token\n"
    )
    monkeypatch.setenv("QUANT_API_TOKEN", proxy.token)
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.startswith("launched run ")


@pytest.mark.e2e
def test_viewers_get_the_read_only_webserver_only(proxy: Proxy) -> None:
    viewer = {"Authorization": _basic(*proxy.viewer)}
    assert requests.get(f"{proxy.url}/viewer/", headers=viewer, timeout=30).status_code == 200
    answer = requests.post(f"{proxy.url}/viewer/graphql", json={"query": MUTATION}, headers=viewer, timeout=30)
    assert answer.json()["data"]["launchPartitionBackfill"]["__typename"] == "UnauthorizedError"
    assert _post(proxy.url, MUTATION, **viewer).status_code == 401
    assert requests.get(f"{proxy.url}/", headers=viewer, timeout=30).status_code == 401


@pytest.mark.e2e
@pytest.mark.parametrize("token", ["", "0123456789abcdef"], ids=["unset", "short"])
def test_an_empty_or_short_token_opens_nothing(
    ops_stack: Stack, auth_dir, tmp_path: Path, token: str
) -> None:
    auth, _, _ = auth_dir
    with nginx(tmp_path, _variables(ops_stack, free_port(), auth, token)) as url:
        assert _post(url, MUTATION, Authorization=f"Bearer {token}").status_code == 401
