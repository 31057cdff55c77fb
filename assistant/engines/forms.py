"""Question forms in the supported languages (English, Lithuanian, German, French, Spanish, Polish,
Italian): general patterns of how a question asks, never what it is about.

They complement the learned router where word meaning cannot tell: "which practices" (a set) from
"which practice" (one, for us), "in three points", a comparative with "or", a threshold ("more
than 300"), and they read the parts the engines need: how many points, which direction a
comparison or ranking goes.
"""

from __future__ import annotations

import re

from assistant.question import FOREIGN_FUNCTION_WORDS, is_foreign
from assistant.vocabulary import NUMBER_WORDS, fold

# plural kind words: a question about a set of practices
KINDS = (
    r"practices|schemes|initiatives|programmes|programs|projects|clusters|cooperatives|networks|"
    r"organisations|organizations|associations|examples|measures|instruments|models|vouchers|"
    r"cities|regions|towns|municipalities|countries|ones|"
    r"praktiken|projekte|programme|initiativen|beispiele|"
    r"pratiques|projets|programmes|initiatives|exemples|"
    r"practicas|proyectos|programas|iniciativas|ejemplos|"
    r"pratiche|progetti|programmi|iniziative|esempi|"
    r"praktyki|praktyk|projekty|projektow|programy|programow|inicjatywy|"
    r"praktikos|praktiku|praktik|projektai|projektu|programos|programu|iniciatyvos"
)
_SELECT = re.compile(
    r"\b(which|what)\s+(of\s+(the|these|those)\s+)?([\w'’-]+\s+){0,5}(" + KINDS + r")\b"
    r"|\bhow many\s+(of\s+the\s+)?([\w'’-]+\s+){0,4}(" + KINDS + r")\b"
    r"|^\s*(list|name|show|give me|rank|sort|count|enumerate)\b"
    r"|\b(are there (any )?(practices|examples|schemes))\b"
    r"|\b(welche|wie viele)\s+([\w-]+\s+){0,3}(" + KINDS + r")\b"
    r"|\b(quel(le)?s|combien de|lesquel(le)?s)\s+([\w'-]+\s+){0,3}(" + KINDS + r")\b"
    r"|\b(que|cuales|cuantos|cuantas)\s+([\w-]+\s+){0,3}(" + KINDS + r")\b"
    r"|\b(quali|quanti|quante)\s+([\w'-]+\s+){0,3}(" + KINDS + r")\b"
    r"|\b(ktore|ile|jakie)\s+([\w-]+\s+){0,3}(" + KINDS + r")\b"
    r"|\b(kurios|kurie|kiek)\s+([\w-]+\s+){0,3}(" + KINDS + r")\b"
    r"|^\s*(wymien|pokaz|nurodykite|isvardykite|elenca|enumera|auflisten|liste|nenne|citez)\b"
    # what the collection has on a topic: "What do you have on X?", "Anything about X?"
    r"|^\s*(what|which) (do|can) you (have|show|offer)\b|^\s*(anything|something) (on|about|for|to do with)\b"
    r"|^\s*((do|have) you (have|got)|got|is there) (anything|something)\b"
    r"|^\s*(any )?(good )?(examples|practices) (of|on|about|for|with|in)\b"
    r"|^\s*(habt ihr|haben sie|gibt es) (etwas|was)\b"
    r"|^\s*(avez-vous|as-tu|y a-t-il) (quelque chose|des exemples)\b"
    r"|^\s*[?¿]?(teneis|tienen|tiene|hay) (algo|ejemplos)\b|^\s*(avete|c'e) (qualcosa|esempi)\b"
    r"|^\s*czy (macie|masz|jest) (cos|jakies)\b"
)
_COUNT = re.compile(
    r"\bhow many\b|\bnumber of (practices|schemes|projects)\b|\bwie viele\b|\bcombien\b|\bcuant[oa]s\b|"
    r"\bquant[ie]\b|\bile\b|\bkiek\b"
)
# a superlative or a ranking: one practice picked out of a set by a measure
_SUPERLATIVE = re.compile(
    r"\b(the )?(largest|biggest|most|highest|greatest|lowest|smallest|least|fewest|oldest|newest|"
    r"youngest|earliest|latest|longest|shortest|cheapest|priciest|widest|rank|ranking|top)\b"
    r"|\b(start\w*|began|begun|found\w*|launch\w*|set up|establish\w*|creat\w*) (first|last)\b"
    r"|\b(am (meisten|grossten|hochsten|altesten|wenigsten|kleinsten|billigsten|langsten))\b"
    r"|\b(der|die|das|den) (meisten|grosste\w*|hochste\w*|alteste\w*|wenigsten|kleinste\w*|"
    r"billigste\w*|langste\w*|neueste\w*|jungste\w*)\b"
    r"|\b(le|la|les) plus\b|\b(le|la|les) moins\b"
    r"|\b(el|la|los|las) (mas|menos)\b|\bmas (grande|antiguo|antigua)\b"
    r"|\b(il|la|i|le) (piu|meno)\b"
    r"|\bnaj\w+"
    r"|\bdaugiausia|\bmaziausia|\bseniausi\w*|\bdidziausi\w*"
)
# a comparative between named things
_COMPARATIVE = re.compile(
    r"\b(more|less|fewer|bigger|larger|smaller|older|newer|younger|cheaper|dearer|longer|shorter|"
    r"earlier|later|higher|lower|greater|faster|slower|compare|compared|comparison|differ|differs|"
    r"difference|versus|vs|than|stacks? up|measures? up)\b"
    r"|\b(mehr|weniger|grosser|kleiner|alter|junger|billiger|teurer|langer|fruher|spater|hoher|"
    r"vergleich\w*)\b"
    r"|\b(plus|moins|compar\w*)\b|\b(mas|menos|mayor|menor|compar\w*)\b"
    r"|\b(piu|meno|maggiore|minore|confront\w*)\b"
    r"|\b(wiecej|mniej|wiekszy|mniejszy|starszy|mlodszy|tanszy|porown\w*)\b"
    r"|\b(daugiau|maziau|didesn\w*|mazesn\w*|senesn\w*|jaunesn\w*|pigesn\w*|palygin\w*)\b"
)
_CHOICE = re.compile(r"\b(or|oder|ou|o|czy|ar|between|zwischen|entre|tra|fra|pomiedzy|tarp)\b|\bvs\b|,")
_SUMMARY = re.compile(
    r"\b(summar\w*|summeri[sz]e|sum (it |this |that |them )?up|overview|outline|nutshell|gist|essentials|"
    r"key points|main points|briefly|in brief|in short|highlights|at a glance|recap|tl;?dr|"
    r"(key|main|most important) (facts|things|features|aspects|elements|takeaways)|"
    r"what (should|do) (i|we) (need to )?know about|tell (me|us) (more|everything) about|"
    r"more (details|information) (on|about))\b"
    r"|\bin (\d+|two|three|four|five|six|a few|some) (points|bullet points|bullets|sentences|lines)\b"
    r"|\b(zusammenfass\w*|fasse\w*|uberblick)\b|\b(in (\w+ )?punkten)\b"
    r"|\b(resum\w*|synthese|en (\w+ )?points)\b"
    r"|\b(en (\w+ )?puntos|sintetiza\w*)\b"
    r"|\b(riassum\w*|sintetizz\w*|in (\w+ )?punti)\b"
    r"|\b(podsumuj\w*|podsumowanie|stresc\w*|w (\w+ )?punktach)\b"
    r"|\b(apibendrin\w*|santrauk\w*|(\w+ )?punktais)\b"
)
# "we / our region": the asker's own situation (a transfer question when no practice is named)
_WE = re.compile(
    r"\b(we|our|us|i work for|my (region|city|town|municipality|agency)|"
    r"wir|unser\w*|uns|nous|notre|nos|somos|nuestr\w*|nosotros|siamo|nostr\w*|noi|"
    r"jestesmy|nasz\w*|nam|esame|musu|mes)\b"
)
_ONE_PRACTICE = re.compile(
    r"\b(which|what) (good )?(practice|model|scheme|example|approach)\b|\b(fits?|suits?|suit us|help|"
    r"adopt|copy|follow|recommend|learn from|model to follow|the model)\b"
    r"|\b(welche praxis|passt|quelle pratique|conviendrait|que practica|nos sirve|quale pratica|fa per noi|"
    r"ktora praktyka|pasuje|kuri praktika|tinka)\b"
)
_THRESHOLD = re.compile(
    r"\b(more than|less than|fewer than|over|under|below|above|at least|at most|up to|or more|or fewer|"
    r"or less|before|after|since|earlier than|later than|exceed\w*|mehr als|weniger als|uber|unter|vor|nach|"
    r"plus de|moins de|avant|apres|mas de|menos de|antes de|despues de|piu di|meno di|prima del|dopo il|"
    r"wiecej niz|mniej niz|ponad|przed|po|daugiau nei|maziau nei|iki|po)\b"
    r"\s*(\w+\s+){0,2}?(\d|" + "|".join(NUMBER_WORDS) + r")"
)


