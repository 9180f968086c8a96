import re

import pytest

from geoscout.checks import GapsCheck, RegionCheck, RowsCheck


@pytest.mark.parametrize(
    "answer, message",
    [
        ("Tokyo has 37 million people", "list of dicts"),
        ([], "non-empty"),
        ([["Tokyo", 1]], "not a dict"),
        ([{"population": 1}], "no 'name'"),
    ],
)
def test_malformed_answers_are_sent_back(answer, message):
    with pytest.raises(ValueError, match=message):
        RowsCheck()(answer, None, agent=None)


def test_missing_value_is_sent_back_once_then_accepted_as_a_gap():
    assert RowsCheck()([{"name": "A", "temp_c": None}], None, agent=None)
    check = GapsCheck()
    rows = [{"name": "A", "temp_c": 3.0}, {"name": "B", "temp_c": None}]
    with pytest.raises(ValueError, match=r"row 2 \(B\) has no value for temp_c"):
        check(rows, None, agent=None)
    assert check(rows, None, agent=None) is True


def test_a_place_without_a_country_is_no_gap():
    """A lake list names no country: the rows are complete, the country comes from the gazetteer later."""
    rows = [{"name": "Lake A", "country": None, "depth_m": 97, "depth_m_source": "https://x"}]
    assert GapsCheck()(
        rows, None, agent=Agent("Return dicts with keys name, country, depth_m, depth_m_source.")
    )


def test_complete_rows_pass():
    assert RowsCheck()([{"name": "A", "temp_c": 3.0, "temp_c_source": "https://x"}], None, agent=None)


class Agent:
    def __init__(self, task):
        self.task = task


def test_a_list_of_countries_is_one_region():
    task = "What is the January temperature in the capitals of France, Germany and the United Kingdom?"
    rows = [
        {"name": "Paris", "country": "France"},
        {"name": "Berlin", "country": "Germany"},
        {"name": "London", "country": "United Kingdom"},
    ]
    assert RegionCheck()(rows, None, agent=Agent(task)) is True
    rows.append({"name": "Rome", "country": "Italy"})
    with pytest.raises(ValueError, match=r"row 4 \(Rome, Italy\) not in France, Germany, United Kingdom"):
        RegionCheck()(rows, None, agent=Agent(task))


def test_a_country_the_task_names_without_its_row_is_sent_back_once():
    task = "What is the average January rainfall in the capitals of Kenya, Peru and Norway?"
    rows = [{"name": "Nairobi", "country": "Kenya"}, {"name": "Lima"}]  # Lima's country from the gazetteer
    check = RegionCheck()
    with pytest.raises(
        ValueError,
        match=r"names Kenya, Peru, Norway, but the answer has no row in Norway\. .*loop over \['Norway'\]",
    ):
        check(rows, None, agent=Agent(task))
    assert check(rows, None, agent=Agent(task)) is True
    assert RegionCheck()(rows + [{"name": "Oslo"}], None, agent=Agent(task)) is True


def test_rows_outside_the_named_region_are_sent_back_with_its_countries():
    rows = [{"name": "São Paulo", "country": "Brazil"}, {"name": "Tokyo", "country": "Japan"}]
    with pytest.raises(ValueError, match=r"row 2 \(Tokyo, Japan\) not in South America.*'Argentina'"):
        RegionCheck()(
            rows, None, agent=Agent("Find the 5 largest cities in South America and their population")
        )


def test_rows_inside_the_region_or_without_one_pass():
    rows = [{"name": "Lima", "country": "Peru"}]
    assert RegionCheck()(rows, None, agent=Agent("the 5 largest cities in South America"))
    assert RegionCheck()(rows, None, agent=Agent("the 10 most populated cities in the world, in December"))


def test_a_country_named_in_the_task_is_a_region_too():
    with pytest.raises(ValueError, match="not in India"):
        RegionCheck()(
            [{"name": "Lahore", "country": "Pakistan"}], None, agent=Agent("largest cities in India")
        )


def test_checks_have_names_for_smolagents_logs():
    assert RowsCheck().__name__ and RegionCheck().__name__


