"""The reading of a question, table-driven over questions on many subjects."""

import pytest

from geoscout.question import read_question


@pytest.mark.parametrize(
    ("question", "count", "largest_first", "periods", "units", "near"),
    [
        ("Which are the 10 most populated cities? Give population and December temperature.", 10, True,
         {"dec"}, (), None),
        ("Map the 6 longest rivers in South America, with their length in km. Place each river at its mouth.",
         6, True, set(), ("km",), "mouth"),
        ("Map the 8 highest mountains with their elevation in metres and the year of their first ascent.", 8,
         True, set(), ("m",), None),
        ("The capitals of the G7 countries with their average annual temperature in °C.", None, None,
         {"year"}, ("°C",), None),
        ("Map the 5 largest lakes in Africa with their area in km² and maximum depth.", 5, True, set(),
         ("km²",), None),
        ("The 7 busiest container ports in 2022, with their throughput in TEU.", 7, True, set(), ("TEU",),
         None),
        ("The 4 coldest capitals other than Ottawa in January.", 4, False, {"jan"}, (), None),
        ("The 3 tallest towers, with their height, placed at the summit of each.", 3, True, set(), (),
         "summit"),
        ("Which 5 airports in May handled the most passengers?", 5, True, set(), (), None),  # May: a verb
    ],
)  # fmt: skip
def test_a_question_is_read_once_into_one_typed_object(question, count, largest_first, periods, units, near):
    reading = read_question(question)
    assert reading.count == count and reading.largest_first is largest_first
    assert set(reading.periods) <= periods | {"may"} and periods <= set(reading.periods)
    assert reading.units == units and reading.near == near


def test_the_words_an_agent_asks_are_completed_with_the_questions_period_and_unit():
    reading = read_question("The 5 largest cities with their average temperature in December in °C")
    assert reading.completes("average temperature") == "average temperature dec °C"
    assert reading.completes("July temperature in °C") == "July temperature in °C"
    assert read_question("The 3 longest rivers").completes("length") == "length"


@pytest.mark.parametrize(
    ("question", "what", "dated"),
    [
        (
            "The 6 busiest airports in Europe in 2023, with their passenger numbers",
            "passenger numbers",
            "passenger numbers in 2023",
        ),
        (
            "The 8 countries with the highest life expectancy in 2019",
            "life expectancy",
            "life expectancy in 2019",
        ),
        (
            "The 5 busiest container ports of 2022 and their throughput",
            "throughput in 2021",
            "throughput in 2021",
        ),
        ("The 5 largest stadiums opened before 2000, with their capacity", "capacity", "capacity"),  # a bound
        ("The 3 longest rivers", "length", "length"),
    ],
)
def test_the_one_year_a_question_asks_of_dates_each_value(question, what, dated):
    assert read_question(question).dated(what) == dated


@pytest.mark.parametrize(
    ("task", "kind"),
    [
        ("Which are the 6 most populous countries in the world?", "countries"),
        ("Which are the 4 largest urban agglomerations in Africa?", "agglomerations"),
        ("What are the 5 most populous cities in India?", "cities"),
        ("What is the January temperature in the capitals of France and Spain?", "capitals"),  # not counted
        ("Which 3 rivers are the longest?", None),
    ],
)
def test_the_kind_of_place_a_question_counts(task, kind):
    assert read_question(task).kind == kind


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("Map the 6 longest rivers in South America", "South America"),
        ("the 5 largest natural lakes in Africa by surface area", "Africa"),
        ("the capitals of France, Germany and the United Kingdom", "France, Germany, United Kingdom"),
        ("Map the 5 deepest points of the Gulf of Mexico", None),  # a country inside a longer name
        ("Map the 4 largest islands in the Bay of Bengal", None),
        ("Map the capitals of the G7 countries", None),
        ("Map the 7 busiest container ports in the world in 2022", None),
        ("Which 8 countries of South America had the highest life expectancy?", "South America"),
    ],
)
def test_the_region_a_question_limits_itself_to(question, label):
    region = read_question(question).region
    assert (region[0] if region else None) == label


