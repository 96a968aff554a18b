"""Writes src/stats/__fixtures__/statsmodels-bounded-reference.json: intervals of means of
values declared in [lo, hi], by statsmodels' Wilson score interval on the values rescaled to
[0, 1] (a fractional count of successes), for boundedMeanInterval in
src/stats/bounded-mean-interval.ts to be checked against an independent implementation.

Run from the repository root with Debian's Python (apt-get install -y python3-statsmodels):
    /usr/bin/python3 scripts/reference-stats/make_bounded_reference.py
Checked with statsmodels 0.13.
"""

import json
import pathlib

import numpy as np
import statsmodels
from statsmodels.stats.proportion import proportion_confint

OUT = pathlib.Path("src/stats/__fixtures__/statsmodels-bounded-reference.json")

rng = np.random.default_rng(20261205)
cases = [
    ("reviewer 0 and 1", [0.0, 1.0], 0.0, 1.0),
    ("one value", [0.7], 0.0, 1.0),
    ("all at the top", [1.0, 1.0, 1.0], 0.0, 1.0),
    ("all at the bottom", [0.0, 0.0], 0.0, 1.0),
    ("1..5 scale", [3, 4, 5, 2, 4], 1.0, 5.0),
    ("-1..1 scale", [-0.5, 0.25, 1.0, 0.0], -1.0, 1.0),
]
for n in (2, 3, 5, 8, 13, 30, 100):
    cases.append((f"uniform n={n}", [float(v) for v in np.round(rng.uniform(0, 1, n), 3)], 0.0, 1.0))
    cases.append((f"0-10 n={n}", [float(v) for v in rng.integers(0, 11, n)], 0.0, 10.0))

out = []
for name, values, lo, hi in cases:
    scaled = (np.asarray(values) - lo) / (hi - lo)
    a, b = proportion_confint(scaled.sum(), len(values), alpha=0.05, method="wilson")
    out.append({"name": name, "values": values, "bounds": [lo, hi], "ci": [lo + a * (hi - lo), lo + b * (hi - lo)]})

OUT.write_text(json.dumps({"statsmodels": statsmodels.__version__, "cases": out}, indent=1) + "\n")
print(f"wrote {OUT} ({len(out)} cases)")