_COLLECTION = re.compile(
    r"\b(practices|praktiken|pratiques|practicas|pratiche|praktyki|praktyk|praktikos|praktiku)\b"
    r"|\b(in|from|across) the (collection|documents)\b"
)


# "older people", "younger workers": a group of people, not a comparison of practices' ages
_AGE_GROUP = re.compile(
    r"\b(older|younger|oldest|youngest)\s+(?=(people|persons|adults|residents|citizens|patients|workers|"
    r"women|men|generations?|pupils|children|users|members of)\b)"
)


def _folded(question: str) -> str:
    return _AGE_GROUP.sub("", " ".join(fold(question).replace("’", "'").split()))


def selects(question: str) -> bool:
    """Asks for a set of practices: "which practices", "how many schemes", "list ..."."""
    return bool(_SELECT.search(_folded(question)))


# asks where the practices come from: "which countries do they come from", "where are they based"
_COUNTRIES_ASKED = re.compile(
    r"\b((from|in) )?(which|what) (countries|country)\b"
    r"|\bwhere (are|do|does|is|were|did)\b(?P<subject>.{0,40}?)"
    r"\b(from|located|based|come from|take place|happen)\b"
    r"|\b(aus )?welche[nrm]? (lander\w*|land)\b|\b(de )?quels? pays\b|\b(de )?que(s)? paises\b"
    r"|\b(da )?quali paesi\b|\b(z )?(ktore|jakie|jakich) (kraje|krajow)\b|\b(is )?kuri(os|u) sali(s|u)\b"
)
# ... and the verb of where they come from, no topic ("come from", "are based")
_WHERE_VERBS = re.compile(
    r"\b(come|comes|coming|located|based|take place|takes place|happen|are|is|from|kommen|stammen|viennent|"
    r"vienen|provengono|pochodza|yra)\b"
)


