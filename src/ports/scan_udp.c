/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan_udp.c - the UDP part of the scanner: probes, the ICMP rate limit, and canaries.
 *
 * A UDP port answers with data (open), with an ICMP port unreachable (closed), or not at all
 * (open|filtered). Silence is ambiguous twice over: hosts limit the ICMP errors they send
 * (Linux: a burst of six, then one a second to each peer, net.ipv4.icmp_ratelimit; and 1,000 a
 * second in all, net.ipv4.icmp_msgs_per_sec), so a closed port whose answer was suppressed
 * looks just like a filtered one.
 *
 * So a silent port is asked again, and the retry goes with a canary: right after it, an empty
 * datagram to a port of the same host that has already answered port unreachable. The host's
 * limiter serves packets in arrival order, so if the canary's ICMP comes back, the limiter let
 * the retry through too, and the retry's silence is real (open|filtered, at full speed). If the
 * canary is silent as well, the limiter ate them: the result does not count, the host's pacing
 * interval doubles (up to a second, the Linux default), and the port is asked again later. A
 * conclusive canary halves the interval again. A host that has sent no ICMP at all after a
 * couple of seconds is not limiting anything: its silent ports are open|filtered after one
 * retry, as nmap does.
 *
 * Every probe to a host, first tries included, goes on the host's pacing clock: 1 ms apart at
 * first (a closed port costs the host one ICMP error, and its global budget is 1,000 a second),
 * more when the canaries say so. One thread runs a UDP scan, so the clocks need no locks.
 */
#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/net.h"
#include "ports/scan_int.h"

/* The pacing interval's bounds (ms). */
#define GAP_MIN_MS 1
#define GAP_MAX_MS SCAN_UDP_INTERVAL_MS
/* The shortest wait for an answer once a host's answers say how fast it is (ms). */
#define WAIT_MIN_MS 200
/* How long a host may stay without any ICMP before its silence counts as silence (ms). */
#define QUIET_HOST_MS 1500
/* Tries of a port whose retries keep coming back inconclusive. */
#define TRIES_MAX 8

size_t scan_udp_payload(int port, const uint8_t **data)
{
    /* DNS: a query for the root's NS records (any server answers, even with REFUSED). */
    static const uint8_t dns[] = {0x4e, 0x4b, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1};
    /* NTP: a version 3 client request. */
    static const uint8_t ntp[48] = {0x1b};
    /* SNMP v1 get-request of sysDescr.0, community "public". */
    static const uint8_t snmp[] = {0x30, 0x26, 0x02, 0x01, 0x00, 0x04, 0x06, 'p',  'u',  'b',
                                   'l',  'i',  'c',  0xa0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01,
                                   0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08,
                                   0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00};
    /* echo, discard, daytime, chargen, time, and unknown services that answer any data. */
    static const uint8_t any[] = {'n', 'e', 't', 'k', 'i', 't', '\n'};
    switch (port) {
    case 53:
    case 5353:
    case 5355: *data = dns; return sizeof(dns);
    case 123: *data = ntp; return sizeof(ntp);
    case 161: *data = snmp; return sizeof(snmp);
    case 7:
    case 13:
    case 19:
    case 37: *data = any; return sizeof(any);
    default: *data = any; return 0; /* an empty datagram, as nmap sends */
    }
}

void scan_udp_init(struct udp_host *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h[i] = (struct udp_host){.gap_ms = GAP_MIN_MS, .canary = -1, .rtt_ms = -1};
}

static struct udp_host *host_of(struct scanner *sc, const struct probe *p)
{
    return &sc->sh->uh[p->host];
}

/* A socket connected to port of the slot's host (so ICMP errors come back to it) that has sent
 * the port's probe. Returns the descriptor, or -1 with errno. */
