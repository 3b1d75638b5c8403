"""Questions and answers in the six UN languages: Arabic, Chinese and Russian questions are
recognised, cut into words and stemmed, name countries, and get answers (or refusals)
in their own language, quoting English and French passages. Texts written for this test."""

from __future__ import annotations

import pytest

from assistant.answer_type import answer_type, asks_scope
from assistant.countries import countries
from assistant.direct import duty
from assistant.messages import ANSWER_LANGS, DATED, LLM_REASONS, LLM_REMOVED, MESSAGES
from assistant.survey import ACROSS, asks_duty
from indexer.language import detect, detect_document, fold, stopwords, terms, words

QUESTIONS = {
    "en": "Must a contracting authority exclude a bidder convicted of forced labour?",
    "fr": "Quelles entreprises doivent publier une déclaration sur l'esclavage moderne ?",
    "es": "¿Debe la entidad contratante excluir a un licitador condenado por trabajo forzoso?",
    "ar": "هل يجب على السلطة المتعاقدة استبعاد مقدم عطاء أدين بالعمل الجبري؟",
    "zh": "哪些公司必须发布现代奴隶制声明？",
    "ru": "Должен ли заказчик исключить участника, осуждённого за принудительный труд?",
}


@pytest.mark.parametrize("lang", sorted(QUESTIONS))
def test_short_questions_are_detected_in_each_un_language(lang):
    assert detect(QUESTIONS[lang]) == lang
    if lang in ("ar", "zh", "ru"):
        assert detect_document(QUESTIONS[lang]) == lang


def test_fold_keeps_arabic_and_cyrillic_letters_and_plain_digits():
    assert fold("Принудительный ТРУД, ёлка") == "принудительный труд елка"
    # Short vowels and the tatweel go, hamza seats are read as bare alef; letters stay.
    assert fold("العَمَل الجـبري") == "العمل الجبري"
    assert fold("أُدين") == "ادين"
    assert fold("٢٠٢٤") == "2024"
    assert fold("２０２４年，强迫劳动。") == "2024年 强迫劳动"


def test_arabic_and_chinese_sentences_are_split():
    from indexer.chunking import split_sentences

    assert split_sentences("供应商不得使用强迫劳动。违者将被排除在采购之外！") == [
        "供应商不得使用强迫劳动。",
        "违者将被排除在采购之外！",
    ]
    assert split_sentences("يجب استبعاد المورد المدان. ويجوز قبوله من جديد بعد تعويض العمال.") == [
        "يجب استبعاد المورد المدان.",
        "ويجوز قبوله من جديد بعد تعويض العمال.",
    ]
    assert split_sentences("See art. 5 of the Act. It applies.") == [
        "See art. 5 of the Act.",
        "It applies.",
    ]


def test_chinese_is_cut_into_words():
    sentence = "供应商不得在其供应链中使用强迫劳动，违者将被排除在公共采购之外。"
    cut = words(sentence)
    assert len(cut) > 8 and all(len(w) <= 4 for w in cut)
    found = terms(sentence, "zh")
    asked = terms("强迫劳动", "zh")
    assert asked and set(asked) <= set(found)
    assert "供应链" in found or {"供应", "链"} <= set(found)
    assert "的" not in terms("企业的义务", "zh") and "哪些" not in terms("哪些企业", "zh")
    # English, French and Spanish are tokenised as before.
    assert words("Directive 2014/24/EU, l'article 57") == [
        "directive",
        "2014/24/eu",
        "l",
        "article",
        "57",
    ]


def test_arabic_and_russian_words_are_stemmed_and_stop_words_removed():
    assert terms("принудительного труда", "ru") == terms("принудительный труд", "ru")
    assert "ли" not in terms("Должен ли заказчик", "ru")
    assert "какой" in stopwords("ru")  # the "й" of a stop word survives fold
    assert terms("الشركات", "ar") == terms("والشركات", "ar")
    assert "هل" not in terms("هل يجب على الشركة", "ar")
    assert "على" not in terms("هل يجب على الشركة", "ar")


def test_countries_are_found_in_arabic_chinese_and_russian():
    assert countries("هل يجب على الشركات في فرنسا نشر بيان؟") == {"FR"}
    assert countries("ما الذي ينص عليه القانون في المملكة المتحدة؟") == {"GB"}
    assert countries("بالولايات المتحدة") == {"US"}
    assert countries("英国的现代奴隶制法要求哪些公司提交声明？") == {"GB"}
    assert countries("打击非法国际招聘行为") == set()  # "法国" only as a word of its own
    assert countries("Какие компании должны отчитываться во Франции и в Германии?") == {"FR", "DE"}
    assert countries("Что говорит закон США о принудительном труде?") == {"US"}
    assert countries("Какие данные нужно раскрывать? Того же требует и закон.") == set()
    assert countries("Which companies must report in France?") == {"FR"}  # unchanged


