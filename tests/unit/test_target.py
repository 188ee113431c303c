"""Target files (conformance/core/target.py): a full valid file, token_a_env, every error path, the reference."""

from __future__ import annotations

import datetime as dt
import json
import ssl
from pathlib import Path

import pytest

from conformance.core.errors import ConfigurationError
from conformance.ocpi.target import PARTY_ROLES, Action, Target, load_target, reference_target

TOKEN_A = "tok-A-4f1c77a2-full-file"
EXTRA_TOKENS = ["tok-A-extra-0001", "tok-A-extra-0002"]

BASE = """\
name = "Acme CPO staging"
roles = ["CPO"]
versions_url = "https://ocpi.acme.test/versions"
token_a = "tok-A-base"
"""


def _self_signed_pem() -> bytes:
    """A real (self-signed) CA certificate, so ssl.create_default_context(cafile=...) can load it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "roamcert test CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def _write(tmp_path: Path, text: str, name: str = "target.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ConfigurationError) as info:
        load_target(path)
    return str(info.value)


# --------------------------------------------------------------------------------------------- valid files


def test_full_valid_file(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_bytes(_self_signed_pem())
    (tmp_path / "client.pem").write_text("cert", encoding="utf-8")
    (tmp_path / "client.key").write_text("key", encoding="utf-8")
    path = _write(tmp_path, f"""\
name = "Acme platform"
protocol = "ocpi"
version = "2.2.1"
roles = ["cpo", "EMSP"]
versions_url = "https://ocpi.acme.test/versions/"
token_a = "{TOKEN_A}"
extra_tokens_a = {json.dumps(EXTRA_TOKENS)}
timeout = 12.5
base64_token = false

[partner]
public_url = "http://203.0.113.5:9400/"
listen = "0.0.0.0:9400"

[tls]
ca_file = "ca.pem"
client_cert = "client.pem"
client_key = "client.key"

[actions.register]
http = "post http://127.0.0.1:8091/admin/register"

[actions.push]
command = "acme-cli push"

