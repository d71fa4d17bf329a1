"""A crawl shared by many workers over Redis: ``coordinator`` (the one archive writer), ``worker``
(the ``reports`` spider sharing one frontier), ``shared`` (their keys and shared state).

Design:

* **Frontier.** scrapy-redis holds the scheduler queue (a sorted set, so priorities keep
  working) and the dupefilter (a set of fingerprints), so every worker pops from the same
  queue and no URL is scheduled twice, whichever worker found it. We use scrapy-redis
  because it is the maintained Scrapy extension for exactly this; only the counting of
  queue activity (``SharedScheduler``) is ours.
* **One writer.** Workers never open the archive. After the pure pipeline stages they push
  the very item ``StoragePipeline`` would have received (pickled, as scrapy-redis pickles
  requests) to a Redis list; the coordinator feeds each one to ``StoragePipeline.process_item``,
  so whatever storage does per item — today's tables and tomorrow's — happens unchanged, in
  one SQLite writer. We chose a queue over per-worker shards merged later because the
  archive's decisions (new, sighting, changed, gone) depend on what it already holds: a
  queue applies them to the one true archive, in one place, while shards would have to
  replay them anyway.
* **Incremental state.** The coordinator publishes what a single crawl reads from the
  archive at start (known pages and kept files with their validators, sites finished
  before, the registry, the crawl's settings); workers read it from Redis, so they need no
  archive. A 304 for a file needs its kept bytes, so only a worker that can read ``files/``
  (``NIANBAO_FILES_DIR``) asks for files conditionally.
  What the spider gathers during a run and reads when the lists are done (URLs listed per
  site, sites whose lists were cut short, URLs requested, detected platforms, list pages
  requested per site) lives in Redis sets and hashes, shared by all workers.
* **Phases.** The first worker to take the seed lock yields the start requests. When the
  coordinator sees the frontier quiet (queue and item list empty, every worker idle, no
  queue activity for a few seconds) it asks for the *vanish check*: one idle worker (a
  lock) asks again for the known pages missing from completely read lists, exactly as the
  single-process spider does on its first idle. When the frontier is quiet again the
  coordinator says *done*; workers close and send their counts (requests and bytes per
  site), which the coordinator adds to the run.
* **Ending.** scrapy-redis' own idle settings (``SCHEDULER_IDLE_BEFORE_CLOSE``, a blocking pop
  its priority queue ignores; ``MAX_IDLE_TIME_BEFORE_CLOSE``, for its RedisSpider) cannot tell
  a queue that is empty for a moment from a finished crawl while another worker still parses
  a list that will add requests. The coordinator can: it sees every worker's state.
* **Politeness.** Scrapy's delay and per-domain concurrency hold per process, so N workers
  would ask one site N times as often. The workers' HTTP handler spaces the requests to each host
  across all workers: a request leaves only once its host's slot in Redis (``SET NX PX``,
  ``NIANBAO_HOST_INTERVAL`` seconds, default ``DOWNLOAD_DELAY``) is free, so N workers ask a
  site no more often than one process would, and at most ``NIANBAO_HOST_CONCURRENCY`` (default
  ``CONCURRENT_REQUESTS_PER_DOMAIN``) of them are in flight at once across the workers (a sorted
  set of leases per host). ``PacedDownloadHandler`` does it. What one process asks once per
  host is asked once by all: robots.txt (``robots.SharedRobotsTxtMiddleware``, one worker fetches
  it, all parse it) and the count of anti-bot challenges (``worker.SharedAntiBotGuard``); a
  site's search for its report column is one search whichever worker answers its requests
  (``discovery.SharedDiscovery``).
* **Liveness.** Each worker refreshes a key with a short expiry saying busy or idle; a worker
  whose coordinator has been gone for ``NIANBAO_REDIS_ORPHAN_S`` seconds gives up. A worker
  killed mid-crawl loses the requests it had popped (scrapy-redis pops without an ack);
  they are found again on the next crawl, because their list pages are read every night.
"""