def test_requested_count_and_keys_are_read_from_the_task():
    from geoscout.question import read_question

    task = "Find the 5 most populated cities. Return a list of dicts with keys name, country, population."
    assert read_question(task).count == 5 and read_question("the most populated cities").count is None
    assert read_question(task).keys == ("name", "country", "population")


def test_wrong_row_count_or_missing_keys_are_sent_back():
    agent = Agent("Find the 2 largest lakes. Return a list of dicts with keys name, area_km2.")
    with pytest.raises(ValueError, match="asks for 2 rows; the answer has 1"):
        RowsCheck()([{"name": "A", "area_km2": 1}], None, agent=agent)
    with pytest.raises(ValueError, match="lacks the keys area_km2"):
        RowsCheck()([{"name": "A"}, {"name": "B"}], None, agent=agent)
    assert RowsCheck()([{"name": "A", "area_km2": 1}, {"name": "B", "area_km2": 2}], None, agent=agent)


def test_rows_mostly_without_the_first_value_are_sent_back_as_taken_from_the_wrong_table():
    task = "Find the 3 biggest, with keys name, population, population_source, temp_c"
    agent = type("A", (), {"task": task})()
    rows = [{"name": n, "population": None, "population_source": None, "temp_c": 1} for n in "abc"]
    check = GapsCheck()
    with pytest.raises(ValueError, match="not ranked by population. Take the rows from the table"):
        check(rows, agent=agent)
    assert check(rows, agent=agent)  # a second time, the same rows are accepted with their gaps


def test_an_empty_key_naming_the_rows_kind_is_a_gap_not_the_value_they_are_ranked_by():
    """Seen on the capitals of the G7: rows named by their country with 'capital' empty were sent back as
    "not ranked by capital"; the capital is what each row is, so the gap is named as such instead."""
    task = (
        "Find the capitals of the G7 countries with their population. Return a list of dicts with keys name, "
        "capital, population, population_source."
    )
    rows = [{"name": n, "capital": "", "population": 1, "population_source": "https://x"} for n in "ab"]
    with pytest.raises(ValueError) as sent_back:
        GapsCheck()(rows, agent=Agent(task))
    assert "row 1 (a) has no value for capital" in str(sent_back.value)
    assert "not ranked by" not in str(sent_back.value)


def test_coordinates_outside_their_country_are_sent_back_and_a_swap_is_named():
    from geoscout.checks import CoordinatesCheck

    right = {"name": "Tokyo", "country": "Japan", "latitude": 35.69, "longitude": 139.69}
    assert CoordinatesCheck()([right])
    swapped = {**right, "latitude": 139.69, "longitude": 35.69}
    with pytest.raises(ValueError, match=r"row 1 \(Tokyo\): \(139.69, 35.69\) is not a place on Earth"):
        CoordinatesCheck()([swapped])
    lagos = {"name": "Lagos", "country": "Nigeria", "latitude": 3.39, "longitude": 6.45}
    with pytest.raises(ValueError, match=r"is not in Nigeria \(latitude and longitude look swapped\)"):
        CoordinatesCheck()([lagos])
    paris = {"name": "Paris", "country": "France", "latitude": 48.85, "longitude": -2.35 - 40}
    with pytest.raises(ValueError, match=r"is not in France\. Take"):
        CoordinatesCheck()([paris])
    assert CoordinatesCheck()([{"name": "X", "country": "Atlantis", "latitude": 1.0, "longitude": 2.0}])


def test_duplicate_places_and_values_that_are_not_numbers_are_sent_back():
    agent = type("A", (), {"task": "Find the 2 biggest, with keys name, population, population_source"})()
    row = {"name": "Tokyo", "population": 37468000, "population_source": "https://x"}
    with pytest.raises(ValueError, match=r"rows 1, 2 are all Tokyo: each place once"):
        RowsCheck()([row, {**row, "name": "tokyo"}], agent=agent)
    with pytest.raises(ValueError, match=r"row 2 \(Delhi\): population is '28–29 million', not a number"):
        RowsCheck()([row, {**row, "name": "Delhi", "population": "28–29 million"}], agent=agent)
    assert RowsCheck()([row, {**row, "name": "Delhi", "population": "28,514,000"}], agent=agent)
    assert RowsCheck()([row, {**row, "name": "Delhi", "population": "28.5 million"}], agent=agent)


