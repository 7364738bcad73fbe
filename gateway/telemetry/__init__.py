"""What operators watch: Prometheus metrics, OpenTelemetry spans and structured logs."""

from __future__ import annotations

from gateway.telemetry.metrics import GatewayMetrics
from gateway.telemetry.tracing import otlp_provider, tracer_of

__all__ = ["GatewayMetrics", "otlp_provider", "tracer_of"]
