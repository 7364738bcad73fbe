"""OpenTelemetry tracing: spans are exported only when ``GATEWAY_OTLP_ENDPOINT`` is set.

The exporter (OTLP over HTTP) and the SDK come with the ``tracing`` extra, so a gateway that
does not trace needs neither; without a provider every span is a no-op.
"""

from __future__ import annotations

from opentelemetry.trace import NoOpTracer, Tracer, TracerProvider

from gateway.setting_error import SettingError

__all__ = ["SERVICE_NAME", "otlp_provider", "shutdown", "tracer_of"]

SERVICE_NAME = "moi-gateway"


def otlp_provider(endpoint: str | None) -> TracerProvider | None:
    """A provider sending spans in batches to ``endpoint`` (OTLP/HTTP), or None when unset."""
    if endpoint is None:
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        raise SettingError(
            "GATEWAY_OTLP_ENDPOINT", "needs the tracing extra: pip install 'moi-gateway[tracing]'"
        ) from None
    provider = SdkTracerProvider(resource=Resource.create({"service.name": SERVICE_NAME}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    return provider


def tracer_of(provider: TracerProvider | None) -> Tracer:
    """The gateway's tracer from ``provider``; a no-op one without."""
    return NoOpTracer() if provider is None else provider.get_tracer(SERVICE_NAME)


def shutdown(provider: TracerProvider | None) -> None:
    """Export the spans still held, then stop (the SDK's provider; the API's has nothing to do)."""
    close = getattr(provider, "shutdown", None)
    if close is not None:
        close()
