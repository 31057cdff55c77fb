"""The fixed phrases of answers in the seven languages Praxis speaks, and the language of a question.

`phrase(key, lang, **fields)` is the one place the words an answer adds around the documents'
sentences come from: "The documents do not say…", "not stated", table headers, the template's
section names and the key-fact labels. Quoted sentences of the documents are never translated.

`detect_language(text)` tells which of the seven languages a question is written in, by counting
the function words and the letters that only one of them uses (general facts of each language,
nothing of any corpus). A text with no such signal gets the default.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

LANGUAGES: tuple[str, ...] = ("en", "lt", "de", "fr", "es", "pl", "it")
DEFAULT_LANGUAGE = "en"

# Each language's own name, for a language switch.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "lt": "Lietuvių",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "pl": "Polski",
    "it": "Italiano",
}


def _row(en: str, lt: str, de: str, fr: str, es: str, pl: str, it: str) -> dict[str, str]:
    return {"en": en, "lt": lt, "de": de, "fr": fr, "es": es, "pl": pl, "it": it}


PHRASES: dict[str, dict[str, str]] = {
    # -- what an answer says around the documents' sentences ----------------------------------
    "documents_do_not_say": _row(
        "The documents do not say: {question}",
        "Dokumentuose to nėra: {question}",
        "Die Dokumente sagen dazu nichts: {question}",
        "Les documents ne le disent pas : {question}",
        "Los documentos no lo dicen: {question}",
        "Dokumenty tego nie mówią: {question}",
        "I documenti non lo dicono: {question}",
    ),
    "nearest_practices": _row(
        "The nearest practices are: {names}.",
        "Artimiausios praktikos: {names}.",
        "Die nächstliegenden Praxisbeispiele sind: {names}.",
        "Les pratiques les plus proches sont : {names}.",
        "Las prácticas más cercanas son: {names}.",
        "Najbliższe praktyki to: {names}.",
        "Le pratiche più vicine sono: {names}.",
    ),
    "not_stated": _row(
        "not stated",
        "nenurodyta",
        "nicht angegeben",
        "non précisé",
        "no consta",
        "nie podano",
        "non indicato",
    ),
    "not_stated_in_document": _row(
        "not stated in the document",
        "dokumente nenurodyta",
        "im Dokument nicht angegeben",
        "non précisé dans le document",
        "no consta en el documento",
        "nie podano w dokumencie",
        "non indicato nel documento",
    ),
    "quoted_as_written": _row(
        "Quoted from the documents as written:",
        "Cituojama iš dokumentų originalo kalba:",
        "Wörtlich aus den Dokumenten zitiert:",
        "Cité tel quel à partir des documents :",
        "Citado de los documentos tal como está escrito:",
        "Cytaty z dokumentów w oryginalnym brzmieniu:",
        "Citato dai documenti così come è scritto:",
    ),
    "sources": _row("Sources", "Šaltiniai", "Quellen", "Sources", "Fuentes", "Źródła", "Fonti"),
    "more": _row("more", "daugiau", "weitere", "de plus", "más", "więcej", "altri"),
    # -- table headers --------------------------------------------------------------------------
    "practice": _row("Practice", "Praktika", "Praxisbeispiel", "Pratique", "Práctica", "Praktyka", "Pratica"),
    "country": _row("Country", "Šalis", "Land", "Pays", "País", "Kraj", "Paese"),
    "region": _row("Region", "Regionas", "Region", "Région", "Región", "Region", "Regione"),
    "theme": _row("Theme", "Tema", "Thema", "Thème", "Tema", "Temat", "Tema"),
    "value": _row("Value", "Reikšmė", "Wert", "Valeur", "Valor", "Wartość", "Valore"),
    "source": _row("Source", "Šaltinis", "Quelle", "Source", "Fuente", "Źródło", "Fonte"),
    # -- key-fact labels (assistant.practices.facts.model.KIND_LABELS) -------------------------
    "fact:start_year": _row(
        "Start year",
        "Pradžios metai",
        "Startjahr",
        "Année de début",
        "Año de inicio",
        "Rok rozpoczęcia",
        "Anno di avvio",
    ),
    "fact:budget": _row(
        "Budget / cost",
        "Biudžetas / kaina",
        "Budget / Kosten",
        "Budget / coût",
        "Presupuesto / coste",
        "Budżet / koszt",
        "Budget / costo",
    ),
    "fact:grant": _row(
        "Grant per beneficiary",
        "Parama vienam gavėjui",
        "Zuschuss je Begünstigten",
        "Subvention par bénéficiaire",
        "Ayuda por beneficiario",
        "Dotacja na beneficjenta",
        "Contributo per beneficiario",
    ),
    "fact:amount": _row(
        "Other amounts",
        "Kitos sumos",
        "Weitere Beträge",
        "Autres montants",
        "Otros importes",
        "Inne kwoty",
        "Altri importi",
    ),
    "fact:staff": _row("Staff", "Darbuotojai", "Personal", "Personnel", "Personal", "Personel", "Personale"),
    "fact:members": _row("Members", "Nariai", "Mitglieder", "Membres", "Miembros", "Członkowie", "Membri"),
    "fact:beneficiaries": _row(
        "Beneficiaries",
        "Naudos gavėjai",
        "Begünstigte",
        "Bénéficiaires",
        "Beneficiarios",
        "Beneficjenci",
        "Beneficiari",
    ),
    "fact:duration": _row("Duration", "Trukmė", "Dauer", "Durée", "Duración", "Czas trwania", "Durata"),
    "fact:funding_source": _row(
        "Funding source",
        "Finansavimo šaltinis",
        "Finanzierungsquelle",
        "Source de financement",
        "Fuente de financiación",
        "Źródło finansowania",
        "Fonte di finanziamento",
    ),
    "fact:result": _row(
        "Results", "Rezultatai", "Ergebnisse", "Résultats", "Resultados", "Wyniki", "Risultati"
    ),
    "fact:owner": _row("Owner", "Savininkas", "Träger", "Porteur", "Titular", "Właściciel", "Titolare"),
    "fact:country": _row("Country", "Šalis", "Land", "Pays", "País", "Kraj", "Paese"),
    "fact:region": _row("Region", "Regionas", "Region", "Région", "Región", "Region", "Regione"),
    # -- the template's section names (assistant.types.SECTION_NAMES) --------------------------
    "section:About this good practice": _row(
        "About this good practice",
        "Apie šią gerąją praktiką",
        "Über diese gute Praxis",
        "À propos de cette bonne pratique",
        "Acerca de esta buena práctica",
        "O tej dobrej praktyce",
        "Informazioni su questa buona pratica",
    ),
    "section:Expert opinion": _row(
        "Expert opinion",
        "Eksperto nuomonė",
        "Expertenmeinung",
        "Avis d'expert",
        "Opinión de expertos",
        "Opinia eksperta",
        "Parere degli esperti",
    ),
    "section:Resources needed": _row(
        "Resources needed",
        "Reikalingi ištekliai",
        "Benötigte Ressourcen",
        "Ressources nécessaires",
        "Recursos necesarios",
        "Potrzebne zasoby",
        "Risorse necessarie",
    ),
    "section:Evidence of success": _row(
        "Evidence of success",
        "Sėkmės įrodymai",
        "Erfolgsnachweise",
        "Preuves de réussite",
        "Pruebas de éxito",
        "Dowody sukcesu",
        "Prove di successo",
    ),
    "section:Potential for learning or transfer": _row(
        "Potential for learning or transfer",
        "Mokymosi ar perkėlimo galimybės",
        "Potenzial für Lernen oder Transfer",
        "Potentiel d'apprentissage ou de transfert",
        "Potencial de aprendizaje o transferencia",
        "Potencjał uczenia się lub transferu",
        "Potenziale di apprendimento o trasferimento",
    ),
    "section:Further information": _row(
        "Further information",
        "Papildoma informacija",
        "Weitere Informationen",
        "Informations complémentaires",
        "Más información",
        "Dodatkowe informacje",
        "Ulteriori informazioni",
    ),
    "section:Good practice owner": _row(
        "Good practice owner",
        "Gerosios praktikos savininkas",
        "Träger der guten Praxis",
        "Porteur de la bonne pratique",
        "Titular de la buena práctica",
        "Właściciel dobrej praktyki",
        "Titolare della buona pratica",
    ),
    "section:Document": _row(
        "Document", "Dokumentas", "Dokument", "Document", "Documento", "Dokument", "Documento"
    ),
}


def language_of(code: str | None) -> str:
    """One of LANGUAGES for a language tag ('de-AT', 'PL', 'pt' -> 'de', 'pl', 'en')."""
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def phrase(key: str, lang: str = DEFAULT_LANGUAGE, **fields: object) -> str:
    """The phrase `key` in `lang` (English for a language Praxis does not speak), fields filled in.

    Raises KeyError for a key that is not a phrase.
    """
    text = PHRASES[key][language_of(lang)]
    return text.format(**fields) if fields else text


def section_name(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A template section's name in `lang`; a heading outside the template stays as written."""
    translations = PHRASES.get(f"section:{name}")
    return translations[language_of(lang)] if translations else name


