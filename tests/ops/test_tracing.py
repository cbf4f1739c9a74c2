"""OpenTelemetry traces, when an exporter is configured: a turn is one trace, from the request the
bot served to its call to Teams, exported over OTLP/HTTP to a collector that reads the protobuf."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.settings import Settings, SettingsError
from bot.tracing import tracing_from
from tests.support.harness import harness_settings, start_harness, stop_harness

trace_service = pytest.importorskip(
    "opentelemetry.proto.collector.trace.v1.trace_service_pb2", reason="the otel extra is not installed"
)


class Collector(ThreadingHTTPServer):
    """An OTLP/HTTP trace receiver on loopback (its own thread: the exporter posts from a thread)."""

    def __init__(self) -> None:
        self.spans: list = []
        super().__init__(("127.0.0.1", 0), _Receive)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Receive(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        request = trace_service.ExportTraceServiceRequest()
        request.ParseFromString(self.rfile.read(int(self.headers["Content-Length"])))
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                self.server.spans.extend(scope.spans)
        body = trace_service.ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def collector():
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


async def test_a_turn_is_one_trace_from_the_request_to_the_call_to_teams(sqlite_database_url, collector, monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint)
    h = await start_harness(harness_settings(sqlite_database_url, otel_endpoint=collector.endpoint))
    try:
        assert await h.say("help") == 200
    finally:
        await stop_harness(h)  # flushes the spans still waiting
    server = [s for s in collector.spans if s.kind == s.SPAN_KIND_SERVER]
    client = [s for s in collector.spans if s.kind == s.SPAN_KIND_CLIENT]
    assert [s.name for s in server] == ["POST /api/messages"]
    assert client and all(s.trace_id == server[0].trace_id for s in client)


def test_no_exporter_means_no_tracing_and_nothing_of_opentelemetry_is_needed():
    assert tracing_from(Settings()) is None


def test_an_exporter_without_the_packages_stops_the_start_in_one_line(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def without_opentelemetry(name, *args, **kwargs):
        if name.startswith("opentelemetry"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_opentelemetry)
    with pytest.raises(SettingsError, match=r"OTEL_EXPORTER_OTLP_ENDPOINT is set, but OpenTelemetry is not installed"):
        tracing_from(Settings(otel_endpoint="http://127.0.0.1:4318"))
