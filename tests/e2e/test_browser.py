"""The web chat page in headless Chromium (Debian's package, installed by `make test`): a staff member
types a message, sees the bot's answer, and presses a button; a person on Zalo (badge, plain text,
choices typed as a number); a unit leader binds the unit's group and a staff member answers a reminder
there; the page on a phone-sized screen; the address's `#nguoi=ID`; dates written dd/mm/yyyy.

Screenshots of the group view (desktop 1280×800, phone 390×844) are saved in the test's tmp folder."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from domain.messages import Platform
from models import PlatformAccount
from nhacviec.demo import FIRST_ID, ZALO_SEATS
from nhacviec.service import Running, start
from nhacviec.settings import Settings
from sandbox.clock import SandboxClock
from tests.e2e.test_sandbox_groups import LEAD_TDC, TDC_GROUP, group_reminder
from tests.e2e.test_telegram_sandbox import NOW, STAFF_TDC, prompt, remind

# Hoàng Quốc Hùng, staff of Văn phòng Sở (the lead unit of IV.1), whom `make run` seeds on Zalo.
ZALO_STAFF = FIRST_ID + ZALO_SEATS[1]
DESKTOP = (1280, 800)
PHONE = (390, 844)

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


def open_browser(size: tuple[int, int] = DESKTOP) -> Any:
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
        # The fonts Debian's Chromium finds first; fixed so screenshots look the same on every machine.
        "--lang=vi",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER or ""), options=options)
    fit_viewport(driver, size)
    return driver


def fit_viewport(driver: Any, size: tuple[int, int]) -> None:
    """Make the page's viewport (not the window) exactly `size`, as a phone's screen is."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": size[0] < 700},
    )


def wait_for_text(driver: Any, selector: str, text: str, timeout: float = 15) -> Any:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d: Any) -> Any:
        for element in d.find_elements(By.CSS_SELECTOR, selector):
            if text in element.text:
                return element
        return False

    # The page redraws a chat as it changes: an element found a moment ago may be gone; look again.
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(found)


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