[actions.confirm]
prompt = true
""")
    target = load_target(path)

    assert target.name == "Acme platform"
    assert (target.protocol, target.version) == ("OCPI", "2.2.1")
    assert target.roles == ["CPO", "EMSP"]
    # one platform holds both roles
    assert target.platforms["CPO"] is target.platforms["EMSP"]
    platform = target.platforms["CPO"]
    assert platform.roles == ("CPO", "EMSP")
    assert platform.versions_url == "https://ocpi.acme.test/versions/"  # called exactly as given
    assert platform.token_a == TOKEN_A
    assert platform.extra_tokens_a == EXTRA_TOKENS
    assert platform.inprocess is False
    assert target.partner_public_url == "http://203.0.113.5:9400"
    assert target.partner_listen == ("0.0.0.0", 9400)
    assert isinstance(target.verify, ssl.SSLContext)
    assert target.verify.verify_mode == ssl.CERT_REQUIRED
    subjects = [dict(item[0] for item in ca["subject"]) for ca in target.verify.get_ca_certs()]
    assert {"commonName": "roamcert test CA"} in subjects
    assert target.client_cert == (str((tmp_path / "client.pem").resolve()), str((tmp_path / "client.key").resolve()))
    assert target.timeout == 12.5
    assert target.base64_token is False
    assert target.actions == {
        "register": Action("register", http=("POST", "http://127.0.0.1:8091/admin/register")),
        "push": Action("push", command="acme-cli push"),
        "confirm": Action("confirm", prompt=True),
    }
    assert target.reference_profiles == {}


def test_minimal_file_defaults(tmp_path: Path) -> None:
    target = load_target(_write(tmp_path, 'roles = ["EMSP"]\nversions_url = "http://emsp.test/v"\n', "acme.toml"))
    assert target.name == "acme"  # the file stem
    assert (target.protocol, target.version) == ("OCPI", "2.2.1")
    assert target.roles == ["EMSP"]
    assert target.platforms["EMSP"].token_a is None
    assert target.platforms["EMSP"].extra_tokens_a == []
    assert target.partner_public_url == "http://roamcert.partner.test"
    assert target.partner_listen is None
    assert target.verify is True
    assert target.client_cert is None
    assert target.timeout == 30.0
    assert target.base64_token is True
    assert target.actions == {}


def test_listen_on_all_interfaces_gives_a_loopback_public_url(tmp_path: Path) -> None:
    target = load_target(_write(tmp_path, BASE + '[partner]\nlisten = "0.0.0.0:9400"\n'))
    assert target.partner_listen == ("0.0.0.0", 9400)
    assert target.partner_public_url == "http://127.0.0.1:9400"
    target = load_target(_write(tmp_path, BASE + '[partner]\nlisten = "192.0.2.7:8000"\n'))
    assert target.partner_public_url == "http://192.0.2.7:8000"


def test_tls_verify_false(tmp_path: Path) -> None:
    target = load_target(_write(tmp_path, BASE + "[tls]\nverify = false\n"))
    assert target.verify is False
    assert target.client_cert is None


def test_token_a_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROAMCERT_TEST_TOKEN_A", "tok-from-env-123")
    text = BASE.replace('token_a = "tok-A-base"', 'token_a_env = "ROAMCERT_TEST_TOKEN_A"')
    target = load_target(_write(tmp_path, text))
    assert target.platforms["CPO"].token_a == "tok-from-env-123"


def test_token_a_env_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROAMCERT_TEST_TOKEN_A", raising=False)
    text = BASE.replace('token_a = "tok-A-base"', 'token_a_env = "ROAMCERT_TEST_TOKEN_A"')
    path = _write(tmp_path, text)
    message = _error(path)
    assert str(path) in message
    assert "token_a_env" in message
    assert "ROAMCERT_TEST_TOKEN_A" in message


# --------------------------------------------------------------------------------------------- errors


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    message = _error(path)
    assert str(path) in message
    assert "no such" in message


def test_bad_toml(tmp_path: Path) -> None:
    path = _write(tmp_path, 'roles = ["CPO"]\nversions_url = "https://x.test/versions\n')
    message = _error(path)
    assert str(path) in message
    assert "not valid TOML" in message
    assert "line 2" in message


@pytest.mark.parametrize("kind", ["directory", "not-utf-8"])
def test_unreadable_target_is_a_configuration_error(tmp_path: Path, kind: str) -> None:
    if kind == "directory":
        path = tmp_path / "dir.toml"
        path.mkdir()
    else:
        path = tmp_path / "latin1.toml"
        path.write_bytes(b'name = "Caf\xe9"\nroles = ["CPO"]\nversions_url = "https://x.test/v"\n')
    message = _error(path)
    assert str(path) in message


# (TOML appended to BASE, or replacing it, expected key in the message)
ERRORS: dict[str, tuple[str, str]] = {
    "unknown top-level key": (BASE + 'colour = "blue"\n', "colour"),
    "roles missing": ('versions_url = "https://x.test/versions"\n', "roles"),
    "roles empty": (BASE.replace('roles = ["CPO"]', "roles = []"), "roles"),
    "roles not a list": (BASE.replace('roles = ["CPO"]', 'roles = "CPO"'), "roles"),
    "role unsupported": (BASE.replace('roles = ["CPO"]', 'roles = ["CPO", "HUB"]'), "roles"),
    "versions_url missing": (BASE.replace('versions_url = "https://ocpi.acme.test/versions"\n', ""),
                             "versions_url"),
    "versions_url not http": (BASE.replace("https://ocpi.acme.test/versions", "ftp://ocpi.acme.test/versions"),
                              "versions_url"),
    "versions_url relative": (BASE.replace("https://ocpi.acme.test/versions", "/ocpi/versions"), "versions_url"),
    "protocol unsupported": (BASE + 'protocol = "OCHP"\n', "protocol/version"),
    "version unsupported": (BASE + 'version = "2.1.1"\n', "protocol/version"),
    "name empty": (BASE.replace('"Acme CPO staging"', '"  "'), "name"),
    "extra_tokens_a not strings": (BASE + "extra_tokens_a = [1, 2]\n", "extra_tokens_a"),
    "partner not a table": (BASE + 'partner = "x"\n', "partner"),
    "partner.listen without port": (BASE + '[partner]\nlisten = "0.0.0.0"\n', "partner.listen"),
    "partner.listen port not a number": (BASE + '[partner]\nlisten = "localhost:http"\n', "partner.listen"),
    "partner.listen without host": (BASE + '[partner]\nlisten = ":9400"\n', "partner.listen"),
    "partner.public_url not http": (BASE + '[partner]\npublic_url = "203.0.113.5:9400"\n', "partner.public_url"),
    "actions not a table": (BASE + 'actions = "register"\n', "actions"),
    "action not a table": (BASE + '[actions]\nregister = "POST http://x.test/r"\n', "actions.register"),
    "actions.X.http bad method": (BASE + '[actions.register]\nhttp = "DELETE http://x.test/r"\n',
                                  "actions.register.http"),
    "actions.X.http no url": (BASE + '[actions.register]\nhttp = "POST"\n', "actions.register.http"),
    "actions.X.http not http": (BASE + '[actions.register]\nhttp = "POST ftp://x.test/r"\n',
                                "actions.register.http"),
    "unknown key in an action": (BASE + '[actions.register]\nurl = "http://x.test/r"\n', "actions.register"),
    "actions.X.command not a string": (BASE + "[actions.register]\ncommand = 5\n", "actions.register.command"),
    "actions.X.prompt not a bool": (BASE + '[actions.register]\nprompt = "yes"\n', "actions.register.prompt"),
    "tls not a table": (BASE + 'tls = "on"\n', "tls"),
    "tls.verify not a bool": (BASE + '[tls]\nverify = "no"\n', "tls.verify"),
    "tls.ca_file missing": (BASE + '[tls]\nca_file = "missing-ca.pem"\n', "tls.ca_file"),
    "tls.client_cert missing": (BASE + '[tls]\nclient_cert = "missing-client.pem"\n', "tls.client_cert"),
    "timeout negative": (BASE + "timeout = -5\n", "timeout"),
    "timeout zero": (BASE + "timeout = 0\n", "timeout"),
    "timeout not a number": (BASE + 'timeout = "30s"\n', "timeout"),
    "base64_token not a bool": (BASE + 'base64_token = "yes"\n', "base64_token"),
    "max_response_bytes zero": (BASE + "max_response_bytes = 0\n", "max_response_bytes"),
    "max_response_bytes a float": (BASE + "max_response_bytes = 1.5\n", "max_response_bytes"),
    "retry_after_max negative": (BASE + "retry_after_max = -1\n", "retry_after_max"),
    "run_budget zero": (BASE + "run_budget = 0\n", "run_budget"),
    "run_budget not a number": (BASE + 'run_budget = "1h"\n', "run_budget"),
}


@pytest.mark.parametrize("case", list(ERRORS), ids=list(ERRORS))
def test_error_names_file_and_key(tmp_path: Path, case: str) -> None:
    text, key = ERRORS[case]
    path = _write(tmp_path, text)
    message = _error(path)
    assert message.startswith(f"{path}: "), message
    assert f": {key}: " in message, message


def test_missing_ca_file_names_the_resolved_path(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, BASE + '[tls]\nca_file = "missing-ca.pem"\n'))
    assert str((tmp_path / "missing-ca.pem").resolve()) in message


def test_unknown_role_message_lists_supported_roles(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, BASE.replace('roles = ["CPO"]', 'roles = ["CHS"]')))
    assert "CHS" in message
    for role in PARTY_ROLES:
        assert role in message


def test_ca_file_that_is_not_a_certificate(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("this is not a certificate\n", encoding="utf-8")
    path = _write(tmp_path, BASE + '[tls]\nca_file = "ca.pem"\n')
    message = _error(path)
    assert str(path) in message
    assert "tls.ca_file" in message


def test_listen_port_out_of_range(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE + '[partner]\nlisten = "0.0.0.0:70000"\n')
    message = _error(path)
    assert "partner.listen" in message


def test_bounds_default_and_read(tmp_path: Path) -> None:
    default = load_target(_write(tmp_path, BASE))
    assert (default.max_response_bytes, default.retry_after_max, default.run_budget) == (4 * 1024 * 1024, 10.0, None)
    path = _write(tmp_path, BASE + "max_response_bytes = 1000\nretry_after_max = 0\nrun_budget = 90.5\n")
    target = load_target(path)
    assert (target.max_response_bytes, target.retry_after_max, target.run_budget) == (1000, 0.0, 90.5)


def test_timeout_boolean(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE + "timeout = true\n")
    message = _error(path)
    assert "timeout" in message


# --------------------------------------------------------------------------------------------- reference, describe


def test_reference_target_shape() -> None:
    target = reference_target()
    assert isinstance(target, Target)
    assert target.name == "roamcert reference"
    assert (target.protocol, target.version) == ("OCPI", "2.2.1")
    assert target.roles == ["CPO", "EMSP", "HUB", "NSP", "SCSP"]
    assert target.reference_profiles == {"CPO": "conformant", "EMSP": "conformant", "SCSP": "conformant",
                                         "NSP": "conformant", "HUB": "conformant"}
    for role, platform in target.platforms.items():
        assert platform.roles == (role,)
        assert platform.inprocess is True
        assert platform.token_a is None  # issued by the harness at start-up
        assert platform.versions_url.startswith(("http://", "https://"))
        assert role.lower() in platform.versions_url
    assert target.platforms["CPO"].versions_url != target.platforms["EMSP"].versions_url
    assert "register" in target.actions
    described = target.describe()
    assert described == {"name": "roamcert reference", "protocol": "OCPI", "version": "2.2.1",
                         "roles": ["CPO", "EMSP", "HUB", "NSP", "SCSP"], "versions_url": None,
                         "profiles": {"CPO": "conformant", "EMSP": "conformant", "SCSP": "conformant",
                                      "NSP": "conformant", "HUB": "conformant"}}


def test_a_hub_is_a_platform_of_its_own() -> None:
    """A Hub reports itself only as role HUB: a target platform holding HUB holds nothing else, and the reference
    keeps its hub apart even when the other roles share one platform."""
    combined = reference_target(roles=("CPO", "EMSP", "HUB"), combined=True)
    assert combined.platforms["CPO"] is combined.platforms["EMSP"]
    assert combined.platforms["HUB"] is not combined.platforms["CPO"]
    assert combined.platforms["HUB"].roles == ("HUB",)


def test_hub_role_in_a_target_file(tmp_path: Path) -> None:
    hub = load_target(_write(tmp_path, BASE.replace('roles = ["CPO"]', 'roles = ["HUB"]')))
    assert hub.roles == ["HUB"]
    message = _error(_write(tmp_path, BASE.replace('roles = ["CPO"]', 'roles = ["HUB", "CPO"]')))
    assert "role HUB" in message and "roles" in message


def test_reference_target_with_profile_and_one_role() -> None:
    target = reference_target({"CPO": "missing_link_header", "EMSP": "ignored"}, roles=("CPO",))
    assert target.roles == ["CPO"]
    assert target.reference_profiles == {"CPO": "missing_link_header"}
    assert "missing_link_header" in target.name
    assert target.describe()["profiles"] == {"CPO": "missing_link_header"}


def test_describe_never_contains_a_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, BASE.replace("tok-A-base", TOKEN_A) + f"extra_tokens_a = {json.dumps(EXTRA_TOKENS)}\n")
    target = load_target(path)
    described = target.describe()
    assert set(described) == {"name", "protocol", "version", "roles", "versions_url", "profiles"}
    assert described["versions_url"] == "https://ocpi.acme.test/versions"
    text = json.dumps(described)
    for secret in (TOKEN_A, *EXTRA_TOKENS):
        assert secret not in text

    monkeypatch.setenv("ROAMCERT_TEST_TOKEN_A", "tok-env-secret-9876")
    env_path = _write(tmp_path, BASE.replace('token_a = "tok-A-base"', 'token_a_env = "ROAMCERT_TEST_TOKEN_A"'),
                      "env.toml")
    assert "tok-env-secret-9876" not in json.dumps(load_target(env_path).describe())

    reference = reference_target()
    reference.platforms["CPO"].token_a = "tok-issued-at-startup"  # what the harness does
    reference.platforms["CPO"].extra_tokens_a = ["tok-issued-extra"]
    text = json.dumps(reference.describe())
    assert "tok-issued-at-startup" not in text
    assert "tok-issued-extra" not in text


# --------------------------------------------------------------------------------------------- [ocpi] table

PLATFORMS = """\
name = "Acme roaming"
timeout = 12