static int udp_socket(struct scanner *sc, const struct probe *p, int port)
{
    const struct net_addr *a = &sc->sh->req->addrs[p->host];
    int fd = socket(a->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    if (a->ss.ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
    else
        setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
    struct net_addr t = *a;
    net_set_port((struct sockaddr *)&t.ss, port);
    const uint8_t *data;
    size_t len = scan_udp_payload(port, &data);
    if (connect(fd, (const struct sockaddr *)&t.ss, t.len) < 0 || send(fd, data, len, 0) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* How long to wait for a probe's answer: the timeout, or less once the host has shown how fast
 * it answers (eight times its slowest answer, at least WAIT_MIN_MS). */
static uint64_t wait_ms(struct scanner *sc, const struct udp_host *h)
{
    uint64_t t = (uint64_t)sc->sh->req->timeout_ms;
    if (h->rtt_ms >= 0) {
        uint64_t w = 8u * (uint64_t)h->rtt_ms;
        if (w < WAIT_MIN_MS)
            w = WAIT_MIN_MS;
        if (w < t)
            t = w;
    }
    return t;
}

/* Send the slot's probe (and a retry's canary), then wait. true when in flight; false when
 * it ended at once. */
static bool udp_send(struct scanner *sc, struct probe *p)
{
    struct udp_host *h = host_of(sc, p);
    uint64_t now = loop_now_ms(sc->loop);
    if (!h->first_ms)
        h->first_ms = now ? now : 1;
    int fd = udp_socket(sc, p, p->port);
    if (fd < 0) {
        int e = errno;
        enum scan_state st = e == ECONNREFUSED ? SCAN_PORT_UNREACH : scan_classify(e);
        if (st == SCAN_UNTRIED) {
            scan_set_fatal(sc, e, "send");
        } else {
            scan_record(sc, p, st);
        }
        return false;
    }
    p->io.fd = fd;
    if (loop_io_add(sc->loop, &p->io, EPOLLIN) < 0) {
        scan_set_fatal(sc, errno, "epoll");
        scan_probe_close(sc, p, false, false);
        return false;
    }
    if (p->tries > 0 && h->canary >= 0 && h->canary != p->port)
        p->cfd = udp_socket(sc, p, h->canary); /* -1 (no canary) if it fails */
    p->sent_ms = now;
    loop_timer_set(sc->loop, &p->timer, wait_ms(sc, h));
    sc->active++;
    return true;
}

/* When the slot's probe may go: on its host's pacing clock. */
static uint64_t udp_slot_time(struct scanner *sc, struct probe *p)
{
    struct udp_host *h = host_of(sc, p);
    uint64_t now = loop_now_ms(sc->loop);
    uint64_t at = h->tat > now ? h->tat : now;
    h->tat = at + (uint64_t)h->gap_ms;
    return at;
}

void scan_udp_fill(struct scanner *sc, struct probe *p)
{
    for (;;) {
        if (p->port < 0) {
            p->tries = 0;
            if (!scan_next_port(sc, p)) {
                p->port = -1;
                return;
            }
        }
        loop_update_time(sc->loop);
        uint64_t at = udp_slot_time(sc, p), now = loop_now_ms(sc->loop);
        if (at > now) {
            p->waiting = true;
            loop_timer_set(sc->loop, &p->timer, at - now);
            sc->active++;
            return;
        }
        if (udp_send(sc, p))
            return;
        p->port = -1;
        if (sc->fatal)
            return;
    }
}

/* What came back on a UDP socket: a state, or SCAN_UNTRIED for nothing yet. */
static enum scan_state udp_answer(int fd)
{
    uint8_t buf[512];
    if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
        return SCAN_REPLY;
    int e = errno;
    if (e == EAGAIN || e == EWOULDBLOCK || e == EINTR)
        return SCAN_UNTRIED;
    enum scan_state st = e == ECONNREFUSED ? SCAN_PORT_UNREACH : scan_classify(e);
    st = scan_icmp_reason(fd, st);
    return st == SCAN_UNTRIED ? SCAN_HOST_UNREACH : st;
}

/* The port ended with an answer: what it says about its host, then the record. */
static void answered(struct scanner *sc, struct probe *p, enum scan_state st)
{
    struct udp_host *h = host_of(sc, p);
    int rtt = (int)(loop_now_ms(sc->loop) - p->sent_ms);
    if (rtt > h->rtt_ms)
        h->rtt_ms = rtt;
    if (st == SCAN_PORT_UNREACH) {
        h->icmp++;
        if (h->canary < 0)
            h->canary = p->port;
    }
    scan_probe_close(sc, p, true, false);
    scan_record(sc, p, st);
    p->port = -1;
}

void scan_udp_on_io(struct scanner *sc, struct probe *p)
{
    enum scan_state st = udp_answer(p->io.fd);
    if (st == SCAN_UNTRIED)
        return;
    answered(sc, p, st);
    scan_udp_fill(sc, p);
    scan_finish_if_done(sc);
}

/* Whether a silent try says the port is silent: true (it is), false (the host's limiter may
 * have eaten the answer: ask again). Adjusts the host's pacing. */
static bool conclusive(struct scanner *sc, struct probe *p)
{
    struct udp_host *h = host_of(sc, p);
    if (p->tries == 0)
        return false; /* every silent port gets a retry */
    if (p->cfd >= 0) {
        bool canary = udp_answer(p->cfd) != SCAN_UNTRIED;
        if (canary)
            h->gap_ms = h->gap_ms / 2 > GAP_MIN_MS ? h->gap_ms / 2 : GAP_MIN_MS;
        else
            h->gap_ms = h->gap_ms * 2 < GAP_MAX_MS ? h->gap_ms * 2 : GAP_MAX_MS;
        return canary;
    }
    /* No canary: no port of this host has answered port unreachable yet. A limiter refills
     * within a second; a host still silent after that sends no ICMP errors at all. */
    if (h->canary < 0 && loop_now_ms(sc->loop) - h->first_ms >= QUIET_HOST_MS)
        return true;
    h->gap_ms = h->gap_ms * 2 < GAP_MAX_MS ? h->gap_ms * 2 : GAP_MAX_MS;
    return false;
}

void scan_udp_on_timeout(struct scanner *sc, struct probe *p)
{
    if (p->waiting) { /* its paced time came */
        p->waiting = false;
        sc->active--;
        if (!udp_send(sc, p)) {
            p->port = -1;
            scan_udp_fill(sc, p);
        }
        scan_finish_if_done(sc);
        return;
    }
    enum scan_state st = udp_answer(p->io.fd);
    if (st != SCAN_UNTRIED) {
        answered(sc, p, st);
    } else {
        bool done = conclusive(sc, p) || ++p->tries >= TRIES_MAX;
        scan_probe_close(sc, p, true, false);
        if (done) {
            scan_record(sc, p, SCAN_NO_REPLY);
            p->port = -1;
        }
    }
    scan_udp_fill(sc, p); /* the same port again, paced, or the next */
    scan_finish_if_done(sc);
}
