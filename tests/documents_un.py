"""One fictional Working Group paper in several language versions, made by the tests.

The Arabic and Chinese versions are PDFs typeset with fonts from Debian packages
(``fonts-hosny-amiri``, ``fonts-wqy-microhei``; ``.ci/run`` installs them) and shaped with
HarfBuzz, so the Arabic is drawn right to left as word processors draw it. The English
and French versions are Markdown. All carry the same symbol and paragraph numbers, as
the language versions of a UN document do. The text is written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SYMBOL = "FICT/WG.9/2026/3"
AMIRI = Path("/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf")
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

ARABIC = [
    ("title", "ورقة خيالية عن العمل القسري في المشتريات العامة لدولة المرفأ"),
    ("para", "1 - تعرض هذه الورقة تجربة دولة المرفأ الخيالية في مكافحة العمل القسري في المشتريات العامة منذ عام 2024."),
    ("para", "2 - يجب على الجهات المتعاقدة أن تستبعد أي مورد صدر بحقه حكم نهائي بجريمة العمل القسري خلال السنوات الخمس الماضية."),
    ("para", "3 - توصي الورقة بما يلي:"),
    ("para", "(أ) أن تنشر الشركات التي يتجاوز رقم أعمالها السنوي ٤٠ مليون دولار بيانا سنويا عن مخاطر الرق الحديث في سلاسل الإمداد؛"),
    ("para", "(ب) أن تراجع الجهات المتعاقدة عقود التنظيف والحراسة كل سنتين (انظر الوثيقة FICT/WG.9/2025/7)."),
]  # fmt: skip

CHINESE = [
    ("title", "关于港口国公共采购中强迫劳动问题的虚构文件"),
    ("para", "１．本文件介绍虚构的港口国自2024年以来在公共采购中打击强迫劳动的经验。"),
    ("para", "２．订约当局必须排除在过去五年内因强迫劳动罪被最终判决定罪的任何供应商。"),
    ("para", "３．本文件建议："),
    ("para", "(a) 年营业额超过4000万美元的公司每年发布一份关于供应链中现代奴役风险的声明；"),
    ("para", "(b) 订约当局每两年审查一次清洁和保安合同。"),
]  # fmt: skip

ENGLISH = f"""{SYMBOL}

# Fictional paper on forced labour in the public procurement of the Harbour State

1. This paper describes how the fictional Harbour State has fought forced labour in public procurement since 2024.

2. Contracting authorities must exclude any supplier that received a final conviction for the offence of forced labour in the past five years.

3. The paper recommends that:

(a) companies whose annual turnover exceeds 40 million dollars publish a yearly statement on the risks of modern slavery in their supply chains;

(b) contracting authorities review cleaning and security contracts every two years.
"""

FRENCH = f"""{SYMBOL}

# Document fictif sur le travail forcé dans les marchés publics de l'État du Port

1. Le présent document décrit la lutte de l'État fictif du Port contre le travail forcé dans les marchés publics depuis 2024.

2. Les pouvoirs adjudicateurs doivent exclure tout fournisseur définitivement condamné pour l'infraction de travail forcé au cours des cinq dernières années.

3. Le document recommande :

a) que les entreprises dont le chiffre d'affaires annuel dépasse 40 millions de dollars publient chaque année une déclaration sur les risques d'esclavage moderne dans leurs chaînes d'approvisionnement ;

b) que les pouvoirs adjudicateurs réexaminent tous les deux ans les contrats de nettoyage et de gardiennage.
"""


def _need(font: Path, package: str) -> None:
    if not font.exists():
        pytest.skip(f"font {font} missing: install the Debian package {package} (.ci/run does)")


def _pdf(path: Path, font: Path, name: str, lines: list[tuple[str, str]], rtl: bool) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font(name, fname=str(font))
    align = "R" if rtl else "L"
    if rtl:
        pdf.set_text_shaping(
            use_shaping_engine=True, direction="rtl", script="arab", language="ara"
        )
    pdf.set_font(name, size=9)
    pdf.multi_cell(pdf.epw, 5, SYMBOL, align="R")
    pdf.ln(8)
    for kind, text in lines:
        pdf.set_font(name, size=15 if kind == "title" else 11)
        pdf.multi_cell(pdf.epw, 8 if kind == "title" else 6.5, text, align=align)
        pdf.ln(6 if kind == "title" else 3)
    pdf.output(str(path))
    return path


def arabic_pdf(path: Path) -> Path:
    _need(AMIRI, "fonts-hosny-amiri")
    return _pdf(path, AMIRI, "amiri", ARABIC, rtl=True)


def chinese_pdf(path: Path) -> Path:
    _need(WQY, "fonts-wqy-microhei")
    return _pdf(path, WQY, "wqy", CHINESE, rtl=False)
