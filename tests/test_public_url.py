"""The address phones join at (zorgzaam.public_url): the deployment's setting, the browser's address, localhost."""

from __future__ import annotations

import pytest

from zorgzaam.public_url import ENV_VAR, is_local_host, join_url, resolve


def test_the_environment_variable_comes_first_and_gives_the_join_link():
    address = resolve(
        env="http://192.168.1.20:8501/", server_address="zaal.example", port=8600, browser_base="http://localhost:8501"
    )
    assert address.base == "http://192.168.1.20:8501" and address.origin == ENV_VAR
    assert not address.is_local and address.warning is None
    assert address.join_url("AB 12") == "http://192.168.1.20:8501/meedoen?code=AB%2012"


def test_the_environment_variable_may_carry_a_path():
    address = resolve(env="https://zorg.example.org/zorgzaam", browser_base="http://localhost:8501")
    assert address.join_url("K7Q2") == "https://zorg.example.org/zorgzaam/meedoen?code=K7Q2"


def test_streamlit_config_server_address_with_port_and_base_path():
    address = resolve(server_address="10.0.0.5", port=8600, base_path="/app/", browser_base="http://localhost:8600")
    assert address.base == "http://10.0.0.5:8600/app" and address.origin == "browser.serverAddress"
    assert address.warning is None
    assert resolve(server_address="zaal.local", port=None).base == "http://zaal.local:8501"
    assert resolve(server_address="https://zorgzaam.example.be").base == "https://zorgzaam.example.be"


def test_without_a_setting_the_browsers_address_is_used():
    address = resolve(browser_base="http://192.168.1.33:8501")
    assert address.origin == "browser" and address.base == "http://192.168.1.33:8501" and address.warning is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {},  # nothing known: Streamlit's default
        {"browser_base": "http://localhost:8501"},  # the facilitator browses on the server itself
        {"browser_base": "http://127.0.0.1:8765"},
        {"server_address": "localhost", "port": 8501},
        {"env": "http://0.0.0.0:8501"},
    ],
)
def test_a_local_address_gets_the_dutch_warning_with_what_to_set(kwargs):
    address = resolve(**kwargs)
    assert address.is_local
    warning = address.warning
    assert warning.startswith("Telefoons in de zaal kunnen ") and f"niet bereiken. Zet {ENV_VAR} op" in warning
    assert "http://192.168.1.20:" in warning


def test_the_warning_names_the_host_and_port():
    warning = resolve(browser_base="http://127.0.0.1:8765").warning
    assert "kunnen 127.0.0.1 niet bereiken" in warning and "http://192.168.1.20:8765" in warning
    assert "kunnen localhost niet bereiken" in resolve(port=8501).warning


def test_an_unusable_environment_value_is_named_and_the_next_source_used():
    address = resolve(env="192.168.1.20", browser_base="http://192.168.1.33:8501")
    assert address.base == "http://192.168.1.33:8501" and address.origin == "browser"
    assert address.problem is not None and ENV_VAR in address.warning and "'192.168.1.20'" in address.warning
    assert "Telefoons" not in address.warning  # the browser's address itself is reachable


@pytest.mark.parametrize(
    "host, local",
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("app.localhost", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", True),
        ("", True),
        ("192.168.1.20", False),
        ("10.0.0.5", False),
        ("zorgzaam.example.org", False),
        ("localhost.example.org", False),
    ],
)
def test_local_hosts(host, local):
    assert is_local_host(host) is local


def test_join_url_quotes_the_code():
    assert join_url("http://h:1/", "A&B") == "http://h:1/meedoen?code=A%26B"
