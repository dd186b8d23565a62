"""Exact statistics against published and hand-computed values, and a brute-force oracle."""

import math
from fractions import Fraction

import pytest

from tracker.analysis import stats


def rate_ratio_wald(
    count1: int, exposure1: float, count2: int, exposure2: float, z: float = 1.959964
) -> tuple[float, float, float]:
    """Rate ratio with the large-sample interval exp(ln RR +- z * sqrt(1/a + 1/b)).

    Textbook formula (Rothman, Modern Epidemiology): an oracle to cross-check the exact
    interval on large counts, where both agree.
    """
    ratio = (count1 / exposure1) / (count2 / exposure2)
    half = z * math.sqrt(1 / count1 + 1 / count2)
    return ratio, ratio * math.exp(-half), ratio * math.exp(half)


def exact_pmf(k: int, n: int, p: Fraction) -> Fraction:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


def exact_two_sided(x: int, n: int, p: Fraction) -> float:
    """Sum of the probabilities of all outcomes no likelier than x (the definition)."""
    d = exact_pmf(x, n, p)
    return float(sum(exact_pmf(k, n, p) for k in range(n + 1) if exact_pmf(k, n, p) <= d))


def test_r_poisson_test_documentation_example():
    # R ?poisson.test: lung cancer in Fredericia (11 cases per 800 person-years) against the
    # other three cities (6 + 8 + 7 cases per 1083 + 1050 + 878). R prints rate ratio 1.971488,
    # 95% CI 0.8584264 to 4.2772659, p-value = 0.07967.
    result = stats.compare_rates(11, 800, 6 + 8 + 7, 1083 + 1050 + 878)
    assert result.rate_ratio == pytest.approx(1.971488, abs=1e-6)
    assert result.ci_low == pytest.approx(0.8584264, abs=1e-6)
    assert result.ci_high == pytest.approx(4.2772659, abs=1e-6)
    assert result.p_value == pytest.approx(0.07967, abs=1e-5)
    assert not result.significant


def test_fifteen_against_five_by_hand():
    # Equal periods: given 20 cramps, the recent count is Binomial(20, 1/2). P(X >= 15) =
    # (C(20,15) + ... + C(20,20)) / 2^20 = 21700 / 1048576; two-sided doubles it.
    result = stats.compare_rates(15, 30, 5, 30)
    assert result.p_value == pytest.approx(2 * 21700 / 2**20, rel=1e-9)
    assert result.rate_ratio == 3
    assert result.significant
    assert result.ci_low > 1  # consistent with p < 0.05


def test_clopper_pearson_known_values_and_definition():
    # R: binom.test(15, 20)$conf.int -> 0.5089541 0.9134285
    low, high = stats.clopper_pearson(15, 20)
    assert low == pytest.approx(0.5089541, abs=1e-7)
    assert high == pytest.approx(0.9134285, abs=1e-7)
    # By definition P(X >= 15 | low) = P(X <= 15 | high) = 0.025.
    tail_low = sum(exact_pmf(k, 20, Fraction(low)) for k in range(15, 21))
    tail_high = sum(exact_pmf(k, 20, Fraction(high)) for k in range(16))
    assert float(tail_low) == pytest.approx(0.025, abs=1e-9)
    assert float(tail_high) == pytest.approx(0.025, abs=1e-9)
    assert stats.clopper_pearson(0, 10)[0] == 0.0
    assert stats.clopper_pearson(10, 10)[1] == 1.0


@pytest.mark.parametrize(
    "x, n, p",
    [
        (3, 20, "1/2"),
        (17, 20, "1/2"),
        (2, 10, "3/10"),
        (0, 12, "1/3"),
        (9, 12, "1/3"),
        (7, 9, "1/3"),
        (40, 60, "1/2"),
        (1, 1, "1/2"),
        (5, 40, "1/4"),
    ],
)
def test_binom_test_matches_brute_force(x, n, p):
    assert stats.binom_test(x, n, float(Fraction(p))) == pytest.approx(
        exact_two_sided(x, n, Fraction(p)), rel=1e-7
    )


def test_cdf_and_survival_agree_with_sums():
    for k in range(0, 31, 5):
        exact = float(sum(exact_pmf(i, 30, Fraction(2, 7)) for i in range(k + 1)))
        assert stats.binom_cdf(k, 30, 2 / 7) == pytest.approx(exact, rel=1e-10)
        assert stats.binom_sf(k, 30, 2 / 7) == pytest.approx(1 - exact, abs=1e-12)


def test_large_counts_are_fast_and_agree_with_the_wald_interval():
    exact = stats.compare_rates(50_000, 365, 48_000, 365)
    ratio, low, high = rate_ratio_wald(50_000, 365, 48_000, 365)
    assert exact.rate_ratio == pytest.approx(ratio)
    assert exact.ci_low == pytest.approx(low, rel=1e-3)
    assert exact.ci_high == pytest.approx(high, rel=1e-3)
    assert exact.p_value < 1e-6


def test_wald_textbook_formula():
    # exp(ln 3 +- 1.96 * sqrt(1/15 + 1/5)) = 1.0903 .. 8.2543 (worked by hand)
    ratio, low, high = rate_ratio_wald(15, 1, 5, 1)
    assert (ratio, round(low, 4), round(high, 4)) == (3.0, 1.0903, 8.2543)


def test_edge_cases():
    none = stats.compare_rates(0, 30, 0, 30)
    assert none.p_value == 1.0 and math.isnan(none.rate_ratio)
    only_recent = stats.compare_rates(5, 30, 0, 30)
    assert only_recent.rate_ratio == math.inf and only_recent.ci_high == math.inf
    assert only_recent.p_value == pytest.approx(2 / 32)
    with pytest.raises(ValueError):
        stats.compare_rates(1, 0, 1, 30)


def test_share_text_always_gives_the_count():
    assert stats.share_text(7, 9) == "7 of 9 (78%)"
    assert stats.share_text(7, 9, "cramps") == "7 of 9 cramps (78%)"
    assert stats.share_text(0, 0) == "0 of 0"
