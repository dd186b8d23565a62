"""Small exact statistics for honest findings, in plain Python (no scipy in the app).

Comparing two periods' counts: if cramps came at a constant rate, the count in the first period
given the total is binomial with p = t1 / (t1 + t2). That gives an exact two-sided p-value and,
through the Clopper-Pearson interval of p, an exact 95% interval of the rate ratio. This is the
method of R's ``poisson.test`` for two samples, so its documented results can check ours.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

_TINY = 1e-300
_REL_ERR = 1 + 1e-7  # same tolerance as R when collecting outcomes "as extreme" as the one seen


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function I_x(a, b) for a, b > 0."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def binom_pmf(k: int, n: int, p: float) -> float:
    if k < 0 or k > n:
        return 0.0
    if p <= 0.0:
        return 1.0 if k == 0 else 0.0
    if p >= 1.0:
        return 1.0 if k == n else 0.0
    log = (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )
    return math.exp(log)


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return betainc(n - k, k + 1, 1.0 - p)


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X > k)."""
    if k < 0:
        return 1.0
    if k >= n:
        return 0.0
    return betainc(k + 1, n - k, p)


def _first_index(lo: int, hi: int, predicate: Callable[[int], bool]) -> int:
    """Smallest i in [lo, hi] with predicate(i) true (predicate monotone false..true), or hi+1."""
    while lo <= hi:
        mid = (lo + hi) // 2
        if predicate(mid):
            hi = mid - 1
        else:
            lo = mid + 1
    return lo


def binom_test(x: int, n: int, p: float) -> float:
    """Exact two-sided binomial test: the probability of outcomes no likelier than x.

    The probabilities fall away on both sides of the mode, so the outcomes "as extreme" on the
    other side form a tail found by binary search instead of a sum over every outcome.
    """
    if n == 0:
        return 1.0
    d = binom_pmf(x, n, p) * _REL_ERR
    mean = n * p
    if abs(x - mean) < 1e-12:
        return 1.0
    if x < mean:
        start = math.ceil(mean)
        first = _first_index(start, n, lambda i: binom_pmf(i, n, p) <= d)
        upper_tail = binom_sf(first - 1, n, p) if first <= n else 0.0
        return min(1.0, binom_cdf(x, n, p) + upper_tail)
    end = math.floor(mean)
    # pmf rises on [0, end]: outcomes no likelier than x form a prefix [0, last].
    last = _first_index(0, end, lambda i: binom_pmf(i, n, p) > d) - 1
    lower_tail = binom_cdf(last, n, p) if last >= 0 else 0.0
    return min(1.0, lower_tail + binom_sf(x - 1, n, p))


def _beta_quantile(q: float, a: float, b: float) -> float:
    """x with I_x(a, b) = q: Newton steps from the mean, kept inside a shrinking bracket.

    Bisection took ~45 evaluations of I_x; with a million episodes each costs ~2 ms (its
    continued fraction grows with a and b), which made a save wait ~100 ms for the trend's
    interval. Newton (the derivative is the beta density) needs about six.
    """
    lo, hi = 0.0, 1.0
    log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    x = a / (a + b)
    for _ in range(200):
        f = betainc(a, b, x) - q
        if f < 0:
            lo = x
        else:
            hi = x
        if hi - lo < 1e-13:
            return (lo + hi) / 2
        density = math.exp(log_norm + (a - 1) * math.log(x) + (b - 1) * math.log1p(-x))
        step = f / density if density > 0 else math.inf
        new = x - step
        if not lo < new < hi:
            new = (lo + hi) / 2  # Newton would leave the bracket: bisect instead
        elif abs(step) < 1e-15 * max(x, 1e-300) or abs(step) < 1e-16:
            return new
        x = new
    return x


@functools.lru_cache(maxsize=4096)
def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact interval for a binomial proportion k / n (remembered: a save that leaves k and n
    as they were, or asks again for another range, costs nothing)."""
    if n == 0:
        return 0.0, 1.0
    alpha = 1.0 - confidence
    lower = 0.0 if k == 0 else _beta_quantile(alpha / 2, k, n - k + 1)
    upper = 1.0 if k == n else _beta_quantile(1 - alpha / 2, k + 1, n - k)
    return lower, upper


@dataclass(frozen=True)
class RateComparison:
    """Counts in two periods (1 = recent, 2 = earlier) and how sure the difference is."""

    count1: int
    count2: int
    exposure1: float  # e.g. days
    exposure2: float
    rate_ratio: float  # (count1 / exposure1) / (count2 / exposure2); inf if count2 == 0
    ci_low: float
    ci_high: float
    p_value: float

    @property
    def significant(self) -> bool:
        """True when the difference is larger than chance at the usual 5% level."""
        return self.p_value < 0.05


def compare_rates(
    count1: int, exposure1: float, count2: int, exposure2: float, confidence: float = 0.95
) -> RateComparison:
    """Exact comparison of two Poisson counts (conditional binomial test) with rate ratio CI."""
    if exposure1 <= 0 or exposure2 <= 0:
        raise ValueError("exposures must be positive")
    n = count1 + count2
    share = exposure1 / (exposure1 + exposure2)
    p_value = binom_test(count1, n, share)
    scale = exposure2 / exposure1
    if count2 == 0:
        ratio = math.inf if count1 else math.nan
    else:
        ratio = (count1 / exposure1) / (count2 / exposure2)
    if n == 0:
        low, high = 0.0, math.inf
    else:
        p_low, p_high = clopper_pearson(count1, n, confidence)
        low = p_low / (1 - p_low) * scale
        high = math.inf if p_high >= 1.0 else p_high / (1 - p_high) * scale
    return RateComparison(count1, count2, exposure1, exposure2, ratio, low, high, p_value)


def share_text(part: int, whole: int, noun: str = "") -> str:
    """A proportion with its count, e.g. '7 of 9 cramps (78%)'; never a bare percentage."""
    counted = f"{part} of {whole}" + (f" {noun}" if noun else "")
    if whole <= 0:
        return counted
    return f"{counted} ({round(100 * part / whole)}%)"
