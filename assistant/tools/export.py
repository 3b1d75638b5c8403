"""Writing a tool's result to a file whose extension chooses the format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Writer = Callable[[Any, Path], Path]


def write_markdown(render: Callable[[Any], str]) -> Writer:
    """A writer that saves ``render(obj)`` as UTF-8 text."""

    def write(obj: Any, path: Path) -> Path:
        path.write_text(render(obj), encoding="utf-8")
        return path

    return write


def export_by_suffix(obj: Any, path: str | Path, writers: dict[str, Writer]) -> Path:
    """Call the writer registered for the file's extension; ValueError naming the choices."""
    path = Path(path)
    writer = writers.get(path.suffix.casefold())
    if writer is None:
        names = sorted(writers)
        choices = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
        raise ValueError(f"cannot write {path.name}: use a file name ending in {choices}")
    return writer(obj, path)


RTL_LANGS = ("ar",)  # languages written right to left
EAST_ASIAN_LANGS = ("zh",)


def new_docx(title: str, lang: str = "en") -> Any:
    """A Word document that says who made it and in which language it is written: title,
    author "Vigilance", the document's language (for spelling and screen readers). A
    document in a right-to-left language (Arabic) has right-to-left paragraphs and pages."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document()
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.language = (
        title, "Vigilance", "Vigilance", lang,
    )  # fmt: skip
    normal = doc.styles["Normal"].element
    rpr = normal.get_or_add_rPr()
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), lang)
    if lang in EAST_ASIAN_LANGS:
        lang_el.set(qn("w:eastAsia"), lang)
    if lang in RTL_LANGS:
        lang_el.set(qn("w:bidi"), lang)
        right_to_left(doc)
    return doc


def right_to_left(doc: Any) -> None:
    """Paragraphs (through the Normal style, which every other style of the template is based
    on) and the page layout of ``doc`` written right to left: ``w:bidi``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = doc.styles["Normal"].element.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *PPR_AFTER_BIDI)
    for section in doc.sections:
        sect = section._sectPr
        if sect.find(qn("w:bidi")) is None:
            sect.insert_element_before(
                OxmlElement("w:bidi"), "w:rtlGutter", "w:docGrid", "w:printerSettings",
                "w:sectPrChange",
            )  # fmt: skip


# What may follow w:bidi in a paragraph's properties (the schema fixes the order).
PPR_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def add_link(paragraph: Any, url: str, text: str | None = None) -> Any:
    """A real hyperlink (blue, underlined) at the end of ``paragraph``; plain text when the
    address is not http(s)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    if not url.startswith(("http://", "https://")):
        return paragraph.add_run(text or url)
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = paragraph._p.makeelement(qn("w:hyperlink"), {qn("r:id"): rel})
    run = paragraph.add_run(text or url)
    run.font.underline = True
    run.font.color.rgb = RGBColor(0x1F, 0x4E, 0x9A)
    link.append(run._r)
    paragraph._p.append(link)
    return link


def add_toc_field(doc: Any, hint: str, levels: str = "1-1") -> Any:
    """A Word table-of-contents field over the headings of ``levels``. Until Word updates it
    (right-click, Update Field) it shows ``hint``: callers list the contents after it too."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = doc.add_paragraph()

    def field_char(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        para.add_run()._r.append(char)

    field_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f'TOC \\o "{levels}" \\h \\z \\u'
    para.add_run()._r.append(instr)
    field_char("separate")
    para.add_run(hint).italic = True
    field_char("end")
    return para
