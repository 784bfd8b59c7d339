"""A Hugging Face Hub stand-in on 127.0.0.1: it answers the file requests
``huggingface_hub.hf_hub_download`` makes, from files in memory."""
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List


class HubServer:
    """Serves ``files`` (``'ORG/NAME/FILE'`` to bytes) at
    ``http://127.0.0.1:PORT/ORG/NAME/resolve/main/FILE`` while entered,
    and records every path asked for in :attr:`requests`."""

    def __init__(self, files: Dict[str, bytes]) -> None:
        self.files = files
        self.requests: List[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):

            def do_HEAD(self) -> None:
                self.answer(body=False)

            def do_GET(self) -> None:
                self.answer(body=True)

            def answer(self, body: bool) -> None:
                server.requests.append(self.path)
                repo, _, rest = self.path.lstrip('/').partition('/resolve/')
                data = server.files.get(f'{repo}/{rest.partition("/")[2]}')
                if data is None:
                    self.send_response(404)
                    self.send_header('X-Error-Code', 'EntryNotFound')
                    self.send_header('Content-Length', '0')
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header('X-Repo-Commit', 'a' * 40)
                self.send_header('ETag',
                                 f'"{hashlib.sha256(data).hexdigest()}"')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                if body:
                    self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self._server.server_address[1]}'

    def __enter__(self) -> 'HubServer':
        threading.Thread(target=self._server.serve_forever,
                         daemon=True).start()
        return self

    def __exit__(self, *args) -> None:
        self._server.shutdown()
        self._server.server_close()
