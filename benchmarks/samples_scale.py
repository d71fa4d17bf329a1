"""How long the scale mode of the sample web takes to generate (target: 1,000 sites in under a minute).

Prints, for each size, the time to decide the world, to write its manifest rows, and to
render a sample of pages, so the cost of a benchmark's setup is known.
    python benchmarks/samples_scale.py [--sizes 50:100,1000:10]
"""

from __future__ import annotations

import argparse
import random
import time

from crawler import samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50:100,1000:10")
    args = parser.parse_args()
    for size in args.sizes.split(","):
        scale = samples.parse_scale(size)
        t0 = time.perf_counter()
        world = samples.build_world(scale=scale)
        t1 = time.perf_counter()
        rows = samples.page_rows(world)
        t2 = time.perf_counter()
        web = samples.SampleWeb(world)
        articles = [r["url"] for r in rows if r["kind"] in ("report", "other")]
        sample = random.Random(0).sample(articles, min(500, len(articles)))
        for url in sample:
            web.respond("GET", url)
        t3 = time.perf_counter()
        per_page = (t3 - t2) / len(sample)
        print(
            f"scale {size}: {len(world.sites)} sites, {len(articles)} articles, {len(rows)} URLs | "
            f"build {t1 - t0:.2f}s, manifest {t2 - t1:.2f}s, "
            f"render {per_page * 1000:.2f} ms/page (all pages ~{per_page * len(articles):.0f}s) | "
            f"generate total {t2 - t0:.2f}s (target < 60s for 1000 sites)"
        )


if __name__ == "__main__":
    main()
