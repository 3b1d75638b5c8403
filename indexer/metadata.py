"""Document metadata: what the file says, overridden by what the user wrote down about it.

Layers, lowest priority first:

1. inferred: the parser's title (or the file name), the detected language;
2. ``catalogue.yaml`` in the file's folder: ``{file name: {...}}`` or ``[{file: ..., ...}]``;
3. Markdown front matter;
4. a sidecar next to the file, ``report.pdf.yaml`` (or ``.yml``).

The result uses the field names of ``indexer.models.Document``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from indexer.errors import DocumentError
from indexer.events import encode, parse_events, state_on
from indexer.language import detect_document
from indexer.models import DOC_TYPES, binding_value


def load_yaml(text: str) -> Any:
    """YAML read with the safe loader, in C when PyYAML has it (the glossary loads in 16 ms
    instead of 230: every question process reads it at start-up)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


_TYPE_SYNONYMS = {
    "law": "legislation", "act": "legislation", "statute": "legislation", "directive": "legislation",
    "convention": "treaty", "protocol": "treaty", "decree": "regulation", "rule": "regulation",
    "guideline": "guidance", "guidelines": "guidance", "guide": "guidance", "tool": "toolkit",
    "study": "report", "paper": "report", "background paper": "report",
}  # fmt: skip
_KEY_ALIASES = {"id": "doc_id", "lang": "language", "adopted": "date", "tags": "topics"}


def detect_language(text: str) -> str:
    """The language of a document's text, or ``"und"`` when there is too little text or
    the identifier is unsure (``indexer.language.detect_document``)."""
    return detect_document(text)


# "This Act may be cited as the X." names a statute in its own words (UK, Canada, Australia...).
_CITED_AS = re.compile(
    r"\b(?:may be cited as|peut être citée? sous le titre|podrá citarse como|se citará como)\s+"
    r"(?:the\s+|l[ae]\s+|l'|el\s+)?[«\"“]?\s*(?P<title>[^.«»\"”\n]{5,160}?)\s*[»\"”]?\s*\.",
    re.IGNORECASE,
)


def cited_as(text: str) -> str:
    """The short title a statute gives itself ("This Act may be cited as the X."), if any."""
    m = _CITED_AS.search(text)
    return m.group("title").strip() if m else ""


def prettify_stem(path: Path) -> str:
    """``palermo-protocol-2000.pdf`` -> ``Palermo protocol 2000``: a readable last-resort title."""
    raw = os.fsencode(Path(path).stem)
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:  # a name from an older system: most likely Windows-1252
        name = raw.decode("cp1252", errors="replace")
    stem = re.sub(r"[_\s]+|-(?!\d)|(?<!\d)-", " ", name).strip()
    stem = re.sub(r"\s+", " ", stem)
    return stem[:1].upper() + stem[1:]


def _load_yaml(path: Path, what: str) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise DocumentError(path, f"invalid YAML in {what}: {' '.join(str(exc).split())}") from exc
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"{what} is not UTF-8 text") from exc


@lru_cache(maxsize=32)
def _catalogue(path_str: str, mtime_ns: int) -> dict[str, dict[str, Any]]:
    """File name -> entry, from a catalogue.yaml (cached while the file is unchanged)."""
    path = Path(path_str)
    data = _load_yaml(path, "catalogue") or {}
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        data = data["documents"]
    entries: dict[str, dict[str, Any]] = {}
    if isinstance(data, list):
        for entry in data:
            if isinstance(entry, dict) and entry.get("file"):
                entries[str(entry["file"])] = entry
    elif isinstance(data, dict):
        entries = {str(name): entry for name, entry in data.items() if isinstance(entry, dict)}
    else:
        raise DocumentError(
            path, "catalogue must map file names to fields, or list entries with 'file:'"
        )
    return entries


def catalogue_entry(path: Path) -> dict[str, Any]:
    """This file's entry in ``catalogue.yaml`` (or ``catalogue.yml``) of its folder, if any."""
    for name in ("catalogue.yaml", "catalogue.yml"):
        catalogue = path.parent / name
        if catalogue.is_file():
            entries = _catalogue(str(catalogue), catalogue.stat().st_mtime_ns)
            if path.name in entries:
                return dict(entries[path.name])
            folded = {k.casefold(): v for k, v in entries.items()}
            return dict(folded.get(path.name.casefold(), {}))
    return {}


def sidecar(path: Path) -> dict[str, Any]:
    """Fields from ``<file>.yaml`` / ``<file>.yml`` next to the file; DocumentError naming it if invalid."""
    for suffix in (".yaml", ".yml"):
        side = path.with_name(path.name + suffix)
        if side.is_file():
            data = _load_yaml(side, "sidecar")
            if data is None:
                return {}
            if not isinstance(data, dict):
                raise DocumentError(side, "sidecar must hold 'key: value' fields")
            return data
    return {}


