"""The benchmark's corpora: a folder of card variants, and larger stores made of perturbed copies."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from evals.bench.common import NOISE_SIGMA
from indexer.errors import DocumentError
from indexer.manifest import Entry, Manifest
from indexer.models import passage_id
from indexer.pipeline import (
    discover,
    prepare,
    sentence_units,
    sha256_file,
)
from indexer.settings import BUNDLED_CORPUS, Settings
from indexer.store import PAGE, Store

FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
POINT = re.compile(r"^\d+[.)]\s")


def shuffle_points(body: str, rng: random.Random) -> str:
    """The body with its numbered points in another order and, if there are 4+, one dropped.

    Headings and text outside the points stay in place, so the structure still parses.
    """
    segments: list[list[str]] = [[]]
    for line in body.splitlines(keepends=True):
        if POINT.match(line) or line.startswith("#"):
            segments.append([])
        segments[-1].append(line)
    slots = [i for i, seg in enumerate(segments) if seg and POINT.match(seg[0])]
    points = ["".join(segments[i]).rstrip("\n") + "\n\n" for i in slots]
    rng.shuffle(points)
    if len(points) >= 4:
        points[rng.randrange(len(points))] = ""
    out = ["".join(seg) for seg in segments]
    for i, text in zip(slots, points, strict=True):
        out[i] = text
    return "".join(out)


def variant_card(text: str, k: int) -> str:
    """A card rewritten as variant ``k``: id and titles suffixed, aliases dropped, points shuffled.

    Dropping aliases and the symbol keeps a question that names the original instrument
    from also naming its variants (as distinct instruments in a real store would not).
    """
    m = FRONT.match(text)
    meta = (yaml.safe_load(m.group(1)) or {}) if m else {}
    body = m.group(2) if m else text
    if meta.get("id"):
        meta["id"] = f"{meta['id']}-v{k}"
    for key in ("title", "short_title"):
        if meta.get(key):
            meta[key] = f"{meta[key]} (variant {k})"
    meta.pop("aliases", None)
    meta.pop("symbol", None)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{shuffle_points(body, random.Random(k))}"


def build_folder(folder: Path, target: int, settings: Settings) -> dict[str, int]:
    """Fill ``folder`` with cards until chunking them gives at least ``target`` passages.

    Round 0 copies the bundled cards as they are; later rounds add rewritten variants.
    """
    cards, _ = discover([BUNDLED_CORPUS])
    total = files = 0
    for k in range(1000):
        added = 0
        for card in cards:
            if total >= target:
                return {"files": files, "passages": total, "variant_rounds": k}
            rel = card.relative_to(BUNDLED_CORPUS.resolve())
            dest = folder / f"round-{k}" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = card.read_text(encoding="utf-8")
            dest.write_text(text if k == 0 else variant_card(text, k), encoding="utf-8")
            try:
                n = len(prepare(dest, sha256_file(dest), settings).passages)
            except DocumentError:
                dest.unlink()  # a variant the parser refuses: leave it out
                continue
            total, files, added = total + n, files + 1, added + n
        if not added:
            break
    return {"files": files, "passages": total, "variant_rounds": k}


def pipeline_texts(folder: Path, settings: Settings) -> tuple[list[str], list[str]]:
    """The passage and sentence strings ``index_paths`` gives the embedder for ``folder``."""
    files, _ = discover([folder])
    passages: list[str] = []
    sentences: list[str] = []
    for path in files:
        prep = prepare(path, sha256_file(path), settings)
        passages += [p.embed_text(prep.doc) for p in prep.passages]
        sentences += [
            f"{prep.doc.label}: {s}" for _, _, s in sentence_units(prep.passages, prep.doc)
        ]
    return passages, sentences


# -- the larger stores ---------------------------------------------------------------------


def perturb(
    vectors: np.ndarray, rng: np.random.Generator, sigma: float = NOISE_SIGMA
) -> np.ndarray:
    """Unit vectors near the given ones: Gaussian noise added, then L2-normalised again."""
    noisy = vectors + rng.normal(0.0, sigma, vectors.shape).astype(np.float32)
    return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def variant_meta(meta: dict[str, Any], k: int) -> dict[str, Any]:
    """Passage (or manifest) fields of copy ``k``: its own doc id and titles, no shared names."""
    out = dict(meta)
    out["doc_id"] = f"{meta['doc_id']}~v{k}"
    for key in ("title", "short_title"):
        if meta.get(key):
            out[key] = f"{meta[key]} (variant {k})"
    out["symbol"] = ""
    out["aliases"] = [] if isinstance(meta.get("aliases"), list) else ""
    return out


def read_sentences(store: Store) -> tuple[list[str], list[str], list[dict[str, Any]], np.ndarray]:
    """Every stored sentence row: ids, texts, metadata and vectors."""
    ids: list[str] = []
    docs: list[str] = []
    metas: list[dict[str, Any]] = []
    vecs: list[np.ndarray] = []
    offset = 0
    while True:
        got = store.sentences.get(
            include=["documents", "metadatas", "embeddings"], limit=PAGE, offset=offset
        )
        if not got["ids"]:
            break
        ids += got["ids"]
        docs += got["documents"]
        metas += [dict(m) for m in got["metadatas"]]
        vecs.append(np.asarray(got["embeddings"], dtype=np.float32))
        offset += len(got["ids"])
    dim = vecs[0].shape[1] if vecs else 0
    return ids, docs, metas, (np.vstack(vecs) if vecs else np.zeros((0, dim), np.float32))


def _upsert(col, ids: list[str], vecs: np.ndarray, docs: list[str], metas: list[dict]) -> None:
    for i in range(0, len(ids), PAGE):
        col.upsert(
            ids=ids[i : i + PAGE],
            embeddings=vecs[i : i + PAGE],
            documents=docs[i : i + PAGE],
            metadatas=metas[i : i + PAGE],
        )


def enlarge_store(
    src: Settings, dst: Settings, copies: int, embedder_id: str, seed: int = 0
) -> dict[str, int]:
    """Write into ``dst`` the ``src`` store ``copies`` times: copy 0 as is, the others as variants.

    A variant passage has its own doc id, the text ``"Variant k: …"``, a new passage id
    (as ``passage_id`` would compute it) and the original vector plus noise; its sentences
    follow it. The manifest lists every variant document, so ``Retriever`` loads them.
    """
    rng = np.random.default_rng(seed)
    source = Store(src, embedder_id, create=False)
    records = list(source.records(with_vectors=True))
    p_ids = [r.id for r, _ in records]
    p_docs = [r.text for r, _ in records]
    p_metas = [r.meta for r, _ in records]
    p_vecs = np.vstack([v for _, v in records]).astype(np.float32)
    s_ids, s_docs, s_metas, s_vecs = read_sentences(source)
    old = Manifest.load(src.manifest_path)

    target = Store(dst, embedder_id, rebuild=True)
    manifest = Manifest(dst.manifest_path, old.embedder or embedder_id)
    for k in range(copies):
        if k == 0:
            _upsert(target.passages, p_ids, p_vecs, p_docs, p_metas)
            _upsert(target.sentences, s_ids, s_vecs, s_docs, s_metas)
            manifest.entries.update(old.entries)
            continue
        new_pid: dict[str, str] = {}
        metas, docs, ids = [], [], []
        for pid, text, meta in zip(p_ids, p_docs, p_metas, strict=True):
            m = variant_meta(meta, k)
            t = f"Variant {k}: {text}"
            new_pid[pid] = passage_id(m["doc_id"], t, str(meta.get("locator", "")))
            ids.append(new_pid[pid])
            docs.append(t)
            metas.append(m)
        _upsert(target.passages, ids, perturb(p_vecs, rng), docs, metas)
        by_pid = dict(zip(ids, metas, strict=True))
        sids, smetas = [], []
        for meta in s_metas:
            pid = new_pid[meta["passage_id"]]
            sids.append(f"{pid}:{meta['n']}")
            smetas.append({**by_pid[pid], "passage_id": pid, "n": meta["n"]})
        _upsert(target.sentences, sids, perturb(s_vecs, rng), s_docs, smetas)
        for entry in old.entries.values():
            doc = variant_meta(entry.doc, k)
            doc["source_path"] = f"{entry.doc.get('source_path', '')}#variant-{k}"
            manifest.entries[doc["doc_id"]] = Entry(**{**vars(entry), "doc": doc})
    # The lexicon's word vectors and the probe floor travel with the store they describe.
    for lang in source.term_languages():
        got = source.terms(lang).get(include=["embeddings"])
        target.add_terms(lang, got["ids"], np.asarray(got["embeddings"], dtype=np.float32))
    if source.probes():
        target.save_probes(source.probes())
    manifest.save()
    return {"passages": target.count(), "sentences": target.sentences.count()}


# -- questions -----------------------------------------------------------------------------
