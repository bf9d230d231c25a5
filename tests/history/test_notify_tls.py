"""``kickcoach notify`` over TLS against a real aiosmtpd server on loopback: STARTTLS and implicit TLS, each with
a login the server checks; the server's certificate is made here by a private CA (``cryptography``) that the
settings trust (``smtp_ca_file``). A wrong password, an untrusted certificate and a plain connection to a
server that demands STARTTLS all fail with a ConfigError, and nothing is sent or recorded."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from dataclasses import dataclass, field
from email import message_from_string
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

from kickcoach.core.errors import ConfigError
from kickcoach.people.accounts import Accounts
from kickcoach.programme.notify import notify
from kickcoach.storage.models import ReminderSent
from tests.support.ports import free_port

TODAY = dt.date(2026, 12, 7)
USER, PASSWORD = "coach-mailer", "mailer-secret-1"


@dataclass
class Inbox:
    """The handler: what arrived, over which transport, after which login."""

    messages: list[tuple[list[str], str]] = field(default_factory=list)
    tls: list[bool] = field(default_factory=list)
    logins: list[bool] = field(default_factory=list)  # the session had logged in

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler hook
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        self.tls.append(server.transport.get_extra_info("ssl_object") is not None)
        self.logins.append(session.authenticated)
        return "250 OK"

    def check_login(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        """The server's authenticator: only USER with PASSWORD gets in."""
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(), PASSWORD.encode())
        return AuthResult(success=ok, handled=False)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A private CA and a server certificate for 127.0.0.1 and localhost, signed by it: (ca, cert, key)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("kickcoach test CA")).issuer_name(_name("kickcoach test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@pytest.fixture
def certificates(tmp_path) -> tuple[Path, ssl.SSLContext]:
    ca, cert, key = _certificates(tmp_path)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    return ca, server


def _serve(inbox: Inbox, server_context: ssl.SSLContext, mode: str) -> tuple[Controller, int]:
    port = free_port()
    tls = {"ssl_context": server_context} if mode == "tls" else {"tls_context": server_context, "require_starttls": True}
    # aiosmtpd's auth_require_tls looks for STARTTLS only; under implicit TLS every byte is already encrypted
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=inbox.check_login, auth_required=True,
                            auth_require_tls=mode == "starttls", **tls)
    controller.start()
    return controller, port


@pytest.fixture
def pair(scripted):
    services, _ = scripted
    accounts = Accounts(services.storage)
    accounts.add("priya", "priya-password-1", pair_id="demo", partner="a", email="priya@example.org")
    accounts.add("tom", "tom-password-1", pair_id="demo", partner="b", email="tom@example.org")
    return services


def _settings(services, port: int, security: str, ca: Path | None, password: str = PASSWORD):
    return services.settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": security, "smtp_ca_file": ca,
        "smtp_user": USER, "smtp_password": SecretStr(password)})


def _recorded(services) -> int:
    with services.storage.session() as s:
        return s.query(ReminderSent).count()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS: the link is TLS
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_digests_go_over_tls_after_a_login(pair, certificates, security):
    ca, server_context = certificates
    inbox = Inbox()
    controller, port = _serve(inbox, server_context, security)
    try:
        settings = _settings(pair, port, security, ca, password=PASSWORD)
        digests = notify(pair.storage, settings, TODAY)
        assert {d.person: d.status for d in digests} == {"priya": "sent", "tom": "sent"}
        assert sorted(r[0] for r, _ in inbox.messages) == ["priya@example.org", "tom@example.org"]
        assert inbox.tls == [True, True] and inbox.logins == [True, True]
        raw = next(m for r, m in inbox.messages if r == ["priya@example.org"])
        assert "Run the full talk once without notes" in message_from_string(raw).get_payload(decode=True).decode()
        again = notify(pair.storage, settings, TODAY)  # each item once, over TLS as in the clear
        assert {d.status for d in again} == {"nothing new"} and len(inbox.messages) == 2
    finally:
        controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS: the link is TLS
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_wrong_password_sends_and_records_nothing(pair, certificates, security):
    ca, server_context = certificates
    inbox = Inbox()
    controller, port = _serve(inbox, server_context, security)
    try:
        with pytest.raises(ConfigError, match="Cannot reach the SMTP server"):
            notify(pair.storage, _settings(pair, port, security, ca, password="wrong-password"), TODAY)
        assert inbox.messages == [] and _recorded(pair) == 0
    finally:
        controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # implicit TLS: the link is TLS
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_a_certificate_from_an_untrusted_ca_is_refused(pair, certificates, security):
    """Without the CA file the system's CAs are used: the private certificate fails verification."""
    _, server_context = certificates
    inbox = Inbox()
    controller, port = _serve(inbox, server_context, security)
    try:
        with pytest.raises(ConfigError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
            notify(pair.storage, _settings(pair, port, security, None, password=PASSWORD), TODAY)
        assert inbox.messages == [] and _recorded(pair) == 0
    finally:
        controller.stop()


def test_a_plain_connection_to_a_server_that_demands_starttls_fails(pair, certificates):
    """security "none" never sends the password or the digest in the clear to a server that wants STARTTLS."""
    ca, server_context = certificates
    inbox = Inbox()
    controller, port = _serve(inbox, server_context, "starttls")
    try:
        with pytest.raises(ConfigError):
            notify(pair.storage, _settings(pair, port, "none", ca, password=PASSWORD), TODAY)
        assert inbox.messages == [] and _recorded(pair) == 0
    finally:
        controller.stop()
