/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_client.c - connect each address in turn; the pipe mode's poll loop (OpenBSD nc's
 * readwrite in spirit: one poll over input, socket and output, so neither direction ever waits
 * for the other), verifying the echo through an echo_ring. */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "echo/echo_client.h"
#include "echo/echo_ring.h"
#include "lib/loop.h"

/* Bytes read from the socket per call (and the most waiting for the output at once). */
#define RX_CHUNK (64 * 1024)

int echo_unix_addr(const char *path, struct net_addr *a, char err[NK_ERRLEN])
{
    struct sockaddr_un *un = (struct sockaddr_un *)&a->ss;
    memset(a, 0, sizeof(*a));
    if (!*path)
        return nk_seterr(err, "'': empty socket path");
    if (strlen(path) >= sizeof(un->sun_path))
        return nk_seterr(err, "%s: socket path too long (at most %zu bytes)", path,
                         sizeof(un->sun_path) - 1);
    un->sun_family = AF_UNIX;
    strcpy(un->sun_path, path);
    a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
    return 0;
}

/* Wait for a non-blocking connect: 0, or -1 with errno (EINTR after an interrupt: the shell's
 * Ctrl-C ends the wait through loop_interrupt_fd). */
static int wait_connected(int fd, int timeout_ms)
{
    struct pollfd p[2] = {{.fd = fd, .events = POLLOUT},
                          {.fd = loop_interrupt_fd(), .events = POLLIN}};
    int r;
    do
        r = loop_interrupted() ? 0 : poll(p, 2, timeout_ms > 0 ? timeout_ms : -1);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return -1;
    if (loop_interrupted()) {
        errno = EINTR;
        return -1;
    }
    if (r == 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    int soerr = 0;
    socklen_t sl = sizeof(soerr);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
        return -1;
    if (soerr) {
        errno = soerr;
        return -1;
    }
    return 0;
}

int echo_connect(const struct net_addr *addrs, size_t n, int type, int timeout_ms,
                 echo_fail_fn on_fail, void *arg, size_t *used, char err[NK_ERRLEN])
{
    char name[NET_ADDRSTRLEN];
    nk_seterr(err, "no address to connect to");
    for (size_t i = 0; i < n; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)&addrs[i].ss;
        int fd = net_connect_nb(&addrs[i], type, err);
        if (fd >= 0 && type == SOCK_STREAM && wait_connected(fd, timeout_ms) < 0) {
            int e = errno;
            close(fd);
            fd = -1;
            errno = e;
        }
        if (fd >= 0) {
            if (used)
                *used = i;
            return fd;
        }
        nk_seterr(err, "%s: %s", net_ntop_port(sa, name, sizeof(name)), nk_strerror(errno));
        if (on_fail)
            on_fail(arg, err);
    }
    return -1;
}

