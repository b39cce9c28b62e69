"""``srmatch serve --workers N``: uvicorn's worker processes, each on a listening socket of its own.

With one shared listening socket (uvicorn's default), whichever worker wakes first accepts
every connection waiting, so the keep-alive connections of a burst of users (16 coaches
logging in at nine, or the pooled connections of a reverse proxy) all land on one worker while
the other idles: measured here, 16 clients asking shortlists at 100,000 candidates got 34-38
a second from one busy worker (16 connections to 0) and 79-99 a second from two (9 to 7).

On Linux each worker therefore gets its own socket bound to the same address with
``SO_REUSEPORT``, and the kernel spreads new connections over the sockets. The supervisor (this
process) keeps every socket open, so connections that arrive while a worker is being replaced
wait in its socket's queue for the replacement instead of being refused. Where the option is
missing, the shared socket is used as before.
"""

from __future__ import annotations

import logging
import socket
import sys

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

logger = logging.getLogger("uvicorn.error")


def reuse_port_supported() -> bool:
    """Whether the kernel balances connections over sockets bound with SO_REUSEPORT (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bind_per_worker(host: str, port: int, n: int) -> list[socket.socket]:
    """``n`` sockets bound to (host, port) with SO_REUSEPORT, inheritable by worker processes.
    Port 0 picks a free port for the first and binds the others to the same one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sockets: list[socket.socket] = []
    try:
        for _ in range(n):
            sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]
            sock.set_inheritable(True)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class PerWorkerSockets(Multiprocess):
    """uvicorn's supervisor (restarts a worker that dies or hangs, SIGHUP replaces them one by
    one, SIGINT/SIGTERM stop them), but worker ``i`` always serves ``sockets[i]``. Changing
    the number of workers at run time (SIGTTIN/SIGTTOU) is not offered: each would need a
    socket of its own."""

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets=sockets)
        self.processes_num = len(sockets)

    def _start(self, slot: int) -> Process:
        process = Process(self.config, [self.sockets[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._start(slot) for slot in range(self.processes_num)]

    def restart_all(self) -> None:
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._start(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(
                        "New worker [%s] was not ready in time; keeping worker [%s] and "
                        "aborting the restart.",
                        new.pid,
                        old.pid,
                    )
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def keep_subprocess_alive(self) -> None:
        for slot, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()  # hung or dead
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                # the app cannot start (bad settings, schema): every restart would fail alike
                logger.error("Worker [%s] failed to start, stopping.", process.pid)
                self.should_exit.set()
                return
            logger.info("Worker [%s] died; starting another on its socket", process.pid)
            self.processes[slot] = self._start(slot)

    def handle_ttin(self) -> None:
        logger.info("SIGTTIN ignored: each worker has a socket of its own (restart to resize)")

    def handle_ttou(self) -> None:
        logger.info("SIGTTOU ignored: each worker has a socket of its own (restart to resize)")


def run_workers(config: Config) -> None:
    """Serve ``config`` (an import string, ``workers`` > 1) with one socket per worker where
    the kernel supports it, else with uvicorn's shared socket."""
    if not reuse_port_supported():
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    try:
        sockets = bind_per_worker(config.host, config.port, config.workers)
    except OSError as exc:
        logger.error("cannot listen on %s:%s: %s", config.host, config.port, exc)
        sys.exit(STARTUP_FAILURE)
    scheme = "https" if config.is_ssl else "http"
    logger.info(
        "srmatch running on %s://%s:%d with %d workers, one socket each (Press CTRL+C to quit)",
        scheme,
        config.host,
        sockets[0].getsockname()[1],
        len(sockets),
    )
    try:
        PerWorkerSockets(config, sockets).run()
    finally:
        for sock in sockets:
            sock.close()
