"""/openapi.json describes every answer: each 2xx JSON response has a schema, and no schema is a bare
object (a dict[str, Any]) that tells a script nothing about the fields it will get."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

pytestmark = pytest.mark.dateless


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = spec["components"]["schemas"][name]
    return schema


def _bare_objects(schema: dict[str, Any], spec: dict[str, Any], where: str, seen: set[str]) -> Iterator[str]:
    """Every place under `schema` that is an object without named properties."""
    ref = schema.get("$ref")
    if ref is not None:
        if ref in seen:
            return
        seen = seen | {ref}
    schema = _resolve(schema, spec)
    if not schema:
        yield f"{where}: no schema at all"
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for i, part in enumerate(schema.get(key, [])):
            yield from _bare_objects(part, spec, f"{where}.{key}[{i}]", seen)
    if schema.get("type") == "object":
        props = schema.get("properties") or {}
        values = schema.get("additionalProperties")
        if isinstance(values, dict) and _resolve(values, spec):  # a map whose values have a schema
            yield from _bare_objects(values, spec, f"{where}.*", seen)
        elif not props:
            yield f"{where}: an object with no named fields"
        for name, sub in props.items():
            yield from _bare_objects(sub, spec, f"{where}.{name}", seen)
    if schema.get("type") == "array":
        for i, item in enumerate(schema.get("prefixItems", [])):
            yield from _bare_objects(item, spec, f"{where}[{i}]", seen)
        if "items" in schema:
            yield from _bare_objects(schema["items"], spec, f"{where}[]", seen)


def test_every_json_answer_has_a_schema_with_named_fields(make_app: Callable[..., FastAPI]) -> None:
    spec = TestClient(make_app()).get("/openapi.json").json()
    problems: list[str] = []
    checked = 0
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for status, response in op.get("responses", {}).items():
                if not status.startswith("2"):
                    continue
                content = response.get("content")
                if status == "204" and not content:
                    continue
                json_body = (content or {}).get("application/json")
                if json_body is None:
                    problems.append(f"{method.upper()} {path} {status}: no JSON answer described")
                    continue
                checked += 1
                where = f"{method.upper()} {path} {status}"
                problems.extend(_bare_objects(json_body.get("schema") or {}, spec, where, set()))
    assert checked >= 30  # every /api route is in the schema
    assert problems == []


def test_a_bare_object_is_found(make_app: Callable[..., FastAPI]) -> None:
    """The walk itself: a dict[str, Any] answer and an untyped field are caught."""
    spec = {
        "components": {
            "schemas": {
                "Loose": {
                    "type": "object",
                    "properties": {"plan": {"type": "object", "additionalProperties": True}},
                }
            }
        }
    }
    found = list(_bare_objects({"$ref": "#/components/schemas/Loose"}, spec, "GET /x 200", set()))
    assert found == ["GET /x 200.plan: an object with no named fields"]
    assert list(_bare_objects({}, spec, "GET /y 200", set())) == ["GET /y 200: no schema at all"]