async def test_a_person_on_zalo_reads_plain_text_and_types_a_number_to_choose(product: Running, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    box = product.sandbox
    assert box is not None
    driver = await asyncio.to_thread(open_browser)
    try:
        await asyncio.to_thread(driver.get, box.url + f"#nguoi={ZALO_STAFF}")
        await asyncio.to_thread(wait_for_text, driver, "#chat-title", "Hoàng Quốc Hùng — Văn phòng Sở")
        await asyncio.to_thread(wait_for_text, driver, "#chat-platform", "Zalo")
        listed = await asyncio.to_thread(wait_for_text, driver, "#people li", "Hoàng Quốc Hùng")
        assert listed.find_element(By.CSS_SELECTOR, ".badge").text == "Zalo"
        await type_and_send(driver, "/tasks")
        await asyncio.to_thread(wait_for_text, driver, ".message.zalo.bot", "Các việc đang mở của đơn vị bạn (")

        # The reminder about IV.1 through Zalo: its choices come as a numbered list, no buttons.
        with Session(product.engine) as session:
            member_id = session.exec(
                select(PlatformAccount.member_id).where(PlatformAccount.user_id == box.zalo_id(ZALO_STAFF))
            ).one()
        row = await remind(product, box.zalo_id(ZALO_STAFF), "IV.1", member_id=member_id, platform=Platform.ZALO)
        assert row.platform_message_id is not None
        await asyncio.to_thread(wait_for_text, driver, ".message.zalo.bot", "1. ✅ Đã hoàn thành")
        assert await asyncio.to_thread(driver.find_elements, By.CSS_SELECTOR, ".kb-button") == []
        await type_and_send(driver, "1")
        await asyncio.to_thread(wait_for_text, driver, ".message.zalo.bot", "Đã ghi nhận: IV.1 — đã hoàn thành.")
        screenshot = tmp_path / "sandbox-zalo.png"
        assert await asyncio.to_thread(driver.save_screenshot, str(screenshot))
        assert screenshot.stat().st_size > 10_000
    finally:
        await asyncio.to_thread(driver.quit)


def run(function: Any, *args: Any) -> Any:
    return asyncio.to_thread(function, *args)


def wait_until(driver: Any, condition: Any, timeout: float = 15) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def in_message(driver: Any, text: str, inner: str, action: str = "text", timeout: float = 15) -> Any:
    """Inside the bot message containing `text`, the `inner` element's text (or click it). The page redraws
    its messages as they change, so the lookup is retried until it holds."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def attempt(d: Any) -> Any:
        try:
            for message in d.find_elements(By.CSS_SELECTOR, ".message.bot"):
                if text in message.text:
                    element = message.find_element(By.CSS_SELECTOR, inner)
                    if action == "click":
                        element.click()
                        return True
                    return element.text
        except (StaleElementReferenceException, NoSuchElementException):
            return False
        return False

    return wait_until(driver, attempt, timeout)


async def type_and_send(driver: Any, text: str) -> None:
    from selenium.webdriver.common.by import By

    box = await run(driver.find_element, By.ID, "text")
    await run(box.send_keys, text)
    await run((await run(driver.find_element, By.ID, "send")).click)


async def speak_as(driver: Any, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    picker = Select(await run(driver.find_element, By.ID, "speaker"))
    await run(picker.select_by_visible_text, name)


async def test_a_leader_binds_the_group_and_staff_answer_a_reminder_there(product: Running, tmp_path: Path) -> None:

    assert product.sandbox is not None
    driver = await run(open_browser)
    try:
        await run(driver.get, product.sandbox.url)
        group = await run(wait_for_text, driver, "#groups li", "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng")
        await run(group.click)
        note = await run(wait_for_text, driver, "#chat-note", "/bind ")
        code = note.text.split("/bind ")[1].split(" ")[0]
        await speak_as(driver, "Trần Thị Bình (Lãnh đạo đơn vị)")
        await type_and_send(driver, f"/bind {code}")
        bound = "Từ nay nhóm này nhận nhắc việc của Phòng Quản lý Tiêu chuẩn"
        assert await run(in_message, driver, bound, ".to") == "→ Trần Thị Bình"

        reminder = await group_reminder(product, "II.3")
        assert await run(in_message, driver, "Nhắc hạn nhiệm vụ II.3", ".to") == "→ cả nhóm"
        await speak_as(driver, "Nguyễn Văn An (Cán bộ)")
        await run(wait_for_text, driver, ".message.other .sender", "Trần Thị Bình")  # redrawn for the new speaker
        await run(in_message, driver, "Nhắc hạn nhiệm vụ II.3", "button.reply", "click")
        await run(wait_for_text, driver, "#reply-banner", "Trả lời: 🔔 Nhắc hạn nhiệm vụ II.3")
        await type_and_send(driver, "đã trình lãnh đạo Sở, đạt 80%")
        recorded = "Đã ghi nhận: II.3 — đang thực hiện, 80 %."
        assert await run(in_message, driver, recorded, ".to") == "→ Nguyễn Văn An"
        assert product.sandbox.group_chat(TDC_GROUP)[-2]["reply_to"] == reminder["message_id"]

        desktop = tmp_path / "sandbox-group-desktop.png"
        assert await run(driver.save_screenshot, str(desktop))
        await run(fit_viewport, driver, PHONE)
        await run(wait_for_text, driver, ".message.bot", "Đã ghi nhận: II.3")
        phone = tmp_path / "sandbox-group-phone.png"
        assert await run(driver.save_screenshot, str(phone))
        assert desktop.stat().st_size > 10_000 and phone.stat().st_size > 10_000
    finally:
        await run(driver.quit)


async def test_on_a_phone_the_message_box_is_on_screen(product: Running) -> None:
    from selenium.webdriver.common.by import By

    assert product.sandbox is not None
    driver = await run(open_browser, PHONE)
    try:
        await run(driver.get, product.sandbox.url + f"#nhom={TDC_GROUP}")
        await run(wait_for_text, driver, "#chat-title", "Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng")
        height = await run(driver.execute_script, "return window.innerHeight")
        for element_id in ("text", "send", "speaker"):
            element = await run(driver.find_element, By.ID, element_id)
            rect = element.rect
            assert element.is_displayed(), element_id
            assert rect["y"] >= 0 and rect["y"] + rect["height"] <= height, (element_id, rect, height)
        area = (await run(driver.find_element, By.ID, "messages")).rect
        assert area["height"] >= 250  # room to read the conversation, not just the box
        page_width = await run(driver.execute_script, "return document.documentElement.scrollWidth")
        assert page_width <= PHONE[0]  # nothing wider than the screen
    finally:
        await run(driver.quit)


async def test_changing_the_address_switches_the_person(product: Running) -> None:
    assert product.sandbox is not None
    driver = await run(open_browser)
    try:
        await run(driver.get, product.sandbox.url + f"#nguoi={STAFF_TDC}")
        await run(wait_for_text, driver, "#chat-title", "Nguyễn Văn An")
        await run(driver.execute_script, f"location.hash = '#nguoi={LEAD_TDC}'")
        await run(wait_for_text, driver, "#chat-title", "Trần Thị Bình")
        await run(driver.execute_script, f"location.hash = '#nhom={TDC_GROUP}'")
        await run(wait_for_text, driver, "#chat-title", "Nhóm «Phòng Quản lý Tiêu chuẩn Đo lường Chất lượng»")
    finally:
        await run(driver.quit)


async def test_dates_are_written_day_first(product: Running) -> None:
    from selenium.webdriver.common.by import By

    assert product.sandbox is not None
    driver = await run(open_browser)
    try:
        await run(driver.get, product.sandbox.url)
        await run(wait_for_text, driver, "#clock-now", "Thứ Tư, 24/12/2025 08:30 (GMT+7)")
        day = await run(driver.find_element, By.ID, "clock-date")
        await run(wait_until, driver, lambda d: day.get_attribute("value") == "24/12/2025")
        await run(day.clear)
        await run(day.send_keys, "26/12/2025")
        hour = await run(driver.find_element, By.ID, "clock-time")
        await run(hour.clear)
        await run(hour.send_keys, "09:15")
        await run((await run(driver.find_element, By.ID, "set-date")).click)
        await run(wait_for_text, driver, "#clock-now", "Thứ Sáu, 26/12/2025 09:15 (GMT+7)")
        await run(day.clear)
        await run(day.send_keys, "12/31/2025")  # month first: refused, with the form to use
        await run((await run(driver.find_element, By.ID, "set-date")).click)
        await run(wait_for_text, driver, "#status", "Ngày theo dạng dd/mm/yyyy")
        assert product.sandbox.clock.now().isoformat() == "2025-12-26T09:15:00+07:00"
    finally:
        await run(driver.quit)