def test_question_cues_in_arabic_chinese_and_russian():
    assert asks_duty(QUESTIONS["ar"], "ar")
    assert asks_duty(QUESTIONS["ru"], "ru")
    assert asks_duty("采购机构是否必须排除被判犯有强迫劳动罪的投标人？", "zh")
    assert not asks_duty(QUESTIONS["zh"], "zh")
    assert ACROSS.search(QUESTIONS["zh"]) and ACROSS.search("Какие страны требуют отчётности?")
    assert ACROSS.search("ما الدول التي تفرض هذا الالتزام؟")
    assert asks_scope(QUESTIONS["zh"], "zh")
    assert answer_type("营业额达到多少的公司必须报告？", "zh") == "quantity"
    assert answer_type("С какого оборота компания обязана отчитываться?", "ru") == "quantity"
    assert answer_type("متى دخل القانون حيز النفاذ؟", "ar") == "date"
    assert answer_type("В какой срок нужно подать отчёт?", "ru") == "deadline"
    assert duty(["Заказчик не обязан проверять поставщиков."], set()) == "no"
    assert duty(["供应商无须提交声明。"], set()) == "no"
    assert duty(["采购机构应当排除该投标人。"], {"排除"}) == "mandatory"
    assert duty(["Заказчик должен исключить такого участника."], {"исклю"}) == "mandatory"


def test_every_fixed_phrase_exists_in_the_six_languages():
    tables = [*MESSAGES.values(), *LLM_REASONS.values(), LLM_REMOVED]
    tables += [t for k, t in DATED.items() if k not in ("state_note", "events")]
    tables += [*DATED["state_note"].values(), *DATED["events"].values()]
    for table in tables:
        assert set(ANSWER_LANGS) <= set(table), table


# -- answers over a small store ------------------------------------------------------------

ACT = """Fictional Harbour Republic Public Contracts (Forced Labour) Act 2024

PART 1
Exclusion of bidders

Section 3
(1) A contracting authority must exclude from a tender any bidder that has been convicted of forced labour by a final judgment within the previous five years.
(2) A contracting authority may admit the bidder again once it proves that it has compensated the workers concerned.

PART 2
Transparency

Section 7
(1) Every company with more than 500 employees that sells goods to public bodies must publish a modern slavery statement each year.
(2) The statement must describe the checks carried out on suppliers and be signed by a director.

PART 3
Records

Section 9
Contracting authorities shall keep tender files for ten years and show them to the labour inspectorate on request.
"""
NOTE = """---
title: Note fictive sur le recrutement équitable dans les marchés de nettoyage
short_title: Note fictive recrutement
type: report
date: 2024-09-10
binding: no
language: fr
---
# Note fictive sur le recrutement équitable dans les marchés de nettoyage

1. Les marchés de nettoyage de la République fictive du Port interdisent aux agences de recrutement de faire payer des frais aux travailleurs migrants.

2. Les acheteurs publics contrôlent chaque année les bulletins de paie d'un échantillon de salariés des titulaires.
"""
# (question, a phrase of the passage that answers)
ANSWERABLE = {
    "ar": (QUESTIONS["ar"], "convicted of forced labour"),
    "zh": (QUESTIONS["zh"], "modern slavery statement"),
    "ru": (QUESTIONS["ru"], "convicted of forced labour"),
}
OFF_TOPIC = {
    "ar": "ما أفضل طريقة لزراعة الطماطم في حديقة المنزل؟",
    "zh": "怎样才能把米饭煮得又香又软？",
    "ru": "Как быстро научиться играть на гитаре?",
}


@pytest.fixture(scope="module")
def harbour(tmp_path_factory, embedder):
    from assistant.core import Assistant
    from assistant.retrieval import Retriever
    from indexer.pipeline import index_paths
    from indexer.settings import Settings

    folder = tmp_path_factory.mktemp("harbour-docs")
    (folder / "harbour-act.txt").write_text(ACT, encoding="utf-8")
    (folder / "note-recrutement.md").write_text(NOTE, encoding="utf-8")
    settings = Settings(home=tmp_path_factory.mktemp("harbour-home"), embed_cache="off")
    summary = index_paths([folder], settings, embedder=embedder)
    assert summary.ok and summary.indexed == 2, summary.problems
    return Assistant(settings, retriever=Retriever(settings, embedder=embedder), use_llm=False)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
def test_questions_are_answered_in_their_language(harbour, lang):
    from assistant.core import format_answer

    question, phrase = ANSWERABLE[lang]
    answer = harbour.ask(question)
    assert answer.supported, (answer.answer, answer.support)
    assert answer.language == lang
    assert phrase in answer.citations[0].text, [c.text for c in answer.citations]
    shown = format_answer(answer)
    assert MESSAGES["intro"][lang] in answer.answer
    assert MESSAGES["sources"][lang] in shown
    # The short answer: "must exclude" read through the store's lexicon for ar and ru,
    # the threshold clause for "which companies" in zh.
    assert MESSAGES["in_short"][lang] in answer.answer
    if asks_duty(question, lang):
        assert MESSAGES["duty_mandatory_first"][lang] + " Fictional Harbour" in answer.answer
    assert MESSAGES["other_language"][lang].split("{")[0] in answer.answer  # quoted in English
    assert MESSAGES["lang_en"][lang] in answer.answer
    assert any(MESSAGES[f"binding_{b}"][lang] in shown for b in ("yes", "no", "unknown"))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
