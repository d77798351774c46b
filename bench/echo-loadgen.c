/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo-loadgen.c - an independent epoll echo load generator, the yardstick for
 * `netkit echo-connect --bench` in bench/echo-client.sh. Deliberately written apart from netkit's
 * code (no loop.h, no histogram): blocking connects up front, one level-triggered epoll loop,
 * every echo verified, and every round trip stored and sorted for the percentiles.
 *
 *   cc -O2 -o echo-loadgen echo-loadgen.c
 *   ./echo-loadgen HOST PORT CONNECTIONS SECONDS SIZE PIPELINE [RATE [tcp|udp]]
 *
 * RATE > 0: open loop, RATE messages a second in all, each connection on its own fixed
 * schedule; a message's latency counts from when it was due (coordinated omission corrected).
 * udp: connected UDP sockets, a datagram (8-byte sequence number, then a pattern) per message,
 * each echo verified, a datagram unanswered 1 s after the end counted in "lost".
 *
 * Prints one JSON object: messages, errors, msgs_per_s and latency_us {min p50 p90 p99 max}.
 * The clock runs from before the first connect to the last echo, as netkit's does. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* One connection: a FIFO of the send times of its messages in flight. */
struct lconn {
    int fd;            /* socket */
    uint64_t *sent_ns; /* ring of send times, pipeline entries */
    unsigned head, n;  /* oldest entry, entries in use */
    size_t got;        /* bytes of the oldest message received so far */
};

static uint64_t ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t *lat;
static size_t nlat, caplat;

static void keep(uint64_t v)
{
    if (nlat == caplat) {
        caplat = caplat ? caplat * 2 : 1 << 20;
        lat = realloc(lat, caplat * sizeof(*lat));
        if (!lat) {
            perror("echo-loadgen");
            exit(1);
        }
    }
    lat[nlat++] = v;
}

#define PCT(p) (nlat ? (double)lat[(size_t)((double)(nlat - 1) * (p))] / 1000.0 : 0.0)

/* ---- open loop and UDP (RATE > 0 or udp): a schedule per connection ---- */

struct oconn {
    int fd;            /* socket */
    uint64_t next_due; /* open loop: next message's due time */
    uint64_t *due;     /* ring of the in-flight messages' due (or send) times */
    uint64_t *seqs;    /* udp: their sequence numbers (0: free) */
    unsigned head, n;  /* tcp: oldest entry, entries in use */
    size_t got;        /* tcp: bytes of the oldest message received */
    uint64_t seq;      /* udp: next sequence number */
};