@pytest.mark.parametrize(
    ("question", "capitals"),
    [
        ("Map the capitals of the G7 countries with their population", True),
        ("The 5 coldest European cities other than capitals in January", False),
        ("The 6 most populous countries and their capitals", False),  # counts countries: a capital is a value
        ("The 8 highest mountains", False),
    ],
)
def test_a_question_asks_for_capitals_unless_it_excludes_them(question, capitals):
    assert read_question(question).capitals is capitals


@pytest.mark.parametrize(
    ("key", "mentioned"),
    [("elevation_m", True), ("height_m", True), ("length_km", False), ("first_ascent_year", True)],
)
def test_a_superlative_names_the_value_it_ranks_on(key, mentioned):
    reading = read_question("Map the 8 highest mountains with the year of their first ascent")
    assert reading.mentions(key) is mentioned
    assert read_question("the 6 longest rivers").mentions("length_km")


def test_the_questions_own_words_replace_a_copied_column_header():
    reading = read_question(
        "Map the 8 highest mountains in the world with their elevation in metres and the year of their "
        "first ascent."
    )
    assert reading.phrase_for("first winter ascent") == "year of first ascent"
    assert reading.phrase_for("elevation") == "elevation in metres"
    assert reading.phrase_for("height") is None  # no phrase shares a word: the model's own words stand
    seed = read_question(
        "Which are the 10 most populated cities? Give their population and December temperature."
    )
    assert seed.phrase_for("average monthly temperature of world cities") == "December temperature"


@pytest.mark.parametrize(
    ("question", "what", "phrase"),
    [
        (
            "Which 8 countries of South America had the highest life expectancy at birth in 2019?",
            "life_expectancy in 2019",
            "life expectancy at birth in 2019",
        ),
        (
            "Which 5 airports in Examplia handled the most passengers in 2023?",
            "passengers",
            "passengers in 2023",
        ),
        ("Map the 4 deepest lakes of Asia by maximum depth", "depth", "maximum depth"),
        (
            "Which 6 countries in Europe have the largest forest area in km²?",
            "forest area",
            "forest area in km²",
        ),
        # what the places' words leave after the value ('of the capitals of') is none of its words
        (
            "What is the elevation of the capitals of Ecuador, Colombia and Peru?",
            "elevation in m",
            "elevation",
        ),
        ("Find the 3 largest islands of Orrin and the area of each of them", "area", "area"),
    ],
)
def test_the_questions_words_for_a_value_leave_out_the_words_naming_the_places(question, what, phrase):
    """Seen: 'South' and 'highest', kept in the words for the life expectancy, made a sentence about a
    river the life expectancy of Colombia."""
    assert read_question(question).phrase_for(what) == phrase


@pytest.mark.parametrize(
    ("question", "label", "asked"),
    [
        ("Map the 8 highest mountains with the year of their first ascent.", "Height[1]", True),
        ("Map the 8 highest mountains with the year of their first ascent.", "First winter ascent", False),
        (
            "The 5 most populous cities in India by population within city limits?",
            "Population (city proper)",
            True,
        ),
        ("The 5 largest stadiums in Europe with the city they are in.", "City", True),
        ("The 5 largest stadiums in Europe with the city they are in.", "Record attendance", False),
        ("Map the 7 busiest container ports in 2022 with their throughput in TEU.", "Throughput (TEU)", True),
        ("Map the 4 longest rivers of Examplia with their length in km.", "Drainage basin (km²)", False),
    ],
)
def test_a_table_label_is_asked_for_when_the_question_speaks_of_every_word_of_it(question, label, asked):
    assert read_question(question).asks_for(label) is asked


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("the capitals of France, Germany and the United Kingdom", ("France", "Germany", "United Kingdom")),
        ("Which 5 cities in Brazil have the largest population?", ("Brazil",)),
        ("Map the 6 longest rivers in South America", ()),  # a continent names no country one by one
        ("Map the capitals of the G7 countries", ()),
    ],
)
def test_the_countries_a_question_names_one_by_one(question, named):
    assert read_question(question).named_countries == named


