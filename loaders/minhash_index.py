"""BandIndex: an LSH index of MinHash digests in flat numpy arrays, a few hundred bytes
an article.

The near-duplicate check (``shegong.loaders.neardup``) indexes every article of a load.
rensa's ``RMinHashLSH`` keeps a hash-map entry and a vector per band and article, about
3 KB an article: 300 MB of the loader's memory at 100k articles. Here each of the
``bands`` bands of a digest becomes one 64-bit key (the band's values mixed with its
number), kept with the article's number in two sorted arrays (12 bytes a band); the
digests themselves sit in ``uint32`` blocks, from which the candidates' similarity
is estimated (the share of equal slots, as ``RMinHash.jaccard`` computes it). New keys
wait in a small dictionary and are merged into the sorted arrays when it fills, so an
insert costs a dictionary update and a lookup a binary search per band.

A key collision only adds a candidate: every candidate is checked on its estimate (and
the caller decides near the threshold by the exact similarity).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["BandIndex", "Digest"]

#: A MinHash digest: rensa's list of slot values, or this index's array of them.
Digest = Sequence[int] | npt.NDArray[np.uint32]

#: Keys waiting in the dictionary before they are merged into the sorted arrays.
PENDING = 1 << 16
#: Digests per block of the digest store (2 MB): growing never copies the digests.
BLOCK = 4096
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)


class BandIndex:
    """Digests of ``num_perm`` slots in ``bands`` bands; ``add`` one, then ``candidates``
    and ``estimates`` for a query digest. Numbers are given in insertion order, from 0."""

    def __init__(self, num_perm: int, bands: int) -> None:
        if bands <= 0 or num_perm % bands:
            raise ValueError(f"{num_perm} slots do not split into {bands} bands")
        self.num_perm = num_perm
        self.bands = bands
        self._rows = num_perm // bands
        self._mix = np.resize(_MIX, self._rows)
        self._salt = np.arange(1, bands + 1, dtype=np.uint64) * np.uint64(0xFF51AFD7ED558CCD)
        self._blocks: list[npt.NDArray[np.uint32]] = []
        self._count = 0
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted
        self._numbers = np.zeros(0, dtype=np.uint32)  # the article of each key
        self._pending: dict[int, list[int]] = {}
        self._pending_keys = 0

    def __len__(self) -> int:
        return self._count

    def digest(self, values: Digest) -> npt.NDArray[np.uint32]:
        """``values`` (a MinHash digest) as this index's array, checked for length."""
        digest = np.asarray(values, dtype=np.uint32)
        if digest.shape != (self.num_perm,):
            raise ValueError(f"a digest of {self.num_perm} slots, got shape {digest.shape}")
        return digest

    def _band_keys(self, digests: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
        """The band keys of one digest (``bands``) or of a matrix of them (n x bands)."""
        rows = digests.astype(np.uint64).reshape(*digests.shape[:-1], self.bands, self._rows)
        with np.errstate(over="ignore"):  # the mix wraps around 2**64 on purpose
            return (rows * self._mix).sum(axis=-1, dtype=np.uint64) ^ self._salt

    def _store(self, digests: npt.NDArray[np.uint32]) -> None:
        """Append digests (rows) to the blocks, opening blocks as they fill."""
        done = 0
        while done < len(digests):
            at = self._count % BLOCK
            if at == 0:  # np.zeros maps pages lazily: an unused block costs little
                self._blocks.append(np.zeros((BLOCK, self.num_perm), dtype=np.uint32))
            block = self._blocks[-1]
            take = min(len(digests) - done, BLOCK - at)
            block[at : at + take] = digests[done : done + take]
            done += take
            self._count += take

    def add(self, values: Digest) -> int:
        """Index one digest; returns its number."""
        digest = self.digest(values)
        number = self._count
        self._store(digest[np.newaxis])
        for key in self._band_keys(digest).tolist():
            self._pending.setdefault(key, []).append(number)
        self._pending_keys += self.bands
        if self._pending_keys >= PENDING:
            self._merge()
        return number

    def extend(self, digests: npt.NDArray[np.uint32]) -> None:
        """Index a matrix of digests (one per row) at once, as a load does with the
        signatures already stored."""
        if digests.ndim != 2 or digests.shape[1] != self.num_perm:
            raise ValueError(f"digests of {self.num_perm} slots, got shape {digests.shape}")
        first = self._count
        self._store(digests)
        numbers = np.repeat(np.arange(first, self._count, dtype=np.uint32), self.bands)
        self._insert(self._band_keys(digests).ravel(), numbers)

    def _insert(self, keys: npt.NDArray[np.uint64], numbers: npt.NDArray[np.uint32]) -> None:
        order = np.argsort(keys, kind="stable")
        keys, numbers = keys[order], numbers[order]
        at = np.searchsorted(self._keys, keys)
        self._keys = np.insert(self._keys, at, keys)
        self._numbers = np.insert(self._numbers, at, numbers)

    def _merge(self) -> None:
        pairs = [(key, n) for key, numbers in self._pending.items() for n in numbers]
        keys = np.fromiter((k for k, _ in pairs), dtype=np.uint64, count=len(pairs))
        numbers = np.fromiter((n for _, n in pairs), dtype=np.uint32, count=len(pairs))
        self._insert(keys, numbers)
        self._pending.clear()
        self._pending_keys = 0

    def candidates(self, values: Digest) -> npt.NDArray[np.int64]:
        """The numbers of indexed digests sharing at least one band with ``values``."""
        keys = self._band_keys(self.digest(values))
        lo = np.searchsorted(self._keys, keys, side="left")
        hi = np.searchsorted(self._keys, keys, side="right")
        found = [self._numbers[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        pending = [n for key in keys.tolist() for n in self._pending.get(key, ())]
        if pending:
            found.append(np.asarray(pending, dtype=np.uint32))
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(found)).astype(np.int64)

    def estimates(self, values: Digest, numbers: npt.NDArray[np.int64]) -> list[float]:
        """The estimated Jaccard similarity of ``values`` with each indexed digest."""
        digest = self.digest(values)
        if not len(numbers):
            return []
        rows = np.array([self._blocks[n // BLOCK][n % BLOCK] for n in numbers.tolist()])
        return [float(x) for x in (rows == digest).mean(axis=1)]

    def nbytes(self) -> int:
        """The bytes of the arrays (the pending dictionary, at most PENDING keys, aside)."""
        blocks = sum(block.nbytes for block in self._blocks)
        return int(blocks + self._keys.nbytes + self._numbers.nbytes)
