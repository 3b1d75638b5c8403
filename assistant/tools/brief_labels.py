"""The briefing pack's own phrases (title, headings, notes) in the six official languages of
the United Nations: the languages a pack is written in. Arabic is written right to left (the
Word export marks it so); Chinese is simplified Chinese."""

from __future__ import annotations

LANGS = ("en", "fr", "es", "ar", "zh", "ru")  # the six official languages of the UN
LABELS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Briefing pack: trafficking in persons and forced labour in public procurement and supply chains",
        "fr": "Dossier d'information : traite des personnes et travail forcé dans les marchés publics "
        "et les chaînes d'approvisionnement",
        "es": "Carpeta informativa: trata de personas y trabajo forzoso en la contratación pública "
        "y las cadenas de suministro",
        "ar": "ملف إحاطة: الاتجار بالأشخاص والعمل الجبري في المشتريات العامة وسلاسل الإمداد",
        "zh": "情况简报材料：公共采购和供应链中的贩运人口与强迫劳动",
        "ru": "Информационные материалы: торговля людьми и принудительный труд в сфере "
        "государственных закупок и в цепочках поставок",
    },
    "date": {
        "en": "Date",
        "fr": "Date",
        "es": "Fecha",
        "ar": "التاريخ",
        "zh": "日期",
        "ru": "Дата",
    },
    "intro": {
        "en": "Answers drawn from the Vigilance knowledge base; each statement cites its source, "
        "listed at the end.",
        "fr": "Réponses tirées de la base de connaissances Vigilance ; chaque affirmation renvoie à sa "
        "source, dont la liste figure à la fin.",
        "es": "Respuestas extraídas de la base de conocimientos Vigilance; cada afirmación remite a su "
        "fuente, que figura al final.",
        "ar": "إجابات مستقاة من قاعدة المعارف Vigilance؛ ويشير كل بيان فيها إلى مصدره، وترد قائمة "
        "المصادر في النهاية.",
        "zh": "答复均摘自 Vigilance 知识库；每项陈述都注明出处，出处列于文末。",
        "ru": "Ответы взяты из базы знаний Vigilance; каждое утверждение снабжено ссылкой на "
        "источник, перечень источников приводится в конце.",
    },
    "question": {
        "en": "Question",
        "fr": "Question",
        "es": "Pregunta",
        "ar": "السؤال",
        "zh": "问题",
        "ru": "Вопрос",
    },
    "contents": {
        "en": "Contents",
        "fr": "Sommaire",
        "es": "Índice",
        "ar": "المحتويات",
        "zh": "目录",
        "ru": "Содержание",
    },
    "toc_hint": {
        "en": "Table of contents with page numbers: in Word, right-click here and choose "
        "Update Field.",
        "fr": "Table des matières avec numéros de page : dans Word, cliquez ici avec le bouton "
        "droit et choisissez Mettre à jour les champs.",
        "es": "Índice con números de página: en Word, haga clic aquí con el botón derecho y "
        "elija Actualizar campos.",
        "ar": "جدول المحتويات مع أرقام الصفحات: في Word، انقر هنا بزر الماوس الأيمن واختر "
        "«تحديث الحقل».",
        "zh": "带页码的目录：在 Word 中右键单击此处，然后选择“更新域”。",
        "ru": "Оглавление с номерами страниц: в Word щёлкните здесь правой кнопкой мыши и "
        "выберите «Обновить поле».",
    },
    "summary": {
        "en": "Executive summary",
        "fr": "Résumé",
        "es": "Resumen ejecutivo",
        "ar": "الموجز التنفيذي",
        "zh": "执行摘要",
        "ru": "Резюме",
    },
    "summary_intro": {
        "en": "The first statements of each answer, quoted with their sources.",
        "fr": "Les premières affirmations de chaque réponse, citées avec leurs sources.",
        "es": "Las primeras afirmaciones de cada respuesta, citadas con sus fuentes.",
        "ar": "البيانات الأولى من كل إجابة، مقتبسة مع مصادرها.",
        "zh": "摘录每项答复开头的陈述，并附出处。",
        "ru": "Первые утверждения каждого ответа, приведённые дословно вместе с источниками.",
    },
    "sources": {
        "en": "Sources",
        "fr": "Sources",
        "es": "Fuentes",
        "ar": "المصادر",
        "zh": "来源",
        "ru": "Источники",
    },
    "not_covered": {
        "en": "Not covered by the sources.",
        "fr": "Non couvert par les sources.",
        "es": "No cubierto por las fuentes.",
        "ar": "لا تتناوله المصادر.",
        "zh": "所列来源未涉及此问题。",
        "ru": "В источниках не освещается.",
    },
}