@pytest.mark.parametrize(
    ("task", "measures"),
    [
        ("Find the capitals of the Nordic countries and their population. Return a list of dicts with keys "
         "name, capital, population, population_source.", ["population"]),
        ("Find the 5 largest cities in Brazil with their area. Return a list of dicts with keys name, "
         "country, city, area_km2, area_km2_source.", ["area_km2"]),
        ("Find the 4 largest urban agglomerations in Africa. Return a list of dicts with keys name, "
         "agglomeration_name, population, population_source.", ["population"]),
        ("Find the 3 longest rivers. Return a list of dicts with keys name, country, length_km, "
         "length_km_source, city.", ["length_km", "city"]),  # rivers are not cities: 'city' is a value
    ],
)  # fmt: skip
def test_a_key_naming_the_kind_of_place_the_rows_are_is_no_asked_value(task, measures):
    assert read_question(task).measures == measures


@pytest.mark.parametrize(
    ("question", "whole"),
    [
        ("Map the capitals of the G7 countries with their population.", True),
        ("Map the Great Lakes with their area and depth.", True),
        ("Map the islands of the Vessa archipelago with their area.", True),
        ("Map the capitals of France, Spain and Italy with their population.", False),  # one each
        ("Map the 3 largest lakes of the Orrin basin.", False),
        ("Map the largest lakes of the Orrin basin.", False),
    ],
)
def test_a_question_names_a_whole_set_without_a_count_or_ranking(question, whole):
    assert read_question(question).names_a_set is whole


@pytest.mark.parametrize(
    ("question", "shape"),
    [
        ("What is the January temperature in the capitals of France, Germany and Spain?", "named"),
        ("Map the population and the area of Peru, Chile and Bolivia.", "named"),
        ("Map the capital of Norway with its annual rainfall.", "named"),
        ("Map the capitals of the G7 countries with their population.", "ranked"),  # a set a table lists
        ("Which 5 cities in Brazil have the largest population?", "ranked"),
        ("Map the 6 longest rivers in South America.", "ranked"),
        ("Which of Peru, Chile and Bolivia has the highest life expectancy?", "ranked"),
        ("Map Mont Blanc, the Matterhorn and Monte Rosa with their elevation and first ascent.", "named"),
        ("Show the Golden Gate Bridge and the Brooklyn Bridge with their length.", "named"),
        ("Map the lakes of the Orrin basin with their depth and area.", "ranked"),  # a set, and values
    ],
)
def test_a_question_naming_its_places_one_by_one_has_the_named_shape(question, shape):
    assert read_question(question).shape == shape


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Which are the 5 most populated cities in South America?", ("city", "cities")),
        ("The 8 highest mountains, with their first ascent", ("mountain", "mountains")),
        ("The 5 largest football stadiums in Europe, with the city they are in", ("stadium", "stadiums")),
        ("Map the 4 deepest lakes of Africa.", ("lake", "lakes")),
        ("The 3 busiest bus stations, with their passengers", ("station", "stations")),
        ("Map the 6 largest glasses", ("glass", "glasses")),
        ("Map the 6 longest suspension bridges open to traffic", ("bridge", "bridges")),
        ("The 5 tallest buildings not counting towers", ("building", "buildings")),
        ("The 4 largest islands other than Greenland", ("island", "islands")),
        ("The 6 largest dams built since 1950", ("dam", "dams")),
        ("Map the capitals of the G7 countries.", ()),  # no count: no counted noun
    ],
)
def test_the_noun_a_question_counts_its_places_by(question, words):
    assert read_question(question).place_words == words


