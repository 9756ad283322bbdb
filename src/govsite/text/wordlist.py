"""wordfreq's Chinese word list, held compactly: the typo layer asks how common a form is.

`wordfreq.get_frequency_dict("zh")` is a dict of 334,609 words to floats,
about 70 MB in the typo helper (and more while it is built), which took a
scan past its 500 MB budget. The layer only asks for the frequency of a few
candidate forms, so the list is kept as one sorted string per word length
(fixed width, binary search; about 3 MB) with each word's centibel bucket,
read from wordfreq's own data file one bucket at a time.

Not for: segmentation (jieba) or single characters (never a form as written).
"""

from __future__ import annotations

import gzip
import importlib.util
from array import array
from bisect import bisect_left
from functools import cache
from pathlib import Path

WORDLIST = "large_zh"  # wordfreq's "best" list for Chinese


class _FixedWidth:
    """The words of one length as a sequence over one string (what bisect needs)."""

    def __init__(self, joined: str, width: int) -> None:
        self.joined, self.width = joined, width

    def __len__(self) -> int:
        return len(self.joined) // self.width

    def __getitem__(self, index: int) -> str:
        start = index * self.width
        return self.joined[start : start + self.width]


@cache
def _table() -> dict[int, tuple[_FixedWidth, array]]:
    """Word length -> (its words sorted, their centibel buckets in the same order)."""
    import msgpack

    by_length: dict[int, tuple[list[str], array]] = {}
    path = _data_path()
    with gzip.open(path, "rb") as handle:
        unpacker = msgpack.Unpacker(handle, raw=False, use_list=True)
        unpacker.read_array_header()
        unpacker.skip()  # the header: {"format": "cB", "version": 1}
        for centibels, bucket in enumerate(unpacker):  # bucket i holds the words of frequency 10**(-i/100)
            for word in bucket:
                if len(word) > 1:
                    words, buckets = by_length.setdefault(len(word), ([], array("H")))
                    words.append(word)
                    buckets.append(centibels)
    table = {}
    for width, (words, buckets) in by_length.items():
        order = sorted(range(len(words)), key=words.__getitem__)
        table[width] = (_FixedWidth("".join(words[i] for i in order), width), array("H", (buckets[i] for i in order)))
    return table


def _data_path() -> Path:
    # Found without importing wordfreq (its package loads regex, ftfy and langcodes: ~20 MB we do not need).
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq", name="wordfreq")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / f"{WORDLIST}.msgpack.gz"


def frequency(word: str) -> float:
    """The share of tokens that `word` is in wordfreq's Chinese list (0.0 when it is not listed)."""
    entry = _table().get(len(word))
    if entry is None:
        return 0.0
    words, buckets = entry
    index = bisect_left(words, word)
    if index < len(words) and words[index] == word:
        return 10 ** (-buckets[index] / 100)
    return 0.0


def load() -> None:
    """Read the list now (about 0.5 s), not on the first question."""
    _table()