def fact_label(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A key-fact kind's label in `lang` (the kind itself when it has no label)."""
    translations = PHRASES.get(f"fact:{kind}")
    return translations[language_of(lang)] if translations else kind


# -- which language a question is written in --------------------------------------------------

# The commonest function words and question words of each language, folded (no accents).
_FUNCTION_WORDS: Mapping[str, frozenset[str]] = {
    "en": frozenset(
        """the of and is are was were what which who how many much does do did when where why with
        for from this that these those there have has it its an a to in on by be been any our
        we can could would should""".split()
    ),
    "lt": frozenset(
        """ir yra kiek kas kaip kur kada kodel koks kokia kokie kokiu kuris kuri kurie ar i su
        uz apie per tai ji jis jie buvo turi gali arba bet""".split()
    ),
    "de": frozenset(
        """der die das und ist sind wie was welche welcher welches wer wann wo warum viel viele ein
        eine einen einem eines den dem des mit von fur im beim zum zur hat haben auf aus nicht
        wurde wurden auch sich es""".split()
    ),
    "fr": frozenset(
        """le la les des du et est sont quel quelle quels quelles comment combien qui quand ou
        pourquoi un une pour dans avec par ce cette ces au aux sur ont pas peut qu l d""".split()
    ),
    "es": frozenset(
        """el la los las del y es son que cual cuales como cuanto cuantos cuanta cuantas quien
        donde cuando por un una para con en su sus al ha han se lo""".split()
    ),
    "pl": frozenset(
        """i w z na do sie jest sa jak jaki jaka jakie ile kto kiedy gdzie dlaczego czy to o przez
        dla od ktory ktora ktore jego ich oraz lub nie tak""".split()
    ),
    "it": frozenset(
        """il lo la gli le di del della dei delle e sono quale quali come quanto quanti quante chi
        quando dove perche un una per con nel nella che ha hanno si al alla non""".split()
    ),
}
# Letters that, among the seven, only one language writes.
_OWN_LETTERS: Mapping[str, str] = {
    "lt": "ėįųū",
    "pl": "łśźżń",
    "de": "äöüß",
    "fr": "çœêûîôëâ",
    "es": "ñ¿¡",
    "it": "ìò",
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def detect_language(text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """The language of `text` among LANGUAGES, or `default` when nothing in it tells.

    Each function word of a language counts one point for it and each letter only that language
    writes counts two; the highest score wins, the default on a tie with it or on no score.
    """
    words = _WORD.findall(_fold(text))
    scores = {
        lang: float(sum(w in vocabulary for w in words)) for lang, vocabulary in _FUNCTION_WORDS.items()
    }
    lowered = text.lower()
    for lang, letters in _OWN_LETTERS.items():
        scores[lang] += 2 * sum(lowered.count(letter) for letter in letters)
    best = max(scores.values())
    if best <= 0:
        return language_of(default)
    default = language_of(default)
    if scores.get(default, 0) == best:
        return default
    return max(LANGUAGES, key=lambda lang: scores[lang])