def test_off_topic_questions_are_refused_in_their_language(harbour, lang):
    answer = harbour.ask(OFF_TOPIC[lang])
    assert not answer.supported, (answer.answer, answer.support)
    assert answer.language == lang
    assert answer.answer.startswith(MESSAGES["not_covered"][lang])
    assert MESSAGES["off_topic"][lang] in answer.answer


# -- the glossary and instrument names in Arabic, Chinese and Russian -------------------------
FORCED_LABOUR = {
    "ar": "هل يجب استبعاد المورد المدان بالعمل القسري؟",
    "zh": "哪些公司必须报告强迫劳动风险？",
    "ru": "Какие компании обязаны сообщать о рисках принудительного труда?",
}


@pytest.mark.parametrize("lang", sorted(FORCED_LABOUR))
def test_the_glossary_reads_arabic_chinese_and_russian_questions(lang):
    from assistant.glossary import CONCEPTS, find_concepts, translations

    forced = next(i for i, c in enumerate(CONCEPTS) if "forced labour" in c["en"])
    bare = {"ar": "العمل القسري", "zh": "强迫劳动", "ru": "принудительный труд"}[lang]
    assert forced in dict(find_concepts(bare))
    # Inside a question, inflected ("بالعمل", "принудительного труда") or without spaces.
    assert forced in dict(find_concepts(FORCED_LABOUR[lang]))
    assert "forced labour" in translations(FORCED_LABOUR[lang], "en")
    assert "travail force" in translations(FORCED_LABOUR[lang], "fr")
    assert bare in translations("Must bidders convicted of forced labour be excluded?", lang)


def test_the_glossary_has_six_languages_and_chinese_terms_are_whole_words():
    from assistant.glossary import CONCEPTS, LANGS, find_concepts

    assert set(LANGS) == set(ANSWER_LANGS)
    assert all(concept[lang] for concept in CONCEPTS for lang in LANGS)
    france = next(i for i, c in enumerate(CONCEPTS) if "france" in c["en"])
    assert france in dict(find_concepts("法国的警惕义务法要求什么？"))
    assert france not in dict(find_concepts("打击非法国际招聘行为"))  # "非法" + "国际"
    untoc = next(i for i, c in enumerate(CONCEPTS) if "UNTOC" in c["en"])
    assert find_concepts("《联合国打击跨国有组织犯罪公约》第10条") == [
        (untoc, "联合国打击跨国有组织犯罪公约")
    ]
    oecd = next(i for i, c in enumerate(CONCEPTS) if "OECD" in c["en"])
    assert oecd in dict(find_concepts("根据OECD指南，企业应如何开展尽职调查？"))


@pytest.fixture(scope="module")
def card_names(tmp_path_factory):
    """The name matcher over the bundled instrument cards, read as the indexer reads them."""
    from pathlib import Path

    from assistant.refs import NameMatcher
    from assistant.table import PassageTable
    from indexer.documents import prepare, sha256_file
    from indexer.settings import Settings
    from indexer.store import Record, passage_metadata

    cards = Path(__file__).resolve().parent.parent / "corpus" / "instruments"
    settings = Settings(home=tmp_path_factory.mktemp("names-home"), embed_cache="off")
    records = []
    for name in ("untoc-2000", "trafficking-protocol-2000", "ilo-forced-labour-protocol-2014"):
        path = cards / f"{name}.md"
        prep = prepare(path, sha256_file(path), settings)
        meta = passage_metadata(prep.passages[0], prep.doc)
        records.append(Record(prep.doc.doc_id, prep.passages[0].text, meta))
    return NameMatcher(
        PassageTable.from_records(records, tmp_path_factory.mktemp("names") / "catalog")
    )


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("《联合国打击跨国有组织犯罪公约》对法人责任有何规定？", "untoc-2000"),
        ("巴勒莫议定书要求缔约国采取哪些措施抑制需求？", "trafficking-protocol-2000"),
        ("Какие обязательства предусмотрены Палермским протоколом?", "trafficking-protocol-2000"),
        (
            "Что говорит Конвенция ООН против транснациональной организованной преступности?",
            "untoc-2000",
        ),
        ("ما الذي يشترطه بروتوكول باليرمو بشأن الطلب؟", "trafficking-protocol-2000"),
        ("وفقا لاتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية؟", "untoc-2000"),
        (
            "根据1930年强迫劳动公约的2014年议定书，国家应采取哪些措施？",
            "ilo-forced-labour-protocol-2014",
        ),
        ("What does the Palermo Protocol require of States?", "trafficking-protocol-2000"),
    ],
)
def test_questions_naming_an_instrument_in_six_languages_find_its_card(
    card_names, question, doc_id
):
    assert set(card_names.match(question)) == {doc_id}


def test_a_chinese_name_is_not_found_in_unrelated_words(card_names):
    assert card_names.match("打击非法国际招聘行为") == {}
    assert card_names.match("Que prévoit la Convention de Palerme ?") == {"untoc-2000": 1.0}
