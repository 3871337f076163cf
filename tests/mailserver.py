"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), that can refuse
recipients as real servers do: `451 try again later` a number of times, or `550 no
such user` for good, and slow down, for the tests of delivery under faults."""

import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes

from aiosmtpd.controller import Controller


@dataclass
class Received:
    to: list[str]
    message_id: str
    subject: str


@dataclass
class MailServer:
    port: int = 0
    # address -> answers to give, in turn, before accepting ("451 ..." or "550 ...");
    # the last answer of a list repeats when it is permanent (5xx).
    refuse: dict[str, list[str]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    # Seconds to wait before answering RCPT for an address (to stop a worker there).
    slow: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def addresses(self) -> list[str]:
        with self._lock:
            return [address for r in self.received for address in r.to]

    # aiosmtpd's handler hooks.
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        delay = self.slow.get(address)
        if delay:
            time.sleep(delay)  # blocks the server thread: a server slow to answer
        with self._lock:
            answers = self.refuse.get(address.lower())
            if answers:
                answer = answers[0]
                if answer.startswith("4") or len(answers) > 1:
                    answers.pop(0)
                return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        with self._lock:
            self.received.append(
                Received(
                    to=list(envelope.rcpt_tos),
                    message_id=message["Message-ID"] or "",
                    subject=message["Subject"] or "",
                )
            )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class running:
    """`with running(MailServer()) as server:` serves on a free port until the end."""

    def __init__(self, server: MailServer):
        self.server = server
        server.port = server.port or free_port()
        self.controller = Controller(server, hostname="127.0.0.1", port=server.port)

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self.server

    def __exit__(self, *exc) -> None:
        self.controller.stop()
