/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loadgen.c - a small verifying echo load generator for bench/echo.sh (one thread, epoll).
 *
 *   loadgen pingpong HOST PORT CONNS SECS   64-byte messages, one in flight per connection
 *   loadgen stream   HOST PORT CONNS SECS   64 KiB writes, at most 1 MiB in flight per connection
 *   loadgen udp      HOST PORT PEERS SECS   64-byte datagrams, one in flight per socket
 *   loadgen burst    HOST PORT CONNS        connect all at once, 64 bytes each, then close
 *   loadgen idle     HOST PORT CONNS        open, echo one byte each, print "ready", wait
 *
 * Every byte that comes back is compared with what was sent; a mismatch is counted and
 * reported. One line of results on stdout: key=value pairs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG      64
#define CHUNK    65536
#define INFLIGHT (1 << 20)
#define PATLEN   (1 << 20)

struct conn {
    int fd;                 /* socket */
    int id;                 /* index */
    int state;              /* 0 connecting, 1 running, 2 done */
    uint64_t seq;           /* message number (pingpong, udp) */
    size_t got;             /* bytes of the current message received */
    uint64_t sent;          /* stream: bytes sent */
    uint64_t recvd;         /* stream: bytes received */
    double t_sent;          /* udp: when the outstanding datagram left */
    unsigned char buf[MSG]; /* the current message as received */
};

static struct sockaddr_in dst;
static unsigned char pat[PATLEN];
static uint64_t errors;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* The message a connection sends as number seq: its id, the number, then a pattern. */
static void make_msg(unsigned char *m, int id, uint64_t seq)
{
    memcpy(m, &id, sizeof(id));
    memcpy(m + 4, &seq, sizeof(seq));
    for (int i = 12; i < MSG; i++)
        m[i] = (unsigned char)(id * 31 + seq * 7 + (uint64_t)i);
}

static int tcp_socket(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0 && errno != EINPROGRESS)
        die("connect");
    return fd;
}

static void ep_add(int ep, struct conn *c, uint32_t ev)
{
    struct epoll_event e = {.events = ev, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e) < 0)
        die("epoll_ctl");
}

static void ep_mod(int ep, struct conn *c, uint32_t ev)
{
    struct epoll_event e = {.events = ev, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
}

static int send_msg(struct conn *c)
{
    unsigned char m[MSG];
    make_msg(m, c->id, c->seq);
    c->got = 0;
    return send(c->fd, m, MSG, MSG_NOSIGNAL) == MSG ? 0 : -1;
}

/* Read into the current message; 1 when a whole message arrived and matched, -1 on EOF/error. */
static int recv_msg(struct conn *c)
{
    ssize_t n = recv(c->fd, c->buf + c->got, MSG - c->got, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN))
        return -1;
    if (n < 0)
        return 0;
    c->got += (size_t)n;
    if (c->got < MSG)
        return 0;
    unsigned char m[MSG];
    make_msg(m, c->id, c->seq);
    if (memcmp(m, c->buf, MSG) != 0)
        errors++;
    c->seq++;
    return 1;
}

static struct conn *open_conns(int ep, int n)
{
    struct conn *cs = calloc((size_t)n, sizeof(*cs));
    for (int i = 0; i < n; i++) {
        cs[i].id = i;
        cs[i].fd = tcp_socket();
        ep_add(ep, &cs[i], EPOLLOUT);
    }
    return cs;
}