def asks_countries(question: str) -> bool:
    """Asks which countries the practices (or those on a topic) come from."""
    return bool(_COUNTRIES_ASKED.search(_folded(question)))


def without_countries_asked(question: str) -> str:
    """The question without its asking for countries: what is left says which practices ("Which
    countries have practices on tourism?" -> "have practices on tourism")."""
    folded = _folded(question)
    rest = _COUNTRIES_ASKED.sub(lambda m: " " + (m.group("subject") or "") + " ", folded)
    if is_foreign(question):  # its function words, its word for "practices" say nothing of them
        rest = _COLLECTION.sub(" ", rest)
        # (and its words of three letters or fewer: "die", "son", "ont" are words of English too)
        kept = (w.strip("?¿!.,") for w in rest.split())
        rest = " ".join(w for w in kept if len(w) > 3 and w not in FOREIGN_FUNCTION_WORDS)
    return " ".join(_WHERE_VERBS.sub(" ", rest).split())


def about_collection(question: str) -> bool:
    """Speaks of the practices as a set ("practices", "in the collection"), in any language."""
    folded = _folded(question)
    return bool(_COLLECTION.search(folded)) and bool(_SELECT.search(folded) or _COUNT.search(folded))


_ONE = re.compile(
    r"\b(is there|are there|do you have|have you got) (a|an|any) (good )?(practice|example|scheme|initiative|"
    r"project|programme)\b(?!s)"
)


