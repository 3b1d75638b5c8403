"""The assistant: question (and conversation) in, cited ``Answer`` out.

One object per process holds the embedder, the passage table and the optional chat
model; the CLI, the app, the tools and the evaluation all call ``Assistant.ask``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from assistant.answer import Answer, Citation
from assistant.asof import date_answer
from assistant.caveats import annotate
from assistant.compose import ComposeConfig, ExtractiveComposer
from assistant.conversation import Conversation
from assistant.llm import ChatModel, llm_answer, make_chat_model
from assistant.messages import DATED, answer_language, message
from assistant.retrieval import FilterError, Retriever, check_question
from assistant.sources import cite
from assistant.table import Filters
from indexer.language import detect
from indexer.settings import Settings

LLM_PASSAGES = 6


class Assistant:
    def __init__(
        self,
        settings: Settings,
        retriever: Retriever | None = None,
        compose_config: ComposeConfig | None = None,
        chat_model: ChatModel | None = None,
        use_llm: bool = True,
    ) -> None:
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self.composer = ExtractiveComposer(self.retriever, compose_config)
        self.chat_model = (
            chat_model
            if chat_model is not None
            else (make_chat_model(settings) if use_llm else None)
        )

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        conversation: Conversation | None = None,
        as_of: dt.date | None = None,
        across: bool = False,
    ) -> Answer:
        """The cited answer, as of ``as_of`` (default today: cited instruments with dated
        events say whether they were in force then); ``QuestionError`` (a ``ValueError``)
        for a question that is not text, empty or longer than
        ``settings.max_question_chars``, before any work. ``across``: answer from every
        instrument that answers (as for "which countries…"), e.g. a guiding question."""
        limit = self.settings.max_question_chars
        question = check_question(question, limit)
        resolved = conversation.resolve(question) if conversation else question
        if len(resolved) > limit:  # a follow-up merged into a long question: search it alone
            resolved = question
        try:
            result = self.retriever.search(resolved, k=self.composer.config.k, filters=filters)
        except FilterError as exc:
            lang = answer_language(detect(question))
            return Answer(
                question=question,
                answer=f"{exc}.",
                supported=False,
                confidence=0.0,
                language=lang,
                notices=[str(exc)],
                resolved_question=resolved if resolved != question else "",
                as_of=(as_of or dt.date.today()).isoformat(),
            )
        result.across = across
        answer = self.composer.compose(resolved, result)
        answer = replace(
            answer, question=question, resolved_question=resolved if resolved != question else ""
        )
        if answer.supported and self.chat_model is not None:
            candidates = [
                Citation.from_hit(h, i + 1) for i, h in enumerate(result.hits[:LLM_PASSAGES])
            ]
            answer = llm_answer(self.chat_model, answer, candidates)
        answer = date_answer(answer, self.retriever.events, as_of)
        return annotate(answer, self.retriever.facts)


def format_answer(answer: Answer) -> str:
    """Human output: the answer, then numbered sources with locator, title, year, binding, url."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("\n" + message("sources", answer.language))
        for c in answer.citations:
            lines.append(
                f"[{c.n}] {cite(c, answer.language)}" + (f"\n    {c.url}" if c.url else "")
            )
    if answer.as_of:
        table = DATED["as_of"]
        lines.append("\n" + (table.get(answer.language) or table["en"]).format(on=answer.as_of))
    return "\n".join(lines)