static int pingpong(int n, double secs)
{
    int ep = epoll_create1(0);
    struct conn *cs = open_conns(ep, n);
    struct epoll_event evs[512];
    uint64_t msgs = 0, dead = 0;
    int warm = 0; /* connections that have had their first echo */
    /* The clock starts once every connection is up (or after 3 s), so that a server that forks
     * per connection is measured echoing, not forking. */
    double start = now(), t0 = 0, end = 1e300;
    while (now() < end) {
        if (t0 == 0 && (warm + (int)dead >= n || now() - start > 3)) {
            t0 = now();
            end = t0 + secs;
            msgs = 0;
        }
        int k = epoll_wait(ep, evs, 512, 100);
        for (int i = 0; i < k; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c->state == 0) {
                c->state = 1;
                ep_mod(ep, c, EPOLLIN);
                if (send_msg(c) < 0)
                    c->state = 2, dead++, ep_mod(ep, c, 0);
                continue;
            }
            int r = recv_msg(c);
            if (r < 0) {
                c->state = 2, dead++;
                ep_mod(ep, c, 0);
            } else if (r > 0) {
                msgs++;
                if (c->seq == 1)
                    warm++;
                if (send_msg(c) < 0)
                    c->state = 2, dead++, ep_mod(ep, c, 0);
            }
        }
    }
    double t = now() - t0;
    printf("msgs=%llu secs=%.2f rate=%.0f errors=%llu dead=%llu\n", (unsigned long long)msgs, t,
           (double)msgs / t, (unsigned long long)errors, (unsigned long long)dead);
    free(cs);
    return errors ? 1 : 0;
}

static int stream(int n, double secs)
{
    int ep = epoll_create1(0);
    struct conn *cs = open_conns(ep, n);
    struct epoll_event evs[512];
    unsigned char *rbuf = malloc(CHUNK);
    uint64_t total = 0, dead = 0;
    double t0 = now(), end = t0 + secs, last_progress = t0;
    while (now() < end) {
        int k = epoll_wait(ep, evs, 512, 100);
        if (now() - last_progress > 3) {
            printf("stalled after %.1f s ", now() - t0);
            break;
        }
        for (int i = 0; i < k; i++) {
            struct conn *c = evs[i].data.ptr;
            c->state = 1;
            uint64_t off0 = (uint64_t)c->id * 7919;
            if (evs[i].events & EPOLLIN) {
                ssize_t r = recv(c->fd, rbuf, CHUNK, 0);
                if (r == 0 || (r < 0 && errno != EAGAIN)) {
                    dead++;
                    ep_mod(ep, c, 0);
                    continue;
                }
                for (ssize_t j = 0; j < r;) { /* memcmp against the pattern, piece by piece */
                    size_t o = (size_t)((off0 + c->recvd + (uint64_t)j) % PATLEN);
                    size_t len = (size_t)(r - j) < PATLEN - o ? (size_t)(r - j) : PATLEN - o;
                    if (memcmp(rbuf + j, pat + o, len) != 0) {
                        errors++;
                        break;
                    }
                    j += (ssize_t)len;
                }
                if (r > 0) {
                    c->recvd += (uint64_t)r;
                    total += (uint64_t)r;
                    last_progress = now();
                }
            }
            if (c->sent - c->recvd < INFLIGHT) {
                size_t o = (size_t)((off0 + c->sent) % PATLEN);
                size_t len = CHUNK;
                if (o + len > PATLEN)
                    len = PATLEN - o;
                ssize_t w = send(c->fd, pat + o, len, MSG_NOSIGNAL);
                if (w > 0)
                    c->sent += (uint64_t)w;
            }
            ep_mod(ep, c, EPOLLIN | (c->sent - c->recvd < INFLIGHT ? EPOLLOUT : 0));
        }
    }
    double t = now() - t0;
    printf("bytes=%llu secs=%.2f mbps=%.1f errors=%llu dead=%llu\n", (unsigned long long)total, t,
           (double)total / t / 1e6, (unsigned long long)errors, (unsigned long long)dead);
    free(cs);
    free(rbuf);
    return errors ? 1 : 0;
}

