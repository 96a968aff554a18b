"""Writes src/compare/__fixtures__/reference.json: what scipy says on fixed cases for every test
the compare engine (src/compare/, src/stats/) re-implements. The tests in src/compare/ and
src/stats/ read it and state their tolerances.

Run from the repository root:  python3 scripts/reference-stats/make_reference.py
Checked with scipy 1.17.1 and numpy 2.4. Every random case comes from a fixed seed.
"""

import json
import math
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path("src/compare/__fixtures__/reference.json")
rng = np.random.default_rng(31337)


def wilcoxon_method(d):
    """The method scipy 1.17's wilcoxon(method='auto') picks (see scipy/stats/_wilcoxon.py)."""
    d = np.asarray(d, dtype=float)
    n = len(d)
    if n > 50:
        return "normal"
    nz = np.abs(d[d != 0])
    has_ties = len(np.unique(nz)) < len(nz)
    if not has_ties and not np.any(d == 0):
        return "exact"
    return "permutation" if n <= 13 else "normal"


def wilcoxon_cases():
    cases = []
    fixed = [
        [1.5, -0.5, 2.0, 3.1, -1.2, 0.7, 2.2],                      # exact, small
        [1, 2, -3, 4, 5, -6, 7, 8, 9, -10, 11, 12],                  # exact
        [1, 1, 2, -2, 3, 0, 4, -1, 5, 2],                            # ties and a zero, n <= 13
        [0, 0, 1, -1, 1, 1, 1],                                      # zeros and ties
        [0.3, 0, 0, 0.3, -0.3, 0.6, 0.6, 0.6, 0, 0.9, 1.2, -0.6, 0.3],  # n = 13 permutation
        [2, 2, 2, 2, 2],                                             # all tied, n = 5
    ]
    for d in fixed:
        cases.append(d)
    cases.append(list(np.round(rng.normal(0.3, 1, 20), 6)))                 # exact, n = 20
    cases.append(list(np.round(rng.normal(0.2, 1, 50), 6)))                 # exact, n = 50
    cases.append(list(np.round(rng.normal(0.2, 1, 30), 1)))                 # ties, n = 30 -> normal
    cases.append(list(np.round(rng.normal(0.1, 1, 51), 6)))                 # n = 51 -> normal
    cases.append(list(rng.integers(-3, 4, 400).astype(float)))              # many ties and zeros
    cases.append(list(np.round(rng.normal(-0.05, 1, 3000), 4)))             # large
    out = []
    for d in cases:
        res = stats.wilcoxon(d)
        out.append({"d": [float(x) for x in d], "statistic": float(res.statistic), "pValue": float(res.pvalue), "method": wilcoxon_method(d)})
    return out


def mcnemar_cases():
    out = []
    for b, c in [(0, 0), (3, 1), (0, 5), (10, 14), (12, 12), (2, 20), (13, 12), (30, 10), (100, 80), (400, 455)]:
        n = b + c
        if n == 0:
            out.append({"b": b, "c": c, "method": "exact", "statistic": 0.0, "pValue": 1.0})
        elif n < 25:
            out.append({"b": b, "c": c, "method": "exact", "statistic": float(min(b, c)), "pValue": float(stats.binomtest(b, n, 0.5).pvalue)})
        else:
            s = (abs(b - c) - 1) ** 2 / n
            out.append({"b": b, "c": c, "method": "chi2-cc", "statistic": s, "pValue": float(stats.chi2.sf(s, 1))})
    return out


def fisher_cases():
    tables = [[[3, 1], [1, 3]], [[8, 2], [1, 5]], [[0, 5], [5, 0]], [[10, 0], [7, 3]], [[2, 7], [8, 2]], [[1, 1], [1, 1]], [[20, 3], [12, 9]]]
    return [{"table": t, "pValue": float(stats.fisher_exact(t).pvalue)} for t in tables]


def chi2_cases():
    tables = [
        [[20, 30], [35, 15]],                   # 2x2 -> Yates
        [[10, 20, 30], [20, 25, 15]],
        [[5, 7, 9, 11], [12, 6, 4, 10]],
        [[50, 50], [50, 50]],
        [[40, 0, 10], [30, 12, 8]],
    ]
    out = []
    for t in tables:
        res = stats.chi2_contingency(t)
        out.append({"table": t, "statistic": float(res.statistic), "pValue": float(res.pvalue), "df": int(res.dof)})
    return out


