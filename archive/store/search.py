"""Chinese full-text search that finds every report containing a query of two or more characters.

SQLite's tokenizers fail Chinese: unicode61 makes a whole run of Han characters one token,
and trigram cannot match a two-character query. So we index *overlapping bigrams*:
"政府信息" is stored as the tokens "政府 府信 信息" (Latin letters and digits stay whole words),
and a query becomes the FTS5 phrase of its own bigrams, which matches exactly where the
bigrams stand side by side. A final ``instr()`` check against the stored text makes the
result set identical to a substring scan (a phrase of bigrams is a superset only across
line breaks and punctuation the tokenizer skips), while the index does the narrowing.

Between two runs of text (at punctuation, spaces, digits) the index holds a boundary token,
so a phrase cannot match across them: for a term that is one run of Han characters the index
alone is exact, and the ``instr()`` check — reading every matching 5,000-character text, the
cost of a search's row count under load — is left out. ``INDEX_FORMAT`` (``PRAGMA
user_version``) tells an archive indexed before this, which ``archive.store.schema`` re-indexes.

The index is the FTS5 table ``report_search`` (rowid = ``reports.id``), deliberately *not*
named ``reports_fts`` so Datasette does not auto-detect it and escape ``_search`` as one
phrase; the ``archive.serve.plugin`` hooks turn ``_search`` into this query instead.

A query is read as typed (``terms``), in one pass: white space of any kind (the full-width
space of a Chinese keyboard, a non-breaking space from a pasted page) separates terms; a pair
of double quotes (``"``, ``“ ”``, ``＂``) keeps a phrase whole; apostrophes, invisible
zero-width characters and an unmatched quote separate words like a space and are never part
of a term. A query is at most ``MAX_QUERY`` characters (``QueryTooLong`` otherwise), so every
function here does bounded work on it.
"""

from __future__ import annotations

import re

import sqlite_utils

TABLE = "report_search"
INDEX_FORMAT = 2  # 2: boundary tokens between runs
BOUNDARY = "\ue000"  # a private-use character: in no text, no query
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SEGMENT = re.compile(rf"[{_HAN}]+|[0-9A-Za-z]+")
_HAN_RUN = re.compile(rf"[{_HAN}]{{2,}}")
# A search query, in characters: terms a reader types, a title or a sentence pasted to find its
# report (a few dozen to ~150). The bound keeps a query's terms (at most 128) and bigrams few, so
# testing one text against it costs a bounded number of scans of the text.
MAX_QUERY = 256
_QUOTES = frozenset('"\u201c\u201d\uff02')  # " “ ” ＂: a pair keeps a phrase whole
# ' ‘ ’ ＇ ` and zero-width characters: separate words like a space (a pinyin keyboard's
# apostrophe, a paste's invisible joiners), so that no term holds one and finds nothing.
_SEPARATORS = frozenset("'\u2018\u2019\uff07`\u200b\u200c\u200d\u2060\ufeff")


class QueryTooLong(ValueError):
    """A search query longer than ``MAX_QUERY``: refused rather than searched."""


def bigram_text(text: str) -> str:
    """The text as index tokens: Han runs as overlapping bigrams, Latin/digit runs as lower-case words,
    a boundary token between runs."""
    tokens: list[str] = []
    for seg in _SEGMENT.findall(text or ""):
        if tokens:
            tokens.append(BOUNDARY)
        if seg[0].isascii():
            tokens.append(seg.lower())
        elif len(seg) == 1:
            tokens.append(seg)
        else:
            tokens.extend(map(str.__add__, seg[:-1], seg[1:]))
    return " ".join(tokens)


def exact(term: str) -> bool:
    """Whether the index alone finds exactly the texts holding ``term``: one run of 2+ Han characters."""
    return bool(_HAN_RUN.fullmatch(term))


def needs_check(query: str) -> bool:
    """Whether some term of the query must be checked against the text with ``instr()``."""
    return not all(exact(t) for t in terms(query))


def terms(query: str) -> list[str]:
    """The query's terms, each once, in order: white-space separated, quoted phrases kept whole
    (all must match). One pass over at most ``MAX_QUERY`` characters."""
    query = query.strip()
    if len(query) > MAX_QUERY:
        raise QueryTooLong(f"search query of {len(query)} characters; at most {MAX_QUERY}")
    quotes = [i for i, c in enumerate(query) if c in _QUOTES]
    unmatched = quotes[-1] if len(quotes) % 2 else -1  # the last quote of an odd count opens nothing
    found: dict[str, None] = {}
    word: list[str] = []
    in_phrase = False

    def end_word() -> None:
        term = " ".join("".join(word).split())  # a phrase's inner white space, as the texts hold it: one space
        if term:
            found.setdefault(term)
        word.clear()

    for i, c in enumerate(query):
        if c in _QUOTES and i != unmatched:
            in_phrase = not in_phrase  # like a shell: a quote opens or closes, it ends no word
        elif c.isspace() and in_phrase:
            word.append(" ")
        elif c.isspace() or c in _SEPARATORS or c in _QUOTES:
            end_word()
        else:
            word.append(c)
    end_word()
    return list(found)


