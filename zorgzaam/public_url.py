"""The address phones in the room use to join a poll or a meeting (the join link and its QR code).

The deployment sets it: the environment variable ``ZORGZAAM_PUBLIC_URL`` (e.g.
``http://192.168.1.20:8501``), or Streamlit's ``browser.serverAddress`` (with ``browser.serverPort``
or ``server.port`` and ``server.baseUrlPath``). Without either, the address in the facilitator's
browser is used, and failing that Streamlit's default (``localhost``). An address on the machine
itself (localhost, 127.0.0.1, ::1, 0.0.0.0) is unreachable for a phone: ``PublicAddress.warning``
then says what to set. No Streamlit here; zorgzaam.ui.poll_sections reads the config and the
browser's URL and calls ``resolve``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

__all__ = [
    "DEFAULT_PORT",
    "ENV_VAR",
    "PARTICIPANT_PATH",
    "PublicAddress",
    "is_local_host",
    "join_url",
    "local_warning",
    "resolve",
]

ENV_VAR = "ZORGZAAM_PUBLIC_URL"
PARTICIPANT_PATH = "meedoen"
DEFAULT_PORT = 8501
EXAMPLE_HOST = "192.168.1.20"


@dataclass(frozen=True)
class PublicAddress:
    """The app's public base address (scheme, host, port and path, no trailing slash) and where it came from."""

    base: str
    origin: str  # ENV_VAR, "browser.serverAddress", "browser" or "standaard"
    problem: str | None = None  # a Dutch sentence when ZORGZAAM_PUBLIC_URL was set but unusable

    @property
    def host(self) -> str:
        return urlsplit(self.base).hostname or ""

    @property
    def port(self) -> int | None:
        try:
            return urlsplit(self.base).port
        except ValueError:
            return None

    @property
    def is_local(self) -> bool:
        return is_local_host(self.host)

    @property
    def warning(self) -> str | None:
        """What the facilitator should read (and set) when phones cannot reach this address."""
        parts = [self.problem] if self.problem else []
        if self.is_local:
            parts.append(local_warning(self.host, self.port))
        return " ".join(parts) or None

    def join_url(self, join_code: str) -> str:
        return join_url(self.base, join_code)


def is_local_host(host: str) -> bool:
    """True for an address only this machine can reach: localhost (and *.localhost), a loopback or
    unspecified IP address, or no host at all."""
    name = (host or "").strip().strip("[]").lower().rstrip(".")
    if not name or name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def local_warning(host: str = "localhost", port: int | None = None) -> str:
    return (
        f"Telefoons in de zaal kunnen {host or 'localhost'} niet bereiken. Zet {ENV_VAR} op het adres van "
        f"deze computer in het netwerk, bv. http://{EXAMPLE_HOST}:{port or DEFAULT_PORT} (of "
        "browser.serverAddress in .streamlit/config.toml), en start de app opnieuw."
    )


def _clean_base(url: str) -> str | None:
    """``url`` as a base address (http or https with a host; no query or fragment; no trailing slash)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def _base_path(path: str | None) -> str:
    path = (path or "").strip().strip("/")
    return f"/{path}" if path else ""


def resolve(
    *,
    env: str | None = None,
    server_address: str | None = None,
    port: int | None = None,
    base_path: str | None = None,
    browser_base: str | None = None,
) -> PublicAddress:
    """The address for the join link, in order: ``env`` (ZORGZAAM_PUBLIC_URL), the configured
    ``server_address`` (browser.serverAddress when the deployment set it) with ``port`` and ``base_path``,
    the base of the URL in the facilitator's browser, Streamlit's default ``http://localhost:<port>``."""
    problem = None
    if env and env.strip():
        base = _clean_base(env)
        if base is not None:
            return PublicAddress(base, ENV_VAR)
        problem = (
            f"{ENV_VAR} is geen bruikbaar webadres ('{env.strip()[:80]}'); geef het volledige adres, "
            f"bv. http://{EXAMPLE_HOST}:{port or DEFAULT_PORT}."
        )
    if server_address and server_address.strip():
        address = server_address.strip()
        if "://" not in address:
            host = f"[{address}]" if ":" in address and not address.startswith("[") else address
            address = f"http://{host}:{port or DEFAULT_PORT}"
        base = _clean_base(address)
        if base is not None:
            return PublicAddress(
                base + _base_path(base_path) if not urlsplit(base).path else base, "browser.serverAddress", problem
            )
    if browser_base:
        base = _clean_base(browser_base)
        if base is not None:
            return PublicAddress(base, "browser", problem)
    return PublicAddress(f"http://localhost:{port or DEFAULT_PORT}{_base_path(base_path)}", "standaard", problem)


def join_url(base: str, join_code: str) -> str:
    """The participant's link: ``<base>/meedoen?code=<code>``."""
    return f"{base.rstrip('/')}/{PARTICIPANT_PATH}?code={quote(str(join_code))}"
