"""Classes, colours and Dutch legends for the choropleth (zorgzaam.classify)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zorgzaam.classify import (
    METHODS,
    MISSING_COLOUR,
    MISSING_LABEL,
    Classification,
    classify,
    sequential_palette,
)


def _class_labels(result: Classification) -> list[str]:
    return [entry.label for entry in result.class_entries]


def _counts(result: Classification) -> list[int]:
    return [entry.count for entry in result.class_entries]


# --- kwantielen -----------------------------------------------------------------


def test_quantile_edges_match_numpy() -> None:
    rng = np.random.default_rng(7)
    values = pd.Series(rng.gamma(2.0, 5.0, size=200))
    result = classify(values, "kwantielen", n_classes=5)
    expected = np.quantile(values.to_numpy(), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(result.bounds, expected)
    assert result.n_classes == 5
    assert result.colours == sequential_palette(5)
    # evenveel sectoren per klasse
    assert _counts(result) == [40, 40, 40, 40, 40]


def test_every_value_in_exactly_one_class_and_counts_add_up() -> None:
    rng = np.random.default_rng(3)
    raw = np.round(rng.normal(20.0, 6.0, size=157), 1)  # rounded: many ties
    values = pd.Series(raw)
    values[[5, 17, 40]] = np.nan
    for method in ("kwantielen", "gelijke_intervallen"):
        for k in (2, 3, 5, 7, 9):
            result = classify(values, method, n_classes=k)
            classes = result.class_of(values)
            known = ~values.isna().to_numpy()
            assert (classes[known] >= 0).all() and (classes[known] < result.n_classes).all()
            assert (classes[~known] == -1).all()
            assert sum(_counts(result)) == int(known.sum()) == 154
            assert _counts(result) == [int((classes == i).sum()) for i in range(result.n_classes)]
            # the class a value gets lies within its class bounds
            lows = np.asarray(result.bounds)[classes[known]]
            highs = np.asarray(result.bounds)[classes[known] + 1]
            assert (raw[known] >= lows).all() and (raw[known] <= highs).all()
            # the maximum is in the top class, the minimum in the first
            assert classes[int(np.nanargmax(values))] == result.n_classes - 1
            assert classes[int(np.nanargmin(values))] == 0


def test_quantiles_lower_edge_inclusive_upper_exclusive() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    result = classify(values, "kwantielen", n_classes=4)
    assert result.bounds == (1.0, 2.0, 3.0, 4.0, 5.0)
    assert result.class_of([1.0, 2.0, 2.999, 3.0, 4.0, 5.0]).tolist() == [0, 1, 1, 2, 3, 3]
    assert _counts(result) == [1, 1, 1, 2]


def test_quantile_duplicate_edges_collapse_without_empty_classes() -> None:
    values = [0.0] * 12 + [1.0, 2.0, 3.0, 8.0]
    result = classify(values, "kwantielen", n_classes=5)
    assert result.n_classes < 5
    assert len(set(result.bounds)) == len(result.bounds)
    assert all(entry.count > 0 for entry in result.class_entries)
    assert result.colours == sequential_palette(result.n_classes)
    assert result.class_of([0.0]).tolist() == [0]
    assert _counts(result)[0] >= 12


def test_quantiles_few_distinct_values_no_empty_class() -> None:
    result = classify([0.0, 10.0, 20.0, 30.0], "kwantielen", n_classes=5)
    assert all(entry.count > 0 for entry in result.class_entries)
    assert sum(_counts(result)) == 4
    assert result.n_classes == 4


def test_two_values() -> None:
    for method in ("kwantielen", "gelijke_intervallen"):
        result = classify(pd.Series([1.0, 3.0]), method)
        classes = result.class_of([1.0, 3.0]).tolist()
        assert classes[0] == 0 and classes[1] == result.n_classes - 1
        assert classes[0] != classes[1]
        assert sum(_counts(result)) == 2
        assert result.bounds[0] == 1.0 and result.bounds[-1] == 3.0
    assert all(entry.count > 0 for entry in classify([1.0, 3.0]).class_entries)


def test_all_equal_values_give_one_class() -> None:
    for method in ("kwantielen", "gelijke_intervallen"):
        result = classify([12.5, 12.5, 12.5, np.nan], method)
        assert result.n_classes == 1
        assert result.bounds == (12.5, 12.5)
        assert _class_labels(result) == ["12,5 %"]
        assert _counts(result) == [3]
        assert result.class_of([12.5, None]).tolist() == [0, -1]


def test_single_value_and_no_values() -> None:
    assert _counts(classify([4.2])) == [1]
    empty = classify([np.nan, pd.NA, None])
    assert empty.n_classes == 0
    assert empty.entries == (empty.missing_entry,)
    assert empty.missing_entry is not None and empty.missing_entry.count == 3
    assert empty.colour_of([1.0, np.nan]) == [list(MISSING_COLOUR), list(MISSING_COLOUR)]


# --- missing values -------------------------------------------------------------


def test_missing_values_are_grey_minus_one_and_in_their_own_entry() -> None:
    values = pd.Series([5.0, np.nan, 7.0, pd.NA, 9.0, None, 11.0], dtype=object)
    result = classify(values, "kwantielen", n_classes=2)
    classes = result.class_of(values)
    assert classes.tolist() == [0, -1, 0, -1, 1, -1, 1]
    colours = result.colour_of(values)
    assert colours[1] == colours[3] == colours[5] == list(MISSING_COLOUR)
    assert colours[0] == list(result.colours[0]) != list(MISSING_COLOUR)
    assert len(result.entries) == result.n_classes + 1
    missing = result.entries[-1]
    assert missing.label == MISSING_LABEL == "x of - : verborgen of geen gegevens"
    assert missing.colour == MISSING_COLOUR
    assert missing.count == 3
    # missing is never 0: the minimum of the known values is 5, not 0
    assert result.bounds[0] == 5.0
    assert sum(_counts(result)) == 4


def test_nullable_float_series_with_na() -> None:
    values = pd.Series([1.0, None, 2.0, 3.0], dtype="Float64")
    result = classify(values, "gelijke_intervallen", n_classes=2)
    assert result.class_of(values).tolist() == [0, -1, 1, 1]
    assert result.missing_entry is not None and result.missing_entry.count == 1


def test_no_missing_entry_when_nothing_missing() -> None:
    result = classify([1.0, 2.0, 3.0])
    assert result.missing_entry is None
    assert all(entry.label != MISSING_LABEL for entry in result.entries)


# --- gelijke intervallen --------------------------------------------------------


def test_equal_intervals_edges() -> None:
    values = [2.0, 3.0, 5.0, 11.0, 12.0]
    result = classify(values, "gelijke_intervallen", n_classes=5)
    np.testing.assert_allclose(result.bounds, [2.0, 4.0, 6.0, 8.0, 10.0, 12.0])
    assert _counts(result) == [2, 1, 0, 0, 2]  # empty classes stay in the legend
    assert _class_labels(result) == ["2,0 – 4,0 %", "4,0 – 6,0 %", "6,0 – 8,0 %", "8,0 – 10,0 %", "10,0 – 12,0 %"]


def test_equal_intervals_value_on_computed_edge_goes_up() -> None:
    # np.linspace(0, 1.1, 6)[1] == 0.22000000000000003 > 0.22: the edge is 0,22 all the same
    values = [0.0, 0.22, 0.44, 0.66, 0.88, 1.1]
    result = classify(values, "gelijke_intervallen", n_classes=5)
    assert result.class_of(values).tolist() == [0, 1, 2, 3, 4, 4]
    assert _counts(result) == [1, 1, 1, 1, 2]


# --- afwijking t.o.v. de eerstelijnszone ----------------------------------------


def test_deviation_classes_around_reference() -> None:
    values = pd.Series([7.9, 8.5, 10.5, 11.5, 12.6, np.nan])
    result = classify(values, "afwijking_elz", reference=10.0)
    assert result.reference == 10.0
    assert result.n_classes == 5
    labels = _class_labels(result)
    assert labels[0].startswith("≥ 20 % lager")
    assert labels[1].startswith("10–20 % lager")
    assert labels[2].startswith("binnen 10 %")
    assert labels[3].startswith("10–25 % hoger")
    assert labels[4].startswith("≥ 25 % hoger")
    classes = result.class_of(values).tolist()
    assert classes == [0, 1, 2, 3, 4, -1]
    assert labels[classes[0]].startswith("≥ 20 % lager")  # 7.9
    assert labels[classes[4]].startswith("≥ 25 % hoger")  # 12.6
    assert labels[classes[2]].startswith("binnen 10 %")  # 10.5
    np.testing.assert_allclose(result.bounds[1:-1], [8.0, 9.0, 11.0, 12.5])
    assert result.bounds[0] == -np.inf and result.bounds[-1] == np.inf


def test_deviation_boundaries_belong_to_outer_class() -> None:
    # 12.5 = 1.25 x 10: the app's signal rule "at least 1.25 x the care-zone value"
    result = classify([10.0], "afwijking_elz", reference=10.0)
    assert result.class_of([8.0, 8.01, 9.0, 9.01, 10.99, 11.0, 12.49, 12.5]).tolist() == [0, 1, 1, 2, 2, 3, 3, 4]
    # floating-point noise at an edge: 2.97 / 3.3 == 0.9000000000000001, still "10–20 % lager"
    noisy = classify([2.97], "afwijking_elz", reference=3.3)
    assert noisy.class_of([2.97, 2.64]).tolist() == [1, 0]


def test_deviation_labels_name_relative_and_absolute_bounds() -> None:
    result = classify([10.0, 16.0], "afwijking_elz", reference=12.0)
    labels = _class_labels(result)
    assert labels[4] == "≥ 25 % hoger dan de eerstelijnszone (≥ 15,0 %)"
    assert labels[0] == "≥ 20 % lager dan de eerstelijnszone (≤ 9,6 %)"
    assert labels[2] == "binnen 10 % van de eerstelijnszone (10,8 – 13,2 %)"


def test_deviation_keeps_all_five_classes_and_diverging_palette() -> None:
    result = classify([10.2, 10.4, np.nan], "afwijking_elz", reference=10.0, n_classes=3)
    assert result.n_classes == 5
    assert _counts(result) == [0, 0, 2, 0, 0]
    assert result.missing_entry is not None and result.missing_entry.count == 1
    # PuOr: purple lower, light neutral middle, orange higher
    assert result.colours[2] == (247, 247, 247)
    assert result.colours[0] == (94, 60, 153)
    assert result.colours[4] == (230, 97, 1)
    assert MISSING_COLOUR not in result.colours
    empty = classify([np.nan], "afwijking_elz", reference=10.0)
    assert _counts(empty) == [0, 0, 0, 0, 0]


@pytest.mark.parametrize("reference", [None, 0, 0.0, -3.0, np.nan, pd.NA])
def test_deviation_needs_a_positive_reference(reference: object) -> None:
    with pytest.raises(ValueError, match="eerstelijnszone"):
        classify([1.0, 2.0], "afwijking_elz", reference=reference)


def test_deviation_error_is_dutch() -> None:
    with pytest.raises(ValueError) as info:
        classify([1.0, 2.0], "afwijking_elz", reference=0)
    assert str(info.value).startswith("De afwijking t.o.v. de eerstelijnszone kan niet berekend worden")
    assert "0,0" in str(info.value)


# --- labels ---------------------------------------------------------------------


def test_dutch_label_formatting() -> None:
    result = classify([10.0, 12.5, 1234.0], "gelijke_intervallen", n_classes=2, unit="inwoners", decimals=0)
    assert _class_labels(result) == ["10 – 622 inwoners", "622 – 1.234 inwoners"]
    pct = classify([12.5, 12.5])
    assert _class_labels(pct) == ["12,5 %"]
    ratio = classify([0.5, 1.25], "gelijke_intervallen", n_classes=1, unit="verhouding", decimals=2)
    assert _class_labels(ratio) == ["0,50 – 1,25"]
    assert ratio.title("Mantelzorgratio") == "Mantelzorgratio"


def test_long_unit_goes_in_title_once() -> None:
    unit = "per 100 inwoners 20-64 jaar"
    result = classify([20.0, 30.0, 40.0], "gelijke_intervallen", n_classes=2, unit=unit)
    assert _class_labels(result) == ["20,0 – 30,0", "30,0 – 40,0"]
    assert not result.unit_in_labels
    assert result.unit_label == unit
    assert result.title("Afhankelijkheidsratio") == "Afhankelijkheidsratio (per 100 inwoners 20-64 jaar)"
    short = classify([20.0, 30.0])
    assert short.unit_in_labels and short.title("Aandeel 65+") == "Aandeel 65+ (%)"


def test_rounding_collision_adds_decimals() -> None:
    # equal intervals 1.00, 1.02, 1.04, 1.06, 1.08, 1.10: at one decimal "1,0 – 1,0"
    result = classify([1.0, 1.1], "gelijke_intervallen", n_classes=5)
    labels = _class_labels(result)
    assert labels[0] == "1,00 – 1,02 %"
    assert result.label_decimals == 2
    for lo, hi in (label.removesuffix(" %").split(" – ") for label in labels):
        assert lo != hi
    # never more than decimals + 2
    tiny = classify([1.0, 1.00001], "gelijke_intervallen", n_classes=2)
    assert tiny.label_decimals == 3


def test_rounding_collision_in_deviation_labels() -> None:
    result = classify([0.2, 0.6], "afwijking_elz", reference=0.4)
    assert result.label_decimals == 2
    assert _class_labels(result)[1] == "10–20 % lager dan de eerstelijnszone (0,32 – 0,36 %)"


def test_no_extra_decimals_without_collision() -> None:
    result = classify([10.0, 20.0], "gelijke_intervallen", n_classes=2)
    assert result.label_decimals == 1
    assert _class_labels(result) == ["10,0 – 15,0 %", "15,0 – 20,0 %"]


# --- palettes and arguments -----------------------------------------------------


def test_sequential_palette_light_to_dark() -> None:
    for k in range(1, 10):
        palette = sequential_palette(k)
        assert len(palette) == k == len(set(palette))
        brightness = [sum(colour) for colour in palette]
        assert brightness == sorted(brightness, reverse=True)
        assert MISSING_COLOUR not in palette


def test_colour_of_matches_class_colours() -> None:
    values = [1.0, 5.0, 9.0, np.nan]
    result = classify(values, "gelijke_intervallen", n_classes=3)
    assert result.colour_of(values) == [
        list(result.colours[0]),
        list(result.colours[1]),
        list(result.colours[2]),
        list(MISSING_COLOUR),
    ]


def test_methods_and_invalid_arguments() -> None:
    assert set(METHODS) == {"kwantielen", "gelijke_intervallen", "afwijking_elz"}
    with pytest.raises(ValueError, match="Onbekende indeling"):
        classify([1.0], "natural_breaks")
    for k in (0, 10, 2.5):
        with pytest.raises(ValueError, match="klassen"):
            classify([1.0, 2.0], n_classes=k)  # type: ignore[arg-type]
    assert classify([1.0, 2.0], "kwantielen").method_label == METHODS["kwantielen"]
