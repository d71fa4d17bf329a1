"""The offline sample web: generated government sites in the styles of real CMS families.

No machine of the project reaches the internet, so tests, benchmarks and the demo crawl these
sites, served on 127.0.0.1 as an HTTP proxy for their ``.test`` hostnames. Everything is
deterministic from a seed: ``build.build_world`` decides what exists on day 1 or day 2 (or in
the scale mode), ``web.SampleWeb`` answers HTTP requests for it, ``manifest`` states the truth
of every URL, ``server.SampleServer`` puts it on a port.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

from .build import build_world
from .manifest import manifest, page_rows, registry_csv, site_rows, start_url, write_jsonl
from .web import SampleWeb

__all__ = [
    "build_world",
    "manifest",
    "page_rows",
    "registry_csv",
    "site_rows",
    "start_url",
    "sample_web",
    "write_site_files",
]


def sample_web(seed: int = 1, day: int = 1, scale: tuple[int, int] | None = None) -> SampleWeb:
    return SampleWeb(build_world(seed=seed, day=day, scale=scale))


def parse_scale(text: str | None) -> tuple[int, int] | None:
    """``"50:100"`` -> (50, 100): sites x reports per site."""
    if not text:
        return None
    try:
        sites, reports = (int(x) for x in text.split(":"))
    except ValueError:
        raise ValueError(f"--scale takes SITES:REPORTS, e.g. 50:100, not {text!r}") from None
    if sites < 1 or reports < 1:
        raise ValueError("--scale needs at least one site and one report per site")
    return sites, reports


def write_site_files(web: SampleWeb, out: Path) -> int:
    """Write every URL of the manifest as a file ``out/HOST/PATH`` (queries folded into the name),
    plus ``manifest.jsonl``, ``sites.jsonl`` and ``sites.csv``; returns the number of files written."""
    count = 0
    for row in page_rows(web.world):
        response = web.respond("GET", row["url"])
        parts = urlsplit(row["url"])
        path = parts.path
        if path.endswith("/"):
            path += "index.html"
        if parts.query:
            path += "?" + quote(parts.query, safe="=&")
        target = out / parts.hostname / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(response.body)
        count += 1
    write_jsonl(web.world, out / "manifest.jsonl")
    (out / "sites.csv").write_text(registry_csv(web.world), encoding="utf-8")
    return count
