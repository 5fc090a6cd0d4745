"""Browser (end-to-end) test fixtures: the real app in headless Debian Chromium.

Mark such tests with ``@pytest.mark.e2e``. Fixtures:
    browser     (session)  playwright Browser on /usr/bin/chromium; skips when the
                           browser or playwright is missing, fails when CI is set.
    app_server  (session)  the real app (app.py) on a free port with a fresh demo
                           database: ``.url``, ``.db_path``, ``.port``, ``.log_path``.
    page        (function) a new page (1400x900, nl-BE) in its own context; a
                           screenshot lands in tmp_path when the test fails.

Helpers (``from .conftest import wait_for_text, open_app``):
    wait_for_text(page, text, timeout=30000)  wait until the app shows ``text``
    open_app(page, url, timeout=60000)        load a Streamlit page and wait until
                                              its script has finished running
    start_streamlit(script, db_path)          start any Streamlit script (used by
                                              app_server; handy for small test apps)

Never downloads a browser: we use Debian's chromium, not ``playwright install``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# Debian's chromium; ZORGZAAM_CHROMIUM may point elsewhere (scripts/test.sh reads it too).
CHROMIUM = Path(os.environ.get("ZORGZAAM_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1400, "height": 900}
SERVER_START_TIMEOUT = 60.0


def _is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def _skip_or_fail(reason: str) -> None:
    if _is_ci():
        pytest.fail(f"{reason} (CI is gezet, dus dit is een fout en geen skip)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> Path | None:
    """Debian's chromium, or None when it is not installed."""
    return CHROMIUM if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK) else None


# --- browser -----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    exe = chromium_path()
    if exe is None:
        _skip_or_fail(
            f"{CHROMIUM} ontbreekt: browsertests hebben Debian's chromium nodig "
            "(bash scripts/test.sh installeert het als root, of: apt-get install chromium chromium-driver)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _skip_or_fail(f"het pakket playwright ontbreekt ({exc}); installeer requirements-dev.txt")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(exe), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


_failed_key = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_failed_key] = True
    return report


@pytest.fixture
def page(browser, request: pytest.FixtureRequest, tmp_path: Path):
    context = browser.new_context(viewport=VIEWPORT, locale="nl-BE", timezone_id="Europe/Brussels")
    page = context.new_page()
    try:
        yield page
    finally:
        if request.node.stash.get(_failed_key, False):
            shot = tmp_path / "failure.png"
            try:
                page.screenshot(path=str(shot), full_page=True)
                print(f"\nschermafbeelding bij de fout: {shot}")
            except Exception as exc:  # the page may be gone; the test's own error matters more
                print(f"\ngeen schermafbeelding mogelijk: {exc}")
            server = _server_of(request)
            if server is not None:
                print(f"\nlaatste regels van het serverlog ({server.log_path}):\n{server.log_tail()}")
        context.close()


def _server_of(request: pytest.FixtureRequest) -> StreamlitServer | None:
    if "app_server" not in request.fixturenames:
        return None
    try:
        return request.getfixturevalue("app_server")
    except Exception:
        return None


def wait_for_text(page, text: str, timeout: float = 30000):
    """Wait (ms) until the page shows ``text`` (substring, case-insensitive); return its locator."""
    locator = page.get_by_text(text).first
    locator.wait_for(state="visible", timeout=timeout)
    return locator


def wait_for_app_idle(page, timeout: float = 60000) -> None:
    """Wait until Streamlit is connected and no script run is in progress.

    Reads the state Streamlit puts on the app root (data-test-script-state:
    initial -> running -> notRunning). Right after a click the rerun may not
    have started yet, so after an interaction prefer wait_for_text().
    """
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return !!app
                && app.getAttribute('data-test-connection-state') === 'CONNECTED'
                && ['notRunning', 'compilationError'].includes(app.getAttribute('data-test-script-state'));
        }""",
        timeout=timeout,
    )


def open_app(page, url: str, timeout: float = 60000) -> None:
    """Go to ``url`` (the app or one of its pages) and wait until the script finished."""
    page.goto(url, timeout=timeout)
    wait_for_app_idle(page, timeout=timeout)


# --- the app server ----------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StreamlitServer:
    url: str
    port: int
    db_path: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(geen log)"
        return "\n".join(text.splitlines()[-lines:]) or "(log is leeg)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> StreamlitServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_streamlit(
    script: str | Path,
    db_path: str | Path,
    log_path: str | Path | None = None,
    cwd: str | Path = REPO_ROOT,
    timeout: float = SERVER_START_TIMEOUT,
    port: int | None = None,
) -> StreamlitServer:
    """Start ``streamlit run script`` on a free local port (or ``port``: a restart) with ZORGZAAM_DB=db_path.

    Returns once /_stcore/health answers "ok"; fails the test (with the server's
    log) when the server dies or does not answer within ``timeout`` seconds.
    Stop it with ``.stop()`` or use it as a context manager.
    """
    db_path = Path(db_path)
    log_path = Path(log_path) if log_path else db_path.with_name("streamlit.log")
    port = port or free_port()
    env = dict(os.environ, ZORGZAAM_DB=str(db_path), PYTHONUNBUFFERED="1")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            cmd, cwd=str(cwd), env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = StreamlitServer(
        url=f"http://127.0.0.1:{port}", port=port, db_path=db_path, log_path=log_path, process=process
    )
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"streamlit stopte meteen (code {process.returncode}) voor {script}:\n{server.log_tail()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(
                f"streamlit antwoordde niet binnen {timeout:.0f} s op {server.url}/_stcore/health:\n"
                f"{server.log_tail()}",
                pytrace=False,
            )
        time.sleep(0.25)


def build_demo_db(db_path: Path) -> None:
    """Build the demo database with the project's CLI (python -m zorgzaam demo --db PATH)."""
    env = dict(os.environ, ZORGZAAM_DB=str(db_path))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "zorgzaam", "demo", "--db", str(db_path)],
            cwd=str(REPO_ROOT),
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"'python -m zorgzaam demo' duurde langer dan {exc.timeout} s", pytrace=False)
    if result.returncode != 0:
        pytest.fail(
            f"'python -m zorgzaam demo --db {db_path}' mislukte (code {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The real app (app.py) with a fresh demo database, for the whole session."""
    workdir = tmp_path_factory.mktemp("app_server")
    db_path = workdir / "zorgzaam.duckdb"
    build_demo_db(db_path)
    server = start_streamlit(REPO_ROOT / "app.py", db_path, log_path=workdir / "streamlit.log")
    try:
        yield server
    finally:
        server.stop()
