"""Writes src/stats/__fixtures__/scipy-agreement-reference.json: judge-versus-human agreement
statistics (Pearson, Spearman, mean bias, Cohen's kappa) as computed by SciPy/scikit-free numpy,
for src/stats/correlation.ts and src/annotations/kappa.ts.

Run from the repository root:  python3 scripts/reference-stats/make_agreement_reference.py
Needs numpy and scipy (Debian's python3-scipy; checked with scipy 1.17.1).
"""

import json
import math
import pathlib

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path("src/stats/__fixtures__/scipy-agreement-reference.json")


def spearman_interval(rho: float, n: int) -> list:
    # Bonett & Wright (2000): Fisher z with SE sqrt((1 + rho^2/2)/(n - 3)).
    z = math.atanh(rho)
    half = stats.norm.ppf(0.975) * math.sqrt((1 + rho * rho / 2) / (n - 3))
    return [math.tanh(z - half), math.tanh(z + half)]


def cohen(a: list, b: list) -> float:
    cats = sorted(set(a) | set(b))
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    return (po - pe) / (1 - pe)


def main() -> None:
    rng = np.random.default_rng(20261205)
    numeric = []
    for n, noise, ties in [(5, 0.3, False), (12, 0.2, True), (40, 0.5, False), (200, 1.0, True)]:
        human = rng.normal(3.0, 1.0, n)
        judge = 0.8 * human + 0.4 + rng.normal(0, noise, n)
        if ties:  # 1..5 Likert scores, as annotators give them
            human = np.clip(np.round(human), 1, 5)
            judge = np.clip(np.round(judge), 1, 5)
        human = [float(v) for v in np.round(human, 6)]
        judge = [float(v) for v in np.round(judge, 6)]
        p = stats.pearsonr(judge, human)
        p_ci = p.confidence_interval(0.95)  # Fisher transformation (SciPy's default method)
        s = stats.spearmanr(judge, human)
        d = np.asarray(judge) - np.asarray(human)
        t = stats.ttest_1samp(d, 0.0)
        t_ci = t.confidence_interval(0.95)
        numeric.append({
            "judge": judge, "human": human,
            "pearson": {"r": float(p.statistic), "p": float(p.pvalue), "low": float(p_ci.low), "high": float(p_ci.high)},
            "spearman": {"r": float(s.statistic), "p": float(s.pvalue), **dict(zip(["low", "high"], spearman_interval(float(s.statistic), n)))},
            "bias": {"mean": float(d.mean()), "low": float(t_ci.low), "high": float(t_ci.high)},
        })
    labels = []
    for n in [10, 60]:
        human = list(rng.choice(["good", "bad", "unsure"], n, p=[0.5, 0.35, 0.15]))
        judge = [h if rng.random() < 0.75 else str(rng.choice(["good", "bad", "unsure"])) for h in human]
        labels.append({"judge": [str(x) for x in judge], "human": [str(x) for x in human], "kappa": cohen(judge, human)})
    # Three judges sharing part of their error (a common blind spot) and one independent judge.
    n = 50
    human = rng.normal(3.0, 1.0, n)
    shared = rng.normal(0, 0.5, n)
    judges = {
        "gpt": human + shared + rng.normal(0, 0.3, n),
        "claude": human + shared + rng.normal(0, 0.3, n),
        "regex": human + rng.normal(0, 0.6, n),
    }
    judges = {k: [float(v) for v in np.round(v, 6)] for k, v in judges.items()}
    human = [float(v) for v in np.round(human, 6)]
    names = sorted(judges)
    errs = np.array([np.asarray(judges[k]) - np.asarray(human) for k in names])
    corr = np.corrcoef(errs)
    pairs = [{"a": names[i], "b": names[j], "r": float(corr[i, j])} for i in range(3) for j in range(i + 1, 3)]
    mean_r = float(np.mean([p["r"] for p in pairs]))
    errors = {"judges": judges, "human": human, "pairs": pairs, "meanR": mean_r,
              "effectiveJudges": float(min(3, max(1, 3 / (1 + 2 * mean_r))))}
    OUT.write_text(json.dumps({"scipy": scipy.__version__, "numeric": numeric, "labels": labels, "errors": errors}, indent=1) + "\n")


if __name__ == "__main__":
    main()
