"""Writes src/stats/__fixtures__/scipy-reference.json: values of the distribution functions and
descriptive statistics that src/stats/ re-implements, as computed by scipy/numpy.

Run from the repository root:  python3 scripts/reference-stats/make_stats_reference.py
Needs numpy, scipy and mpmath (checked with scipy 1.17.1, numpy 2.4).
"""

import json
import math
import pathlib

import mpmath
import numpy as np
import scipy
from scipy import special, stats

OUT = pathlib.Path("src/stats/__fixtures__/scipy-reference.json")


def exact_t_sf(t: float, df: float) -> float:
    with mpmath.workdps(40):
        t = mpmath.mpf(t)
        x = df / (df + t * t)
        tail = mpmath.betainc(mpmath.mpf(df) / 2, mpmath.mpf(1) / 2, 0, x, regularized=True) / 2
        return float(tail if t > 0 else 1 - tail)


def main() -> None:
    rng = np.random.default_rng(20240611)
    samples = [
        [1.0],
        [3.0, 1.0, 2.0],
        [0.5, 0.5, 0.5, 0.5],
        list(np.round(rng.normal(0.7, 0.2, 37), 6)),
        list(np.round(rng.exponential(1200.0, 501), 3)),
    ]
    descriptive = []
    for xs in samples:
        a = np.asarray(xs, dtype=float)
        n = len(a)
        mean = float(a.mean())
        std = float(a.std(ddof=1)) if n > 1 else None
        ci = None
        if n > 1:
            sem = std / math.sqrt(n)
            lo, hi = stats.t.interval(0.95, n - 1, loc=mean, scale=sem) if sem > 0 else (mean, mean)
            ci = [float(lo), float(hi)]
        descriptive.append({
            "values": [float(v) for v in xs],
            "mean": mean,
            "std": std,
            "tInterval95": ci,
            "percentiles": {str(p): float(np.percentile(a, p)) for p in (0, 10, 50, 90, 95, 99, 100)},
        })

    t_quantiles = [
        {"p": p, "df": df, "value": float(stats.t.ppf(p, df))}
        for p in (0.001, 0.025, 0.1, 0.6, 0.975, 0.995, 0.999999)
        for df in (1, 2, 3.5, 9, 29, 99, 1000)
    ]
    # The t tail is taken from mpmath at 40 digits: scipy 1.17's t.sf(1e-8, 1) returns
    # 0.4999999952568 where the exact value is 0.5 - atan(1e-8)/pi = 0.4999999968169 (both
    # are recorded; the tests hold src/stats to the exact one).
    t_sf = [
        {"t": t, "df": df, "value": exact_t_sf(t, df), "scipy": float(stats.t.sf(t, df))}
        for t in (-3.0, -0.5, 0.0, 1e-8, 0.7, 2.0, 6.0, 40.0)
        for df in (1, 4, 17.5, 250)
    ]
    normal = {
        "quantile": [{"p": p, "value": float(stats.norm.ppf(p))} for p in (1e-12, 1e-5, 0.01, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999)],
        "sf": [{"z": z, "value": float(stats.norm.sf(z))} for z in (-5.0, -1.0, 0.0, 0.3, 1.96, 4.0, 8.0, 15.0)],
    }
    betainc = [
        {"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))}
        for (x, a, b) in [(0.3, 2, 5), (0.9, 0.5, 10), (0.01, 50, 0.5), (0.5, 1, 1), (0.999, 3, 200), (0.2, 100, 120)]
    ]
    # Wilson score interval (no continuity correction) written out from its formula, checked
    # against scipy.stats.binomtest(...).proportion_ci(method='wilson').
    wilson = []
    for k, n in [(0, 1), (1, 1), (0, 10), (7, 10), (100, 100), (49, 100), (3, 1000)]:
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        wilson.append({"successes": k, "n": n, "low": float(ci.low), "high": float(ci.high)})
    lgamma = [{"x": x, "value": float(special.gammaln(x))} for x in (0.01, 0.1, 0.5, 1, 1.5, 2.5, 10, 100.3, 5e4)]

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "generator": "scripts/reference-stats/make_stats_reference.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "descriptive": descriptive,
        "tQuantile": t_quantiles,
        "tSf": t_sf,
        "normal": normal,
        "betainc": betainc,
        "wilson": wilson,
        "logGamma": lgamma,
    }, indent=1) + "\n")


if __name__ == "__main__":
    main()
