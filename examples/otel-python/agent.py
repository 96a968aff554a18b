"""An agent in Python that records into Labbook through stock OpenTelemetry only.

Run it under `labbook run`, which starts an OTLP receiver (HTTP and gRPC) and sets
OTEL_EXPORTER_OTLP_ENDPOINT for this process (see docs/otlp.md):

    pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http
    npx labbook run --experiment support-bot --config agent.yaml \
        --dataset data.jsonl -- python3 examples/otel-python/agent.py

Nothing here imports Labbook. The root span's `labbook.example.*` attributes tie each trace to
its dataset example, so runs pair on the same examples; the `gen_ai.evaluation.result` event
is a score.
"""

import json
import os

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

# The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, which `labbook run` sets.
provider = TracerProvider(resource=Resource.create({}))
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer("support-bot")


def answer(question: str) -> str:
    """Replace with a call to your agent; the span records the model call."""
    with tracer.start_as_current_span("chat gpt-4o-mini") as llm:
        llm.set_attribute("gen_ai.operation.name", "chat")
        llm.set_attribute("gen_ai.request.model", "gpt-4o-mini")
        text = "Paris" if "France" in question else "I do not know"
        llm.set_attribute("gen_ai.usage.input_tokens", len(question.split()))
        llm.set_attribute("gen_ai.usage.output_tokens", len(text.split()))
        return text


with open(os.environ["LABBOOK_DATASET"], encoding="utf-8") as dataset:
    for line in dataset:
        if not line.strip():
            continue
        example = json.loads(line)
        with tracer.start_as_current_span("agent") as root:
            root.set_attribute("labbook.example.id", str(example["id"]))
            root.set_attribute("labbook.example.input", json.dumps(example["input"]))
            root.set_attribute("labbook.example.expected", json.dumps(example.get("expected")))
            output = answer(example["input"]["question"])
            root.set_attribute("output.value", output)
            root.add_event(
                "gen_ai.evaluation.result",
                {
                    "gen_ai.evaluation.name": "correct",
                    "gen_ai.evaluation.score.value": 1.0 if output == example.get("expected") else 0.0,
                },
            )

provider.shutdown()
