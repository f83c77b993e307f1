"""BandIndex, the near-duplicate check's LSH index: the candidates and estimates rensa's
own LSH and RMinHash.jaccard give, across merges of its pending keys, in bounded bytes."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rensa import RMinHash, RMinHashLSH
from shegong.loaders import minhash_index
from shegong.loaders.minhash_index import BandIndex
from shegong.loaders.neardup import BANDS, NUM_PERM, signature

_CHARS = [chr(0x4E00 + i) for i in range(400)]


def _texts(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    base = ["".join(rng.choice(_CHARS) for _ in range(200)) for _ in range(count // 4 + 1)]
    out = []
    for i in range(count):  # a quarter are variants of another text: real candidates
        text = base[i // 4]
        cut = rng.randrange(0, 60)
        out.append(text[cut:] + "".join(rng.choice(_CHARS) for _ in range(cut)))
    return out


def test_candidates_and_estimates_are_rensas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minhash_index, "PENDING", BANDS * 16)  # merges every 16 digests
    sketches: list[RMinHash] = [signature(t) for t in _texts(300)]
    index = BandIndex(NUM_PERM, BANDS)
    lsh = RMinHashLSH(0.65, NUM_PERM, BANDS)
    for number, sketch in enumerate(sketches):
        assert index.add(sketch.digest()) == number
        lsh.insert(number, sketch)
    assert len(index) == 300
    assert index._pending, "some keys are still pending: both places are searched"
    shared = 0
    for sketch in sketches:
        found = index.candidates(sketch.digest())
        assert sorted(found.tolist()) == sorted(set(lsh.query(sketch)))
        shared += len(found) > 1
        estimates = index.estimates(sketch.digest(), found)
        assert estimates == pytest.approx([sketch.jaccard(sketches[n]) for n in found])
    assert shared >= 200  # the variants found each other


def test_no_candidate_in_an_empty_index() -> None:
    index = BandIndex(NUM_PERM, BANDS)
    digest = signature("社会工作联合会成立大会在京召开").digest()
    assert index.candidates(digest).tolist() == []
    assert index.estimates(digest, index.candidates(digest)) == []


def test_a_digest_of_another_length_is_refused() -> None:
    index = BandIndex(NUM_PERM, BANDS)
    with pytest.raises(ValueError, match="a digest of 128 slots, got shape \\(64,\\)"):
        index.add([1] * 64)
    with pytest.raises(ValueError, match="do not split into 5 bands"):
        BandIndex(128, 5)


def test_an_article_costs_hundreds_of_bytes_not_kilobytes() -> None:
    index = BandIndex(NUM_PERM, BANDS)
    rng = random.Random(5)
    for _ in range(2 * minhash_index.BLOCK):
        index.add([rng.getrandbits(32) for _ in range(NUM_PERM)])
    # digests (512 B, in 2 MB blocks) + 32 keys and numbers (384 B); rensa: about 3 KB
    assert index.nbytes() / len(index) < 1000


def test_extend_indexes_a_matrix_as_adds_would() -> None:
    digests = [signature(t).digest() for t in _texts(120, seed=9)]
    one_by_one, at_once = BandIndex(NUM_PERM, BANDS), BandIndex(NUM_PERM, BANDS)
    for digest in digests[:20]:
        one_by_one.add(digest)
        at_once.add(digest)
    for digest in digests[20:]:
        one_by_one.add(digest)
    at_once.extend(np.array(digests[20:], dtype=np.uint32))
    assert len(at_once) == len(one_by_one) == 120
    for digest in digests:
        assert at_once.candidates(digest).tolist() == one_by_one.candidates(digest).tolist()
    with pytest.raises(ValueError, match="digests of 128 slots"):
        at_once.extend(np.zeros((2, 64), dtype=np.uint32))
