"""Class breaks for choropleth maps: quantiles and Jenks natural breaks.

Breaks are `[minimum, upper bound of class 1, …, maximum]`; a value belongs to the first class whose upper
bound it does not exceed (`class_of`). Fewer classes come back when the values do not allow as many
(ties, or fewer distinct values than classes).
"""

import bisect
import math
from collections.abc import Iterable

METHODS = {"quantiles": "quantiles (effectifs égaux)", "jenks": "seuils naturels de Jenks"}


def quantile_breaks(values: Iterable[float], classes: int) -> list[float]:
    """Classes of (nearly) equal counts: class i ends at the ⌈i·n/k⌉-th smallest value."""
    ordered = sorted(values)
    if not ordered:
        return []
    n = len(ordered)
    uppers = [ordered[math.ceil(i * n / classes) - 1] for i in range(1, classes + 1)]
    return [ordered[0], *sorted(set(uppers))]


def jenks_breaks(values: Iterable[float], classes: int) -> list[float]:
    """Fisher-Jenks natural breaks: the split of the sorted values into `classes` runs that minimises the sum
    of squared deviations from each run's mean (the exact optimum, not an iterative approximation).

    Dynamic programming over prefix sums; the best start of the last run only moves right as the run's end
    does, so each row is filled by divide and conquer in O(n log n) rather than O(n²)."""
    ordered = sorted(values)
    if not ordered:
        return []
    distinct = sorted(set(ordered))
    if len(distinct) <= classes:
        return [distinct[0], *distinct] if len(distinct) > 1 else [distinct[0], distinct[0]]
    n = len(ordered)
    s1, s2 = [0.0] * (n + 1), [0.0] * (n + 1)
    for i, v in enumerate(ordered):
        s1[i + 1] = s1[i] + v
        s2[i + 1] = s2[i] + v * v

    def cost(i: int, j: int) -> float:  # squared deviations of ordered[i..j], inclusive
        total = s1[j + 1] - s1[i]
        return s2[j + 1] - s2[i] - total * total / (j - i + 1)

    previous = [cost(0, j) for j in range(n)]
    starts: list[list[int]] = [[0] * n]
    for k in range(1, classes):
        current = [math.inf] * n
        start = [0] * n

        def fill(lo: int, hi: int, opt_lo: int, opt_hi: int, k=k, current=current, start=start,
                 previous=previous) -> None:
            if lo > hi:
                return
            mid = (lo + hi) // 2
            best, best_i = math.inf, max(opt_lo, k)
            end1, end2 = s1[mid + 1], s2[mid + 1]
            for i in range(max(opt_lo, k), min(mid, opt_hi) + 1):
                total = end1 - s1[i]  # cost(i, mid), inlined: this loop is the whole algorithm's time
                c = previous[i - 1] + end2 - s2[i] - total * total / (mid - i + 1)
                if c < best:
                    best, best_i = c, i
            current[mid], start[mid] = best, best_i
            fill(lo, mid - 1, opt_lo, best_i, k, current, start, previous)
            fill(mid + 1, hi, best_i, opt_hi, k, current, start, previous)

        fill(k, n - 1, k, n - 1)
        previous = current
        starts.append(start)
    uppers, end = [], n - 1
    for k in range(classes - 1, -1, -1):
        uppers.append(ordered[end])
        end = starts[k][end] - 1
    return [ordered[0], *sorted(set(uppers))]


def class_breaks(values: Iterable[float], classes: int = 5, method: str = "quantiles") -> list[float]:
    if method not in METHODS:
        raise ValueError(f"Méthode de classes inconnue : {method}")
    classes = max(1, classes)
    return jenks_breaks(values, classes) if method == "jenks" else quantile_breaks(values, classes)


def class_of(value: float, breaks: list[float]) -> int:
    """Index of the class holding `value` (upper bounds included); the last class for anything above."""
    return min(bisect.bisect_left(breaks, value, 1), len(breaks) - 1) - 1
