"""A small trilingual glossary of the field, used to carry a question's terms across languages.

Each concept lists how English, French and Spanish texts say it. The lexical side of
retrieval looks for the question's concepts in each language's own words, so an English
question about "due diligence" also matches "devoir de vigilance" in a French passage.
Terms are compared after ``text.fold`` (accents removed, lower case).
"""

from __future__ import annotations

import re

from indexer.language import fold, stem

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
        "en": ["united nations", "UN"],
        "fr": ["nations unies", "ONU"],
        "es": ["naciones unidas", "ONU"],
    },
    # Organisations and instruments a question names in its own language while the
    # document names them in another. Acronyms in capitals match only when written so.
    {
        "en": ["international labour organization", "international labour office", "ILO"],
        "fr": [
            "organisation internationale du travail",
            "bureau international du travail",
            "OIT",
            "BIT",
        ],
        "es": [
            "organizacion internacional del trabajo",
            "oficina internacional del trabajo",
            "OIT",
        ],
    },
    {
        "en": ["organisation for economic co-operation and development", "OECD"],
        "fr": ["organisation de cooperation et de developpement economiques", "OCDE"],
        "es": ["organizacion para la cooperacion y el desarrollo economicos", "OCDE"],
    },
    {
        "en": ["organization for security and co-operation in europe", "OSCE"],
        "fr": ["organisation pour la securite et la cooperation en europe", "OSCE"],
        "es": ["organizacion para la seguridad y la cooperacion en europa", "OSCE"],
    },
    {
        "en": ["organization of american states", "OAS"],
        "fr": ["organisation des etats americains", "OEA"],
        "es": ["organizacion de los estados americanos", "OEA"],
    },
    {
        "en": ["international organization for migration", "IOM"],
        "fr": ["organisation internationale pour les migrations", "OIM"],
        "es": ["organizacion internacional para las migraciones", "OIM"],
    },
    {
        "en": ["united nations office on drugs and crime", "UNODC"],
        "fr": ["office des nations unies contre la drogue et le crime", "ONUDC"],
        "es": ["oficina de las naciones unidas contra la droga y el delito", "UNODC"],
    },
    {
        "en": ["association of southeast asian nations", "ASEAN"],
        "fr": ["association des nations de l'asie du sud-est", "ASEAN", "ANASE"],
        "es": ["asociacion de naciones de asia sudoriental", "ASEAN", "ANSA"],
    },
    {
        "en": ["african union"],
        "fr": ["union africaine"],
        "es": ["union africana"],
    },
    {
        "en": ["african development bank", "AfDB"],
        "fr": ["banque africaine de developpement", "BAD"],
        "es": ["banco africano de desarrollo", "BAfD"],
    },
    {
        "en": ["high-level committee on management", "HLCM"],
        "fr": ["comite de haut niveau sur la gestion"],
        "es": ["comite de alto nivel sobre gestion"],
    },
    {
        "en": ["committee on the elimination of discrimination against women", "CEDAW"],
        "fr": ["comite pour l'elimination de la discrimination a l'egard des femmes", "CEDAW"],
        "es": ["comite para la eliminacion de la discriminacion contra la mujer", "CEDAW"],
    },
    {
        "en": ["general assembly"],
        "fr": ["assemblee generale"],
        "es": ["asamblea general"],
    },
    {
        "en": ["security council"],
        "fr": ["conseil de securite"],
        "es": ["consejo de seguridad"],
    },
    {
        "en": ["human rights council"],
        "fr": ["conseil des droits de l'homme"],
        "es": ["consejo de derechos humanos"],
    },
    {
        "en": ["economic and social council", "ECOSOC"],
        "fr": ["conseil economique et social", "ECOSOC"],
        "es": ["consejo economico y social", "ECOSOC"],
    },
    {
        "en": ["sustainable development goals", "sustainable development goal", "SDG", "SDGs"],
        "fr": ["objectifs de developpement durable", "objectif de developpement durable", "ODD"],
        "es": ["objetivos de desarrollo sostenible", "objetivo de desarrollo sostenible", "ODS"],
    },
    {
        "en": ["global compact"],
        "fr": ["pacte mondial"],
        "es": ["pacto mundial"],
    },
    {
        "en": ["guiding principles on business and human rights", "guiding principles", "UNGPs"],
        "fr": [
            "principes directeurs relatifs aux entreprises et aux droits de l'homme",
            "principes directeurs",
        ],
        "es": [
            "principios rectores sobre las empresas y los derechos humanos",
            "principios rectores",
        ],
    },
    {
        "en": ["convention against transnational organized crime", "UNTOC", "palermo convention"],
        "fr": [
            "convention contre la criminalite transnationale organisee",
            "convention de palerme",
        ],
        "es": [
            "convencion contra la delincuencia organizada transnacional",
            "convencion de palermo",
        ],
    },
    {
        "en": ["trafficking in persons protocol", "trafficking protocol", "palermo protocol"],
        "fr": ["protocole relatif a la traite des personnes", "protocole de palerme"],
        "es": ["protocolo contra la trata de personas", "protocolo de palermo"],
    },
    {
        "en": ["federal acquisition regulation", "FAR"],
        "fr": ["reglement federal sur les achats", "reglement federal sur les acquisitions"],
        "es": ["reglamento federal de adquisiciones"],
    },
    {
        "en": ["inter-agency coordination group against trafficking in persons", "ICAT"],
        "fr": ["groupe interinstitutions de coordination contre la traite des personnes", "ICAT"],
        "es": ["grupo interinstitucional de coordinacion contra la trata de personas", "ICAT"],
    },
    {
        "en": ["vienna forum"],
        "fr": ["forum de vienne"],
        "es": ["foro de viena"],
    },
    {
        "en": ["conference of the parties"],
        "fr": ["conference des parties"],
        "es": ["conferencia de las partes"],
    },
    {
        "en": ["contracting authority", "contracting authorities", "contracting officer"],
        "fr": ["pouvoir adjudicateur", "pouvoirs adjudicateurs", "acheteur public"],
        "es": ["poder adjudicador", "poderes adjudicadores", "organo de contratacion"],
    },
    {
        "en": ["background paper"],
        "fr": ["document d'information"],
        "es": ["documento de antecedentes"],
    },
]


