"""Big5 and Big5-HKSCS files (traditional Chinese) are read: after UTF-8 and GB18030 fail,
charset-normalizer detects the Big5 family, and the article is the one the same text
gives in UTF-8."""

from __future__ import annotations

from pathlib import Path

import pytest
from shegong.loaders.ingest import ingest_file
from shegong.loaders.ingest.decode import decode_bytes
from shegong.schema import InputError

TITLE = "海南省社會工作聯合會獲贈三百萬張「法治保障卡」"
BODY = (
    "十二月四日，在中國社會工作聯合會的指導下，海南省社會工作聯合會在瓊海市舉辦捐贈儀式。"
    "北京法安技術服務中心向聯合會捐贈「法治保障卡」三百萬張，聯合會秘書長王海燕出席並講話。"
)
#: Cantonese characters only Big5-HKSCS has (嘅, 咗, 佢哋).
HONG_KONG = "香港社工話佢哋嘅服務已經開始咗，社會工作者協會會繼續跟進。"


@pytest.mark.parametrize("encoding", ["big5", "cp950", "big5hkscs"])
def test_ingest_big5_file_gives_the_utf8_article(tmp_path: Path, encoding: str) -> None:
    text = f"{TITLE}\n\n{BODY}\n"
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    (tmp_path / "big5.txt").write_bytes(text.encode(encoding))
    [big5] = ingest_file(tmp_path / "big5.txt")
    [utf8] = ingest_file(tmp_path / "utf8.txt")
    assert (big5.title, big5.text) == (utf8.title, utf8.text)
    assert "海南省社会工作联合会" in big5.text  # normalised to simplified as usual


def test_ingest_big5_hkscs_characters(tmp_path: Path) -> None:
    data = (HONG_KONG * 3).encode("big5hkscs")
    with pytest.raises(UnicodeDecodeError):
        data.decode("big5")  # plain Big5 lacks them
    assert decode_bytes(data, "hk.txt") == HONG_KONG * 3


def test_ingest_big5_fallback_still_rejects_binary() -> None:
    with pytest.raises(InputError, match="nor Big5"):
        decode_bytes(bytes(range(1, 256)) * 8, "noise.bin.txt")