static int udp(int n, double secs)
{
    int ep = epoll_create1(0);
    struct conn *cs = calloc((size_t)n, sizeof(*cs));
    for (int i = 0; i < n; i++) {
        cs[i].id = i;
        cs[i].fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        if (cs[i].fd < 0 || connect(cs[i].fd, (struct sockaddr *)&dst, sizeof(dst)) < 0)
            die("udp socket");
        ep_add(ep, &cs[i], EPOLLIN);
    }
    struct epoll_event evs[512];
    uint64_t msgs = 0, lost = 0;
    double t0 = now(), end = t0 + secs;
    for (int i = 0; i < n; i++) {
        send_msg(&cs[i]);
        cs[i].t_sent = t0;
    }
    double next_scan = t0 + 0.05;
    while (now() < end) {
        int k = epoll_wait(ep, evs, 512, 50);
        for (int i = 0; i < k; i++) {
            struct conn *c = evs[i].data.ptr;
            unsigned char m[MSG], d[MSG + 1];
            for (;;) {
                ssize_t r = recv(c->fd, d, sizeof(d), 0);
                if (r < 0)
                    break;
                make_msg(m, c->id, c->seq);
                if (r != MSG || memcmp(m, d, MSG) != 0)
                    continue; /* a late answer to a resent datagram */
                msgs++;
                c->seq++;
                send_msg(c);
                c->t_sent = now();
            }
        }
        double t = now();
        if (t >= next_scan) {
            for (int i = 0; i < n; i++)
                if (t - cs[i].t_sent > 0.2) { /* lost: send the next one */
                    lost++;
                    cs[i].seq++;
                    send_msg(&cs[i]);
                    cs[i].t_sent = t;
                }
            next_scan = t + 0.05;
        }
    }
    double t = now() - t0;
    printf("msgs=%llu secs=%.2f rate=%.0f lost=%llu errors=0\n", (unsigned long long)msgs, t,
           (double)msgs / t, (unsigned long long)lost);
    return 0;
}

/* burst and idle: connect n at once, one message each. */
static int oneshot(int n, int hold)
{
    int ep = epoll_create1(0);
    struct epoll_event evs[512];
    struct conn *cs = calloc((size_t)n, sizeof(*cs));
    int done = 0, dead = 0, opened = 0, within1 = 0;
    /* Keep at most this many connects in progress so a backlog is not overrun by us alone. */
    int window = hold ? 512 : n;
    double t0 = now(), last = t0;
    while (done + dead < n && now() - t0 < (hold ? 30 : 5)) {
        while (opened < n && opened - done - dead < window) {
            cs[opened].id = opened;
            cs[opened].fd = tcp_socket();
            ep_add(ep, &cs[opened], EPOLLOUT);
            opened++;
        }
        int k = epoll_wait(ep, evs, 512, 100);
        for (int i = 0; i < k; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c->state == 0) {
                c->state = 1;
                ep_mod(ep, c, EPOLLIN);
                if (send_msg(c) < 0) {
                    dead++, c->state = 2;
                    ep_mod(ep, c, 0);
                }
                continue;
            }
            int r = recv_msg(c);
            if (r == 0)
                continue;
            c->state = 2;
            ep_mod(ep, c, 0);
            if (r < 0) {
                dead++;
                continue;
            }
            done++;
            last = now();
            if (last - t0 <= 1.0)
                within1++;
            if (!hold)
                close(c->fd);
        }
    }
    if (hold) {
        printf("ready conns=%d dead=%d errors=%llu\n", done, dead, (unsigned long long)errors);
        fflush(stdout);
        pause();
        return 0;
    }
    printf("served=%d of=%d within1s=%d secs=%.3f dead=%d errors=%llu\n", done, n, within1,
           last - t0, dead, (unsigned long long)errors);
    return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: loadgen pingpong|stream|udp|burst|idle HOST PORT N [SECS]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    dst.sin_family = AF_INET;
    dst.sin_port = htons((uint16_t)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1)
        return 2;
    int n = atoi(argv[4]);
    double secs = argc > 5 ? atof(argv[5]) : 1.0;
    srand(862);
    for (int i = 0; i < PATLEN; i++)
        pat[i] = (unsigned char)(rand() >> 7);
    const char *mode = argv[1];
    if (!strcmp(mode, "pingpong"))
        return pingpong(n, secs);
    if (!strcmp(mode, "stream"))
        return stream(n, secs);
    if (!strcmp(mode, "udp"))
        return udp(n, secs);
    if (!strcmp(mode, "burst"))
        return oneshot(n, 0);
    if (!strcmp(mode, "idle"))
        return oneshot(n, 1);
    return 2;
}