@pytest.mark.parametrize(
    ("question", "measures", "may", "may_not"),
    [
        # a month column holds no population, even when the question names the month for another value
        (
            "Which are the 5 most populated cities in Examplia? Give their population and December mean.",
            ("population",),
            ["Population (2018)"],
            ["Dec", "Year"],
        ),
        ("The 4 highest mountains of Examplia, with their January snow", ("elevation",), ["Elevation (m)"],
         ["Jan"]),
        ("The 3 longest rivers of Examplia, their discharge in April", ("length",), ["Length (km)"], ["Apr"]),
        # a measure named after the superlative ranks: a month's column may hold it
        ("The 5 cities with the highest average July temperature", ("temperature",), ["Jul"], ["Dec"]),
        ("The 5 cities of Examplia with the highest rainfall in July", (), ["Jul"], ["Jan"]),
        ("The 5 coldest capitals in January", ("temperature",), ["Jan"], ["Jul"]),
        ("The 3 busiest ports of Examplia by TEU in 2023", ("passengers", "throughput", "traffic", "teu"),
         ["TEU 2023"], ["TEU 2019"]),
        # the measure it says it ranks by: a column naming another is no ranking of it
        ("Map the 6 longest suspension bridges open to traffic, ranked by main span, with their opening",
         ("length",), ["Main span (m)", "Main span[2]"], ["Total length (m)", "Opened"]),
        ("Map the 6 largest islands by area, with the elevation of their highest point", ("area",),
         ["Area (km²)"], ["Highest point (m)", "Elevation (m)"]),
        ("The 5 largest lakes of Examplia by surface area, with their maximum depth", ("area",),
         ["Surface area (km²)", "Area"], ["Max. depth (m)", "Volume (km³)"]),
        ("The 4 largest stadiums by seating capacity, with their record attendance", ("area",),
         ["Capacity", "Seating capacity[3]"], ["Record attendance"]),
        ("The 6 busiest airports of Examplia by total passenger traffic in 2023", ("passengers",),
         ["Passengers (2023)", "Total passengers 2023"], ["Aircraft movements 2023", "Passengers (2019)"]),
    ],
)  # fmt: skip
def test_what_a_superlative_ranks_and_the_columns_that_may_hold_it(question, measures, may, may_not):
    reading = read_question(question)
    assert reading.ranked_measures[: len(measures)] == measures
    assert all(reading.may_rank_by(c) for c in may) and not any(reading.may_rank_by(c) for c in may_not)


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("The 5 largest stadiums in Europe by seating capacity", ("seating", "capacity")),
        ("The 6 longest bridges, ranked by main span, with the year they opened", ("main", "span")),
        ("The 3 busiest ports by TEU in 2023", ("teu",)),
        ("The 6 most visited museums in 2023 as counted by The Art Ledger", ()),  # who ranked, not what
        ("The 5 most populous cities in India by population within city limits", ("population",)),
        ("The islands of Examplia, by their area", ()),  # no ranking
    ],
)
def test_the_measure_a_question_says_it_ranks_by(question, words):
    assert read_question(question).ranked_by == words


@pytest.mark.parametrize(
    ("question", "title", "ranks"),
    [
        ("Map the 6 largest islands in the world", "Which is the biggest island on Earth? 8 giants", True),
        ("The 5 biggest stadiums of Examplia", "Largest stadiums of Examplia", True),
        ("The 7 tallest buildings", "The world's highest skyscrapers", True),
        ("The 7 tallest buildings", "Burj Khalifa – Knowpedia", False),
    ],
)
def test_a_title_ranks_by_the_superlative_or_one_written_for_it(question, title, ranks):
    assert read_question(question).ranks_in(title) is ranks


@pytest.mark.parametrize(
    ("question", "other"),
    [
        ("Map the 6 largest islands in the world by area", True),
        ("The 5 longest rivers of Africa", True),
        ("Which 8 countries of South America had the highest life expectancy?", False),
        ("What is the population of Peru, Chile and Bolivia?", False),
    ],
)
def test_a_question_that_counts_places_of_another_kind_than_countries(question, other):
    assert read_question(question).counts_other_places is other