static int sched_main(const struct sockaddr_in *a, int nc, int secs, size_t size, unsigned k,
                      double rate, int udp)
{
    unsigned char *msg = malloc(size * k + 8), *rx = malloc(65536);
    for (size_t i = 0; i < size * k + 8; i++)
        msg[i] = (unsigned char)(i * 131 + 7);
    struct oconn *cs = calloc((size_t)nc, sizeof(*cs));
    int ep = epoll_create1(0), one = 1;
    uint64_t start = ns(), interval = rate > 0 ? (uint64_t)(1e9 * nc / rate) : 0;
    uint64_t errors = 0, messages = 0, lost = 0, sent = 0, behind = 0;
    for (int i = 0; i < nc; i++) {
        struct oconn *c = &cs[i];
        c->fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
        if (connect(c->fd, (const struct sockaddr *)a, sizeof(*a)) < 0) {
            perror("echo-loadgen: connect");
            return 1;
        }
        if (!udp)
            setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
        c->due = calloc(k, sizeof(uint64_t));
        c->seqs = calloc(k, sizeof(uint64_t));
        c->seq = 1;
        c->next_due = start;
        struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e);
    }
    uint64_t stop_at = start + (uint64_t)secs * 1000000000u, drain_until = 0;
    struct epoll_event evs[512];
    for (;;) {
        uint64_t now = ns();
        int sending = now < stop_at;
        if (!sending && !drain_until)
            drain_until = now + 1000000000u;
        unsigned inflight = 0;
        for (int i = 0; i < nc; i++) {
            struct oconn *c = &cs[i];
            /* send what is due (closed loop: whenever there is room) */
            while (sending && c->n < k && (!interval || c->next_due <= now)) {
                uint64_t due = interval ? c->next_due : now;
                if (udp) {
                    unsigned s = (unsigned)(c->seq % k);
                    if (c->seqs[s])
                        break;
                    memcpy(msg, &c->seq, 8);
                    if (send(c->fd, msg, size, 0) != (ssize_t)size)
                        break;
                    c->seqs[s] = c->seq++;
                    c->due[s] = due;
                } else {
                    unsigned s = (c->head + c->n) % k;
                    if (send(c->fd, msg + (size_t)s * size, size, MSG_NOSIGNAL) != (ssize_t)size) {
                        errors++;
                        break;
                    }
                    c->due[s] = due;
                }
                if (now - due > behind)
                    behind = now - due;
                c->n++;
                sent++;
                if (interval)
                    c->next_due += interval;
            }
            inflight += c->n;
        }
        if (!sending && (inflight == 0 || now >= drain_until))
            break;
        int n = epoll_wait(ep, evs, 512, interval ? 1 : 100);
        now = ns();
        for (int i = 0; i < n; i++) {
            struct oconn *c = evs[i].data.ptr;
            for (;;) {
                ssize_t got = recv(c->fd, rx, 65536, MSG_DONTWAIT);
                if (got <= 0)
                    break;
                if (udp) {
                    uint64_t seq;
                    memcpy(&seq, rx, 8);
                    unsigned s = (unsigned)(seq % k);
                    if ((size_t)got != size || c->seqs[s] != seq ||
                        memcmp(rx + 8, msg + 8, size - 8) != 0) {
                        errors++;
                        continue;
                    }
                    keep(now - c->due[s]);
                    c->seqs[s] = 0;
                    c->n--;
                    messages++;
                    continue;
                }
                for (size_t off = 0; off < (size_t)got;) {
                    size_t want = size - c->got,
                           take = (size_t)got - off < want ? (size_t)got - off : want;
                    if (c->n == 0 ||
                        memcmp(rx + off, msg + (size_t)c->head * size + c->got, take) != 0) {
                        errors++;
                        break;
                    }
                    c->got += take;
                    off += take;
                    if (c->got == size) {
                        keep(now - c->due[c->head]);
                        messages++;
                        c->got = 0;
                        c->head = (c->head + 1) % k;
                        c->n--;
                    }
                }
            }
        }
    }
    for (int i = 0; i < nc; i++)
        if (udp)
            lost += cs[i].n;
    uint64_t end = ns();
    double el = (double)(end - start) / 1e9;
    qsort(lat, nlat, sizeof(*lat), cmp_u64);
    printf("{\"connections\":%d,\"messages\":%llu,\"errors\":%llu,\"lost\":%llu,"
           "\"msgs_per_s\":%.1f,\"rate\":%.0f,\"achieved_rate\":%.1f,\"behind_max_ms\":%.3f,"
           "\"latency_us\":{\"min\":%.1f,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f}}\n",
           nc, (unsigned long long)messages, (unsigned long long)errors, (unsigned long long)lost,
           (double)messages / el, rate, (double)messages / ((double)(end - start) / 1e9),
           (double)behind / 1e6, PCT(0), PCT(0.5), PCT(0.9), PCT(0.99), PCT(1.0));
    (void)sent;
    return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 7 || argc > 9) {
        fprintf(stderr, "usage: echo-loadgen HOST PORT CONNECTIONS SECONDS SIZE PIPELINE "
                        "[RATE [tcp|udp]]\n");
        return 2;
    }
    int nc = atoi(argv[3]), secs = atoi(argv[4]), one = 1;
    size_t size = (size_t)atol(argv[5]);
    unsigned k = (unsigned)atoi(argv[6]);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
    inet_pton(AF_INET, argv[1], &a.sin_addr);
    double rate = argc > 7 ? atof(argv[7]) : 0;
    int udp = argc > 8 && strcmp(argv[8], "udp") == 0;
    if (udp && size < 8) {
        fprintf(stderr, "echo-loadgen: udp needs SIZE >= 8\n");
        return 2;
    }
    if (rate > 0 || udp)
        return sched_main(&a, nc, secs, size, k, rate, udp);
    unsigned char *msg = malloc(size * k), *rx = malloc(65536);
    srand((unsigned)ns());
    for (size_t i = 0; i < size * k; i++)
        msg[i] = (unsigned char)rand();
    struct lconn *cs = calloc((size_t)nc, sizeof(*cs));
    int ep = epoll_create1(0);
    uint64_t start = ns(), errors = 0, messages = 0;
    for (int i = 0; i < nc; i++) {
        cs[i].fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(cs[i].fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
            perror("echo-loadgen: connect");
            return 1;
        }
        setsockopt(cs[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        fcntl(cs[i].fd, F_SETFL, fcntl(cs[i].fd, F_GETFL) | O_NONBLOCK);
        cs[i].sent_ns = calloc(k, sizeof(uint64_t));
        struct epoll_event e = {.events = EPOLLIN, .data.ptr = &cs[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &e);
    }
    /* Each connection sends its k messages (the same bytes every round), then one more per echo. */
    uint64_t t0 = ns(), stop_at = start + (uint64_t)secs * 1000000000u;
    for (int i = 0; i < nc; i++) {
        for (unsigned j = 0; j < k; j++)
            cs[i].sent_ns[j] = t0;
        cs[i].n = k;
        if (send(cs[i].fd, msg, size * k, MSG_NOSIGNAL) != (ssize_t)(size * k))
            errors++;
    }
    int open_conns = nc;
    struct epoll_event evs[512];
    while (open_conns > 0) {
        int n = epoll_wait(ep, evs, 512, 1000);
        uint64_t now = ns();
        int sending = now < stop_at;
        for (int i = 0; i < n; i++) {
            struct lconn *c = evs[i].data.ptr;
            ssize_t got = recv(c->fd, rx, 65536, 0);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN)
                    continue;
                errors++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                open_conns--;
                continue;
            }
            size_t off = 0, done = 0;
            while (off < (size_t)got) {
                size_t want = size - c->got,
                       take = (size_t)got - off < want ? (size_t)got - off : want;
                /* message j of a round holds bytes msg[j*size ...]: verify against its slot */
                unsigned slot = c->head;
                if (c->n == 0 || memcmp(rx + off, msg + (size_t)slot * size + c->got, take) != 0) {
                    errors++;
                    break;
                }
                c->got += take;
                off += take;
                if (c->got == size) {
                    keep(now - c->sent_ns[slot]);
                    messages++;
                    c->got = 0;
                    c->head = (c->head + 1) % k;
                    c->n--;
                    done++;
                }
            }
            if (sending && done) {
                /* refill the freed slots: they are the ones just before head, oldest first */
                unsigned first = (c->head + c->n) % k;
                for (unsigned j = 0; j < done; j++) {
                    unsigned s = (first + j) % k;
                    c->sent_ns[s] = now;
                    if (send(c->fd, msg + (size_t)s * size, size, MSG_NOSIGNAL) != (ssize_t)size)
                        errors++;
                }
                c->n += (unsigned)done;
            }
            if (c->n == 0) {
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                open_conns--;
            }
        }
    }
    double el = (double)(ns() - start) / 1e9;
    qsort(lat, nlat, sizeof(*lat), cmp_u64);
    printf("{\"connections\":%d,\"messages\":%llu,\"errors\":%llu,\"msgs_per_s\":%.1f,"
           "\"latency_us\":{\"min\":%.1f,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f}}\n",
           nc, (unsigned long long)messages, (unsigned long long)errors, (double)messages / el,
           PCT(0), PCT(0.5), PCT(0.9), PCT(0.99), PCT(1.0));
    return errors ? 1 : 0;
}
