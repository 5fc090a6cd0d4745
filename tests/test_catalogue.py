"""The catalogue knows which indicators the stored data can answer."""

from __future__ import annotations

from zorgzaam.catalogue import BUILTIN


def test_has_data_from_counts_their_parts_or_a_stored_value():
    assert BUILTIN.has_data("pop_total", {"pop_total"})
    assert not BUILTIN.has_data("pct_80plus", {"pop_total"})
    # 80+ is the sum of 80-89 and 90+: the parts are enough.
    assert BUILTIN.has_data("pct_80plus", {"pop_total", "pop_age_80_89", "pop_age_90plus"})
    assert not BUILTIN.has_data("pct_80plus", {"pop_total", "pop_age_80_89"})
    # A stored value of the indicator itself.
    assert BUILTIN.has_data("pct_80plus", {"pct_80plus"})
    assert not BUILTIN.has_data("bestaat_niet", {"pop_total"})
