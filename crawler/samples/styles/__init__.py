"""One module per CMS family the sample sites imitate; each lays out a site's URLs and list pages.

A style module defines ``LAYOUT`` (an ``ArticleLayout``: content container and metadata block),
``column_path(site)`` (where the report column starts), ``article_path(site, posting)`` and
``routes(site, postings)``: a mapping from path to a function of the query string that
returns a ``Resource`` — list pages, and for some families the JSON/XML endpoints that
serve the later pages.
"""

from . import generic, gkmlpt, hanweb, jsapi, trs, ucap

STYLES = {"trs": trs, "hanweb": hanweb, "jsapi": jsapi, "generic": generic, "gkmlpt": gkmlpt, "ucap": ucap}
