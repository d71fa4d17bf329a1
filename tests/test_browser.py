"""A journalist's path in a real browser: home page, a 2-character search, a report, the CSV.

Drives Debian's headless Chromium through Selenium and chromedriver (``.ci/run`` installs
both); a screenshot of each step is saved under the test's temporary directory.
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.serve import wait_until_serving

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but chromium/chromedriver are not installed (.ci/run installs them)")
    pytest.skip(
        "chromium and chromedriver are not installed: apt-get install chromium chromium-driver", allow_module_level=True
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_archive):
    port = _free_port()
    nianbao = shutil.which("nianbao", path=str(Path(sys.executable).parent)) or "nianbao"
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy")}
    proc = subprocess.Popen(
        [nianbao, "serve", "--db", str(sample_archive), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    assert wait_until_serving(base), "nianbao serve did not start"
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
        f"--user-data-dir={tmp_path_factory.mktemp('profile')}",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.downloads = downloads
    yield driver
    driver.quit()


def test_home_search_report_and_csv(server, browser, tmp_path, sample_archive):
    import sqlite_utils

    db = sqlite_utils.Database(sample_archive)
    expected = {r[0] for r in db.execute("select id from reports where instr(title, '复议') or instr(text, '复议')")}
    assert expected

    browser.get(server + "/")
    assert "政府信息公开工作年度报告" in browser.page_source
    browser.save_screenshot(str(tmp_path / "1-home.png"))

    box = browser.find_element(By.ID, "nianbao-q")
    box.send_keys("复议")
    box.submit()
    time.sleep(0.5)
    assert "_search=" in browser.current_url
    assert f"{len(expected)} row" in browser.page_source
    browser.save_screenshot(str(tmp_path / "2-search.png"))

    first = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns tbody tr td a")
    first.click()
    time.sleep(0.5)
    assert "/nianbao/reports/" in browser.current_url and "content_hash" in browser.page_source
    assert "Where it was seen" in browser.page_source and "一、" in browser.page_source
    browser.save_screenshot(str(tmp_path / "3-report.png"))

    browser.back()
    time.sleep(0.5)
    csv_link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a") if ".csv" in (a.get_attribute("href") or ""))
    browser.get(csv_link.get_attribute("href").replace("_size=max", "") + "&_stream=on&_dl=1")
    for _ in range(50):
        files = [f for f in browser.downloads.iterdir() if f.suffix == ".csv"]
        if files:
            break
        time.sleep(0.2)
    assert files, "no CSV downloaded"
    rows = list(csv.DictReader(files[0].open(encoding="utf-8")))
    assert {int(r["id"]) for r in rows} == expected
    assert all(r["text"] for r in rows)  # full text, not cut
    browser.save_screenshot(str(tmp_path / "4-csv.png"))
    assert all((tmp_path / f).stat().st_size > 1000 for f in ("1-home.png", "2-search.png", "3-report.png"))