# "which of them", "which one": picks among the practices in focus by what it says next
_PICKS_AMONG = re.compile(
    r"\b(which|what) (one|of (them|these|those|the two|both))\b|\bwelche[rs]? (davon|von ihnen)\b|"
    r"\b(lequel|laquelle|lesquels)\b|\bcual(es)? de\b|\bquale di\b|\bktor\w+ z\b|\bkur\w* is\b"
)


def picks_among(question: str) -> bool:
    """Picks among the practices in focus: "Which of them helps older people?"."""
    return bool(_PICKS_AMONG.search(_folded(question)))


def asks_one_practice(question: str) -> bool:
    """Asks whether there is a practice ("Is there a practice that ..."): one, not a list."""
    return bool(_ONE.search(_folded(question)))


def counts(question: str) -> bool:
    return bool(_COUNT.search(_folded(question)))


def superlative(question: str) -> bool:
    return bool(_SUPERLATIVE.search(_folded(question)))


def comparative(question: str) -> bool:
    return bool(_COMPARATIVE.search(_folded(question)))


def choice(question: str) -> bool:
    """Offers alternatives: "A or B", "between A and B", "A vs B"."""
    return bool(_CHOICE.search(_folded(question)))


def summary(question: str) -> bool:
    return bool(_SUMMARY.search(_folded(question)))


def own_situation(question: str) -> bool:
    """Speaks of the asker's own place ("we", "our region") and asks which practice fits it."""
    folded = _folded(question)
    return bool(_WE.search(folded)) and bool(_ONE_PRACTICE.search(folded))


def threshold(question: str) -> bool:
    return bool(_THRESHOLD.search(_folded(question)))


_POINT_WORDS = {
    # the number words of the supported languages, 2 to 7
    **{w: n for w, n in NUMBER_WORDS.items() if isinstance(n, int) and 2 <= n <= 10},
    "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6,
    "dwa": 2, "dwoch": 2, "trzy": 3, "trzech": 3, "cztery": 4, "czterech": 4, "piec": 5, "pieciu": 5,
    "du": 2, "dviem": 2, "trys": 3, "trimis": 3, "keturi": 4, "keturiais": 4, "penki": 5, "penkiais": 5,
}  # fmt: skip
_POINTS = re.compile(
    r"\b(\d{1,2}|" + "|".join(sorted(_POINT_WORDS, key=len, reverse=True)) + r")(?:\s+|-)(\w+\s+)?"
    r"(points?|bullet|bullets|sentences|lines|items|takeaways|things|facts|highlights|punkten|punkte|points|puntos|punti|"
    r"punktach|punkty|punktais|punktai|saetzen|satzen|phrases|frases|frasi|zdaniach|sakiniais)\b"
)


def points_asked(question: str) -> int | None:
    """How many points a summary should have ("in three points" -> 3), None when not said."""
    match = _POINTS.search(_folded(question))
    if not match:
        return None
    word = match.group(1)
    return int(word) if word.isdigit() else _POINT_WORDS.get(word)


# -- direction of a comparison or ranking --------------------------------------------------------

_LOW = re.compile(
    r"\b(less|fewer|smaller|smallest|least|fewest|lowest|lower|cheaper|cheapest|shorter|shortest|"
    r"older|oldest|earlier|earliest|first|longer track record|longest track record|longer-running|"
    r"longest-running|longer running|longest running|weniger|kleiner|billiger|alter|alteste\w*|fruher|"
    r"moins|plus ancien\w*|plus vieux|plus tot|menos|mas antigu\w*|meno|piu vecch\w*|piu antic\w*|"
    r"mniej|starsz\w*|najstarsz\w*|tansz\w*|maziau|senesn\w*|seniausi\w*|pigesn\w*)\b"
)
_YEAR_MEASURE = re.compile(
    r"\b(older|oldest|newer|newest|younger|youngest|earlier|earliest|later|latest|first|track record|"
    r"longer-running|longest-running|longer running|longest running|started|start|founded|set up|"
    r"launched|began|begun|established|alter|alteste\w*|junger|jungste\w*|fruher|spater|ancien\w*|vieux|recent\w*|antigu\w*|"
    r"reciente\w*|vecch\w*|antic\w*|starsz\w*|mlodsz\w*|senesn\w*|seniausi\w*|jaunesn\w*|naujesn\w*)\b"
)


