"""The API's requests and records as pydantic classes, so ``/openapi.json`` and ``/docs``
describe every field.

Requests are validated here (an unknown field, a ``k`` out of range or ``year_from`` after
``year_to`` is a 400). Responses are the records the command line prints with ``--json``
(``assistant.records``); the classes below only document them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.answer import Answer
from assistant.table import Filters, make_filters
from indexer.models import DOC_TYPES, Document, Hit

Words = Annotated[list[str] | str | None, Field(description="One value or a list of values.")]
EXAMPLE = "Must we exclude a bidder convicted of forced labour?"


def _words(value: list[str] | str | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


class SearchFilters(BaseModel):
    """The filters of ``vigilance search`` and ``vigilance ask``; empty ones are no filter.
    A filter that matches no passage is refused (400), never ignored."""

    model_config = ConfigDict(extra="forbid")

    type: Words = Field(None, description=f"Document types: {', '.join(DOC_TYPES)}.")
    jurisdiction: Words = Field(None, description="ISO codes (GB, FR) or organisations (UN).")
    year_from: int | None = Field(None, description="Only documents from this year on.")
    year_to: int | None = Field(None, description="Only documents up to this year.")
    binding: bool | None = Field(
        None, description="true: only binding instruments; false: only non-binding ones."
    )
    language: Words = Field(None, description="Passage languages: en, fr, es, ar, zh, ru...")
    doc_id: Words = Field(None, description="Only these documents (doc_id from GET /documents).")

    @model_validator(mode="after")
    def _years_in_order(self) -> SearchFilters:
        start, end = self.year_from, self.year_to
        if start is not None and end is not None and start > end:
            raise ValueError(f"year_from {start} is after year_to {end}")
        return self

    def retrieval(self) -> Filters:
        """As the retriever takes them (what the CLI's flags become)."""
        return make_filters(
            _words(self.type),
            _words(self.jurisdiction),
            self.year_from,
            self.year_to,
            self.binding,
            _words(self.language),
            _words(self.doc_id),
        )


class AskRequest(BaseModel):
    """A question, as ``vigilance ask`` takes it."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        description="The question, in any language (at most VIGILANCE_MAX_QUESTION_CHARS, "
        "2,000 by default).",
        examples=[EXAMPLE],
    )
    filters: SearchFilters | None = Field(None, description="Narrow the documents searched.")
    as_of: str | None = Field(
        None,
        description="YYYY-MM-DD: the state of the instruments on this date (default today).",
        examples=["2024-01-01"],
    )


class SearchRequest(AskRequest):
    """A question, as ``vigilance search`` takes it."""

    k: int = Field(10, ge=1, le=50, description="Number of passages (1-50).")


class UploadForm(BaseModel):
    """Metadata for an uploaded file, as the app's Library form takes it; empty fields are
    left to the indexer (from the file itself)."""

    title: str = Field("", description="The document's title.")
    type: Literal[DOC_TYPES] | None = Field(None, description="The document type.")  # type: ignore[valid-type]
    jurisdiction: str = Field("", description="ISO code or organisation: GB, FR, EU, UN...")
    year: int | None = Field(None, ge=1000, le=2999, description="Year of adoption.")
    binding: Literal["yes", "no", "unknown"] | None = Field(None, description="Binding force.")
    language: str = Field("", description="Language code (en, fr...); default: detected.")
    url: str = Field("", description="Where the document is published (http or https).")


# -- the records returned (documentation only: the API returns what the CLI prints) ---------
@dataclass
class HitRecord(Hit):
    """A passage found, with its locator and its document's fields."""

    state: str = ""  # "not yet in force on DATE" when the instrument was not, on as_of


class SearchRecord(BaseModel):
    """What ``vigilance search --json`` prints."""

    as_of: str = Field(description="The date the states of the instruments are given for.")
    hits: list[HitRecord] = Field(description="The passages, best first.")
    notice: str | None = Field(None, description="Said about the search, when anything is.")


AnswerRecord = Answer  # what ``vigilance ask --json`` prints: every [n] has its citation


@dataclass
class DocumentRecord(Document):
    """A document in the knowledge base, as ``vigilance docs --json`` prints it."""

    passages: int = 0
    indexed_at: str = ""


class DocumentList(BaseModel):
    documents: list[DocumentRecord] = Field(description="The documents, by id.")


class UploadRecord(BaseModel):
    """The indexing of an uploaded file."""

    file: str = Field(description="The name the file is stored under.")
    document: DocumentRecord = Field(description="The document as it is now indexed.")
    summary: str = Field(description="The indexing run in one line.")
    indexed: int = Field(description="1 when the file was (re)indexed, else 0.")
    unchanged: int = Field(description="1 when the same file was already indexed, else 0.")
    passages: int = Field(description="Passages written.")
    warnings: list[str] = Field(description="Metadata or content that was ignored, and why.")


class RemovedRecord(BaseModel):
    removed: str = Field(description="The doc_id removed.")
    title: str = Field(description="Its title.")
    file_deleted: bool = Field(description="Whether its uploaded file was deleted too.")


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    passages: int = Field(description="Passages in the knowledge base.")


class ErrorRecord(BaseModel):
    """Every refusal: one line naming the problem (and the file, for an upload)."""

    error: str