SCALAR_FIELDS = (
    "doc_id", "title", "short_title", "symbol", "type", "jurisdiction", "date", "year",
    "binding", "language", "url", "record",
)  # fmt: skip
_JURISDICTION = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,3})?$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_BINDING_WORDS = {"unknown", "?", "unclear"}


def _problem(key: str, value: Any) -> str:
    """Why a user-written field value cannot be used, or "" when it can."""
    if key == "jurisdiction" and value is not False and not _JURISDICTION.match(str(value).strip()):
        return "is not a country or organisation code (e.g. FR, GB, EU, UN)"
    plain = not isinstance(value, (dt.date, dt.datetime))
    if key == "date" and plain and not _DATE.match(str(value).strip()):
        return "is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if key == "year" and not (
        str(value).strip().isdigit() and 1000 <= int(str(value).strip()) <= 2999
    ):
        return "is not a year"
    vague = str(value).strip().casefold() in _BINDING_WORDS
    if key == "binding" and binding_value(value) == "unknown" and not vague:
        return "is not yes, no or unknown"
    if key == "type" and _doc_type(value) == "other" and str(value).strip().casefold() != "other":
        return f"is not a known type ({', '.join(sorted(DOC_TYPES))})"
    if key == "language" and value is not False and not _LANGUAGE.match(str(value).strip()):
        return "is not a language code (e.g. en, fr, es)"
    if key == "url" and not re.match(r"^https?://\S+$", str(value).strip(), re.IGNORECASE):
        return "is not an http(s) address"
    return ""


def checked_layer(layer: dict[str, Any], where: Path, warnings: list[str] | None) -> dict[str, Any]:
    """A user-written layer with unusable values left out, each reported in ``warnings``
    ("report.pdf.yaml: binding 'maybe' is not yes, no or unknown; ignored").

    A list or a mapping given for a single-valued field (``id: [x]``) is refused: the
    file is not indexed until the metadata is fixed (DocumentError naming the field).
    """
    out: dict[str, Any] = {}
    for key, value in _canonical(layer).items():
        if value is None or value == "":
            continue
        if key in SCALAR_FIELDS and isinstance(value, (list, dict, set, tuple)):
            kind = "list" if not isinstance(value, dict) else "mapping"
            raise DocumentError(where, f"field '{key}' must be a single value, not a {kind}")
        if key in SCALAR_FIELDS and (why := _problem(key, value)):
            if warnings is not None:
                warnings.append(f"{where.name}: {key} {str(value)[:60]!r} {why}; ignored")
            continue
        out[key] = value
    return out


def _canonical(layer: dict[str, Any]) -> dict[str, Any]:
    """One layer's fields under Document names (``id`` -> ``doc_id``, ``adopted`` -> ``date``)."""
    out: dict[str, Any] = {}
    for key, value in layer.items():
        name = _KEY_ALIASES.get(str(key), str(key))
        if name == "date" and "date" in layer and key != "date":
            continue  # an explicit date beats "adopted"
        out[name] = value
    return out


