"""A small TCP proxy for fault tests: stop it and the server behind it is unreachable, start it and it is back.

``TcpProxy("127.0.0.1", 5432)`` listens on a free loopback port and relays every connection to the target, one
thread per connection. ``stop()`` closes the listening socket and every relayed connection (both ends), as a
database server that went away would: clients see their connections dropped and new ones refused. ``start()``
listens again on the same port.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int, port: int = 0):
        self.target = (target_host, target_port)
        self.port = port
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def __enter__(self) -> TcpProxy:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def connections(self) -> int:
        """How many client connections are relayed now."""
        with self._lock:
            return len(self._sockets) // 2

    def start(self) -> None:
        """Listen (on the port of the last start, if there was one) and relay every new connection."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stopping.clear()
        self._spawn(self._accept, listener)

    def stop(self) -> None:
        """Refuse new connections and cut every open one."""
        self._stopping.set()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):  # already gone
                    sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._stopping.is_set():
                    client.close()
                    upstream.close()
                    return
                self._sockets |= {client, upstream}
            self._spawn(self._relay, client, upstream)

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        pair = {client: upstream, upstream: client}
        with selectors.DefaultSelector() as selector:
            for sock in pair:
                sock.setblocking(False)
                selector.register(sock, selectors.EVENT_READ)
            try:
                while not self._stopping.is_set():
                    for key, _ in selector.select(timeout=0.05):
                        data = key.fileobj.recv(65536)
                        if not data:
                            return
                        pair[key.fileobj].setblocking(True)
                        pair[key.fileobj].sendall(data)
                        pair[key.fileobj].setblocking(False)
            except OSError:
                return
            finally:
                with self._lock:
                    self._sockets -= {client, upstream}
                for sock in pair:
                    sock.close()
