import pytest

from geoscout.checks import RowsCheck


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
    check = RowsCheck()
    rows = [{"name": "A", "temp_c": 3.0}, {"name": "B", "temp_c": None}]
    with pytest.raises(ValueError, match=r"row 2 \(B\) has no value for temp_c"):
        check(rows, None, agent=None)
    assert check(rows, None, agent=None) is True


def test_complete_rows_pass():
    assert RowsCheck()([{"name": "A", "temp_c": 3.0, "temp_c_source": "https://x"}], None, agent=None)