def holm(p):
    """Holm's step-down adjustment written out (statsmodels' multipletests(method='holm'))."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return [float(x) for x in adjusted]


def bootstrap_cases():
    out = []
    for n, loc, kind in [(40, 0.1, "normal"), (300, 0.0, "normal"), (200, 0.05, "binary")]:
        if kind == "binary":
            d = rng.choice([-1.0, 0.0, 1.0], size=n, p=[0.15, 0.7, 0.15]).tolist()
        else:
            d = list(np.round(rng.normal(loc, 1, n), 6))
        res = stats.bootstrap((np.asarray(d),), np.mean, method="percentile", n_resamples=50_000, rng=np.random.default_rng(1))
        out.append({"d": [float(x) for x in d], "ci": [float(res.confidence_interval.low), float(res.confidence_interval.high)], "standardError": float(res.standard_error), "resamples": 50_000})
    return out


def power_cases():
    """The power a two-sided paired t test really has at the engine's MDE, by the noncentral t."""
    out = []
    for n, sd in [(10, 1.0), (30, 0.4), (200, 0.5), (2000, 0.3)]:
        df = n - 1
        mde = (stats.t.ppf(0.975, df) + stats.t.ppf(0.8, df)) * sd / math.sqrt(n)
        crit = stats.t.ppf(0.975, df)
        nc = mde / (sd / math.sqrt(n))
        power = stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc)
        out.append({"n": n, "sd": sd, "mde": float(mde), "power": float(power)})
    return out


def end_to_end():
    """Two runs over 60 examples (first 55 matched): the metrics the engine should report."""
    n = 55
    a_correct = rng.random(n) < 0.6
    b_correct = np.where(rng.random(n) < 0.8, a_correct, ~a_correct)
    b_correct[:6] = True
    a_quality = np.round(rng.uniform(0, 1, n), 3)
    b_quality = np.round(np.clip(a_quality + rng.normal(0.08, 0.15, n), 0, 1), 3)
    tones = np.array(["curt", "neutral", "polite"])
    a_tone = tones[rng.integers(0, 3, n)]
    b_tone = tones[np.minimum(2, rng.integers(0, 3, n) + (rng.random(n) < 0.4))]
    a_latency = np.round(rng.uniform(200, 900, n), 1)
    b_latency = np.round(a_latency * rng.uniform(0.6, 1.1, n), 1)

    def numeric(a, b):
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        d = b - a
        w = stats.wilcoxon(d) if np.any(d != 0) else None
        return {"meanA": float(a.mean()), "meanB": float(b.mean()), "delta": float(d.mean()), "statistic": float(w.statistic), "pValue": float(w.pvalue), "method": wilcoxon_method(d)}

    bc = int(np.sum(a_correct & ~b_correct))
    cb = int(np.sum(~a_correct & b_correct))
    correct = {"meanA": float(a_correct.mean()), "meanB": float(b_correct.mean()), "delta": float(b_correct.mean() - a_correct.mean()), "b": bc, "c": cb}
    nd = bc + cb
    correct["pValue"] = float(stats.binomtest(bc, nd, 0.5).pvalue) if nd < 25 else float(stats.chi2.sf((abs(bc - cb) - 1) ** 2 / nd, 1))
    correct["method"] = "exact" if nd < 25 else "chi2-cc"
    labels = sorted(set(a_tone) | set(b_tone))
    table = [[int(np.sum(a_tone == l)) for l in labels], [int(np.sum(b_tone == l)) for l in labels]]
    chi = stats.chi2_contingency(table)
    tone = {"labels": labels, "table": table, "statistic": float(chi.statistic), "pValue": float(chi.pvalue)}
    quality = numeric(a_quality, b_quality)
    latency = numeric(a_latency, b_latency)
    order = ["correct", "quality", "tone", "latencyMs"]
    adjusted = holm([correct["pValue"], quality["pValue"], tone["pValue"], latency["pValue"]])
    return {
        "matched": n,
        "runs": {
            "a": {"correct": a_correct.tolist(), "quality": a_quality.tolist(), "tone": a_tone.tolist(), "latency": a_latency.tolist()},
            "b": {"correct": b_correct.tolist(), "quality": b_quality.tolist(), "tone": b_tone.tolist(), "latency": b_latency.tolist()},
        },
        "expected": {"correct": correct, "quality": quality, "tone": tone, "latencyMs": latency},
        "holmOrder": order,
        "pAdjusted": adjusted,
    }


def main():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = {
            "generator": "scripts/reference-stats/make_reference.py",
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "wilcoxon": wilcoxon_cases(),
            "mcnemar": mcnemar_cases(),
            "fisher": fisher_cases(),
            "chi2Contingency": chi2_cases(),
            "chi2Sf": [{"x": x, "df": df, "value": float(stats.chi2.sf(x, df))} for x, df in [(0.5, 1), (3.84, 1), (10.0, 1), (60.0, 1), (7.8, 3), (25.0, 6), (1.0, 10), (200.0, 150)]],
            "holm": [{"p": p, "adjusted": holm(p)} for p in ([0.01, 0.04, 0.03, 0.2], [0.001, 0.001, 0.5], [0.04], [0.3, 0.02, 0.02, 0.01, 0.9, 0.049])],
            "bootstrap": bootstrap_cases(),
            "power": power_cases(),
            "endToEnd": end_to_end(),
        }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
