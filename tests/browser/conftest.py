"""Browser tests: Playwright driving Debian's chromium against a real ``srmatch serve``.

The demo world is built once per test run (``srmatch db upgrade``, ``demo``, ``train`` into a
temporary SQLite file and model folder; with pytest-xdist the first worker builds it under a
file lock and every worker serves its own copy of the database). Each page visited is saved as
a screenshot under ``tests/browser/screenshots/`` (git-ignored; ``SRMATCH_SCREENSHOT_DIR``
moves them, e.g. into CI's log folder) and checked with axe-core.

Outside CI the tests skip with a one-line reason when chromium is missing; with CI=true they
fail instead.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, stop_server

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("SRMATCH_CHROMIUM", "/usr/bin/chromium"))
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("SRMATCH_SCREENSHOT_DIR") or HERE / "screenshots")
SRMATCH = Path(sys.executable).parent / "srmatch"
LAPTOP = {"width": 1366, "height": 900}
TABLET = {"width": 768, "height": 1024}


def chromium_missing_reason() -> str | None:
    """None when the browser can run here, else a one-line reason."""
    if not CHROMIUM.exists():
        return f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    reason = chromium_missing_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true, so browser tests may not skip: {reason}")
        pytest.skip(reason)


def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        done = subprocess.run(
            [str(SRMATCH), *args], env=env, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if done.returncode != 0:
        raise RuntimeError(f"srmatch {' '.join(args)} failed; see {log}")


def _env(database: Path, models: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRMATCH_")}
    env.update(
        SRMATCH_DATABASE_URL=f"sqlite:///{database}",
        SRMATCH_MODEL_DIR=str(models),
        SRMATCH_DEMO_MODE="true",
    )
    return env


@pytest.fixture(scope="session")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(database file, model folder) of a demo world, built once per run."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    built = shared / "browser-demo"
    with (shared / "browser-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (built / "ready").exists():
            built.mkdir(exist_ok=True)
            env = _env(built / "demo.db", built / "models")
            for args in (["db", "upgrade"], ["demo"], ["train"]):
                _run(args, env, built / "build.log")
            (built / "ready").touch()
    mine = tmp_path_factory.mktemp("browser-db") / "demo.db"
    shutil.copyfile(built / "demo.db", mine)
    return mine, built / "models"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(
    demo_world: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The base URL of ``srmatch serve`` on a free port of 127.0.0.1, ready to match."""
    database, models = demo_world
    port = _free_port()
    log = tmp_path_factory.mktemp("browser-server") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(SRMATCH), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=_env(database, models),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"srmatch serve exited ({proc.returncode}): {log.read_text()}")
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as answer:
                    if json.load(answer).get("ready"):
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"srmatch serve not ready after 90 s: {log.read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            yield b
        finally:
            b.close()


@dataclass
class Visit:
    """One browser tab on the server, with the checks every page gets."""

    page: Any
    base: str
    requests: list[str]

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def click_and_load(self, locator: Any) -> None:
        """Click something that loads a new page, and wait for that page."""
        with self.page.expect_navigation():
            locator.click()

    def log_in(self, username: str, password: str) -> None:
        self.go("/login")
        self.page.get_by_label("Gebruikersnaam").fill(username)
        self.page.get_by_label("Wachtwoord").fill(password)
        self.click_and_load(self.page.get_by_role("button", name="Inloggen"))

    def shoot(self, name: str, *, full_page: bool = True) -> Path:
        """Save a screenshot under SCREENSHOTS/<name>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def axe_violations(self) -> list[str]:
        """Serious and critical axe-core violations on the current page, one line each."""
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in result
            if v.get("impact") in ("serious", "critical")
        ]

    def check(self, name: str) -> None:
        """Screenshot the page and fail on serious or critical accessibility violations."""
        self.shoot(name)
        problems = self.axe_violations()
        assert not problems, f"{name}: " + "; ".join(problems)

    def foreign_requests(self) -> list[str]:
        """Requests the page made to anything but this server (there must be none)."""
        return [u for u in self.requests if not u.startswith((self.base, "data:"))]


def _visit(browser: Any, server: str, viewport: dict[str, int]) -> Iterator[Visit]:
    # axe-core is injected as an inline script: the test context lets it past the app's CSP
    context = browser.new_context(viewport=viewport, locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    try:
        yield Visit(page=page, base=server, requests=seen)
    finally:
        context.close()


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Visit]:
    """A fresh browser context (no cookies) at laptop width."""
    yield from _visit(browser, server, LAPTOP)


@pytest.fixture
def tablet(browser: Any, server: str) -> Iterator[Visit]:
    """A fresh browser context at tablet width (768 px)."""
    yield from _visit(browser, server, TABLET)
