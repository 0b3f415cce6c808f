"""Log lines: one per event, text or JSON, and no configured secret in them at any level."""

import io
import json
import logging

import pytest

from nhacviec.logs import CHATTY, REDACTED, configure, make_handler

TOKEN = "7123456789:AAHk-Bí_mật_token"


@pytest.fixture
def logger() -> logging.Logger:
    log = logging.getLogger("tests.ops.logs")
    log.handlers.clear()
    log.propagate = False
    log.setLevel(logging.DEBUG)
    return log


def written(logger: logging.Logger, log_format: str = "text", secrets: tuple[str, ...] = (TOKEN,)) -> io.StringIO:
    stream = io.StringIO()
    logger.addHandler(make_handler(stream, secrets=secrets, log_format=log_format))  # type: ignore[arg-type]
    return stream


def test_the_token_in_an_httpx_request_line_is_redacted_at_debug(logger: logging.Logger) -> None:
    stream = written(logger)
    logger.debug('HTTP Request: %s %s "%s"', "POST", f"http://127.0.0.1:8080/bot{TOKEN}/getUpdates", "HTTP/1.1 200 OK")
    line = stream.getvalue()
    assert TOKEN not in line
    assert f"/bot{REDACTED}/getUpdates" in line


def test_the_url_encoded_token_is_redacted_too(logger: logging.Logger) -> None:
    stream = written(logger)
    logger.info("GET /bot7123456789%3AAAHk-B%C3%AD_m%E1%BA%ADt_token/getMe")
    assert stream.getvalue().endswith(f"GET /bot{REDACTED}/getMe\n")


def test_a_token_inside_a_traceback_is_redacted(logger: logging.Logger) -> None:
    stream = written(logger)
    try:
        raise RuntimeError(f"connect failed for https://api.telegram.org/bot{TOKEN}/sendMessage")
    except RuntimeError:
        logger.exception("send failed")
    text = stream.getvalue()
    assert TOKEN not in text
    assert "RuntimeError: connect failed for https://api.telegram.org/bot<redacted>/sendMessage" in text


def test_every_configured_secret_is_redacted(logger: logging.Logger) -> None:
    stream = written(logger, secrets=(TOKEN, "zalo-Bi-mat", "webhook_Secret-1"))
    logger.warning("tokens %s %s %s", TOKEN, "zalo-Bi-mat", "webhook_Secret-1")
    assert stream.getvalue().split(": ", 1)[1] == f"tokens {REDACTED} {REDACTED} {REDACTED}\n"


def test_a_text_record_with_a_traceback_is_one_line(logger: logging.Logger) -> None:
    stream = written(logger)
    try:
        raise ValueError("dòng một\ndòng hai")
    except ValueError:
        logger.exception("outbox pass failed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert " ERROR tests.ops.logs: outbox pass failed | Traceback (most recent call last):" in lines[0]
    assert lines[0].endswith("ValueError: dòng một ⏎ dòng hai")


def test_json_lines_carry_level_logger_message_and_exception(logger: logging.Logger) -> None:
    stream = written(logger, log_format="json")
    logger.info("reply handled: chat=%s length=%d", "1001", 24)
    try:
        raise KeyError("II.3")
    except KeyError:
        logger.error("update failed", exc_info=True)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first.keys() == {"time", "level", "logger", "message"}
    assert (first["level"], first["logger"], first["message"]) == (
        "INFO",
        "tests.ops.logs",
        "reply handled: chat=1001 length=24",
    )
    assert first["time"].endswith("Z")
    assert second["message"] == "update failed"
    assert second["exception"].endswith("KeyError: 'II.3'")


def test_configure_leaves_one_handler_and_quiets_request_lines_at_info() -> None:
    root = logging.getLogger("tests.ops.root")
    root.addHandler(logging.StreamHandler(io.StringIO()))
    stream = io.StringIO()
    configure(secrets=[TOKEN], level="INFO", stream=stream, root=root)
    assert len(root.handlers) == 1
    assert logging.getLogger("httpx").level == logging.WARNING
    configure(secrets=[TOKEN], level="DEBUG", stream=stream, root=root)
    assert logging.getLogger("httpx").level == logging.DEBUG
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.NOTSET)
