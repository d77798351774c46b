/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dns_sock.c - the channel's socket functions: plain system calls, recording the server each
 * socket talks to and who sent each packet. */
#include <ares.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dns/dns_int.h"

/* Receive buffer asked for each UDP socket: a batch with hundreds of answers in flight must not
 * lose them in our own socket (the kernel caps it at rmem_max unless we may force it). */
#define DNS_RCVBUF (4 << 20)

/* c-ares 1.18 leaves a socket from user functions as it is: it must be non-blocking here, or
 * a read after a spurious wake-up would block the whole loop. */
static ares_socket_t w_socket(int af, int type, int proto, void *ud)
{
    (void)ud;
    int fd = socket(af, type | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
    if (fd >= 0 && type == SOCK_DGRAM) {
        int sz = DNS_RCVBUF;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
    }
    return fd;
}

static int w_close(ares_socket_t fd, void *ud)
{
    struct dns *d = ud;
    if (fd >= 0 && (size_t)fd < d->nw && d->w[fd]) {
        struct watch *w = d->w[fd];
        if (w->active) { /* never leave a closed descriptor counted in the loop */
            loop_io_del(d->l, &w->io);
            w->active = false;
        }
        w->has_peer = false;
    }
    return close(fd);
}

static int w_connect(ares_socket_t fd, const struct sockaddr *sa, ares_socklen_t len, void *ud)
{
    struct dns *d = ud;
    int rc = connect(fd, sa, len);
    int e = errno;
    struct watch *w = dns_get_watch(d, fd);
    if (w && len <= sizeof(w->peer.ss)) {
        memcpy(&w->peer.ss, sa, len);
        w->peer.len = len;
        w->has_peer = true;
    }
    errno = e;
    return rc;
}

static ares_ssize_t w_recvfrom(ares_socket_t fd, void *buf, size_t len, int flags,
                               struct sockaddr *from, ares_socklen_t *fromlen, void *ud)
{
    struct dns *d = ud;
    ssize_t n = recvfrom(fd, buf, len, flags, from, fromlen);
    /* c-ares reads a UDP socket until EAGAIN: then every answer had been read. It reads TCP
     * (no from) once per event, which tells nothing: such reads never hold the window back. */
    if (!from || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)))
        d->idle_reads++;
    if (!from && (n == 0 || (n < 0 && errno == ECONNRESET)))
        d->tcp_hangup = true; /* c-ares reports it as ECONNREFUSED: query_cb says what it was */
    if (n > 0) {
        d->last_tcp = !from;
        if (from && fromlen && *fromlen > 0 && *fromlen <= sizeof(d->last_from.ss)) {
            memcpy(&d->last_from.ss, from, *fromlen);
            d->last_from.len = *fromlen;
        } else if ((size_t)fd < d->nw && d->w[fd] && d->w[fd]->has_peer) {
            d->last_from = d->w[fd]->peer;
        }
    }
    return n;
}

/* A send on a connected UDP socket fails with ECONNREFUSED when the ICMP "port unreachable"
 * of an EARLIER datagram is pending: the error belongs to the queries already waiting, not to
 * this one. c-ares 1.18 fails only the query being sent and the error is then gone, so the
 * queries waiting on the socket never hear of it and end as TIMEOUT (address mode's A and AAAA
 * with --tries 1). Sending again delivers this datagram; its own refusal then reaches the next
 * read, where c-ares fails every query of the socket at once. Bounded: each refused send
 * consumes one pending error. */
#define DNS_REFUSED_RESENDS 4

static bool refused_udp(int fd)
{
    int type = 0;
    socklen_t l = sizeof(type);
    return errno == ECONNREFUSED && getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l) == 0 &&
           type == SOCK_DGRAM;
}

static ares_ssize_t w_sendv(ares_socket_t fd, const struct iovec *iov, int n, void *ud)
{
    (void)ud;
    ssize_t r;
    int k = 0;
    do {
        /* A UDP query is one buffer: send() skips writev's file-layer work (c-ares' default) */
        if (n == 1) {
            r = send(fd, iov[0].iov_base, iov[0].iov_len, MSG_NOSIGNAL);
        } else {
            struct msghdr m = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)n};
            r = sendmsg(fd, &m, MSG_NOSIGNAL);
        }
    } while (r < 0 && ++k <= DNS_REFUSED_RESENDS && refused_udp(fd));
    return r;
}

const struct ares_socket_functions dns_sock_funcs = {w_socket, w_close, w_connect, w_recvfrom,
                                                     w_sendv};
