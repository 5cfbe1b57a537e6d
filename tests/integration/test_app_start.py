"""Starting Upright: a broken catalog stops the start with the file and field; personal mode stays on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from upright.cli import app as cli
from upright.config import Settings, get_settings
from upright.errors import CatalogError
from upright.web.app import create_app

pytestmark = pytest.mark.dateless

runner = CliRunner()


def _broken_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "clinic"
    (folder / "exercises").mkdir(parents=True)
    (folder / "exercises" / "neck-glide.yaml").write_text(
        "id: neck-glide\nname: Neck glide\nflavour: mint\n", encoding="utf-8"
    )
    return folder


def test_app_refuses_to_start_on_a_broken_catalog(tmp_path: Path) -> None:
    folder = _broken_folder(tmp_path)
    with pytest.raises(CatalogError) as caught:
        create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", catalog_dirs=str(folder)))
    message = str(caught.value)
    assert "neck-glide.yaml" in message
    assert "flavour: unknown field" in message


def test_serve_reports_the_broken_file_and_exits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPRIGHT_CATALOG_DIRS", str(_broken_folder(tmp_path)))
    get_settings.cache_clear()
    result = runner.invoke(cli, ["serve", "--port", "8765"])
    assert result.exit_code == 1
    text = "".join(result.output.split())  # Rich wraps long paths, so compare without spaces
    assert "Uprightcannotstart" in text
    assert "neck-glide.yaml" in text


def test_personal_mode_refuses_a_network_address() -> None:
    result = runner.invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "Refusing to listen on 0.0.0.0" in " ".join(result.output.split())