[partner]
listen = "127.0.0.1:9400"

[ocpi]
version = "2.2.1"
base64_token = false

[[ocpi.platform]]
name = "acme-cpo"
roles = ["CPO"]
versions_url = "https://cpo.acme.test/ocpi/versions"
token_a = "tok-A-cpo"

[[ocpi.platform]]
roles = ["EMSP", "SCSP"]
versions_url = "https://emsp.acme.test/ocpi/versions"
token_a = "tok-A-emsp"
extra_tokens_a = ["tok-A-emsp-2"]
"""


def test_an_ocpi_table_with_several_platforms(tmp_path: Path) -> None:
    target = load_target(_write(tmp_path, PLATFORMS))
    assert (target.protocol, target.version, target.base64_token, target.timeout) == ("OCPI", "2.2.1", False, 12.0)
    cpo, emsp = target.platforms["CPO"], target.platforms["EMSP"]
    assert target.platforms["SCSP"] is emsp and cpo is not emsp
    assert (cpo.node_name, cpo.versions_url, cpo.token_a) == ("acme-cpo", "https://cpo.acme.test/ocpi/versions",
                                                              "tok-A-cpo")
    assert (emsp.node_name, emsp.roles, emsp.extra_tokens_a) == ("sut-emsp+scsp", ("EMSP", "SCSP"), ["tok-A-emsp-2"])
    assert target.partner_public_url == "http://127.0.0.1:9400"


def test_the_ocpi_table_takes_the_only_version_when_none_is_given(tmp_path: Path) -> None:
    assert load_target(_write(tmp_path, PLATFORMS.replace('version = "2.2.1"\n', ""))).version == "2.2.1"


OCPI_ERRORS: dict[str, tuple[str, str]] = {
    "single-platform keys beside [ocpi]": ('roles = ["CPO"]\n' + PLATFORMS, "roles"),
    "no platform": ('[ocpi]\nversion = "2.2.1"\n', "ocpi.platform"),
    "unknown [ocpi] key": (PLATFORMS.replace("base64_token = false", "base64_tokens = false"),
                           "ocpi.base64_tokens"),
    "unknown platform key": (PLATFORMS.replace('name = "acme-cpo"', 'nickname = "acme-cpo"'),
                             "ocpi.platform[1].nickname"),
    "platform without roles": (PLATFORMS.replace('roles = ["CPO"]\n', ""), "ocpi.platform[1].roles"),
    "platform without versions_url": (PLATFORMS.replace('versions_url = "https://cpo.acme.test/ocpi/versions"\n',
                                                        ""), "ocpi.platform[1].versions_url"),
    "a role held twice": (PLATFORMS.replace('roles = ["EMSP", "SCSP"]', 'roles = ["EMSP", "CPO"]'),
                          "ocpi.platform[2].roles"),
    "an unknown version": (PLATFORMS.replace('version = "2.2.1"', 'version = "9.9"'), "protocol/version"),
    "two platforms of one name": (PLATFORMS.replace('roles = ["EMSP", "SCSP"]',
                                                    'name = "acme-cpo"\nroles = ["EMSP", "SCSP"]'), "ocpi.platform"),
}


@pytest.mark.parametrize("case", list(OCPI_ERRORS), ids=list(OCPI_ERRORS))
def test_ocpi_table_errors_name_the_key(tmp_path: Path, case: str) -> None:
    text, key = OCPI_ERRORS[case]
    message = _error(_write(tmp_path, text))
    assert f": {key}: " in message, message


def test_the_documented_example_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_TOKEN_A", "tok-A-from-env-0001")
    target = load_target(Path(__file__).resolve().parents[2] / "docs" / "target-example.toml")
    assert target.platforms["CPO"].node_name == "acme-cpo"
    assert target.platforms["CPO"].token_a == "tok-A-from-env-0001"
    assert "tok-A-from-env-0001" not in repr(target)


# --------------------------------------------------------------------------------------------- pre-registered

PRE = 'token_c = "tok-C-issued-by-sut"\ntoken_b = "tok-B-given-to-sut"\n'


def test_a_pre_registered_connection_in_both_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    single = load_target(_write(tmp_path, BASE + PRE, "single.toml")).platforms["CPO"]
    assert (single.token_c, single.token_b, single.pre_registered) == ("tok-C-issued-by-sut", "tok-B-given-to-sut",
                                                                       True)
    monkeypatch.setenv("ACME_TOKEN_C", "tok-C-from-env")
    monkeypatch.setenv("ACME_TOKEN_B", "tok-B-from-env")
    table = PLATFORMS.replace('token_a = "tok-A-cpo"\n',
                              'token_a = "tok-A-cpo"\ntoken_c_env = "ACME_TOKEN_C"\ntoken_b_env = "ACME_TOKEN_B"\n')
    target = load_target(_write(tmp_path, table, "table.toml"))
    cpo, emsp = target.platforms["CPO"], target.platforms["EMSP"]
    assert (cpo.token_c, cpo.token_b, cpo.pre_registered) == ("tok-C-from-env", "tok-B-from-env", True)
    assert (emsp.token_c, emsp.token_b, emsp.pre_registered) == (None, None, False)
    text = repr(target) + json.dumps(target.describe())
    assert "tok-C-from-env" not in text and "tok-B-from-env" not in text


PRE_ERRORS: dict[str, tuple[str, str, str]] = {
    "token_c without token_b": (BASE + 'token_c = "c"\n', "token_b", "is required with token_c"),
    "token_b without token_c": (BASE + 'token_b = "b"\n', "token_c", "is required with token_b"),
    "the same token both ways": (BASE + 'token_c = "same"\ntoken_b = "same"\n', "token_b", "must differ"),
    "a value and an env var": (BASE + PRE + 'token_c_env = "X"\n', "token_c, token_c_env", "not both"),
    "an env var unset": (BASE + 'token_c_env = "ROAMCERT_UNSET_TOKEN_C"\ntoken_b = "b"\n', "token_c_env",
                         "ROAMCERT_UNSET_TOKEN_C is not set"),
    "an empty token": (BASE + 'token_c = ""\ntoken_b = "b"\n', "token_c", "non-empty string"),
    "in a platform table": (PLATFORMS.replace('token_a = "tok-A-emsp"', 'token_a = "tok-A-emsp"\ntoken_c = 5'),
                            "ocpi.platform[2].token_c", "non-empty string"),
}


@pytest.mark.parametrize("case", list(PRE_ERRORS), ids=list(PRE_ERRORS))
def test_pre_registered_errors_name_the_file_and_key(tmp_path: Path, case: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROAMCERT_UNSET_TOKEN_C", raising=False)
    text, key, problem = PRE_ERRORS[case]
    path = _write(tmp_path, text)
    message = _error(path)
    assert message.startswith(f"{path}: {key}: "), message
    assert problem in message, message
