"""moto's server on cheroot: the local stack's AWS endpoint on 127.0.0.1, with keep-alive connections."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cxrecon_local.wsgi_server import LoopbackServer

RequestObserver = Callable[[dict[str, Any]], Callable[[int], None] | None]
request_observers: list[RequestObserver] = []
"""Called with each request's WSGI environ (the IAM recorder's view of non-botocore clients); what an
observer returns, if anything, is called with the response's status."""


def _observed(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def observed(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        finishing = [f for observer in list(request_observers) if (f := observer(environ))]
        if not finishing:
            return app(environ, start_response)

        def start(status: str, headers: Any, *exc_info: Any) -> Any:
            for finished in finishing:
                finished(int(status.split(" ", 1)[0]))
            return start_response(status, headers, *exc_info)

        return app(environ, start)

    return observed


class KeepAliveMotoServer:
    """moto's WSGI application as `ThreadedMotoServer` serves it, on a `LoopbackServer` instead of
    werkzeug's development server (see `wsgi_server`). What moto's werkzeug request handler adds is
    added here too: S3 metadata header names keep their underscores (WSGI cannot tell `x-amz-meta-a_b`
    from `x-amz-meta-a-b`; moto reads the spelling from the environ)."""

    def __init__(self) -> None:
        from cheroot import wsgi  # noqa: PLC0415
        from moto.core.request import (  # noqa: PLC0415
            PRESERVED_HEADER_NAMES_ENVIRON_KEY,
            environ_key_for_header,
            should_preserve_original_header_name,
        )
        from moto.moto_server.werkzeug_app import (  # noqa: PLC0415
            DomainDispatcherApplication,
            create_backend_app,
        )

        class Gateway(wsgi.Gateway_10):
            def get_environ(self) -> dict[str, Any]:  # type: ignore[override]
                environ: dict[str, Any] = super().get_environ()  # type: ignore[no-untyped-call]
                names: dict[str, str] = {}
                for raw in self.req.inheaders:
                    name = raw.decode("latin-1")
                    if should_preserve_original_header_name(name):
                        names.setdefault(environ_key_for_header(name), name)
                environ[PRESERVED_HEADER_NAMES_ENVIRON_KEY] = names
                return environ

        self._server = LoopbackServer(
            "cxrecon-moto", _observed(DomainDispatcherApplication(create_backend_app)), gateway=Gateway
        )

    def start(self) -> None:
        self._server.start()

    def get_host_and_port(self) -> tuple[str, int]:
        return "127.0.0.1", self._server.port

    def stop(self) -> None:
        self._server.stop()
