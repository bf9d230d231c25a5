"""Login throttling and input limits on the served app (fake model, hashing embeddings, loopback).

Measures, in one run: N wrong logins for one account from one address (wall time, how many passwords
were really checked vs refused unchecked), the same with the throttle's free allowance as the baseline
ratio, a right login afterwards, a 1 MB chat message through the documented API (error, time, turns
stored), and the YAML bomb refused by the contract parser.

    python benchmarks/login_and_input_limits.py [--attempts 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import httpx

from kickcoach.core.config import Settings
from kickcoach.core.errors import InputInvalid
from kickcoach.knowledge.embeddings import HashingEmbeddings
from kickcoach.llm.fake import FakeChatModel
from kickcoach.people.accounts import Accounts
from kickcoach.services import Services

BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=300)
    args = parser.parse_args()
    from gradio_client import Client

    from kickcoach.bootstrap import prepare
    from tests.support.web import serve

    home = Path(tempfile.mkdtemp(prefix="kickcoach-bench-"))
    services = Services(Settings(backend="fake", embeddings="hashing", home=home, _env_file=None),
                        model=FakeChatModel(), embeddings=HashingEmbeddings())
    prepare(services)
    Accounts(services.storage).add("tom", "tom-password-1", pair_id="demo", partner="b")
    with serve(services, prepare=False) as ui:
        url, identity = ui.url, ui.identity
        started = time.perf_counter()
        with httpx.Client(base_url=url) as client:
            codes = [client.post("login", data={"username": "tom", "password": f"guess{i}"}).status_code
                     for i in range(args.attempts)]
            elapsed = time.perf_counter() - started
            checked, refused = identity.login.stats.verified, identity.login.stats.refused_throttled
            right = client.post("login", data={"username": "tom", "password": "tom-password-1"}).status_code
        one = time.perf_counter()
        identity.accounts.verify("tom", "one more wrong guess")  # the baseline: one argon2id verification
        one = time.perf_counter() - one
        print(f"{args.attempts} wrong logins in {elapsed:.2f} s: {checked} passwords checked (argon2id), "
              f"{refused} refused unchecked; all answered {sorted(set(codes))}; "
              f"the right password right after: HTTP {right} (still waiting out the backoff)")
        print(f"  one argon2id check takes {one * 1000:.0f} ms here: unthrottled, the flood would cost "
              f"{one * args.attempts:.1f} s of hashing, {args.attempts / max(1, checked):.0f}x what it cost")
        identity.login.throttle.succeeded("user:tom")
        identity.login.throttle.succeeded("addr:127.0.0.1")
        tom = Client(url, auth=("tom", "tom-password-1"), verbose=False)
        started = time.perf_counter()
        result = tom.predict("x" * 1_000_000, None, api_name="/chat_send")
        took = time.perf_counter() - started
        stored = len(services.as_speaker(identity.accounts.get("tom")).pair("demo").conversations())
        print(f"1 MB chat message: {took:.2f} s, error {result['error']!r}, conversations stored: {stored}")
        from kickcoach.contracts.files import load_yaml

        started = time.perf_counter()
        try:
            load_yaml(BOMB)
        except InputInvalid as exc:
            print(f"{len(BOMB)}-byte YAML bomb refused in {1000 * (time.perf_counter() - started):.1f} ms: {exc}")



if __name__ == "__main__":
    main()
