"""The name a typo most likely meant, for "did you mean ...?" hints on fields and references alike."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def edits(a: str, b: str) -> int:
    """Edits from `a` to `b`: insertions, deletions, substitutions and swaps of two neighbours (2042 → 2024)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name fewest edits away, if within a third of the name's length (at least one edit);
    ties go to the more similar spelling."""
    limit = max(1, len(name) // 3)
    scored = [(edits(name, k), -difflib.SequenceMatcher(None, name, k).ratio(), k) for k in known]
    best = min(scored, default=None)
    return best[2] if best is not None and best[0] <= limit else None
