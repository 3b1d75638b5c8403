"""What a catalog holds, shared by the builder and the reader.

``catalog.sqlite``: the passages in reading order (row, id, document, language-version
key, language, metadata, text), the documents (first row, collection, card facts), the
BM25 vocabulary (term, language, column, idf), the names documents are called by (indexed by a
short key, ``name_keys``) and the codes of the filter columns. Beside it, numpy arrays opened
memory-mapped: the BM25 term-weight matrix (CSC: data, indices, indptr; a column per
language and term), one code per
row for each filter field, and each row's passage vector (``vectors.npy``, float16; absent
when the passages came without vectors).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

FORMAT = 5  # info.json "format": a catalog of another format is built again, never reused

# Filter fields kept as one integer code per row (values casefolded, doc ids as they are).
FIELDS = ("doc_id", "language", "type", "jurisdiction", "binding")

SCHEMA = """
CREATE TABLE staging (id TEXT, doc TEXT, seq INTEGER, meta TEXT, text TEXT, vec BLOB);
CREATE TABLE passages (
  row INTEGER PRIMARY KEY, id TEXT NOT NULL, doc TEXT NOT NULL, pkey TEXT,
  lang TEXT, meta TEXT NOT NULL, text TEXT NOT NULL);
CREATE UNIQUE INDEX passages_id ON passages (id);
CREATE INDEX passages_doc ON passages (doc, row);
CREATE INDEX passages_pkey ON passages (pkey) WHERE pkey IS NOT NULL;
CREATE TABLE docs (
  doc TEXT PRIMARY KEY, first_row INTEGER, collection TEXT, facts TEXT, sig TEXT);
CREATE INDEX docs_collection ON docs (collection);
CREATE TABLE terms (term TEXT, lang INTEGER, col INTEGER, idf REAL, PRIMARY KEY (term, lang))
  WITHOUT ROWID;
CREATE TABLE names (key TEXT, name TEXT, doc TEXT);
CREATE INDEX names_key ON names (key);
CREATE TABLE codes (field TEXT, value TEXT, code INTEGER);
"""

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile("[\u0600-\u06ff]")
KEY = 3  # characters of the key of a Russian, Arabic or Chinese name
LONG = 8  # characters of the key of a name in Latin letters
_SHORT = re.compile("[\u0400-\u04ff\u0600-\u06ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_current(folder: Path) -> bool:
    """Whether ``folder`` holds a complete catalog (its info.json is written last) of this
    format: one an older version of Vigilance built is built again, not opened."""
    info = folder / "info.json"
    try:
        return json.loads(info.read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError):
        return False


def parallel_key(meta: dict[str, Any]) -> str | None:
    """What the language versions of one paragraph share: a card point's document and
    point, or a UN document's symbol and locator (None when nothing links versions)."""
    locator = str(meta.get("locator", ""))
    if not locator or not meta.get("language"):
        return None
    if locator.startswith("point "):
        return f"doc\x1f{meta.get('doc_id')}\x1f{locator}"
    symbol = re.sub(r"\s+", "", str(meta.get("symbol", ""))).casefold()
    return f"symbol\x1f{symbol}\x1f{locator}" if symbol else None


def name_keys(name: str) -> set[str]:
    """The keys a folded name is found under. A name in Latin letters: its first eight
    characters (the whole name if shorter), since three ("the", "loi", "ley") would offer
    a question thousands of names in a large store. A Russian, Arabic or Chinese name: its
    first three (Russian words change their endings, Arabic ones take clitics, Chinese
    names stand anywhere), and for an Arabic name with the article the three after it
    (``للاتفاقية`` drops the alif)."""
    if not _SHORT.search(name):
        return {name[:LONG]}
    keys = {name[:KEY]}
    if _ARABIC.search(name) and name.startswith("ال"):
        keys.add(name[2 : 2 + KEY])
    return keys


def question_keys(text: str) -> set[str]:
    """The keys under which a name the (folded) question contains must be: from each word
    start, three characters and every length up to eight (a name in letters is keyed by
    its first eight, or all of it); from up to four characters into an Arabic word (its
    clitics); and from every Chinese character (Chinese names stand anywhere)."""
    out = set()
    for i, ch in enumerate(text):
        start = i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
        if start:
            out.update(text[i : i + n] for n in range(1, LONG + 1))
            if _ARABIC.match(ch):
                out.update(text[i + j : i + j + KEY] for j in range(1, 5))
        elif _HAN.match(ch):
            out.add(text[i : i + KEY])
    return out