def test_text_facts_are_not_taken_for_broken_numbers():
    agent = type(
        "A", (), {"task": "Find the 2 most populous countries, with keys name, capital, capital_source"}
    )()
    rows = [{"name": "China", "capital": "Beijing"}, {"name": "India", "capital": "New Delhi"}]
    assert RowsCheck()([{**r, "capital_source": "https://x"} for r in rows], agent=agent)


def test_keys_the_task_does_not_ask_for_are_dropped():
    from geoscout.checks import drop_unasked_keys

    task = "Find the 1 largest country. Return dicts with keys name, area_km, area_km_source."
    copied = {"name": "A", "area_km": 9, "area_km_source": "u", "year": 5, "year_source": "u", "latitude": 1}
    assert drop_unasked_keys([copied], task) == [
        {"name": "A", "area_km": 9, "area_km_source": "u", "latitude": 1}
    ]
    # without a list of keys, the numbers the task's words never speak of go, with their sources
    assert drop_unasked_keys([copied], "Which is the largest country by area?") == [
        {"name": "A", "area_km": 9, "area_km_source": "u", "latitude": 1}
    ]
    assert drop_unasked_keys([copied], "") == [copied]


@pytest.mark.parametrize(
    "key, mentioned",
    [
        ("population", True),  # "populated"
        ("pop", True),
        ("dec_temp_c", True),
        ("avg_temp", True),
        ("area_km2", False),  # "are" is not "area"
        ("elevation_m", False),
        ("capital", False),
    ],
)
def test_a_key_is_mentioned_when_a_word_of_it_shares_a_stem_with_the_text(key, mentioned):
    from geoscout.question import read_question

    question = "Which are the 10 most populated cities? Give their approximate temperature in December."
    assert read_question(question).mentions(key) is mentioned


def test_a_gap_in_a_value_nobody_asked_for_is_not_sent_back():
    task = "Find the 2 hottest cities and their average temperature."
    rows = [
        {"name": "A", "temperature": 28.5, "population": 10},
        {"name": "B", "temperature": 28.2, "population": None},
    ]
    assert GapsCheck()(rows, None, agent=Agent(task)) is True
    rows[1]["temperature"] = None
    with pytest.raises(ValueError, match=r"row 2 \(B\) has no value for temperature\."):
        GapsCheck()(rows, None, agent=Agent(task))


def test_rows_ranked_the_wrong_way_are_sent_back():
    from geoscout.checks import OrderCheck

    coldest = Agent("Find the 3 cities with the lowest January temperature, with keys name, jan_c.")
    hot_first = [{"name": "A", "jan_c": 27.6}, {"name": "B", "jan_c": 27.5}, {"name": "C", "jan_c": 27.5}]
    with pytest.raises(ValueError, match="asks for the lowest.*largest=False"):
        OrderCheck()(hot_first, None, agent=coldest)
    assert OrderCheck()(hot_first[::-1], None, agent=coldest)
    biggest = Agent("Which 3 countries have the largest area?")
    small_first = [{"name": "A", "latitude": 9, "area": 1}, {"name": "B", "latitude": 1, "area": 5}]
    with pytest.raises(ValueError, match="asks for the largest.*largest=True"):
        OrderCheck()(small_first, None, agent=biggest)
    unordered = [{"name": "A", "area": 5}, {"name": "B", "area": 1}, {"name": "C", "area": 3}]
    assert OrderCheck()(unordered, None, agent=biggest)
    assert OrderCheck()(small_first, None, agent=Agent("the capitals of France and Spain"))


def test_a_manager_without_rows_is_told_to_ask_web_agent_again():
    manager = Agent("Which is the largest country?")
    manager.managed_agents = {"web_agent": object()}
    with pytest.raises(ValueError, match="web_agent found no rows. Call web_agent again with the whole task"):
        RowsCheck()("[]", None, agent=manager)
    with pytest.raises(ValueError, match=r"got str: \[\]\.$"):
        RowsCheck()("[]", None, agent=Agent("Which is the largest country?"))


