import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from catalyse.core.classify import class_breaks, class_of, jenks_breaks, quantile_breaks


def test_quantiles_split_ten_values_into_five_classes_of_two():
    values = [7, 1, 9, 3, 5, 2, 10, 4, 8, 6]
    assert quantile_breaks(values, 5) == [1, 2, 4, 6, 8, 10]
    assert [class_of(v, [1, 2, 4, 6, 8, 10]) for v in (1, 2, 3, 4, 10)] == [0, 0, 1, 1, 4]


def test_quantiles_of_uneven_counts_and_ties():
    # 7 values in 3 classes: upper bounds at the ⌈7/3⌉=3rd, ⌈14/3⌉=5th and 7th smallest values.
    assert quantile_breaks([10, 20, 30, 40, 50, 60, 70], 3) == [10, 30, 50, 70]
    # Ties merge classes rather than making empty ones.
    assert quantile_breaks([5, 5, 5, 5, 9], 4) == [5, 5, 9]


def test_jenks_finds_the_obvious_clusters():
    values = [1, 2, 3, 10, 11, 12, 30, 31]
    assert jenks_breaks(values, 3) == [1, 3, 12, 31]
    assert class_breaks(values, 3, "jenks") == [1, 3, 12, 31]


def test_jenks_hand_computed_split_of_four_values():
    # {0, 1} | {5, 9}: squared deviations 0.5 + 8 = 8.5; {0, 1, 5} | {9}: 14 + 0 = 14; {0} | {1, 5, 9}: 32.
    assert jenks_breaks([0, 1, 5, 9], 2) == [0, 1, 9]


def test_fewer_distinct_values_than_classes_give_one_class_per_value():
    assert jenks_breaks([4, 4, 7], 5) == [4, 4, 7]
    assert class_of(7, [4, 4, 7]) == 1


def _squared_deviations(runs):
    return sum(sum((v - sum(r) / len(r)) ** 2 for v in r) for r in runs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=4, max_size=12), st.integers(2, 4))
def test_jenks_is_the_optimum_found_by_brute_force(values, classes):
    ordered = sorted(values)
    if len(set(ordered)) <= classes:
        return
    best = min(
        _squared_deviations([ordered[a:b] for a, b in zip((0, *cuts), (*cuts, len(ordered)), strict=True)])
        for cuts in itertools.combinations(range(1, len(ordered)), classes - 1)
    )
    breaks = jenks_breaks(values, classes)
    runs = [[v for v in ordered if class_of(v, breaks) == i] for i in range(len(breaks) - 1)]
    assert abs(_squared_deviations([r for r in runs if r]) - best) < 1e-6
