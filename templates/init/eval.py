"""The evaluation of your agent, in Python (written by `labbook init`; standard library only).

Start it with

    npx labbook run --experiment @{experiment} --config agent.yaml \
      --dataset data.jsonl -- python3 eval.py

`labbook run` (or the GitHub Action) prepares the run and sets LABBOOK_RUN_DIR, LABBOOK_CONFIG,
LABBOOK_DATASET and LABBOOK_SHARD. This script appends one JSON line per example to
$LABBOOK_RUN_DIR/traces.jsonl, following schemas/json/trace.schema.json of the labbook package;
the runner checks the file and seals the run (metrics, digests) when the script exits.
"""
import json
import os
import re
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))


# The wall clock once, then a monotonic clock: a clock step (NTP) during a run can never make a
# span end before it starts, which Labbook refuses.
WALL_MS = time.time() * 1000
MONOTONIC = time.monotonic()


def now_ms():
    return WALL_MS + (time.monotonic() - MONOTONIC) * 1000


def fnv1a32(text):
    """Labbook's shard hash: 32-bit FNV-1a over the id's UTF-16 code units."""
    data = text.encode("utf-16-le")
    value = 0x811C9DC5
    for i in range(0, len(data), 2):
        value ^= data[i] | (data[i + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def in_shard(example_id, shard):
    """LABBOOK_SHARD is "i/n" when the action runs shard i of n: keep only this shard's examples."""
    if not shard:
        return True
    index, count = (int(part) for part in shard.split("/"))
    return fnv1a32(example_id) % count + 1 == index


def read_config(path):
    """The agent config's top-level `key: value` lines (use PyYAML if you have it)."""
    config = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            match = re.match(r"^([A-Za-z_][\w-]*):\s*(\S.*?)\s*$", line)
            if match and not match.group(2).startswith("#"):
                config[match.group(1)] = match.group(2)
    return config


def agent(question, config):
    """Replace this with a call to your agent. Returns the answer and its (input, output) tokens."""
    match = re.match(r"^What is (\d+) \+ (\d+)\?$", question)
    answer = str(int(match.group(1)) + int(match.group(2))) if match else 'I do not know the answer to "%s" yet.' % question
    return answer, (len(question), len(answer))


def scores(example, answer):
    """One score per metric of experiments/@{experiment}/experiment.yaml."""
    return [
@{pyScores}
    ]


def main():
    run_dir = os.environ.get("LABBOOK_RUN_DIR")
    if not run_dir:
        sys.exit("start this script with `labbook run ... -- python3 eval.py` (LABBOOK_RUN_DIR is not set)")
    config = read_config(os.environ.get("LABBOOK_CONFIG") or os.path.join(HERE, "agent.yaml"))
    dataset = os.environ.get("LABBOOK_DATASET") or os.path.join(HERE, "data.jsonl")
    shard = os.environ.get("LABBOOK_SHARD")
    with open(dataset, encoding="utf-8") as file:
        examples = [json.loads(line) for line in file if line.strip()]

    written = 0
    with open(os.path.join(run_dir, "traces.jsonl"), "a", encoding="utf-8") as traces:
        for example in examples:
            if not in_shard(str(example["id"]), shard):
                continue
            start = now_ms()
            answer, (tokens_in, tokens_out) = agent(example["input"]["question"], config)
            end = now_ms()
            trace = {
                "id": uuid.uuid4().hex,
                "exampleId": str(example["id"]),
                "input": example["input"],
                "output": answer,
                "expected": example.get("expected"),
                "start": start,
                "end": end,
                "durationMs": end - start,
                "spans": [
                    {
                        "id": "answer",
                        "parentId": None,
                        "name": "answer",
                        "type": "LLM",
                        "start": start,
                        "end": end,
                        "model": config.get("model", "unknown"),
                        "usage": {"input": tokens_in, "output": tokens_out, "simulated": True},
                    }
                ],
                "scores": scores(example, answer),
            }
            traces.write(json.dumps(trace, ensure_ascii=False) + "\n")
            traces.flush()  # one line per finished trace: a crash keeps what was written
            written += 1
    print("evaluated %d examples" % written)


if __name__ == "__main__":
    main()
