/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nl.c - one netlink walker: check each message of a reply, end it where the kernel says, and
 * pass the data messages on (see nl.h). */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "lib/err.h"
#include "lib/nl.h"

/* The errno in an NLMSG_ERROR or NLMSG_DONE payload (the kernel sends it negated). Anything
 * that is no errno (0 where an error was due, a magnitude beyond the errno range, INT_MIN whose
 * negation overflows) reads as a protocol error. */
static int kernel_errno(int32_t code)
{
    uint32_t mag = code < 0 ? 0u - (uint32_t)code : (uint32_t)code;
    return mag == 0 || mag > 4095 ? EPROTO : (int)mag;
}

int nk_nl_walk(struct nk_nl_walk *w, const void *buf, size_t len, char err[NK_ERRLEN])
{
    /* Walked by hand rather than with mnl_nlmsg_ok/next: those compare lengths as int, so a
     * corrupt nlmsg_len of 2^31 or more would send them past the end of the buffer. */
    const char *p = buf;
    while (len > 0) {
        if (len < sizeof(struct nlmsghdr))
            return nk_seterr(err, "%s: truncated message header", w->what);
        const struct nlmsghdr *nlh = (const struct nlmsghdr *)(const void *)p;
        size_t mlen = nlh->nlmsg_len;
        /* NLMSG_ALIGN masks with an unsigned int: do it in size_t, or 0xffffffff aligns to 0.
         * The aligned end must be inside the buffer too: libmnl's attribute walks run to it. */
        size_t step = (mlen + 3) & ~(size_t)3;
        if (mlen < sizeof(*nlh) || step > len)
            return nk_seterr(err, "%s: bad message length %zu", w->what, mlen);
        if (w->seq && nlh->nlmsg_seq != w->seq)
            return nk_seterr(err, "%s: unexpected sequence number %u", w->what, nlh->nlmsg_seq);
        if (w->portid && nlh->nlmsg_pid != w->portid)
            return nk_seterr(err, "%s: unexpected port id %u", w->what, nlh->nlmsg_pid);
        if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
            w->intr = true;
        size_t plen = mlen - sizeof(*nlh);
        const char *payload = p + NLMSG_HDRLEN;
        if (nlh->nlmsg_type == NLMSG_DONE) {
            /* A dump that failed part-way ends with its (negative) errno as the payload. */
            int32_t code = 0;
            if (plen >= sizeof(code))
                memcpy(&code, payload, sizeof(code));
            if (code < 0) {
                w->kerr = kernel_errno(code);
                return nk_seterr(err, "%s: %s", w->what, nk_strerror(w->kerr));
            }
            return 0;
        }
        if (nlh->nlmsg_type == NLMSG_ERROR) {
            struct nlmsgerr e;
            if (plen < sizeof(e))
                return nk_seterr(err, "%s: truncated error message", w->what);
            memcpy(&e, payload, sizeof(e));
            if (e.error == 0) /* the acknowledgement that ends a request */
                return 0;
            w->kerr = kernel_errno(e.error);
            return nk_seterr(err, "%s: %s", w->what, nk_strerror(w->kerr));
        }
        /* NLMSG_NOOP, NLMSG_OVERRUN and the other reserved types carry nothing for anyone. */
        if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && w->msg(nlh, w->arg, err) < 0)
            return -1;
        p += step;
        len -= step;
    }
    return 1;
}

int nk_nl_open(struct nk_nl *nl, int protocol, const char *what, char err[NK_ERRLEN])
{
    memset(nl, 0, sizeof(*nl));
    nl->what = what;
    nl->buf = malloc(NK_NL_BUFSIZE);
    if (!nl->buf)
        return nk_seterr(err, "%s: out of memory", what);
    nl->sock = mnl_socket_open2(protocol, SOCK_CLOEXEC);
    if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
        nk_seterr(err, "%s: %s", what, nk_strerror(errno));
        nk_nl_close(nl);
        return -1;
    }
    nl->portid = mnl_socket_get_portid(nl->sock);
    /* Start somewhere else on each run, so a stale reply is not taken for a fresh one. */
    nl->seq = (uint32_t)time(NULL);
    return 0;
}

void nk_nl_close(struct nk_nl *nl)
{
    if (nl->sock)
        mnl_socket_close(nl->sock);
    free(nl->buf);
    memset(nl, 0, sizeof(*nl));
}

struct nlmsghdr *nk_nl_request(void *buf, uint16_t type, uint16_t flags, size_t hdrlen,
                               void **family)
{
    memset(buf, 0, NK_NL_REQSIZE);
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
    *family = mnl_nlmsg_put_extra_header(nlh, hdrlen);
    return nlh;
}

/* One datagram from the kernel into nl->buf: its length, or -1 with the reason. */
static ssize_t receive(struct nk_nl *nl, char err[NK_ERRLEN])
{
    for (;;) {
        struct sockaddr_nl from;
        struct iovec iov = {.iov_base = nl->buf, .iov_len = NK_NL_BUFSIZE};
        struct msghdr mh = {
            .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1};
        ssize_t n = recvmsg(mnl_socket_get_fd(nl->sock), &mh, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return nk_seterr(err, "%s: %s", nl->what, nk_strerror(errno));
        if (n == 0)
            return nk_seterr(err, "%s: reply ended early", nl->what);
        if (mh.msg_flags & MSG_TRUNC)
            return nk_seterr(err, "%s: message larger than %d bytes", nl->what, NK_NL_BUFSIZE);
        /* Only the kernel answers requests; another process's datagram is not part of it. */
        if (mh.msg_namelen != sizeof(from) || from.nl_pid != 0)
            continue;
        return n;
    }
}

/* Send the request, once, whatever signals arrive meanwhile. */
static int send_request(struct nk_nl *nl, const struct nlmsghdr *req, char err[NK_ERRLEN])
{
    for (;;) {
        if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) >= 0)
            return 0;
        if (errno != EINTR)
            return nk_seterr(err, "%s: %s", nl->what, nk_strerror(errno));
    }
}

int nk_nl_talk(struct nk_nl *nl, struct nlmsghdr *req, nk_nl_msg_fn *msg,
               void (*restart)(void *arg), void *arg, char err[NK_ERRLEN])
{
    bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
    nl->kerr = 0;
    if (!dump)
        req->nlmsg_flags |= NLM_F_ACK;
    for (int run = 1;; run++) {
        /* 0 would accept any sequence number: skip it when the counter wraps. */
        if (++nl->seq == 0)
            nl->seq = 1;
        struct nk_nl_walk w = {
            .what = nl->what, .seq = nl->seq, .portid = nl->portid, .msg = msg, .arg = arg};
        req->nlmsg_seq = w.seq;
        if (send_request(nl, req, err) < 0)
            return -1;
        int rc;
        do {
            ssize_t n = receive(nl, err);
            if (n < 0)
                return -1;
            rc = nk_nl_walk(&w, nl->buf, (size_t)n, err);
        } while (rc == 1);
        nl->kerr = w.kerr;
        if (rc < 0)
            return -1;
        /* As ip does, an interrupted dump that keeps being interrupted is kept as it came. */
        if (!w.intr || !dump || !restart || run == NK_NL_RUNS)
            return 0;
        restart(arg);
    }
}
