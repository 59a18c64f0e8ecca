import pytest


@pytest.fixture(autouse=True)
def _import_dir(app, tmp_path, monkeypatch):
    """Import previews go to a per-test folder instead of instance/imports."""
    monkeypatch.setitem(app.config, "IMPORT_DIR", str(tmp_path / "imports"))
    return tmp_path / "imports"