/* Write all of buf to a (blocking) output; 0 or -1 with errno. */
static int write_all(int fd, const unsigned char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The stream pipe's state between poll rounds. */
struct pipe_state {
    struct echo_ring ring;     /* input bytes unsent or unechoed */
    unsigned char *rx;         /* echo bytes received, waiting for the output */
    size_t rx_off, rx_len;     /* the part of rx still to write */
    int in_eof;                /* the input ended */
    int shut;                  /* our write side is closed (half-close sent) */
    uint64_t last_progress_ms; /* last time an echo arrived or nothing was in flight */
    int intr_fd;               /* loop_interrupt_fd: readable once Ctrl-C interrupted us */
};

/* Report a socket error at the current offset. */
static int sock_error(int e, const struct pipe_state *s, char err[NK_ERRLEN])
{
    if (e == ECONNRESET || e == EPIPE)
        return nk_seterr(err, "echo cut at offset %llu: connection reset by server",
                         (unsigned long long)s->ring.acked);
    return nk_seterr(err, "socket: %s at offset %llu", nk_strerror(e),
                     (unsigned long long)s->ring.acked);
}

/* Read the socket once and verify; 1 on end of stream, 0 to go on, -1 on error (the received
 * bytes are left in rx for the output either way, so the user sees what the server sent). */
static int pipe_receive(int sock, struct pipe_state *s, char err[NK_ERRLEN])
{
    ssize_t r = recv(sock, s->rx, RX_CHUNK, 0);
    if (r < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return 0;
        return sock_error(errno, s, err);
    }
    if (r == 0)
        return 1;
    uint64_t base = s->ring.acked, at;
    unsigned char want = 0;
    enum echo_verdict v = echo_ring_verify(&s->ring, s->rx, (size_t)r, &at, &want);
    s->rx_off = 0;
    s->rx_len = (size_t)r;
    s->last_progress_ms = loop_clock_us() / 1000;
    if (v == ECHO_DIFFERS)
        return nk_seterr(err, "echo differs at offset %llu: sent 0x%02x, received 0x%02x",
                         (unsigned long long)at, want, s->rx[at - base]);
    if (v == ECHO_TOO_MUCH)
        return nk_seterr(err, "server sent more than it received, from offset %llu",
                         (unsigned long long)at);
    return 0;
}

/* Send what the ring holds unsent; 0 or -1 with err. */
static int pipe_send(int sock, struct pipe_state *s, char err[NK_ERRLEN])
{
    size_t len;
    const unsigned char *p = echo_ring_unsent_ptr(&s->ring, &len);
    if (len == 0)
        return 0;
    if (s->ring.sent == s->ring.acked)
        s->last_progress_ms = loop_clock_us() / 1000; /* the echo clock starts now */
    ssize_t w = send(sock, p, len, MSG_NOSIGNAL);
    if (w < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return 0;
        return sock_error(errno, s, err);
    }
    echo_ring_sent(&s->ring, (size_t)w);
    return 0;
}

/* Read the input into the ring; 0 or -1 with err. */
static int pipe_read_input(const struct echo_pipe_opts *o, struct pipe_state *s,
                           char err[NK_ERRLEN])
{
    size_t len;
    unsigned char *p = echo_ring_fill_ptr(&s->ring, &len);
    if (len == 0)
        return 0;
    ssize_t r = read(o->in_fd, p, len);
    if (r < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return 0;
        return nk_seterr(err, "standard input: %s", nk_strerror(errno));
    }
    if (r == 0)
        s->in_eof = 1;
    echo_ring_filled(&s->ring, (size_t)r);
    return 0;
}

/* Write the pending echo to the output; 0 or -1 with err. */
static int pipe_write_output(const struct echo_pipe_opts *o, struct pipe_state *s,
                             char err[NK_ERRLEN])
{
    ssize_t w = write(o->out_fd, s->rx + s->rx_off, s->rx_len - s->rx_off);
    if (w < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return 0;
        return nk_seterr(err, "standard output: %s", nk_strerror(errno));
    }
    s->rx_off += (size_t)w;
    if (s->rx_off == s->rx_len)
        s->rx_off = s->rx_len = 0;
    return 0;
}

/* One poll round; 1 when the transfer is complete, 0 to go on, -1 with err. */
static int pipe_round(int sock, const struct echo_pipe_opts *o, struct pipe_state *s,
                      char err[NK_ERRLEN])
{
    struct echo_ring *r = &s->ring;
    if (s->in_eof && r->sent == r->filled && !s->shut) {
        /* Input done and all of it sent: half-close so the server knows, then wait. */
        if (shutdown(sock, SHUT_WR) < 0 && errno != ENOTCONN)
            return sock_error(errno, s, err);
        s->shut = 1;
    }
    if (s->shut && r->acked == r->filled && s->rx_len == 0)
        return 1;
    if (loop_interrupted())
        return nk_seterr(err, "interrupted at offset %llu", (unsigned long long)r->acked);

    enum {
        IN,
        SOCK,
        OUT,
        INTR
    };
    struct pollfd p[4] = {
        {.fd = -1}, {.fd = sock}, {.fd = -1}, {.fd = s->intr_fd, .events = POLLIN}};
    if (!s->in_eof && echo_ring_space(r) > 0)
        p[IN] = (struct pollfd){.fd = o->in_fd, .events = POLLIN};
    if (s->rx_len == 0)
        p[SOCK].events |= POLLIN; /* the output is the brake on reading the echo */
    if (r->sent < r->filled)
        p[SOCK].events |= POLLOUT;
    if (s->rx_len > 0)
        p[OUT] = (struct pollfd){.fd = o->out_fd, .events = POLLOUT};

    /* The echo timeout only runs while we wait on the server, not on a slow output. */
    int wait = -1;
    uint64_t now = loop_clock_us() / 1000;
    bool waiting_echo = r->sent > r->acked && s->rx_len == 0;
    if (!waiting_echo)
        s->last_progress_ms = now;
    if (o->timeout_ms > 0 && waiting_echo) {
        uint64_t deadline = s->last_progress_ms + (uint64_t)o->timeout_ms;
        if (now >= deadline)
            return nk_seterr(err, "no echo within %d ms, at offset %llu", o->timeout_ms,
                             (unsigned long long)r->acked);
        wait = (int)(deadline - now);
    }
    int n = poll(p, 4, wait);
    if (n < 0)
        return errno == EINTR ? 0 : nk_seterr(err, "poll: %s", nk_strerror(errno));
    if (p[INTR].revents)
        return 0; /* the next round reports the interrupt */
    if (p[IN].revents & (POLLIN | POLLHUP | POLLERR))
        if (pipe_read_input(o, s, err) < 0)
            return -1;
    if (p[SOCK].revents & (POLLOUT | POLLERR))
        if (r->sent < r->filled && pipe_send(sock, s, err) < 0)
            return -1;
    if (p[SOCK].revents & (POLLIN | POLLHUP | POLLERR) && s->rx_len == 0) {
        int e = pipe_receive(sock, s, err);
        if (e < 0)
            return -1; /* the caller still writes what the server sent */
        if (e == 1) {
            if (r->acked == r->filled && s->in_eof)
                return 1;
            return nk_seterr(err, "echo cut at offset %llu: connection closed by server",
                             (unsigned long long)r->acked);
        }
    }
    if (p[OUT].revents & (POLLOUT | POLLERR | POLLHUP))
        if (pipe_write_output(o, s, err) < 0)
            return -1;
    return 0;
}

int echo_pipe_stream(int sock, const struct echo_pipe_opts *o, struct echo_pipe_result *res,
                     char err[NK_ERRLEN])
{
    struct pipe_state s = {0};
    memset(res, 0, sizeof(*res));
    if (echo_ring_init(&s.ring, o->window ? o->window : ECHO_WINDOW) < 0 ||
        !(s.rx = malloc(RX_CHUNK))) {
        echo_ring_free(&s.ring);
        return nk_seterr(err, "out of memory");
    }
    s.last_progress_ms = loop_clock_us() / 1000;
    s.intr_fd = loop_interrupt_fd();
    int rc;
    while ((rc = pipe_round(sock, o, &s, err)) == 0)
        ;
    /* Echo bytes already received still reach the output, whatever ended the transfer. */
    if (s.rx_len > s.rx_off && write_all(o->out_fd, s.rx + s.rx_off, s.rx_len - s.rx_off) < 0 &&
        rc == 1) {
        rc = nk_seterr(err, "standard output: %s", nk_strerror(errno));
    }
    res->sent = s.ring.sent;
    res->verified = s.ring.acked;
    echo_ring_free(&s.ring);
    free(s.rx);
    return rc == 1 ? 0 : -1;
}

/* Wait for and check the reply to one datagram; 0 or -1 with err. */
static int dgram_exchange(int sock, const unsigned char *d, size_t n, uint64_t off,
                          unsigned char *reply, const struct echo_pipe_opts *o, int timeout_ms,
                          char err[NK_ERRLEN])
{
    if (send(sock, d, n, 0) < 0)
        return nk_seterr(err, "datagram at offset %llu: %s", (unsigned long long)off,
                         nk_strerror(errno));
    uint64_t deadline = loop_clock_us() / 1000 + (uint64_t)timeout_ms;
    for (;;) {
        uint64_t now = loop_clock_us() / 1000;
        if (loop_interrupted())
            return nk_seterr(err, "interrupted at offset %llu", (unsigned long long)off);
        if (now >= deadline)
            return nk_seterr(err, "no reply within %d ms to the datagram at offset %llu",
                             timeout_ms, (unsigned long long)off);
        struct pollfd p[2] = {{.fd = sock, .events = POLLIN},
                              {.fd = loop_interrupt_fd(), .events = POLLIN}};
        int r = poll(p, 2, (int)(deadline - now));
        if (r <= 0 || !(p[0].revents & (POLLIN | POLLERR | POLLHUP)))
            continue;
        ssize_t got = recv(sock, reply, ECHO_DGRAM_MAX + 1, 0);
        if (got < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            if (errno == ECONNREFUSED)
                return nk_seterr(err,
                                 "datagram at offset %llu: connection refused (no UDP "
                                 "echo server there)",
                                 (unsigned long long)off);
            return nk_seterr(err, "datagram at offset %llu: %s", (unsigned long long)off,
                             nk_strerror(errno));
        }
        size_t m = (size_t)got;
        size_t k = 0;
        while (k < m && k < n && reply[k] == d[k])
            k++;
        if (write_all(o->out_fd, reply, m) < 0)
            return nk_seterr(err, "standard output: %s", nk_strerror(errno));
        if (k < m && k < n)
            return nk_seterr(err, "echo differs at offset %llu: sent 0x%02x, received 0x%02x",
                             (unsigned long long)(off + k), d[k], reply[k]);
        if (m != n)
            return nk_seterr(err, "datagram at offset %llu: sent %zu bytes, received %zu",
                             (unsigned long long)off, n, m);
        return 0;
    }
}

int echo_pipe_dgram(int sock, const struct echo_pipe_opts *o, struct echo_pipe_result *res,
                    char err[NK_ERRLEN])
{
    size_t max = o->dgram_max ? o->dgram_max : ECHO_DGRAM_MAX;
    int timeout = o->timeout_ms > 0 ? o->timeout_ms : NK_TIMEOUT_MS;
    unsigned char *in = malloc(max), *reply = malloc(ECHO_DGRAM_MAX + 1);
    size_t len = 0;
    int eof = 0, rc = 0;
    memset(res, 0, sizeof(*res));
    if (!in || !reply) {
        free(in);
        free(reply);
        return nk_seterr(err, "out of memory");
    }
    while (rc == 0 && (!eof || len > 0)) {
        /* A datagram is a line with its newline, a full buffer, or what is left at the end. */
        unsigned char *nl = memchr(in, '\n', len);
        if (!nl && !eof && len < max) {
            ssize_t r = read(o->in_fd, in + len, max - len);
            if (r < 0 && errno == EINTR && loop_interrupted()) {
                rc = nk_seterr(err, "interrupted at offset %llu", (unsigned long long)res->sent);
                break;
            }
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                rc = nk_seterr(err, "standard input: %s", nk_strerror(errno));
                break;
            }
            if (r == 0)
                eof = 1;
            len += (size_t)r;
            continue;
        }
        size_t n = nl ? (size_t)(nl - in) + 1 : len;
        rc = dgram_exchange(sock, in, n, res->sent, reply, o, timeout, err);
        res->sent += n;
        if (rc == 0)
            res->verified += n;
        memmove(in, in + n, len - n);
        len -= n;
    }
    free(in);
    free(reply);
    return rc;
}
