"""Writes src/stats/__fixtures__/statsmodels-cluster-reference.json: cluster-robust standard
errors of a mean, as computed by statsmodels (OLS on a constant with cov_type='cluster'), for
src/stats/clustered-mean.ts to be checked against an independent implementation.

Run from the repository root with Debian's Python (apt-get install -y python3-statsmodels):
    /usr/bin/python3 scripts/reference-stats/make_cluster_reference.py
Checked with statsmodels 0.13 / 0.14.
"""

import json
import pathlib

import numpy as np
import statsmodels
import statsmodels.api as sm

OUT = pathlib.Path("src/stats/__fixtures__/statsmodels-cluster-reference.json")


def case(name, values, clusters):
    y = np.asarray(values, dtype=float)
    g = np.asarray(clusters, dtype=int)
    x = np.ones((len(y), 1))
    # use_correction=True (the default) applies G/(G-1) * (n-1)/(n-k); k = 1 here.
    clustered = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": g, "use_correction": True})
    naive = sm.OLS(y, x).fit()
    se = float(clustered.bse[0])
    naive_se = float(naive.bse[0])
    return {
        "name": name,
        "values": [float(v) for v in y],
        "clusters": [int(c) for c in g],
        "mean": float(clustered.params[0]),
        "se": se,
        "naiveSe": naive_se,
        "designEffect": (se / naive_se) ** 2 if naive_se > 0 else 1.0,
        "groups": int(len(set(g.tolist()))),
    }


def main() -> None:
    rng = np.random.default_rng(20241101)
    cases = [
        case("two clusters", [1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1]),
        case("singletons", [0.3, 0.9, 0.1, 0.5, 0.7], [0, 1, 2, 3, 4]),
        case("unequal sizes", [1, 0, 1, 1, 1, 0, 0, 1, 1, 1], [7, 7, 7, 3, 3, 9, 9, 9, 9, 1]),
    ]
    # Correlated within documents: 40 documents, 1–6 questions each, a document effect + noise.
    sizes = rng.integers(1, 7, 40)
    effects = rng.normal(0, 0.3, 40)
    vals, ids = [], []
    for d, (size, effect) in enumerate(zip(sizes, effects)):
        for _ in range(size):
            vals.append(round(float(0.6 + effect + rng.normal(0, 0.2)), 6))
            ids.append(int(d * 10 + 5))
    cases.append(case("document effect", vals, ids))
    # Booleans: pass/fail with a per-document pass rate.
    rates = rng.uniform(0.1, 0.95, 30)
    bvals, bids = [], []
    for d, rate in enumerate(rates):
        for _ in range(int(rng.integers(2, 5))):
            bvals.append(float(rng.random() < rate))
            bids.append(d)
    cases.append(case("boolean document effect", bvals, bids))
    OUT.write_text(json.dumps({"statsmodels": statsmodels.__version__, "cases": cases}, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
