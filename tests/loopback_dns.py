"""The loopback DNS server of the tests: answers A and AAAA for the names it is given (dnslib).

`DnsServer(zone)` listens on UDP 127.0.0.1 (an ephemeral port, `address`
"127.0.0.1:PORT" for `--dns-server`) and answers from
`zone[name] = {"A": [...], "AAAA": [...]}`: a listed name without records of
the asked type gets an empty answer (NOERROR, as a real zone gives), any other
name NXDOMAIN. `zone` may change while it runs; `queries` counts what it was
asked. No test ever asks the system resolver.
"""

from __future__ import annotations

import socket
import threading

from dnslib import AAAA, QTYPE, RCODE, RR, A, DNSRecord

Zone = dict[str, dict[str, list[str]]]


class DnsServer:
    def __init__(self, zone: Zone) -> None:
        self.zone = zone
        self.queries: list[tuple[str, str]] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self._stop = threading.Event()

    def answer(self, data: bytes) -> bytes:
        request = DNSRecord.parse(data)
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        kind = QTYPE[request.q.qtype]
        self.queries.append((name, kind))
        records = self.zone.get(name)
        if records is None:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply.pack()
        make = {"A": A, "AAAA": AAAA}.get(kind)
        for address in records.get(kind, []) if make else []:
            reply.add_answer(RR(request.q.qname, request.q.qtype, rdata=make(address), ttl=60))
        return reply.pack()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.sock.sendto(self.answer(data), peer)

    def __enter__(self) -> DnsServer:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.sock.close()