def test_wrong_places_are_named_before_their_missing_values():
    from geoscout.team import answer_checks

    task = "Find the 2 largest cities in Brazil, with keys name, country, temp_c, temp_c_source."
    rows = [
        {"name": "São Paulo", "country": "Brazil", "temp_c": 19.2, "temp_c_source": "u"},
        {"name": "Kinshasa", "country": "DR Congo", "temp_c": None, "temp_c_source": None},
    ]
    names = [check.__name__ for check in answer_checks(None)]
    assert names.index("region_check") < names.index("gaps_check")
    with pytest.raises(ValueError, match="not in Brazil"):
        RegionCheck()(rows, None, agent=Agent(task))


def test_a_manager_is_told_to_ask_web_agent_again_not_to_filter_tables_it_does_not_have():
    manager = Agent("Which are the 2 largest cities in India?")
    manager.managed_agents = {"web_agent": object()}
    rows = [{"name": "Shanghai", "country": "China"}, {"name": "Delhi", "country": "India"}]
    with pytest.raises(ValueError, match="not in India. Call web_agent again with the whole task") as error:
        RegionCheck()(rows, None, agent=manager)
    assert "top_rows" not in str(error.value)


def test_a_row_without_name_is_told_which_key_to_rename():
    row = {"city": "Bangkok", "country": "Thailand", "temp_c": 28.5, "temp_c_source": "https://x"}
    with pytest.raises(ValueError, match="under the key 'name' instead of 'city'"):
        RowsCheck()([row], None, agent=None)


def test_the_rename_line_given_to_a_code_agent_repairs_the_rows():
    rows = [{"city": "Bangkok", "country": "Thailand", "temp_c": 28.5, "temp_c_source": "https://x"}]
    with pytest.raises(ValueError) as error:
        RowsCheck()(rows, None, agent=None)
    line = re.search(r"rows you answered: (rows = .*\]), then final_answer", str(error.value)).group(1)
    scope = {"rows": rows}
    exec(line, {}, scope)  # the line as the agent would run it
    assert scope["rows"][0]["name"] == "Bangkok" and RowsCheck()(scope["rows"], None, agent=None)


def test_rows_that_are_not_the_countries_asked_for_are_sent_back():
    from geoscout.checks import CountriesCheck

    task = "Find the 2 most populous countries in Asia, their population and area."
    cities = [{"name": "Shanghai", "country": "China"}, {"name": "Beijing", "country": "China"}]
    with pytest.raises(ValueError, match=r"row 1 \(Shanghai\), row 2 \(Beijing\) is not a country"):
        CountriesCheck()(cities, None, agent=Agent(task))
    countries = [{"name": "China", "country": "China"}, {"name": "India", "country": "India"}]
    assert CountriesCheck()(countries, None, agent=Agent(task))
    assert CountriesCheck()(cities, None, agent=Agent("Find the 2 largest cities in China."))


def test_countries_given_for_cities_are_sent_back():
    from geoscout.checks import CountriesCheck

    task = "Find the 3 largest urban agglomerations in Africa and their population."
    countries = [{"name": "Nigeria"}, {"name": "Ethiopia"}, {"name": "Egypt"}]
    with pytest.raises(
        ValueError, match=r"row 1 \(Nigeria\), .* is a country, not one of the agglomerations"
    ):
        CountriesCheck()(countries, None, agent=Agent(task))
    cities = [{"name": "Cairo"}, {"name": "Lagos"}, {"name": "Singapore"}]  # a city-state among cities
    assert CountriesCheck()(cities, None, agent=Agent(task))


