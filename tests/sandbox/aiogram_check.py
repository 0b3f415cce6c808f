"""Check sandbox traffic against aiogram, an independent description of the Bot API.

Every request the sandbox accepted must validate against aiogram's method model, every result
against the method's return type, and every answer against aiogram's response envelope. aiogram's
models allow unknown fields, so unknown fields are hunted down separately: a misspelt key in an
object the sandbox built would otherwise pass unseen.
"""

from __future__ import annotations

from typing import Any

import aiogram.methods
from aiogram.methods.base import Response, TelegramMethod
from pydantic import BaseModel, TypeAdapter

from sandbox import Exchange

METHOD_MODELS: dict[str, type[TelegramMethod[Any]]] = {
    cls.__api_method__: cls
    for name in aiogram.methods.__all__
    if isinstance(cls := getattr(aiogram.methods, name), type)
    and issubclass(cls, TelegramMethod)
    and hasattr(cls, "__api_method__")
}


def unknown_fields(value: object, path: str = "$") -> list[str]:
    """Paths of fields aiogram did not recognise anywhere inside a validated value."""
    found: list[str] = []
    if isinstance(value, BaseModel):
        found.extend(f"{path}.{key}" for key in (value.model_extra or {}))
        for name in type(value).model_fields:
            found.extend(unknown_fields(getattr(value, name), f"{path}.{name}"))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found.extend(unknown_fields(item, f"{path}[{index}]"))
    elif isinstance(value, dict):
        for key, item in value.items():
            found.extend(unknown_fields(item, f"{path}.{key}"))
    return found


def check_exchange(exchange: Exchange) -> list[str]:
    """Problems with one exchange (an empty list when aiogram agrees with everything)."""
    problems: list[str] = []
    where = f"{exchange.method} → {exchange.status}"
    if exchange.response is not None:
        envelope = Response[Any].model_validate(exchange.response)
        if exchange.status != 200 and (
            envelope.ok or envelope.error_code != exchange.status or not envelope.description
        ):
            problems.append(f"{where}: error envelope {exchange.response}")
    if exchange.status != 200:
        return problems
    model = METHOD_MODELS.get(exchange.method)
    if model is None:
        return [*problems, f"{where}: aiogram has no method {exchange.method}"]
    request = model.model_validate(exchange.params)
    problems.extend(f"{where}: request field {p}" for p in unknown_fields(request))
    assert exchange.response is not None
    result = TypeAdapter(model.__returning__).validate_python(exchange.response["result"])
    problems.extend(f"{where}: result field {p}" for p in unknown_fields(result))
    return problems


def check_traffic(exchanges: list[Exchange]) -> list[str]:
    return [problem for exchange in exchanges for problem in check_exchange(exchange)]
