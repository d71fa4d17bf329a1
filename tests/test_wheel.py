"""The package as a user gets it: a wheel, installed in a fresh virtual environment, run away from the checkout.

The wheel is built without build isolation (setuptools>=77 from the test extras, no download) from a
copy of the checkout (an in-tree build would leave ``build/`` there, and a stale ``build/lib`` slips
deleted modules into the wheel). The fresh venv sees this venv's installed dependencies through a
``.pth`` line naming its site-packages, so nothing is installed twice; the ``.pth`` files *inside*
that folder (the checkout's editable install among them) are not run from there, so ``archive``,
``crawler`` and ``pipelines`` can only come from the wheel.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import site
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP_LEVEL_LEFT_OUT = {".git", ".venv", "build", "dist", "warc", "files", "var", "samples-out", ".scrapy"}


def _unavailable(reason: str):
    """The build cannot run here at all: skip, but fail in CI, which must have what it needs."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def _env() -> dict:
    """This environment less proxies, PYTHONPATH/PYTHONHOME and nianbao's own settings; pip offline and quiet."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.lower().endswith("_proxy")
        and not k.startswith("NIANBAO_")
        and k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PIP_NO_INDEX="1")
    return env


def _run(cmd: list, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout)


def _left_out(folder: str, names: list[str]) -> set[str]:
    """What the copy of the checkout leaves out: the venv, VCS, build output, caches and run artefacts."""
    out = {
        n
        for n in names
        if n in ("__pycache__", ".pytest_cache", ".ruff_cache", ".import_linter_cache")
        or n.endswith((".egg-info", ".pyc", ".db", ".db-wal", ".db-shm", ".db.lock"))
    }
    if Path(folder) == ROOT:
        out |= TOP_LEVEL_LEFT_OUT & set(names)
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheel, venv, an empty working folder): the wheel built and installed in a fresh venv."""
    try:
        setuptools_version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        setuptools_version = "0"
    if int(setuptools_version.split(".")[0]) < 77:
        _unavailable(
            f"setuptools>=77 is needed to build the wheel without build isolation (found "
            f"{setuptools_version}): pip install -e '.[test]'"
        )
    if importlib.util.find_spec("ensurepip") is None:
        _unavailable("this Python has no ensurepip to make a virtual environment (Debian: python3.X-venv)")

    tmp = tmp_path_factory.mktemp("wheel")
    src, dist, venv, work = tmp / "src", tmp / "dist", tmp / "venv", tmp / "work"
    work.mkdir()
    shutil.copytree(ROOT, src, symlinks=True, ignore=_left_out)  # keeps archive/serve's link to the metadata
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", dist, src],
        cwd=work,
        timeout=180,
    )
    assert built.returncode == 0, f"pip wheel failed:\n{built.stdout[-3000:]}\n{built.stderr[-3000:]}"
    wheels = list(dist.glob("nianbao-*.whl"))
    assert len(wheels) == 1, wheels

    made = _run([sys.executable, "-m", "venv", venv], cwd=work)
    assert made.returncode == 0, made.stderr[-3000:]
    python = venv / "bin" / "python"
    put = _run([python, "-m", "pip", "install", "--no-deps", "-q", wheels[0]], cwd=work)
    assert put.returncode == 0, put.stdout[-3000:] + put.stderr[-3000:]
    # After the install, so that pip sees no other nianbao: this venv's dependencies, not installed again.
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=work).stdout.strip()
    (Path(purelib) / "_nianbao_test_dependencies.pth").write_text(
        "".join(f"{p}\n" for p in site.getsitepackages()), encoding="utf-8"
    )
    return wheels[0], venv, work


@pytest.fixture(scope="module")
def demo_db(installed):
    _, venv, work = installed
    db = work.parent / "demo" / "demo.db"
    out = _run([venv / "bin" / "nianbao", "demo", "--no-serve", "--db", db], cwd=work, timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]
    return db


def test_installed_packages_come_from_the_venv_not_the_checkout(installed):
    _, venv, work = installed
    probe = (
        "import json, archive, crawler, pipelines; from importlib.metadata import distribution; "
        "d = distribution('nianbao'); "
        "print(json.dumps({'files': [m.__file__ for m in (archive, crawler, pipelines)], "
        "'dist': str(d.locate_file('')), "
        "'plugins': sorted(e.name for e in d.entry_points.select(group='datasette'))}))"
    )
    out = _run([venv / "bin" / "python", "-c", probe], cwd=work)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout)
    venv_root = venv.resolve()
    for file in got["files"]:
        assert Path(file).resolve().is_relative_to(venv_root), file
        assert not Path(file).resolve().is_relative_to(ROOT), file
    assert Path(got["dist"]).resolve().is_relative_to(venv_root), got["dist"]
    assert got["plugins"] == ["nianbao", "nianbao_lockdown"]  # the wheel's own entry points


def test_wheel_ships_the_package_data(installed):
    wheel, venv, _ = installed
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = z.getinfo("archive/serve/datasette-metadata.json")
        assert not stat.S_ISLNK(meta.external_attr >> 16), "the metadata is a link in the wheel"
        shipped = z.read(meta)
    assert shipped == (ROOT / "datasette-metadata.json").read_bytes()
    assert json.loads(shipped)["databases"]["nianbao"]
    templates = {f"archive/serve/templates/{p.name}" for p in (ROOT / "archive/serve/templates").glob("*.html")}
    assert templates and templates <= names, templates - names
    data = {f"crawler/data/{p.name}" for p in (ROOT / "crawler/data").glob("*.csv")}
    assert "crawler/data/national.csv" in data and data <= names, data - names
    installed_meta = next(venv.glob("lib/python3.*/site-packages/archive/serve/datasette-metadata.json"))
    assert not installed_meta.is_symlink() and installed_meta.read_bytes() == shipped


def test_demo_crawls_the_sample_web_into_an_archive(demo_db):
    with sqlite3.connect(demo_db) as conn:
        assert conn.execute("select count(*) from reports").fetchone()[0] > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_publishes_the_demo_archive_locked_down(installed, demo_db):
    _, venv, work = installed
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = work / "serve.log"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [str(venv / "bin" / "nianbao"), "serve", "--db", str(demo_db), "--port", str(port), "--workers", "1"],
            cwd=work,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        rows, deadline = None, time.monotonic() + 30
        while rows is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                with opener.open(base + "/nianbao/reports.json?_shape=array&_size=1", timeout=5) as answer:
                    assert answer.status == 200
                    rows = json.loads(answer.read())
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert rows is not None, f"nianbao serve did not answer (exit {proc.poll()}):\n{log.read_text()[-3000:]}"
        assert len(rows) == 1 and rows[0]["title"]
        with pytest.raises(urllib.error.HTTPError) as posted:
            opener.open(urllib.request.Request(base + "/nianbao", data=b"", method="POST"), timeout=5)
        assert posted.value.code == 405  # archive.serve.lockdown, registered by the wheel's entry point
    finally:
        proc.terminate()
        proc.wait(timeout=10)
