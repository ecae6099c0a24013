"""Coordination services take typed keyword-only arguments: what people type is parsed once,
by the page's form or the API's schema, and no service reads a loose ``data`` dictionary."""

import importlib
import inspect
import pkgutil
from typing import Any

import cophub.coordination as coordination

SUB_PACKAGES = (
    "meetings",
    "documents",
    "liaison",
    "activities",
    "implementation",
    "youth",
    "reports",
)


def _service_functions() -> list[tuple[str, Any]]:
    found = []
    for name in SUB_PACKAGES:
        module = importlib.import_module(f"cophub.coordination.{name}.services")
        for attribute, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and not attribute.startswith("_")
            ):
                found.append((f"{name}.{attribute}", value))
    return found


def test_every_sub_package_has_services() -> None:
    names = {info.name for info in pkgutil.iter_modules(coordination.__path__) if info.ispkg}
    assert set(SUB_PACKAGES) <= names


def test_services_take_typed_keyword_only_arguments_and_no_data_dictionary() -> None:
    functions = _service_functions()
    assert len(functions) > 20
    loose = []
    for name, function in functions:
        for parameter in inspect.signature(function).parameters.values():
            if parameter.name == "data" or parameter.annotation is inspect.Parameter.empty:
                loose.append(f"{name}({parameter.name})")
    assert loose == []


def test_writes_take_keyword_only_arguments() -> None:
    positional = [
        name
        for name, function in _service_functions()
        if getattr(function, "__wrapped__", None) is not None  # @transaction.atomic: a write
        and any(
            p.kind is not inspect.Parameter.KEYWORD_ONLY
            for p in inspect.signature(function).parameters.values()
        )
    ]
    assert positional == []
