# SPDX-License-Identifier: GPL-3.0-or-later
"""A misbehaving DNS server for netkit resolve's fault tests.

    python3 dnsfault.py MODE

Listens on UDP and TCP 127.0.0.1 (one port, picked by the kernel) and prints
"listening on 127.0.0.1:PORT" once ready. MODE:
  silent    never answers
  servfail  answers every query with SERVFAIL
  refused   answers every query with REFUSED
  truncate  over UDP: an empty answer with the TC bit; over TCP: A 192.0.2.99
  garbage   answers with bytes that are not DNS at all
  hangup    over TCP: accepts, sends bytes that are not DNS, and closes (UDP: silent)
  rcode15   answers with the reserved rcode 15 and no records
  badrr     a well-formed header and question, then an answer record cut short
  split     over UDP: A 192.0.2.1; over TCP: A 192.0.2.2 (tells which one was used)
  partial   names whose first label starts with "ok": A 192.0.2.1 at once; "late": the same,
            but only from the second query for the name on (a retry); any other name: silence
Runs until killed.
"""
import selectors
import socket
import struct
import sys


def question_end(q):
    """Offset just past the first question of query q."""
    off = 12
    while q[off] != 0:
        off += 1 + q[off]
    return off + 5


def reply(q, rcode=0, tc=False, answer=b"", ancount=0):
    qid, flags = struct.unpack(">HH", q[:4])
    rd = flags & 0x0100
    fl = 0x8000 | 0x0400 | rd | (0x0200 if tc else 0) | rcode
    end = question_end(q)
    return struct.pack(">HHHHHH", qid, fl, 1, ancount, 0, 0) + q[12:end] + answer


def a_record(ip):
    # Name: a pointer to the question's name (offset 12).
    return struct.pack(">HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(ip)


SEEN = {}  # partial mode: queries seen per name


def qname(q):
    """The first question's name of query q, lower case, without the final dot."""
    off, labels = 12, []
    while q[off] != 0:
        n = q[off]
        labels.append(q[off + 1:off + 1 + n].decode(errors="replace").lower())
        off += 1 + n
    return ".".join(labels)


def answer_for(mode, q, tcp):
    if mode == "partial":
        name = qname(q)
        SEEN[name] = SEEN.get(name, 0) + 1
        first = name.split(".")[0]
        if first.startswith("ok") or (first.startswith("late") and SEEN[name] >= 2):
            return reply(q, answer=a_record("192.0.2.1"), ancount=1)
        return None
    if mode == "silent" or (mode == "hangup" and not tcp):
        return None
    if mode == "rcode15":
        return reply(q, rcode=15)
    if mode == "servfail":
        return reply(q, rcode=2)
    if mode == "refused":
        return reply(q, rcode=5)
    if mode == "truncate":
        if tcp:
            return reply(q, answer=a_record("192.0.2.99"), ancount=1)
        return reply(q, tc=True)
    if mode == "garbage":
        return b"\xde\xad\xbe\xef this is not a DNS message" * 3
    if mode == "split":
        return reply(q, answer=a_record("192.0.2.2" if tcp else "192.0.2.1"), ancount=1)
    if mode == "badrr":
        return reply(q, answer=struct.pack(">HHHIH", 0xC00C, 1, 1, 60, 4) + b"\x01", ancount=1)
    raise SystemExit(f"unknown mode {mode}")


def main():
    mode = sys.argv[1]
    sel = selectors.DefaultSelector()
    for _ in range(50):  # one port for both protocols
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        port = u.getsockname()[1]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            t.bind(("127.0.0.1", port))
            break
        except OSError:
            u.close()
            t.close()
    t.listen(16)
    sel.register(u, selectors.EVENT_READ, "udp")
    sel.register(t, selectors.EVENT_READ, "listen")
    print(f"listening on 127.0.0.1:{port}", flush=True)
    bufs = {}
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if key.data == "udp":
                q, peer = s.recvfrom(4096)
                if len(q) < 17:
                    continue
                a = answer_for(mode, q, False)
                if a is not None:
                    s.sendto(a, peer)
            elif key.data == "listen" and mode == "hangup":
                c, _ = s.accept()
                c.sendall(b"\x00\x05junk!")
                c.close()
            elif key.data == "listen":
                c, _ = s.accept()
                bufs[c] = b""
                sel.register(c, selectors.EVENT_READ, "tcp")
            else:
                data = s.recv(4096)
                if not data:
                    sel.unregister(s)
                    s.close()
                    bufs.pop(s, None)
                    continue
                bufs[s] += data
                while len(bufs[s]) >= 2:
                    n = struct.unpack(">H", bufs[s][:2])[0]
                    if len(bufs[s]) < 2 + n:
                        break
                    q, bufs[s] = bufs[s][2:2 + n], bufs[s][2 + n:]
                    a = answer_for(mode, q, True)
                    if a is not None:
                        s.sendall(struct.pack(">H", len(a)) + a)


if __name__ == "__main__":
    main()