@pytest.mark.parametrize(
    "task",
    [
        "Map the capitals of the Nordic countries with their population",
        "What is the average July temperature in the capitals of the Baltic states?",
        "the capitals of the ASEAN members and their elevation",
    ],
)
def test_countries_given_for_their_capitals_are_sent_back(task):
    from geoscout.checks import CountriesCheck

    countries = [{"name": "Norway"}, {"name": "Estonia"}, {"name": "Thailand"}]
    with pytest.raises(ValueError, match=r"is a country, not one of the capitals\. Name each row by"):
        CountriesCheck()(countries, None, agent=Agent(task))
    assert CountriesCheck()([{"name": "Oslo"}, {"name": "Tallinn"}], None, agent=Agent(task))


def test_every_check_sends_back_once_then_accepts_and_records_what_it_accepted():
    agent = type("A", (), {"task": "Find the 3 largest lakes, with keys name, area_km2, area_km2_source"})()
    rows = [{"name": "Lake A", "area_km2": 10, "area_km2_source": "https://x"}]
    check = RowsCheck()
    with pytest.raises(ValueError, match="the task asks for 3 rows"):
        check(rows, agent=agent)
    assert check(rows, agent=agent) is True  # a misread count costs one step, not the run
    assert check.accepted and "3 rows" in check.accepted[0]


def test_an_answer_no_table_can_be_made_of_is_sent_back_every_time():
    check = RowsCheck()
    for _ in range(3):
        with pytest.raises(ValueError, match="non-empty list of dicts"):
            check("Lake A is large")


def test_one_figure_computed_over_the_rows_is_sent_back_asking_for_each_places_own_values():
    with pytest.raises(ValueError, match="one dict per place with its own values"):
        RowsCheck()({"average_temp_c": 0.4})


def test_a_key_copied_for_an_asked_key_with_the_same_unit_is_renamed_at_hand_over():
    from geoscout.checks import drop_unasked_keys

    task = (
        "Find the highest mountain, its elevation in metres and the year of its first ascent. Return a list "
        "of dicts with keys name, country, elevation_m, elevation_m_source, first_ascent, first_ascent_source"
    )
    row = {"name": "A", "country": "X", "first_ascent": 1953, "first_ascent_source": "https://a"}
    copied = {**row, "height_m": 8849, "height_m_source": "https://l", "completed_year": None}
    assert RowsCheck()([copied], None, agent=Agent(task)) is True  # nothing to send back
    renamed = {**row, "elevation_m": 8849, "elevation_m_source": "https://l"}
    assert drop_unasked_keys([copied], task) == [renamed]
    with pytest.raises(ValueError, match="lacks the keys elevation_m"):  # feet stand for no asked key
        RowsCheck()([{**row, "height_ft": 29032, "height_ft_source": "https://l"}], None, agent=Agent(task))


@pytest.mark.parametrize(
    ("question", "key", "place"),
    [
        ("Map the capitals of the Nordic countries with their population", "capital", "Oslo"),
        ("What are the 5 most populous cities in Brazil, Peru and Chile?", "city", "Lima"),
        ("Which are the 4 largest urban agglomerations in Africa?", "agglomeration", "Lagos"),
    ],
)
def test_rows_named_by_their_country_are_named_by_the_place_they_hold(question, key, place):
    from geoscout.checks import named_by_kind
    from geoscout.question import read_question

    reading = read_question(question)
    rows = [
        {"name": "Norway", key: place, "population": 709037, "population_source": "https://a.example/"},
        {"name": "Kenya", key: "Nairobi", "population": 4397073, "population_source": "https://b.example/"},
    ]
    assert named_by_kind(rows, reading) == [
        {"name": place, "country": "Norway", "population": 709037, "population_source": "https://a.example/"},
        {
            "name": "Nairobi",
            "country": "Kenya",
            "population": 4397073,
            "population_source": "https://b.example/",
        },
    ]
    by_place = [{"name": place, "country": "Norway", key: place, "population": 709037}]
    assert named_by_kind(by_place, reading) == by_place  # already named by the place
    countries = read_question("Which are the 3 largest countries by area, with their capital?")
    assert named_by_kind(rows, countries) == rows  # countries asked: the capital is a value of the row


