"""Imputation methods: hand-computed cases, batches, groups, history, error messages."""

from __future__ import annotations

import numpy as np
import pytest

from aimaq.methods.impute import group_mean, last_available, mean, median, none


def test_none_keeps_missing_and_counts_it() -> None:
    learned: dict = {}
    X = np.array([[1.0, np.nan], [np.nan, np.nan], [3.0, 4.0]])
    out = none(X, learned=learned)
    np.testing.assert_array_equal(np.isnan(out), np.isnan(X))
    assert learned == {"filled": [0, 0], "still_missing": [1, 2]}


def test_mean_and_median_per_indicator_and_batch() -> None:
    X = np.array([[[1.0, 10.0], [np.nan, 20.0], [5.0, np.nan], [6.0, 90.0]]])
    np.testing.assert_allclose(mean(X)[0, :, 0], [1.0, 4.0, 5.0, 6.0])  # (1 + 5 + 6) / 3
    np.testing.assert_allclose(median(X)[0, :, 1], [10.0, 20.0, 20.0, 90.0])
    learned: dict = {}
    mean(X, learned=learned)
    assert learned["filled"] == [[1, 1]] and learned["value"] == [[4.0, 40.0]]


def test_all_missing_indicator_stays_missing_without_warning() -> None:
    X = np.array([[np.nan, 1.0], [np.nan, 2.0]])
    with np.errstate(all="raise"):
        out = mean(X)
    assert np.isnan(out[:, 0]).all()


def test_group_mean_uses_only_the_same_group() -> None:
    # districts of two regions; the third region has no observation of indicator 0
    X = np.array([[2.0, 1.0], [np.nan, 3.0], [10.0, np.nan], [20.0, 5.0], [np.nan, 7.0]])
    groups = ["akm", "akm", "kar", "kar", "tur"]
    learned: dict = {}
    out = group_mean(X, groups=groups, learned=learned)
    np.testing.assert_allclose(out[:, 0], [2.0, 2.0, 10.0, 20.0, np.nan])
    np.testing.assert_allclose(out[:, 1], [1.0, 3.0, 5.0, 5.0, 7.0])
    assert learned["groups"] == ["akm", "kar", "tur"]
    assert learned["filled"] == [1, 1] and learned["still_missing"] == [1, 0]
    out = group_mean(X, groups=groups, fallback="mean")
    assert out[4, 0] == pytest.approx(32 / 3)


def test_group_mean_territory_without_group_is_not_filled_by_a_group() -> None:
    X = np.array([[1.0], [np.nan], [3.0]])
    out = group_mean(X, groups=["a", None, "a"])
    assert np.isnan(out[1, 0])


def test_group_mean_errors() -> None:
    with pytest.raises(ValueError, match="groups: group_mean needs one group label per territory"):
        group_mean(np.ones((2, 1)))
    with pytest.raises(
        ValueError, match=r"groups: expected 2 labels \(one per territory\), got shape \(3,\)"
    ):
        group_mean(np.ones((2, 1)), groups=["a", "b", "c"])
    with pytest.raises(ValueError, match="fallback: must be 'none' or 'mean'"):
        group_mean(np.ones((2, 1)), groups=["a", "b"], fallback="median")


def test_last_available_takes_the_newest_earlier_value() -> None:
    history = np.array(
        [
            [[1.0, 10.0], [2.0, np.nan]],  # 2019
            [[1.5, np.nan], [np.nan, np.nan]],  # 2020
        ]
    )
    X = np.array([[np.nan, np.nan], [np.nan, 7.0]])  # 2021
    learned: dict = {}
    out = last_available(X, history=history, learned=learned)
    np.testing.assert_allclose(out, [[1.5, 10.0], [2.0, 7.0]])
    assert learned["age"] == [[1, 2], [2, 0]]
    out = last_available(X, history=history, max_age=1)
    np.testing.assert_allclose(out, [[1.5, np.nan], [np.nan, 7.0]])


def test_last_available_fills_every_batch_from_one_history() -> None:
    history = np.array([[[5.0]], [[6.0]]])
    X = np.array([[[np.nan]], [[1.0]], [[np.nan]]])
    np.testing.assert_allclose(last_available(X, history=history)[:, 0, 0], [6.0, 1.0, 6.0])


def test_last_available_errors() -> None:
    with pytest.raises(ValueError, match=r"history: last_available needs the earlier periods"):
        last_available(np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"history: expected shape \(t, 2, 1\) to match X, got \(3, 2, 2\)"):
        last_available(np.ones((2, 1)), history=np.ones((3, 2, 2)))
    with pytest.raises(ValueError, match=r"max_age: must be a positive int or None\. Got 0"):
        last_available(np.ones((2, 1)), history=np.ones((3, 2, 1)), max_age=0)
