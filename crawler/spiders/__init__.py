"""The spiders of the Scrapy project: one, ``reports``, for every site."""
