"""Run the review app as a server on 127.0.0.1 and open it in headless Chromium.

Used by tools/screenshot.py and tests/test_browser.py. Chromium and its driver
are Debian's (``apt-get install chromium chromium-driver``; ``make test`` installs
them), driven through Selenium with that driver, never one downloaded at run time.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


class BrowserMissing(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db: Path, model: Path, log: Path, port: int | None = None, timeout: float = 90) -> Iterator[str]:
    """``streamlit run app.py`` on 127.0.0.1 against the store ``db``; yields its URL, stops it afterwards."""
    port = port or free_port()
    env = {**os.environ, "SCANNER_DB": str(db), "SCANNER_MODEL": str(model)}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(url, proc, log, timeout)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the review app exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the review app did not answer at {url} within {timeout:.0f} s:\n"
                       f"{log.read_text(errors='replace')}")


def chromium(width: int = 1440, height: int = 1000):
    """Headless Chromium (Debian's) under Selenium, the page language Japanese."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        raise BrowserMissing(f"{' and '.join(missing)} not found: install Debian's chromium and chromium-driver "
                             "(apt-get install chromium chromium-driver; `make test` does it)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=ja-JP",
                f"--window-size={width},{height}", "--force-device-scale-factor=1", "--hide-scrollbars"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


# -- driving the page ------------------------------------------------------------
def wait_for(driver, css: str, timeout: float = 60, text: str | None = None):
    """The first element matching ``css`` (containing ``text``, if given), once it is on the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d):
        for element in d.find_elements(By.CSS_SELECTOR, css):
            if text is None or text in element.text:
                return element
        return False

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(
        found, f"nothing matching {css!r}" + (f" with {text!r}" if text else "") + " on the page")


def open_review(driver, url: str) -> None:
    """Load the app and wait until a provision is shown."""
    driver.get(url)
    wait_for(driver, ".prov-card")


def enter_reviewer(driver, name: str, timeout: float = 30) -> None:
    """Type the reviewer's name, commit it (Enter), and wait until the decision buttons are enabled."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box = wait_for(driver, 'input[aria-label="担当者名"]')
    box.click()
    box.send_keys(name, Keys.ENTER)

    def enabled(d) -> bool:  # the 該当 button, found by its shortcut
        buttons = d.find_elements(By.CSS_SELECTOR, 'button:has(kbd[aria-label="Shortcut 1"])')
        return bool(buttons) and buttons[0].is_enabled()

    WebDriverWait(driver, timeout, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,)).until(
        enabled, "the decision buttons stay disabled after entering a name")


def press(driver, key: str) -> None:
    """One key press on the page itself, outside every input (where Streamlit ignores its shortcuts)."""
    from selenium.webdriver.common.action_chains import ActionChains

    driver.execute_script("document.activeElement && document.activeElement.blur()")
    ActionChains(driver).send_keys(key).perform()
