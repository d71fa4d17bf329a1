"""The Scrapy project of nianbao: settings, the registry-driven spider, platform adapters, middlewares.

``crawler.samples`` holds the offline sample web that every test, benchmark and the demo crawl.
"""
