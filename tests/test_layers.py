"""The floor plan holds: imports point down the layers, the code is linted and formatted, every
setting is declared once, and the generated reference pages match their sources."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRODUCT = ("crawler", "pipelines", "archive")


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return path


def test_imports_point_down_the_layers():
    out = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_the_layer_check_sees_the_imports(tmp_path):
    """The same check with the store put under the reading functions must fail: the crawl imports it."""
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    upside_down = config.replace('"archive.store", "pipelines"]', '"pipelines", "archive.store"]')
    assert upside_down != config
    (tmp_path / "pyproject.toml").write_text(upside_down, encoding="utf-8")
    out = subprocess.run(
        [_tool("lint-imports"), "--no-cache", "--config", str(tmp_path / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0 and "BROKEN" in out.stdout


def test_ruff_lint_is_clean():
    out = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]


def test_ruff_format_is_clean():
    out = subprocess.run(
        [_tool("ruff"), "format", "--check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout[-3000:]


def _product_sources():
    for package in PRODUCT:
        yield from (ROOT / package).rglob("*.py")


def test_every_nianbao_setting_is_declared_once_and_read_without_a_default():
    from crawler.settings import nianbao_settings

    declared = [s.name for s in nianbao_settings]
    assert len(declared) == len(set(declared))
    used, restated = set(), []
    read_with_default = re.compile(r"""\.get(?:int|float|bool|list|dict)?\(\s*["'](NIANBAO_\w+)["']\s*,""")
    for path in _product_sources():
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bNIANBAO_[A-Z_]+\b", text))
        restated += [f"{path.relative_to(ROOT)}: {m}" for m in read_with_default.findall(text)]
    assert not restated, f"settings read with an inline default: {restated}"
    # NIANBAO_SERVE_DB is not a setting: it is how `nianbao serve` hands the path to its worker processes.
    assert used - set(declared) - {"NIANBAO_SERVE_DB"} == set()


def test_docs_settings_is_the_settings_table():
    from archive.cli.reference import settings_markdown

    assert (ROOT / "docs" / "settings.md").read_text(encoding="utf-8") == settings_markdown(), (
        "regenerate it: nianbao settings --markdown > docs/settings.md"
    )


def test_docs_schema_is_the_metadata():
    from archive.cli.reference import schema_markdown

    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == schema_markdown(), (
        "regenerate it: nianbao schema --markdown > docs/schema.md"
    )


def test_readme_is_a_front_door():
    words = len((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert words <= 1500, f"README.md has {words} words; the rest belongs in docs/"