def _stems(text: str, lang: str) -> tuple[str, ...]:
    return tuple(stem(w, lang) for w in fold(text).replace("'", " ").split())


def _acronym(term: str) -> bool:
    return (
        len(term) >= 2 and term.replace("-", "").isalpha() and sum(c.isupper() for c in term) >= 2
    )


def _index() -> dict[tuple[str, ...], int]:
    """Each term of each concept, stemmed in its own language: "bidders" finds "bidder"."""
    out: dict[tuple[str, ...], int] = {}
    for i, concept in enumerate(CONCEPTS):
        for lang in LANGS:
            for term in concept[lang]:
                if not _acronym(term):
                    out.setdefault(_stems(term, lang), i)
    return out


def _acronyms() -> dict[str, int]:
    return {t: i for i, c in enumerate(CONCEPTS) for lang in LANGS for t in c[lang] if _acronym(t)}


TERM_INDEX = _index()
ACRONYMS = _acronyms()
_ACRONYM_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted(map(re.escape, ACRONYMS), key=len, reverse=True))
    + r")(?![\w-])"
)
MAX_TERM_WORDS = max(len(t) for t in TERM_INDEX)


def find_concepts(text: str) -> list[tuple[int, str]]:
    """(concept index, matched words) for each glossary term in ``text``, longest match first.

    The text is read with each glossary language's stemmer in turn, so plural and
    inflected forms match; a term found in several readings counts once.
    """
    raw = fold(text).replace("'", " ").split()
    found: dict[int, str] = {ACRONYMS[m.group(1)]: m.group(1) for m in _ACRONYM_RE.finditer(text)}
    for lang in LANGS:
        stems = [stem(w, lang) for w in raw]
        i = 0
        while i < len(stems):
            for n in range(min(MAX_TERM_WORDS, len(stems) - i), 0, -1):
                key = tuple(stems[i : i + n])
                if key in TERM_INDEX:
                    found.setdefault(TERM_INDEX[key], " ".join(raw[i : i + n]))
                    i += n
                    break
            else:
                i += 1
    return list(found.items())


def translations(text: str, lang: str) -> list[str]:
    """The terms, in ``lang``, of every concept found in ``text`` (any language)."""
    out: list[str] = []
    for idx, _ in find_concepts(text):
        out.extend(CONCEPTS[idx][lang])
    return out
