"""Writes src/stats/__fixtures__/statsmodels-kappa-interval-reference.json: Cohen's kappa with the
Fleiss, Cohen & Everitt (1969) large-sample standard error and its 95% normal interval, as
computed by statsmodels' cohens_kappa, for src/annotations/kappa-interval.ts (the judge-versus-
people agreement of labels) to be checked against an independent implementation.

Run from the repository root with Debian's Python (apt-get install -y python3-statsmodels):
    /usr/bin/python3 scripts/reference-stats/make_kappa_interval_reference.py
Checked with statsmodels 0.13.5.
"""

import json
import pathlib

import numpy as np
import statsmodels
from statsmodels.stats.inter_rater import cohens_kappa

OUT = pathlib.Path("src/stats/__fixtures__/statsmodels-kappa-interval-reference.json")


def case(judge, human):
    cats = sorted(set(judge) | set(human))
    index = {c: i for i, c in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for a, b in zip(judge, human):
        table[index[a], index[b]] += 1  # rows: the judge (rater 1), columns: the people
    res = cohens_kappa(table)  # alpha 0.05: a 95% interval
    return {"judge": judge, "human": human, "kappa": float(res.kappa), "se": float(res.std_kappa),
            "low": float(res.kappa_low), "high": float(res.kappa_upp)}


def main() -> None:
    rng = np.random.default_rng(20261205)
    cases = []
    for n, keep, cats in [(8, 0.7, ["yes", "no"]), (25, 0.6, ["good", "bad", "unsure"]),
                          (60, 0.8, ["good", "bad", "unsure"]), (300, 0.5, ["a", "b", "c", "d"])]:
        human = [str(x) for x in rng.choice(cats, n)]
        judge = [h if rng.random() < keep else str(rng.choice(cats)) for h in human]
        cases.append(case(judge, human))
    # A judge that never uses one of the people's labels (an empty row in the table).
    cases.append(case(["pass"] * 7 + ["fail"] * 3, ["pass"] * 5 + ["fail"] * 3 + ["unsure"] * 2))
    OUT.write_text(json.dumps({"statsmodels": statsmodels.__version__, "cases": cases}, indent=1) + "\n")


if __name__ == "__main__":
    main()
