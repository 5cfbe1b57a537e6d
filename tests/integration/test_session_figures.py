"""The guided session page hands the player a picture for every exercise that has one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.patient_helpers import onboard
from upright.catalog import Catalog

pytestmark = pytest.mark.dateless


def test_session_page_lists_the_pictures_of_its_exercises(make_app: Any, catalog: Catalog) -> None:
    with TestClient(make_app()) as client:
        script = onboard(client, catalog)
        html = client.get("/session").text
    found = re.search(r'data-figures="([^"]*)"', html)
    assert found is not None
    assert set(found.group(1).split(",")) == {t["exercise"] for t in script["targets"]}
