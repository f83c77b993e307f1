"""NameFinder finds what re.finditer of the names' alternation (longest first) finds."""

from __future__ import annotations

import re

import pytest
from shegong.loaders.extract.lexicon import NameFinder

CASES = [
    (["王伟", "王伟东"], "王伟东和王伟出席,王伟东讲话"),
    (["李明", "明华"], "李明华来了,明华也来了"),
    (["张三"], "没有这个名字"),
    (["A.B", "A.BC", "赵六"], "A.BC与A.B、赵六赵六"),
    (["欧阳娜", "阳娜"], "欧阳娜阳娜欧阳娜"),
]


@pytest.mark.parametrize(("names", "text"), CASES)
def test_name_finder_matches_regex_alternation(names: list[str], text: str) -> None:
    regex = re.compile("|".join(sorted((re.escape(n) for n in names), key=len, reverse=True)))
    expected = [(m.start(), m.group()) for m in regex.finditer(text)]
    assert NameFinder(names)(text) == expected
    assert expected or text == "没有这个名字"


def test_name_finder_without_names_finds_nothing() -> None:
    assert NameFinder([])("王伟") == []
