"""The README's nginx set-up in front of two `kickcoach ui` processes: with the sticky routing cookie every
turn of every login works; round-robin breaks logins (Gradio keeps its login tokens in the process), which
is why the README asks for sticky sessions. Skips where no `nginx` binary is installed."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support import ui_server

pytestmark = pytest.mark.integration

# As in README.md "Deployment", less TLS (so no `Secure` cookie flag) and on a free loopback port.
NGINX_CONF = """
worker_processes 1; pid {base}/nginx.pid; error_log {base}/error.log; daemon off; user root;
events {{ worker_connections 256; }}
http {{
  access_log off; client_body_temp_path {base}/body; proxy_temp_path {base}/proxy;
  fastcgi_temp_path {base}/fcgi; uwsgi_temp_path {base}/uwsgi; scgi_temp_path {base}/scgi;
  map $cookie_kickroute $kickroute {{ "" $request_id; default $cookie_kickroute; }}
  upstream kickcoach {{ {balance} server 127.0.0.1:{one}; server 127.0.0.1:{two}; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
        proxy_pass http://kickcoach;
        add_header Set-Cookie "kickroute=$kickroute; Path=/; HttpOnly; SameSite=Lax";
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";
        proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off; proxy_read_timeout 300s;
    }}
  }}
}}
"""
STICKY = "hash $kickroute consistent;"


@pytest.fixture(scope="module")
def two_uis(tmp_path_factory):
    if shutil.which("nginx") is None:
        pytest.skip("no nginx binary (Debian's `nginx` package) to put in front of the UI processes")
    base = tmp_path_factory.mktemp("sticky")
    url = f"sqlite:///{base / 'shared.db'}"
    ui_server.add_accounts(url, [("priya", "priya-password-1", "p1", "a")])
    with ui_server.running_uis(base, {"KICKCOACH_DATABASE_URL": url}) as servers:
        yield servers


def proxy(base: Path, servers: list[ui_server.UiServer], balance: str) -> tuple[subprocess.Popen[bytes], str]:
    base.mkdir(parents=True, exist_ok=True)
    port = ui_server.free_port()
    conf = base / "nginx.conf"
    conf.write_text(NGINX_CONF.format(base=base, balance=balance, one=servers[0].port, two=servers[1].port, port=port))
    process = subprocess.Popen(["nginx", "-p", str(base), "-c", str(conf)], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.1)
    return process, url


REPLY_WAIT_S = 60  # a reply through the proxy on a loaded 2-core machine takes a few seconds


def chat_through(url: str, logins: int, turns: int) -> tuple[int, list[str]]:
    from gradio_client import Client

    answered, failures = 0, []
    for _ in range(logins):
        try:
            client = Client(url, auth=("priya", "priya-password-1"), verbose=False)
            conversation = None
            for index in range(turns):
                # a bounded wait: behind round-robin the queue's stream can land on the process that never saw the
                # job, and an unbounded predict() would wait for ever
                job = client.submit(f"How often should we meet? ({index})", conversation, api_name="/chat_send")
                answer = job.result(timeout=REPLY_WAIT_S)
                conversation = answer["conversation_id"]
                answered += 0 if answer["error"] else 1
        except Exception as exc:  # noqa: BLE001 - what a user behind this proxy would meet
            failures.append(f"{type(exc).__name__}: {exc}"[:200])
    return answered, failures


@pytest.mark.parametrize(("balance", "works"), [(STICKY, True), ("", False)], ids=["sticky", "round-robin"])
def test_the_readme_proxy_keeps_each_browser_on_its_process(two_uis, tmp_path, balance, works):
    process, url = proxy(tmp_path / "nginx", two_uis, balance)
    try:
        answered, failures = chat_through(url, logins=3, turns=3)
    finally:
        process.terminate()
        process.wait(10)
    if works:
        assert (answered, failures) == (9, [])
    else:  # a login lands on one process, the next request on the other, which does not know the token
        assert failures and answered < 9
