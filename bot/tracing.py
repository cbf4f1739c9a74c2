"""OpenTelemetry traces of the HTTP server and of its calls out, only when an exporter is configured.

With ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) set, every request
the bot serves gets a server span (OpenTelemetry's aiohttp server middleware, which also continues a
caller's ``traceparent``) and every call it makes (Bot Connector, signing keys) a client span with
the trace context passed on (the aiohttp client trace config), exported over OTLP/HTTP in batches.
The exporter reads the rest of the standard ``OTEL_*`` variables itself (headers, protocol
details, ``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``).

The packages are an extra (``pip install 'servicedesk-bot[otel]'``: the SDK, protobuf and
requests), not part of a plain install; without an endpoint nothing of OpenTelemetry is imported.
An endpoint without the packages stops the start with one line.

The spans go to a tracer provider of the bot's own rather than the process-wide one. OpenTelemetry's
aiohttp server instrumentation works through module state (it replaces ``web.Application`` by a
subclass that adds its middleware, and keeps its tracer and meters in module globals), so it is
switched on here, before ``app.create_app`` builds the application, and off again at shutdown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.settings import SettingsError

SERVICE_NAME = "servicedesk-bot"


@dataclass(frozen=True)
class Tracing:
    trace_config: aiohttp.TraceConfig  # for the bot's one client session
    provider: Any  # the SDK's TracerProvider; ``shutdown()`` flushes what is left
    server: Any  # the aiohttp server instrumentor, switched on while the bot runs

    def shutdown(self) -> None:
        """Send the spans still waiting (blocks up to the exporter's timeout) and switch off."""
        self.provider.shutdown()
        self.server.uninstrument()


def tracing_from(settings) -> Tracing | None:
    """Tracing for the settings, or None when no exporter is configured."""
    if not settings.otel_endpoint:
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.instrumentation.aiohttp_client import create_trace_config
        from opentelemetry.instrumentation.aiohttp_server import AioHttpServerInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        raise SettingsError(
            "OTEL_EXPORTER_OTLP_ENDPOINT is set, but OpenTelemetry is not installed: "
            "pip install 'servicedesk-bot[otel]', or unset it"
        ) from None
    name = os.environ.get("OTEL_SERVICE_NAME") or SERVICE_NAME  # given attributes beat the variable: pass it on
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    server = AioHttpServerInstrumentor()
    server.instrument(tracer_provider=provider)
    return Tracing(trace_config=create_trace_config(tracer_provider=provider), provider=provider, server=server)
