"""Writes src/stats/__fixtures__/pass-at-k-reference.json: pass@k (Chen et al. 2021) and pass^k
(Yao et al. 2024) per example from exact binomial coefficients (scipy.special.comb with
exact=True, then Python's exact fractions), for src/stats/pass-at-k.ts to be checked against.

Run from the repository root with Debian's Python (apt-get install -y python3-scipy):
    /usr/bin/python3 scripts/reference-stats/make_pass_at_k_reference.py
"""

import json
import pathlib
from fractions import Fraction

import scipy
from scipy.special import comb

OUT = pathlib.Path("src/stats/__fixtures__/pass-at-k-reference.json")

cases = []
for n in (1, 2, 3, 5, 10, 20, 50, 200):
    for c in sorted({0, 1, n // 3, n // 2, n - 1, n} - {-1}):
        if c < 0 or c > n:
            continue
        for k in sorted({1, 2, 3, 5, 10, n} & set(range(1, n + 1))):
            total = comb(n, k, exact=True)
            at = 1 - Fraction(comb(n - c, k, exact=True), total)
            hat = Fraction(comb(c, k, exact=True), total)
            cases.append({"n": n, "c": c, "k": k, "passAtK": float(at), "passHatK": float(hat)})

OUT.write_text(json.dumps({"scipy": scipy.__version__, "cases": cases}, indent=1) + "\n")
print(f"wrote {OUT} ({len(cases)} cases)")
