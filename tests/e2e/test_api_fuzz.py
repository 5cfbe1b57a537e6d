"""Property-based fuzzing of the whole JSON API from its own OpenAPI schema (schemathesis).

Every operation gets generated requests, valid and not: no answer may be a server error, every status
must be documented for its operation, and every documented body must match its schema. Bounded
(FUZZ_EXAMPLES per operation) so `make test` stays within a few minutes; raise it to hunt longer."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.dateless

FUZZ_EXAMPLES = int(os.environ.get("UPRIGHT_FUZZ_EXAMPLES", "30"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _fuzz_app() -> FastAPI:
    """An app on its own SQLite file, made when the module loads (schemathesis needs the schema then)."""
    from upright.config import Settings
    from upright.web.app import create_app

    folder = Path(tempfile.mkdtemp(prefix="upright-fuzz-"))
    return create_app(Settings(database_url=f"sqlite:///{folder / 'fuzz.db'}", allowed_hosts="testserver"))


APP = _fuzz_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture
def fuzz_app() -> FastAPI:
    return APP


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same requests every run: a failure in CI is a failure on your computer
)
def test_every_operation_answers_within_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


def test_the_schema_lists_the_error_answers(fuzz_app: FastAPI) -> None:
    spec = fuzz_app.openapi()
    post = spec["paths"]["/api/me/sessions"]["post"]
    for status in ("400", "404", "409", "413", "422"):
        assert status in post["responses"], status
    body = spec["components"]["schemas"]["SessionResultIn"]["properties"]
    assert body["plan_id"]["anyOf"][0]["maximum"] == 2**31 - 1
    assert body["items"]["maxItems"] == 60