def _phrase(term: str) -> str | None:
    """The FTS5 expression for one term, or None when it has nothing the index can narrow on."""
    # Latin letters and digits are whole-word tokens, so a query's "20" would miss the text's
    # "2019": they are left to the instr() check, and only Han runs of 2+ narrow the search.
    groups = [
        '"' + " ".join(seg[i : i + 2] for i in range(len(seg) - 1)) + '"'
        for seg in _SEGMENT.findall(term)
        if not seg[0].isascii() and len(seg) >= 2
    ]
    return " AND ".join(groups) if groups else None


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a whole query (all terms), or None if no term can use the index."""
    parts = [p for p in (_phrase(t) for t in terms(query)) if p]
    return " AND ".join(parts) if parts else None


def where_clause(query: str, table_alias: str = "reports") -> tuple[str, dict]:
    """A WHERE clause (and parameters) on ``reports`` that keeps exactly the reports containing every term."""
    params: dict[str, str] = {}
    if not terms(query):
        return "0", params  # a query of quotes or spaces only: nothing contains it
    clauses = []
    expression = match_expression(query)
    if expression:
        params["nb_match"] = expression
        # "+id": not a rowid lookup per match (one leaf page of the wide reports table each) but a scan of
        # whichever narrow index serves the query: report_year for the page's order and the count,
        # province/city/level/report_year for facets, all covering (they hold the rowid).
        clauses.append(f"+{table_alias}.id in (select rowid from {TABLE} where {TABLE} match :nb_match)")
    for i, term in enumerate(terms(query)):
        if expression and exact(term):
            continue  # the phrase of its bigrams is the substring test (see the module docstring)
        params[f"nb_term{i}"] = term
        clauses.append(f"(instr({table_alias}.title, :nb_term{i}) > 0 or instr({table_alias}.text, :nb_term{i}) > 0)")
    return " and ".join(clauses) or "1", params


def ensure(db: sqlite_utils.Database) -> None:
    # The tokens are already split by spaces; FTS5's ascii tokenizer keeps every non-ASCII
    # character inside a token, folds ASCII case, and is the cheapest to run.
    db.execute(f"create virtual table if not exists {TABLE} using fts5(title, text, tokenize='ascii')")


def index_report(db: sqlite_utils.Database, report_id: int, title: str | None, text: str | None) -> None:
    """(Re)index one report; call inside the transaction that writes it."""
    db.execute(f"delete from {TABLE} where rowid = ?", [report_id])
    db.execute(
        f"insert into {TABLE}(rowid, title, text) values (?, ?, ?)",
        [report_id, bigram_text(title or ""), bigram_text(text or "")],
    )


def rebuild(db: sqlite_utils.Database) -> int:
    """Index every report again (after an upgrade, or to repair); returns the count."""
    ensure(db)
    db.conn.create_function("nianbao_bigrams", 1, lambda t: bigram_text(t or ""), deterministic=True)
    db.execute("PRAGMA cache_size = -262144")  # 256 MiB while the index is written
    with db.conn:
        db.execute(f"delete from {TABLE}")
        db.execute(
            f"insert into {TABLE}(rowid, title, text) "
            "select id, nianbao_bigrams(title), nianbao_bigrams(text) from reports"
        )
        db.execute(f"insert into {TABLE}({TABLE}) values ('optimize')")
        db.execute(f"PRAGMA user_version = {INDEX_FORMAT}")
    return db.execute(f"select count(*) from {TABLE}").fetchone()[0]


def snippet(text: str | None, query: str, width: int = 40, mark: tuple[str, str] = ("【", "】")) -> str:
    """The first passage of the text that holds a query term, with every term marked."""
    text = text or ""
    found = [(text.find(t), t) for t in terms(query) if t and text.find(t) >= 0]
    if not found:
        return text[: 2 * width]
    start = max(0, min(i for i, _ in found) - width)
    passage = text[start : start + 3 * width]
    for t in sorted({t for _, t in found}, key=len, reverse=True):
        passage = passage.replace(t, f"{mark[0]}{t}{mark[1]}")
    return ("…" if start else "") + passage.replace("\n", " ") + ("…" if start + 3 * width < len(text) else "")


def search(db: sqlite_utils.Database, query: str, limit: int = 20) -> list[dict]:
    """Reports containing every term, best first (bm25 over the bigram index), with snippets."""
    where, params = where_clause(query, "r")
    expression = params.get("nb_match")
    if expression:
        sql = (
            f"select r.id, r.title, r.agency, r.report_year, r.text, bm25({TABLE}) as rank from {TABLE} "
            f"join reports r on r.id = {TABLE}.rowid where {TABLE} match :nb_match and {where} "
            f"order by rank limit :limit"
        )
    else:
        sql = (
            f"select r.id, r.title, r.agency, r.report_year, r.text, 0 as rank from reports r where {where} "
            f"order by r.report_year desc limit :limit"
        )
    rows = db.execute(sql, {**params, "limit": limit}).fetchall()
    return [
        {"id": r[0], "title": r[1], "agency": r[2], "report_year": r[3], "rank": r[5], "snippet": snippet(r[4], query)}
        for r in rows
    ]