def wants_low(question: str) -> bool:
    """The comparison or ranking asks for the lower value (cheaper, fewer, older = earlier year)."""
    return bool(_LOW.search(_folded(question)))


# English superlatives, each with the one at the other end of its scale
_OTHER_END = {
    "largest": "smallest", "biggest": "smallest", "highest": "lowest", "greatest": "least",
    "oldest": "newest", "earliest": "latest", "longest": "shortest", "cheapest": "most expensive",
    "most": "fewest", "smallest": "largest", "lowest": "highest", "least": "most", "fewest": "most",
    "newest": "oldest", "youngest": "oldest", "latest": "earliest", "shortest": "longest",
}  # fmt: skip
_ONLY_SUPERLATIVE = re.compile(
    r"^\s*(the\s+)?(?P<word>" + "|".join(_OTHER_END) + r"|most expensive)(\s+one)?\s*$"
)
_IN_PREVIOUS = re.compile(r"\b(" + "|".join(_OTHER_END) + r")\b", re.IGNORECASE)


def at_the_other_end(subject: str, previous: str) -> str | None:
    """ "And the smallest?" after "Which practice has the most members?": the previous ranking
    asked the other way round ("Which practice has the fewest members?"); None when the subject
    is not a bare superlative or the previous question ranks by none."""
    said = _ONLY_SUPERLATIVE.match(_folded(subject))
    ranked = _IN_PREVIOUS.search(previous)
    if said is None or ranked is None:
        return None
    word, before = said.group("word"), ranked.group(1).lower()
    if word == before:
        return None
    if before in ("most", "least", "fewest"):  # "the most members": a count, so "fewest" / "most"
        word = "fewest" if wants_low(word) else "most"
    return previous[: ranked.start()] + word + previous[ranked.end() :]


def asks_age(question: str) -> bool:
    """Compares or ranks by when practices started (older, newest, track record)."""
    return bool(_YEAR_MEASURE.search(_folded(question)))


_OR = r"(?:or|oder|ou|o|czy|ar|vs\.?|versus)"
_BETWEEN_AND = re.compile(
    r"\b(?:between|zwischen|entre|tra|fra|pomiedzy|tarp)\s+(?P<a>.+?)\s+(?:and|und|et|y|e|i|ir)\s+(?P<b>.+?)(?:,|\?|$)",
    re.IGNORECASE,
)
# "Compare A and B", "Compare A with B" (the imperative of the languages the router reads)
_COMPARE_AND = re.compile(
    r"^\s*(?:please\s+)?(?:compare|vergleiche|vergleichen sie|comparez|compara|confronta|porownaj|"
    r"palygink)\s+"
    r"(?P<a>.+?)\s+(?:and|with|to|against|und|mit|et|avec|y|con|e|i|z|ir|su)\s+(?P<b>.+?)\s*$",
    re.IGNORECASE,
)
_THAN = re.compile(
    r"^\s*(?:is|are|was|does|did|has|have|ist|est|es|jest|ar)\s+(?P<a>.+?)\s+\w+(?:er)?\s+(?:than|als|que|di|niz|nei|kaip)\s+(?P<b>.+?)\s*\?*$",
    re.IGNORECASE,
)


def alternatives(question: str) -> list[str]:
    """The two things a comparison offers: 'Which is older: A or B?', 'Which has more members,
    A or B?', 'Between A and B, which ...?', 'Is A bigger than B?', 'Compare A and B' -> [A, B];
    [] otherwise."""
    text = " ".join(question.strip().split()).rstrip("?.! ")
    between = _BETWEEN_AND.search(text)
    if between:
        return [between.group("a").strip(" ,"), between.group("b").strip(" ,")]
    compare = _COMPARE_AND.match(text)
    if compare:
        return [compare.group("a").strip(" ,"), compare.group("b").strip(" ,")]
    than = _THAN.match(text)
    if than and comparative(question):
        return [than.group("a").strip(" ,"), than.group("b").strip(" ,")]
    match = re.search(r"[:,—–]\s*(?P<a>[^:,—–]+?)\s+" + _OR + r"\s+(?P<b>[^:,—–]+)$", text, re.IGNORECASE)
    if match:
        return [match.group("a").strip(), match.group("b").strip()]
    return []
