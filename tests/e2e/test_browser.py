"""The web chat page in headless Chromium (Debian's package, installed by `make test`): a staff member
types a message, sees the bot's answer, and presses a button."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from nhacviec.service import Running, start
from nhacviec.settings import Settings
from sandbox.clock import SandboxClock
from tests.e2e.test_telegram_sandbox import NOW, STAFF_TDC, prompt

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")

if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):
        pytest.fail("Chromium and ChromeDriver are required in CI (make test installs them)", pytrace=False)
    pytest.skip("Chromium/ChromeDriver not installed (make test installs them as root)", allow_module_level=True)


@pytest.fixture
async def product(tmp_path: Path) -> AsyncIterator[Running]:
    settings = Settings(db_url=f"sqlite:///{tmp_path}/browser.db", sandbox_port=0, http_port=0, telegram_token=None)
    running = await start(settings, sandbox_clock=SandboxClock(NOW), reminders=False)
    try:
        yield running
    finally:
        await running.stop()


def open_browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    # Flags that keep Chromium off the network and quiet in a container (run as root, no GPU).
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER or ""), options=options)


def wait_for_text(driver: Any, selector: str, text: str, timeout: float = 15) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d: Any) -> Any:
        for element in d.find_elements(By.CSS_SELECTOR, selector):
            if text in element.text:
                return element
        return False

    return WebDriverWait(driver, timeout).until(found)


async def test_a_staff_member_chats_and_presses_a_button_on_the_page(product: Running, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    assert product.sandbox is not None
    driver = await asyncio.to_thread(open_browser)
    try:
        await asyncio.to_thread(driver.get, product.sandbox.url)
        person = await asyncio.to_thread(wait_for_text, driver, "#people li", "Nguyễn Văn An")
        await asyncio.to_thread(person.click)
        box = await asyncio.to_thread(driver.find_element, By.ID, "text")
        await asyncio.to_thread(box.send_keys, "/tasks")
        send = await asyncio.to_thread(driver.find_element, By.ID, "send")
        await asyncio.to_thread(send.click)
        await asyncio.to_thread(wait_for_text, driver, "#messages", "Các việc đang mở của đơn vị bạn (19):")

        await prompt(product, STAFF_TDC, "II.3")
        button = await asyncio.to_thread(wait_for_text, driver, ".kb-button", "✅ Đã hoàn thành")
        await asyncio.to_thread(button.click)
        await asyncio.to_thread(wait_for_text, driver, "#messages", "Đã ghi nhận: II.3 — đã hoàn thành.")
        screenshot = tmp_path / "sandbox-chat.png"
        assert await asyncio.to_thread(driver.save_screenshot, str(screenshot))
        assert screenshot.stat().st_size > 10_000
    finally:
        await asyncio.to_thread(driver.quit)