def test_a_whole_find_value_result_in_a_row_is_its_value_with_its_source():
    """Seen: rows named by `capital = find_value(country, "capital")`, the whole result."""
    from geoscout.checks import found_values_unwrapped

    capital = {"name": "Norway", "value": "Vessa", "source": "https://a.example/", "label": "Capital"}
    rain = {"name": "Vessa", "value": 812, "source": "https://w.example/vessa", "label": "Year mm"}
    rows = [{"name": capital, "country": "Norway", "rain_mm": rain}, {"name": "Orrin", "rain_mm": 640}]
    assert found_values_unwrapped(rows) == [
        {"name": "Vessa", "country": "Norway", "rain_mm": 812, "rain_mm_source": "https://w.example/vessa"},
        {"name": "Orrin", "rain_mm": 640},
    ]
    # a source the row gives is kept; a result with no value is a gap, not a dict
    kept = found_values_unwrapped(
        [{"name": "Orrin", "rain_mm": rain, "rain_mm_source": "https://s.example/"}]
    )
    assert kept[0]["rain_mm_source"] == "https://s.example/"
    empty = {"name": "Orrin", "value": None, "source": None}
    assert found_values_unwrapped([{"name": "Orrin", "rain_mm": empty}])[0]["rain_mm"] is None


@pytest.mark.parametrize(
    "task, key, words",
    [
        (
            "Find the 5 largest lakes in Africa, their area and their maximum depth",
            "depth_m",
            "maximum depth",
        ),
        (
            "Find the 5 highest volcanoes, their elevation and the year of their last eruption",
            "last_eruption",
            "year of last eruption",
        ),
        (
            "Find the 6 busiest airports in Europe and their passengers in 2023",
            "passengers",
            "passengers in 2023",
        ),
    ],
)
def test_a_gap_is_sent_back_with_the_find_value_call_that_reads_it_from_each_places_page(task, key, words):
    """Seen: a lake's depth left empty and the rows handed over as they were; the value no table holds is
    on the page about each place, in the task's own words (not the keys' list)."""
    task += f". Return a list of dicts with keys name, {key}, {key}_source."
    rows = [
        {"name": "A", key: None, f"{key}_source": None},
        {"name": "B", key: 1, f"{key}_source": "https://x"},
    ]
    with pytest.raises(ValueError) as sent_back:
        GapsCheck()(rows, None, agent=Agent(task))
    code = f"for row in rows:\n    found = find_value(row['name'], '{words}')\n"
    code += f"    row['{key}'] = found['value']\n"
    assert code in str(sent_back.value)


def test_a_manager_with_a_gap_is_told_to_ask_its_web_agent_again():
    manager = Agent("What are the 3 deepest lakes, with their maximum depth?")
    manager.managed_agents = {"web_agent": object()}
    with pytest.raises(ValueError, match="Call web_agent again") as sent_back:
        GapsCheck()([{"name": "A", "depth_m": None}], None, agent=manager)
    assert "find_value" not in str(sent_back.value)


def test_an_asked_value_that_is_the_rows_own_name_is_a_gap_but_a_key_naming_the_rows_kind_is_not():
    """Seen: each capital's name as its elevation (the wrong one of two find_value results kept)."""
    task = (
        "Find the elevation of the capitals of Ecuador and Peru. Return a list of dicts with keys name, "
        "country, capital, elevation_m, elevation_m_source."
    )
    rows = [
        {
            "name": "Quito",
            "country": "Ecuador",
            "capital": "Quito",
            "elevation_m": "Quito",
            "elevation_m_source": "u",
        },
        {"name": "Lima", "country": "Peru", "capital": "Lima", "elevation_m": 154, "elevation_m_source": "u"},
    ]
    with pytest.raises(ValueError) as sent_back:
        GapsCheck()(rows, None, agent=Agent(task))
    assert "row 1 (Quito) has no value for elevation_m." in str(sent_back.value)
    assert "capital" not in str(sent_back.value).split("\n")[0].split("no value for")[1]
    assert "find_value(row['name'], 'elevation')" in str(sent_back.value)
    rows[0]["elevation_m"] = 2850
    assert GapsCheck()(rows, None, agent=Agent(task)) is True
