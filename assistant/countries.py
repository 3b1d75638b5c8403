"""Country names in English, French and Spanish (nouns and adjectives, typed here) and in
Arabic, Chinese and Russian (CLDR's names, from ``babel``) → ISO codes.

Used to tell when a question is about a country the knowledge base does not cover
("What does Japan's procurement act say…?"): the assistant must then say so rather than
answer from another country's law.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.language import fold, has_han, stopwords, words

# code: names separated by "|" (English, French, Spanish; nouns then adjectives)
_NAMES = {
    "AR": "argentina|argentine|argentinian|argentine|argentin|argentino|argentina",
    "AU": "australia|australian|australie|australien|australienne|australiano|australiana",
    "AT": "austria|austrian|autriche|autrichien|autrichienne|austriaco|austriaca",
    "BD": "bangladesh|bangladeshi|bangladais|bangladesi",
    "BE": "belgium|belgian|belgique|belge|belgica|belga",
    "BR": "brazil|brazilian|bresil|bresilien|bresilienne|brasil|brasileno|brasilena",
    "CA": "canada|canadian|canadien|canadienne|canadiense",
    "CL": "chile|chilean|chili|chilien|chilienne|chileno|chilena",
    "CN": "china|chinese|chine|chinois|chinoise|chino|china",
    "CO": "colombia|colombian|colombie|colombien|colombienne|colombiano|colombiana",
    "CZ": "czech republic|czechia|czech|tchequie|republique tcheque|tcheque|chequia|checo|checa",
    "DK": "denmark|danish|danemark|danois|danoise|dinamarca|danes|danesa",
    "EG": "egypt|egyptian|egypte|egyptien|egipto|egipcio",
    "ES": "spain|spanish|espagne|espagnol|espagnole|espana|espanol|espanola",
    "FI": "finland|finnish|finlande|finlandais|finlandaise|finlandia|finlandes|finlandesa",
    "FR": "france|french|francais|francaise|francia|frances|francesa",
    "DE": "germany|german|allemagne|allemand|allemande|alemania|aleman|alemana",
    "GH": "ghana|ghanaian|ghaneen|ghanes",
    "GR": "greece|greek|grece|grec|grecque|grecia|griego|griega",
    "IN": "india|indian|inde|indien|indienne|indio|india|hindu",
    "ID": "indonesia|indonesian|indonesie|indonesien|indonesio",
    "IE": "ireland|irish|irlande|irlandais|irlandaise|irlanda|irlandes|irlandesa",
    "IL": "israel|israeli|israelien|israeli",
    "IT": "italy|italian|italie|italien|italienne|italia|italiano|italiana",
    "JP": "japan|japanese|japon|japonais|japonaise|japones|japonesa",
    "KE": "kenya|kenyan|kenyan|keniano|kenia",
    "KR": "south korea|korea|korean|coree du sud|coree|coreen|coreenne|corea del sur|corea|coreano|coreana",
    "LU": "luxembourg|luxembourgish|luxembourgeois|luxemburgo|luxemburgues",
    "MY": "malaysia|malaysian|malaisie|malaisien|malasia|malasio",
    "MX": "mexico|mexican|mexique|mexicain|mexicaine|mexicano|mexicana",
    "MA": "morocco|moroccan|maroc|marocain|marocaine|marruecos|marroqui",
    "NL": "netherlands|dutch|pays-bas|neerlandais|neerlandaise|paises bajos|holanda|neerlandes|neerlandesa|holandes",
    "NZ": "new zealand|nouvelle-zelande|nueva zelanda|neozelandais|neozelandes",
    "NG": "nigeria|nigerian|nigerian|nigeriano",
    "NO": "norway|norwegian|norvege|norvegien|norvegienne|noruega|noruego",
    "PK": "pakistan|pakistani|pakistanais|pakistani",
    "PE": "peru|peruvian|perou|peruvien|peruano|peruana",
    "PH": "philippines|filipino|philippin|filipinas",
    "PL": "poland|polish|pologne|polonais|polonaise|polonia|polaco|polaca",
    "PT": "portugal|portuguese|portugais|portugaise|portugues|portuguesa",
    "QA": "qatar|qatari|qatarien|catar|qatari",
    "RU": "russia|russian|russie|russe|rusia|ruso|rusa",
    "SA": "saudi arabia|saudi|arabie saoudite|saoudien|arabia saudita|saudi",
    "SE": "sweden|swedish|suede|suedois|suedoise|suecia|sueco|sueca",
    "CH": "switzerland|swiss|suisse|suiza|suizo|suiza",
    "TH": "thailand|thai|thailande|thailandais|tailandia|tailandes",
    "TR": "turkey|turkish|turkiye|turquie|turc|turque|turquia|turco|turca",
    "AE": "united arab emirates|emirati|emirats arabes unis|emiratos arabes unidos",
    "GB": "united kingdom|uk|britain|great britain|british|england|english law|scotland|scottish|royaume-uni|britannique|ecosse|reino unido|britanico|britanica|escocia",
    "US": "united states|usa|u.s.|american|etats-unis|americain|americaine|estados unidos|estadounidense|norteamericano",
    "UZ": "uzbekistan|uzbek|ouzbekistan|ouzbek|uzbekistan|uzbeko",
    "VN": "vietnam|viet nam|vietnamese|vietnamien|vietnamita",
    "ZA": "south africa|south african|afrique du sud|sud-africain|sudafrica|sudafricano",
}
# Members of the EU: an EU instrument speaks for them.
EU_MEMBERS = set(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    index = {name: code for code, names in _NAMES.items() for name in names.split("|")}
    alternation = "|".join(re.escape(n) for n in sorted(index, key=len, reverse=True))
    return re.compile(rf"(?<![\w]){'(?:' + alternation + ')'}(?![\w])"), index


# Abbreviations that are also words in lower case ("us"): matched only in capitals.
_CAPITALS = re.compile(r"(?<![\w.])(US|U\.S\.|UK|UAE|EE\. ?UU\.)(?![\w])")
_CAPITAL_CODES = {
    "US": "US",
    "U.S.": "US",
    "UK": "GB",
    "UAE": "AE",
    "EE.UU.": "US",
    "EE. UU.": "US",
}


# Arabic, Chinese and Russian: CLDR's name of every country, plus a few names in common
# use that CLDR words differently. Names that are also everyday words are left out:
# "مالي" (Mali) is "financial", "того" (Togo) "of that", "мали" a form of "small".
_SCRIPTS = re.compile("[\u0600-\u06ff\u0400-\u04ff\u3400-\u4dbf\u4e00-\u9fff]")
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ"}  # CLDR territories that are not countries
_COMMON = {
    "ar": {"US": "الولايات المتحدة الأمريكية", "GB": "بريطانيا", "SA": "السعودية"},
    "zh": {"US": "美利坚合众国", "KR": "南韩"},
    "ru": {"US": "США", "GB": "Британия|Англия", "KR": "Южная Корея"},
}
_AMBIGUOUS = {"ar": {"ML"}, "zh": set(), "ru": {"TG", "ML"}}
# Russian names decline ("Франция", "во Франции", "Китая"): the endings each kind of word
# takes after its stem, by how the name ends. Names ending otherwise do not decline.
_RU_ENDINGS = (
    ("ия", 1, "я|и|ю|ей"),  # Франция → Франци + я, и, ю, ей
    ("ая", 2, "ая|ой|ую"),  # Южная
    ("ые", 2, "ые|ых|ым|ыми"),  # Соединенные
    ("ие", 2, "ие|их|им|ими"),  # Арабские
    ("ы", 1, "ы|ов|ам|ах|ами"),  # Штаты
    ("а", 1, "а|ы|и|е|у|ой|ей"),  # Корея, Канада
    ("я", 1, "я|и|е|ю|ей"),
    ("й", 1, "й|я|ю|е|ем"),  # Китай
    ("ь", 1, "ь|и|ью|я|ю|ем|е"),  # Беларусь, Израиль
)


def _ru_word(word: str) -> str:
    if "-" in word or not word.isalpha():
        return re.escape(word)
    for end, cut, endings in _RU_ENDINGS:
        if word.endswith(end):
            return re.escape(word[:-cut]) + f"(?:{endings})"
    if word[-1] in "оеиуыэю":
        return re.escape(word)  # Перу, Чили, Того: indeclinable
    return re.escape(word) + "(?:|а|у|е|ом)"  # Иран, Ирак


def _ar_name(name: str) -> str:
    """An Arabic name with the clitics it may take: "وفرنسا", "بالهند", "للمملكة"."""
    if name.startswith("ال"):
        return f"(?:[وف]?[بك]?{re.escape(name)}|[وف]?لل{re.escape(name[2:])})"
    return f"[وف]?[بلك]?{re.escape(name)}"


def _names(lang: str) -> dict[str, set[str]]:
    """Folded country names of ``lang``, by ISO code."""
    from babel import Locale

    out: dict[str, set[str]] = {}
    pairs = [*Locale(lang).territories.items()]
    pairs += [(c, n) for c, names in _COMMON[lang].items() for n in names.split("|")]
    stop = stopwords(lang)
    for code, name in pairs:
        folded = fold(name)
        if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES | _AMBIGUOUS[lang]:
            continue
        if folded and folded not in stop:
            out.setdefault(code, set()).add(folded)
    return out


@lru_cache(maxsize=2)
def _script_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for the Arabic or Russian names, and which code each alternative is."""
    alternatives, codes = [], {}
    for code, names in _names(lang).items():
        for name in names:
            if lang == "ru":
                body = r"\s+".join(_ru_word(w) for w in name.split())
            else:
                body = _ar_name(name)
            group = f"c{len(codes)}"
            codes[group] = code
            alternatives.append((len(name), f"(?P<{group}>{body})"))
    alternatives.sort(key=lambda a: -a[0])  # the longest name first: "Южная Корея", not "Корея"
    joined = "|".join(a for _, a in alternatives)
    return re.compile(rf"(?<!\w)(?:{joined})(?!\w)"), codes


