"""Country names in English, French and Spanish (nouns and adjectives) → ISO codes.

Used to tell when a question is about a country the knowledge base does not cover
("What does Japan's procurement act say…?"): the assistant must then say so rather than
answer from another country's law.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.language import fold

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


def countries(text: str) -> set[str]:
    """ISO codes of the countries a text names, in any of the three languages."""
    pattern, index = _pattern()
    folded = fold(text).replace("'s", "")
    found = {index[m.group(0)] for m in pattern.finditer(folded)}
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
