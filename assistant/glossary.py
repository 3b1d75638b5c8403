"""A small trilingual glossary of the field, used to carry a question's terms across languages.

Each concept lists how English, French and Spanish texts say it. The lexical side of
retrieval looks for the question's concepts in each language's own words, so an English
question about "due diligence" also matches "devoir de vigilance" in a French passage.
Terms are compared after ``text.fold`` (accents removed, lower case).
"""

from __future__ import annotations

from assistant.text import fold

LANGS = ("en", "fr", "es")

CONCEPTS: list[dict[str, list[str]]] = [
    {
        "en": ["public procurement", "government procurement", "public contracts", "procurement"],
        "fr": ["marches publics", "passation des marches", "commande publique", "achats publics"],
        "es": ["contratacion publica", "compras publicas", "contratos publicos", "adquisiciones"],
    },
    {
        "en": ["supply chain", "supply chains", "value chain"],
        "fr": ["chaine d'approvisionnement", "chaines d'approvisionnement", "chaine de valeur"],
        "es": ["cadena de suministro", "cadenas de suministro", "cadena de valor"],
    },
    {
        "en": ["due diligence", "duty of vigilance", "vigilance plan"],
        "fr": ["diligence raisonnable", "devoir de vigilance", "plan de vigilance"],
        "es": ["debida diligencia", "deber de vigilancia", "diligencia debida"],
    },
    {
        "en": ["forced labour", "forced labor", "compulsory labour"],
        "fr": ["travail force", "travail obligatoire"],
        "es": ["trabajo forzoso", "trabajo obligatorio"],
    },
    {
        "en": ["child labour", "child labor"],
        "fr": ["travail des enfants"],
        "es": ["trabajo infantil"],
    },
    {
        "en": ["trafficking in persons", "human trafficking", "trafficking in human beings"],
        "fr": ["traite des personnes", "traite des etres humains"],
        "es": ["trata de personas", "trata de seres humanos"],
    },
    {
        "en": ["modern slavery", "slavery"],
        "fr": ["esclavage moderne", "esclavage"],
        "es": ["esclavitud moderna", "esclavitud"],
    },
    {
        "en": ["exclusion", "exclude", "debarment", "debar", "suspension", "blacklist"],
        "fr": ["exclusion", "exclure", "interdiction de soumissionner", "liste noire"],
        "es": ["exclusion", "excluir", "inhabilitacion", "prohibicion de contratar", "lista negra"],
    },
    {
        "en": ["bidder", "tenderer", "supplier", "contractor", "subcontractor", "vendor"],
        "fr": ["soumissionnaire", "fournisseur", "titulaire", "sous-traitant", "prestataire"],
        "es": ["licitador", "oferente", "proveedor", "contratista", "subcontratista"],
    },
    {
        "en": ["convicted", "conviction", "final judgment", "offence", "offense"],
        "fr": ["condamne", "condamnation", "jugement definitif", "infraction"],
        "es": ["condenado", "condena", "sentencia firme", "delito"],
    },
    {
        "en": ["modern slavery statement", "slavery and human trafficking statement", "report"],
        "fr": ["declaration sur l'esclavage moderne", "rapport", "declaration"],
        "es": ["declaracion sobre esclavitud moderna", "informe", "declaracion"],
    },
    {
        "en": ["turnover", "revenue", "threshold", "employees"],
        "fr": ["chiffre d'affaires", "seuil", "salaries", "employes"],
        "es": ["volumen de negocios", "facturacion", "umbral", "empleados", "trabajadores"],
    },
    {
        "en": ["transparency", "disclosure", "reporting"],
        "fr": ["transparence", "publication", "declaration", "information"],
        "es": ["transparencia", "divulgacion", "presentacion de informes"],
    },
    {
        "en": ["recruitment fees", "recruitment fee", "recruitment agencies", "employer pays"],
        "fr": ["frais de recrutement", "agences de recrutement", "agences de placement"],
        "es": ["comisiones de contratacion", "tasas de reclutamiento", "agencias de empleo"],
    },
    {
        "en": ["contract clause", "contract clauses", "contract performance conditions"],
        "fr": ["clause contractuelle", "clauses des marches", "conditions d'execution"],
        "es": ["clausula contractual", "clausulas contractuales", "condiciones de ejecucion"],
    },
    {
        "en": ["certification", "compliance plan", "certify"],
        "fr": ["certification", "plan de conformite", "attestation"],
        "es": ["certificacion", "plan de cumplimiento", "certificar"],
    },
    {
        "en": ["sanctions", "penalties", "fines", "enforcement"],
        "fr": ["sanctions", "amendes", "penalites", "mise en oeuvre"],
        "es": ["sanciones", "multas", "penalizaciones", "cumplimiento"],
    },
    {
        "en": ["remedy", "remedies", "grievance mechanism", "compensation"],
        "fr": ["recours", "reparation", "mecanisme de plainte", "indemnisation"],
        "es": ["reparacion", "recurso", "mecanismo de reclamacion", "indemnizacion"],
    },
    {
        "en": ["import ban", "import prohibition", "withhold release order", "market ban"],
        "fr": ["interdiction d'importation", "interdiction de mise sur le marche"],
        "es": ["prohibicion de importacion", "prohibicion de comercializacion"],
    },
    {
        "en": ["legal persons", "corporate liability", "companies", "company", "business"],
        "fr": [
            "personnes morales",
            "responsabilite des personnes morales",
            "entreprises",
            "societes",
        ],
        "es": ["personas juridicas", "responsabilidad de las personas juridicas", "empresas"],
    },
    {
        "en": ["demand", "discourage demand"],
        "fr": ["demande", "decourager la demande"],
        "es": ["demanda", "desalentar la demanda"],
    },
    {
        "en": ["victims", "victim"],
        "fr": ["victimes", "victime"],
        "es": ["victimas", "victima"],
    },
    {
        "en": ["training", "capacity building"],
        "fr": ["formation", "renforcement des capacites"],
        "es": ["capacitacion", "formacion", "fomento de la capacidad"],
    },
    {
        "en": ["coordination", "national action plan", "national referral mechanism"],
        "fr": ["coordination", "plan d'action national", "mecanisme national d'orientation"],
        "es": ["coordinacion", "plan de accion nacional", "mecanismo nacional de derivacion"],
    },
    {
        "en": ["working group", "recommendation", "recommendations"],
        "fr": ["groupe de travail", "recommandation", "recommandations"],
        "es": ["grupo de trabajo", "recomendacion", "recomendaciones"],
    },
    {
        "en": ["code of conduct", "supplier code of conduct"],
        "fr": ["code de conduite", "code de conduite des fournisseurs"],
        "es": ["codigo de conducta", "codigo de conducta para proveedores"],
    },
    {
        "en": ["best value for money", "value for money", "lowest price"],
        "fr": ["meilleur rapport qualite-prix", "rapport qualite-prix", "moins-disant"],
        "es": ["mejor relacion calidad-precio", "relacion calidad-precio", "precio mas bajo"],
    },
    {
        "en": ["audit", "audits", "monitoring", "inspection"],
        "fr": ["audit", "audits", "controle", "suivi"],
        "es": ["auditoria", "auditorias", "supervision", "seguimiento"],
    },
    {
        "en": ["directive"],
        "fr": ["directive"],
        "es": ["directiva"],
    },
    {
        "en": ["law", "act", "legislation"],
        "fr": ["loi", "legislation"],
        "es": ["ley", "legislacion"],
    },
    {
        "en": ["convention", "protocol", "treaty"],
        "fr": ["convention", "protocole"],
        "es": ["convencion", "protocolo", "tratado"],
    },
    {
        "en": ["united kingdom", "uk", "britain", "british"],
        "fr": ["royaume-uni", "britannique"],
        "es": ["reino unido", "britanico"],
    },
    {
        "en": ["france", "french"],
        "fr": ["france", "francais", "francaise"],
        "es": ["francia", "frances", "francesa"],
    },
    {
        "en": ["germany", "german"],
        "fr": ["allemagne", "allemand", "allemande"],
        "es": ["alemania", "aleman", "alemana"],
    },
    {
        "en": ["netherlands", "dutch"],
        "fr": ["pays-bas", "neerlandais", "neerlandaise"],
        "es": ["paises bajos", "neerlandes", "neerlandesa"],
    },
    {
        "en": ["norway", "norwegian"],
        "fr": ["norvege", "norvegien", "norvegienne"],
        "es": ["noruega", "noruego", "noruega"],
    },
    {
        "en": ["united states", "usa", "american", "federal"],
        "fr": ["etats-unis", "americain", "americaine", "federal"],
        "es": ["estados unidos", "estadounidense", "federal"],
    },
    {
        "en": ["australia", "australian"],
        "fr": ["australie", "australien", "australienne"],
        "es": ["australia", "australiano", "australiana"],
    },
    {
        "en": ["canada", "canadian"],
        "fr": ["canada", "canadien", "canadienne"],
        "es": ["canada", "canadiense"],
    },
    {
        "en": ["switzerland", "swiss"],
        "fr": ["suisse"],
        "es": ["suiza", "suizo"],
    },
    {
        "en": ["european union", "eu"],
        "fr": ["union europeenne", "ue"],
        "es": ["union europea", "ue"],
    },
    {
        "en": ["council of europe"],
        "fr": ["conseil de l'europe"],
        "es": ["consejo de europa"],
    },
    {
        "en": ["united nations"],
        "fr": ["nations unies", "onu"],
        "es": ["naciones unidas", "onu"],
    },
]


def _index() -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for i, concept in enumerate(CONCEPTS):
        for lang in LANGS:
            for term in concept[lang]:
                out.setdefault(fold(term), (i, lang))
    return out


TERM_INDEX = _index()
MAX_TERM_WORDS = max(len(t.split()) for t in TERM_INDEX)


def find_concepts(text: str) -> list[tuple[int, str]]:
    """(concept index, matched term) for each glossary term in ``text``, longest match first."""
    words = fold(text).split()
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_TERM_WORDS, len(words) - i), 0, -1):
            term = " ".join(words[i : i + n])
            if term in TERM_INDEX:
                found.append((TERM_INDEX[term][0], term))
                i += n
                break
        else:
            i += 1
    return found


def translations(text: str, lang: str) -> list[str]:
    """The terms, in ``lang``, of every concept found in ``text`` (any language)."""
    out: list[str] = []
    for idx, _ in find_concepts(text):
        out.extend(CONCEPTS[idx][lang])
    return out
