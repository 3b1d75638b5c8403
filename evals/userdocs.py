"""The user-document suite: questions over documents nobody on the project wrote.

Users put their own files into Vigilance: a French UN report, English statutes. This
suite measures that, on the 2021 background paper (French, ``../shared/reference/``) and
five real legal texts (English, ``../shared/real-texts/``), each corpus indexed in a store
of its own and both together, with no sidecar or catalogue (as a new user would).

Questions live in ``evals/userdocs.jsonl``; a gold entry names a file, the
locator of the passage that holds the answer and a short phrase of that passage (in the
document's language). Relevance is the phrase found in a passage of that file, and
``problems`` checks that the phrase sits under the stated locator.

The suite is split once, by a hash of the question id, into a dev half (used to tune)
and a test half (reported). ``split_of`` never changes: moving a question between halves
would leak what was tuned into what is reported.

``python -m evals.userdocs check [FILE ...]`` validates the gold; ``python -m evals.userdocs
passages`` prints every passage with its locator, for whoever writes questions.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.metrics import Gold, normalise
from evals.questions import Question, read_jsonl

EVALS_DIR = Path(__file__).resolve().parent
QUESTIONS = EVALS_DIR / "userdocs.jsonl"
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")


def shared_dir() -> Path:
    """``../shared`` next to the repository (``$VIGILANCE_SHARED`` overrides it)."""
    if os.environ.get("VIGILANCE_SHARED"):
        return Path(os.environ["VIGILANCE_SHARED"]).expanduser()
    return EVALS_DIR.parent.parent / "shared"


PAPER = ("reference", "background-paper-2021-procurement-fr.md")
LEGAL = (
    ("real-texts", "untoc-2000.md"),
    ("real-texts", "palermo-protocol-2000.md"),
    ("real-texts", "us-far-52.222-50.txt"),
    ("real-texts", "us-far-22.1703-policy.txt"),
    ("real-texts", "ca-fighting-forced-labour-child-labour-supply-chains-act-2023.txt"),
)
CORPORA: dict[str, tuple[tuple[str, str], ...]] = {"paper": (PAPER,), "legal": LEGAL}
CORPUS_LANGUAGE = {"paper": "fr", "legal": "en"}
FILE_CORPUS = {name: corpus for corpus, files in CORPORA.items() for _, name in files}


def corpus_files(corpus: str, root: Path | None = None) -> list[Path]:
    """The files of one corpus (``paper``, ``legal``) or of both (``all``)."""
    root = root or shared_dir()
    names = CORPORA[corpus] if corpus in CORPORA else tuple(f for c in CORPORA.values() for f in c)
    return [root / folder / name for folder, name in names]


def available(root: Path | None = None) -> bool:
    return all(p.is_file() for p in corpus_files("all", root))


@dataclass(frozen=True)
class GoldPassage:
    file: str  # file name, as the user's folder holds it
    locator: str  # where the answer is: "para. 29", "art. 9(5)", "s. 11(1)"
    phrase: str  # a few words of that passage, in the document's language


@dataclass(frozen=True)
class UserQuestion:
    id: str
    question: str
    language: str
    corpus: str  # paper | legal: the corpus that answers it (unanswerable: "none")
    answerable: bool
    gold: tuple[GoldPassage, ...]
    expect: str
    category: str

    @property
    def cross_lingual(self) -> bool:
        """Asked in another language than every document that answers it."""
        if not self.answerable:
            return False
        return all(CORPUS_LANGUAGE[FILE_CORPUS[g.file]] != self.language for g in self.gold)

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(question_id: str) -> str:
    """``dev`` or ``test``, from a hash of the id: fixed once, never tuned."""
    return "dev" if hashlib.sha256(question_id.encode()).digest()[0] % 2 == 0 else "test"


def parse(row: dict) -> UserQuestion:
    for key in ("id", "question", "language", "corpus", "answerable", "gold"):
        if key not in row:
            raise ValueError(f"{row.get('id', '?')}: missing {key}")
    if row["language"] not in LANGUAGES:
        raise ValueError(f"{row['id']}: unknown language {row['language']!r}")
    gold = tuple(GoldPassage(g["file"], g["locator"], g["phrase"]) for g in row["gold"])
    if bool(row["answerable"]) != bool(gold):
        raise ValueError(f"{row['id']}: answerable questions need gold, unanswerable ones none")
    for g in gold:
        if g.file not in FILE_CORPUS:
            raise ValueError(f"{row['id']}: unknown file {g.file!r}")
    corpus = row["corpus"]
    if row["answerable"] and corpus not in CORPORA:
        raise ValueError(f"{row['id']}: corpus must be one of {sorted(CORPORA)}")
    return UserQuestion(
        id=str(row["id"]),
        question=str(row["question"]),
        language=row["language"],
        corpus=corpus if row["answerable"] else "none",
        answerable=bool(row["answerable"]),
        gold=gold,
        expect=str(row.get("expect", "")),
        category=str(row.get("category", "")),
    )


def load(path: Path = QUESTIONS) -> list[UserQuestion]:
    """Every question of the suite, in order; duplicate ids are an error."""
    return read_jsonl(path, parse)


@dataclass(frozen=True)
class FilePassage:
    file: str
    locator: str
    text: str


def file_passages(root: Path | None = None) -> dict[str, list[FilePassage]]:
    """Every passage of every suite file, as the indexer cuts it (no model, no store)."""
    from indexer.pipeline import prepare, sha256_file
    from indexer.settings import Settings

    settings = Settings()
    out: dict[str, list[FilePassage]] = {}
    for path in corpus_files("all", root):
        prep = prepare(path, sha256_file(path), settings)
        out[path.name] = [FilePassage(path.name, p.locator, p.text) for p in prep.passages]
    return out


def same_locator(found: str, gold: str) -> bool:
    """``para. 29 (a)`` is under ``para. 29``; a footnote is not under its paragraph."""
    return found == gold or (found.startswith(gold + " (") and "fn." not in found[len(gold) :])


def problems(
    questions: Sequence[UserQuestion], passages: dict[str, list[FilePassage]]
) -> list[str]:
    """Gold that does not match the documents: a phrase missing from its file, or found
    only under other locators than the one stated."""
    out = []
    for q in questions:
        for g in q.gold:
            hits = [p for p in passages.get(g.file, []) if normalise(g.phrase) in normalise(p.text)]
            if not hits:
                out.append(f"{q.id}: phrase {g.phrase!r} not in {g.file}")
            elif not any(same_locator(p.locator, g.locator) for p in hits):
                found = sorted({p.locator for p in hits})
                out.append(f"{q.id}: phrase {g.phrase!r} is under {found}, not {g.locator!r}")
    return out


STORES = ("paper", "legal", "all")


def store_settings(base: Any, corpus: str) -> Any:
    """The settings of the evaluation store holding one corpus (or ``all``)."""
    return base.with_store(base.home / "eval-userdocs" / corpus)


def build_store(base: Any, corpus: str, embedder: Any, log: Any = print) -> dict[str, str]:
    """Index a corpus into its own store (incrementally); file name -> doc id."""
    from indexer.pipeline import index_paths
    from indexer.servermanifest import open_manifest

    settings = store_settings(base, corpus)
    summary = index_paths(corpus_files(corpus), settings, embedder=embedder)
    log(f"user documents, store {corpus!r}: {summary.line()}")
    for problem in summary.problems:
        log(f"  {problem}")
    manifest = open_manifest(settings)
    return {Path(e.doc["source_path"]).name: doc_id for doc_id, e in manifest.entries.items()}


def as_question(q: UserQuestion, file_to_doc: dict[str, str]) -> Question:
    """A suite question in the form the evaluation scores, gold limited to the store's files."""
    gold = tuple(Gold(file_to_doc[g.file], g.phrase) for g in q.gold if g.file in file_to_doc)
    langs = {CORPUS_LANGUAGE[FILE_CORPUS[g.file]] for g in q.gold if g.file in file_to_doc}
    return Question(
        id=q.id,
        question=q.question,
        language=q.language,
        answerable=q.answerable,
        cross_lingual=bool(langs) and q.language not in langs,
        gold=gold,
        expect=q.expect,
        category=q.category,
    )


def store_questions(questions: Sequence[UserQuestion], corpus: str) -> list[UserQuestion]:
    """The questions asked of a store: its corpus' answerable ones and every unanswerable one."""
    return [q for q in questions if not q.answerable or corpus in ("all", q.corpus)]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not available():
        print(f"the suite's documents are not under {shared_dir()}", file=sys.stderr)
        return 2
    passages = file_passages()
    if args[:1] == ["passages"]:
        for name, rows in passages.items():
            print(f"#### {name}")
            for p in rows:
                print(f"[{p.locator}] {p.text}\n")
        return 0
    files = [Path(a) for a in args[1:]] if args[:1] == ["check"] and args[1:] else [QUESTIONS]
    questions = [q for f in files for q in load(f)]
    found = problems(questions, passages)
    for line in found:
        print(line)
    answerable = [q for q in questions if q.answerable]
    cross = sum(q.cross_lingual for q in questions)
    print(
        f"{len(questions)} questions: {len(answerable)} answerable, "
        f"{len(questions) - len(answerable)} unanswerable, {cross} cross-lingual; "
        f"dev {sum(q.split == 'dev' for q in questions)}, test {sum(q.split == 'test' for q in questions)}; "
        f"{len(found)} problem(s)"
    )
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