@lru_cache(maxsize=1)
def _chinese_names() -> dict[str, str]:
    return {name.replace(" ", ""): code for code, names in _names("zh").items() for name in names}


def _chinese(text: str) -> set[str]:
    """Chinese names as runs of whole words (jieba's): "法国" is not found in "合法国家"."""
    names = _chinese_names()
    longest = max(map(len, names), default=0)
    toks = words(text)
    found = set()
    for i in range(len(toks)):
        joined = ""
        for tok in toks[i:]:
            joined += tok
            if len(joined) > longest:
                break
            if joined in names:
                found.add(names[joined])
    return found


def _other_scripts(text: str) -> set[str]:
    """ISO codes of the countries an Arabic, Chinese or Russian text names."""
    folded = fold(text)
    found = _chinese(text) if has_han(text) else set()
    for lang in ("ar", "ru"):
        pattern, codes = _script_pattern(lang)
        found |= {codes[m.lastgroup] for m in pattern.finditer(folded) if m.lastgroup}
    return found


def countries(text: str) -> set[str]:
    """ISO codes of the countries a text names, in any of the six UN languages."""
    pattern, index = _pattern()
    folded = fold(text).replace("'s", "")
    found = {index[m.group(0)] for m in pattern.finditer(folded)}
    if _SCRIPTS.search(text):
        found |= _other_scripts(text)
    return found | {_CAPITAL_CODES[m.group(1)] for m in _CAPITALS.finditer(text)}


def covered(code: str, jurisdictions: set[str], texts: str) -> bool:
    """Whether evidence with these jurisdictions and texts speaks about country ``code``."""
    if code in jurisdictions or code in countries(texts):
        return True
    return code in EU_MEMBERS and "EU" in jurisdictions


def country_name(code: str, lang: str = "en") -> str:
    """The name of an ISO country code in ``lang`` ("JP", "fr" → "Japon"), from the CLDR
    data of ``babel``; the code itself when it names no country."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(lang or "en").territories
    except (UnknownLocaleError, ValueError):
        names = Locale("en").territories
    return names.get(code.upper(), code) if len(code) == 2 and code.isalpha() else code
