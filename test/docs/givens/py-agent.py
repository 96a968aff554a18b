# Given for docs/sdk.md's Python sample: the dataset's first examples and a toy agent.
import json as _json, os as _os

with open(_os.environ["LABBOOK_DATASET"], encoding="utf-8") as _dataset:
    examples = [_json.loads(line) for line in _dataset if line.strip()][:20]


def agent(question):
    return "not sure", (12, 3)
