/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sockdiag.c - sock_diag dumps with libmnl and their pure parser. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "ports/sockdiag.h"

/* Receive buffer: large enough for a few hundred sockets per read, as ss does. */
#define RECV_BUF (64 * 1024)

static int push(struct sockvec *v, const struct sockent *s)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        struct sockent *p = realloc(v->v, cap * sizeof(*p));
        if (!p)
            return -1;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = *s;
    return 0;
}

int sockdiag_parse(const void *buf, size_t len, int ipproto, uint32_t seq, struct sockvec *v,
                   char err[NK_ERRLEN])
{
    const unsigned char *p = buf;
    while (len > 0) {
        if (len < sizeof(struct nlmsghdr))
            return nk_seterr(err, "sock_diag: truncated message header");
        const struct nlmsghdr *nlh = (const struct nlmsghdr *)(const void *)p;
        if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len)
            return nk_seterr(err, "sock_diag: bad message length %u", nlh->nlmsg_len);
        if (seq && nlh->nlmsg_seq != seq)
            return nk_seterr(err, "sock_diag: unexpected sequence number %u", nlh->nlmsg_seq);
        size_t plen = nlh->nlmsg_len - sizeof(*nlh);
        const void *payload = p + sizeof(*nlh);
        if (nlh->nlmsg_type == NLMSG_DONE) {
            /* A dump that failed part-way ends with its error code as the payload. */
            int code = 0;
            if (plen >= sizeof(code))
                memcpy(&code, payload, sizeof(code));
            if (code < 0)
                return nk_seterr(err, "sock_diag: %s", nk_strerror(-code));
            return 0;
        }
        if (nlh->nlmsg_type == NLMSG_ERROR) {
            struct nlmsgerr e;
            if (plen < sizeof(e))
                return nk_seterr(err, "sock_diag: truncated error message");
            memcpy(&e, payload, sizeof(e));
            if (e.error == 0)
                return 0; /* an acknowledgement */
            return nk_seterr(err, "sock_diag: %s", nk_strerror(-e.error));
        }
        if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
            struct inet_diag_msg m;
            if (plen < sizeof(m))
                return nk_seterr(err, "sock_diag: truncated socket message");
            memcpy(&m, payload, sizeof(m)); /* the buffer may be unaligned */
            if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
                return nk_seterr(err, "sock_diag: unexpected family %u", m.idiag_family);
            struct sockent s = {0};
            size_t alen = m.idiag_family == AF_INET ? 4 : 16;
            s.family = m.idiag_family;
            s.ipproto = (uint8_t)ipproto;
            s.state = m.idiag_state;
            memcpy(s.local, m.id.idiag_src, alen);
            memcpy(s.peer, m.id.idiag_dst, alen);
            s.lport = ntohs(m.id.idiag_sport);
            s.pport = ntohs(m.id.idiag_dport);
            s.ifindex = m.id.idiag_if;
            s.uid = m.idiag_uid;
            s.inode = m.idiag_inode;
            if (push(v, &s) < 0)
                return nk_seterr(err, "sock_diag: out of memory");
        }
        /* Other types (NLMSG_NOOP, ...) carry nothing for us. */
        size_t adv = NLMSG_ALIGN(nlh->nlmsg_len);
        if (adv >= len)
            break;
        p += adv;
        len -= adv;
    }
    return 1;
}

int sockdiag_dump(int ipproto, int family, uint32_t states, struct sockvec *v, char err[NK_ERRLEN])
{
    struct mnl_socket *nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
    if (!nl)
        return nk_seterr(err, "sock_diag: %s", nk_strerror(errno));
    int rc = -1;
    char *buf = malloc(RECV_BUF);
    if (!buf) {
        nk_seterr(err, "sock_diag: out of memory");
        goto out;
    }
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        nk_seterr(err, "sock_diag: %s", nk_strerror(errno));
        goto out;
    }
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    uint32_t seq = (uint32_t)time(NULL) | 1u;
    nlh->nlmsg_seq = seq;
    struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
    req->sdiag_family = (uint8_t)family;
    req->sdiag_protocol = (uint8_t)ipproto;
    req->idiag_states = states;
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
        nk_seterr(err, "sock_diag: %s", nk_strerror(errno));
        goto out;
    }
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl, buf, RECV_BUF);
        if (n < 0) {
            nk_seterr(err, "sock_diag: %s", nk_strerror(errno));
            goto out;
        }
        if (n == 0) {
            nk_seterr(err, "sock_diag: dump ended early");
            goto out;
        }
        int r = sockdiag_parse(buf, (size_t)n, ipproto, seq, v, err);
        if (r < 0)
            goto out;
        if (r == 0)
            break;
    }
    rc = 0;
out:
    free(buf);
    mnl_socket_close(nl);
    return rc;
}

bool sockdiag_listening(const struct sockent *s)
{
    if (s->ipproto == IPPROTO_TCP)
        return s->state == TCP_LISTEN;
    return s->state == TCP_CLOSE && s->lport != 0;
}

const char *sockdiag_state_name(const struct sockent *s)
{
    static const char *const names[] = {
        [TCP_ESTABLISHED] = "ESTAB",    [TCP_SYN_SENT] = "SYN-SENT",
        [TCP_SYN_RECV] = "SYN-RECV",    [TCP_FIN_WAIT1] = "FIN-WAIT-1",
        [TCP_FIN_WAIT2] = "FIN-WAIT-2", [TCP_TIME_WAIT] = "TIME-WAIT",
        [TCP_CLOSE] = "UNCONN",         [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
        [TCP_LAST_ACK] = "LAST-ACK",    [TCP_LISTEN] = "LISTEN",
        [TCP_CLOSING] = "CLOSING",      [12] = "SYN-RECV", /* TCP_NEW_SYN_RECV: a request */
    };
    if (s->state < sizeof(names) / sizeof(names[0]) && names[s->state])
        return names[s->state];
    return "UNKNOWN";
}

static int cmp(const void *a, const void *b)
{
    const struct sockent *x = a, *y = b;
    int c;
    if (x->ipproto != y->ipproto)
        return x->ipproto == IPPROTO_TCP ? -1 : 1;
    if (x->family != y->family)
        return x->family == AF_INET ? -1 : 1;
    if ((c = memcmp(x->local, y->local, sizeof(x->local))) != 0)
        return c;
    if (x->lport != y->lport)
        return x->lport < y->lport ? -1 : 1;
    if ((c = memcmp(x->peer, y->peer, sizeof(x->peer))) != 0)
        return c;
    if (x->pport != y->pport)
        return x->pport < y->pport ? -1 : 1;
    return x->inode < y->inode ? -1 : x->inode > y->inode;
}

void sockdiag_sort(struct sockvec *v)
{
    if (v->n > 1)
        qsort(v->v, v->n, sizeof(v->v[0]), cmp);
}

void sockdiag_free(struct sockvec *v)
{
    free(v->v);
    memset(v, 0, sizeof(*v));
}
