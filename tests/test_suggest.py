"""Did-you-mean hints: edit distance with neighbour swaps, worked out by hand."""
from __future__ import annotations

import pytest

from docgen.model.suggest import closest, edits


@pytest.mark.parametrize(("a", "b", "n"), [
    ("adress", "address", 1),      # one insertion
    ("websiet", "website", 1),     # one swap of neighbours
    ("ka131-2042-pl", "ka131-2024-pl", 1),
    ("ka131-2042-pl", "ka131-2025-pl", 2),  # two substitutions
    ("", "abc", 3),
    ("kitten", "sitting", 3),
])
def test_edits(a: str, b: str, n: int) -> None:
    assert edits(a, b) == n == edits(b, a)


def test_a_swapped_year_means_the_year_with_its_digits_swapped() -> None:
    assert closest("ka131-2042-pl", ["ka107-2016-pl", "ka131-2024-pl", "ka131-2025-pl"]) == "ka131-2024-pl"


def test_nothing_close_is_no_suggestion() -> None:
    assert closest("phone", ["street", "postcode", "city"]) is None
    assert closest("x", []) is None