def _as_list(value: Any) -> list[str]:
    """Aliases or topics as a flat list: a string, a list, or a per-language dict of lists."""
    if value is None:
        return []
    if isinstance(value, dict):
        items: list[str] = []
        for sub in value.values():
            items.extend(_as_list(sub))
        return items
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _date(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip() if value is not None else ""


def _doc_type(value: Any) -> str:
    text = str(value or "").strip().casefold()
    if text in DOC_TYPES:
        return text
    return _TYPE_SYNONYMS.get(text, "other")


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    """Merged raw fields coerced to Document's types."""
    out: dict[str, Any] = {}
    for key in ("title", "short_title", "symbol", "jurisdiction", "url", "language"):
        value = fields.get(key)
        if value is False and key in {"jurisdiction", "language"}:
            value = "NO" if key == "jurisdiction" else "no"  # YAML 1.1 reads NO (Norway) as false
        if value is not None:
            out[key] = str(value).strip()
    out["type"] = _doc_type(fields.get("type"))
    out["date"] = _date(fields.get("date"))
    year = fields.get("year")
    if year in (None, "") and (match := re.match(r"^(\d{4})", out["date"])):
        year = match.group(1)
    out["year"] = int(year) if str(year or "").strip().isdigit() else None
    out["binding"] = binding_value(fields.get("binding"))
    status = fields.get("status")
    out["status"] = str((status.get("value") if isinstance(status, dict) else status) or "").strip()
    if isinstance(status, dict) and status.get("as_of"):
        out["checked"] = str(status["as_of"]).strip()
    events, _ = parse_events(fields.get("events"))  # the schema test reports bad entries
    if events:
        out["events"] = encode(events)
        # The status on the day of indexing follows from the events.
        out["status"] = state_on(events, dt.date.today(), out["binding"] == "yes").label
    out["aliases"] = list(dict.fromkeys(_as_list(fields.get("aliases"))))
    out["topics"] = list(dict.fromkeys(_as_list(fields.get("topics"))))
    # A measure's examples and a guiding question's instruments: linked like related ones.
    linked = [
        *_as_list(fields.get("related")),
        *_as_list(fields.get("examples")),
        *_as_list(fields.get("instruments")),
    ]
    if related := list(dict.fromkeys(linked)):
        out["related"] = related
    notes = fields.get("unverified")
    if notes := [notes] if isinstance(notes, str) else _as_list(notes):
        out["unverified"] = notes  # a note is a sentence: commas do not split it
    if fields.get("doc_id") not in (None, ""):
        out["doc_id"] = str(fields["doc_id"]).strip()
    if fields.get("record"):
        out["record"] = str(fields["record"]).strip()  # kind of a bundled Working Group record
    return out


def _text_of(parsed: Any, limit: int = 3000) -> str:
    """The first ``limit`` characters of a parsed file's body text (footnotes left out)."""
    parts: list[str] = []
    total = 0
    for block in getattr(parsed, "blocks", None) or []:
        if block.kind != "footnote" and total < limit:
            parts.append(block.text)
            total += len(block.text) + 1
    return " ".join(parts)


def user_layers(path: Path, front: dict[str, Any]) -> list[tuple[Path, dict[str, Any]]]:
    """The layers a user wrote, lowest priority first, each with the file it comes from."""
    layers = [(path.parent / "catalogue.yaml", catalogue_entry(path)), (path, front)]
    side = next(
        (
            path.with_name(path.name + x)
            for x in (".yaml", ".yml")
            if path.with_name(path.name + x).is_file()
        ),
        path.with_name(path.name + ".yaml"),
    )
    layers.append((side, sidecar(path)))
    return [(name, layer) for name, layer in layers if layer]


# A UN document symbol: "CTOC/COP/WG.4/2021/2", "A/RES/55/25", "E/CN.15/2021/L.2/Rev.1".
_SYMBOL = re.compile(
    r"^[A-Z]{1,8}(?:\.\d{1,3})?"
    r"(?:/(?:[A-Z]{1,8}(?:\.\d{1,3})?|\d{1,4}|(?:Rev|Add|Corr|Amend)\.\d{1,3})){2,8}(?=\s|$)"
)


def document_symbol(blocks: list[Any]) -> str:
    """The symbol a UN document carries on its first page (a block that opens with it), or ""."""
    for block in blocks[:15]:
        m = _SYMBOL.match(block.text.strip())
        if m and any(ch.isdigit() for ch in m.group(0)):
            return m.group(0)
    return ""


def load_metadata(
    path: str | Path, parsed_meta: Any, text: str | None = None, warnings: list[str] | None = None
) -> dict[str, Any]:
    """Document fields for one file: inferred < catalogue.yaml < front matter < sidecar.

    ``parsed_meta`` is ``ParsedFile.meta`` (or the ``ParsedFile`` itself, whose block
    text then feeds language detection). ``text``, when given, is what the language
    is detected on. Empty values in a higher layer never erase a lower one. Always
    returns ``title``, ``language`` (``"und"`` when unknown), ``type``, ``binding``,
    ``date``, ``year``, ``status``, ``aliases`` and ``topics``; ``doc_id`` only when
    a layer gives an ``id``. Raises DocumentError naming a sidecar or catalogue
    whose YAML is invalid or that gives a list for a single-valued field; values of the
    wrong kind are left out and reported in ``warnings``.
    """
    path = Path(path)
    meta = dict(getattr(parsed_meta, "meta", parsed_meta) or {})
    sample = text if text is not None else _text_of(parsed_meta)
    language = detect_language(sample) if sample else "und"
    if language == "und" and meta.get("language"):
        language = str(meta["language"])  # declared by the file (html lang, PDF /Lang, docx)
    inferred = {"title": meta.get("title") or prettify_stem(path), "language": language}
    if short := cited_as(sample):
        inferred["short_title"] = short
    if symbol := document_symbol(getattr(parsed_meta, "blocks", None) or []):
        inferred["symbol"] = symbol
    front = meta.get("front_matter") or {}
    merged: dict[str, Any] = {}
    layers = [(inferred, None)]
    for name, found in user_layers(path, front if isinstance(front, dict) else {}):
        layers.append((checked_layer(found, name, warnings), name))
    for layer, _ in layers:
        fields = {
            k: v for k, v in _canonical(layer).items() if v is not None and v not in ("", [], {})
        }
        if "date" in fields and "year" not in fields:
            merged.pop("year", None)  # the year follows the date that overrides it
        merged.update(fields)
    return _normalise(merged)
