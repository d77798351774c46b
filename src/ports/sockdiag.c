/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sockdiag.c - sock_diag dumps: the request, and the parser of each socket message (lib/nl.c
 * walks the reply). */
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/nl.h"
#include "lib/vec.h"
#include "ports/sockdiag.h"

/* What the messages of one dump go into. */
struct dump {
    int ipproto;       /* the protocol asked for (the messages do not say) */
    struct sockvec *v; /* where the sockets go */
    size_t n0;         /* v->n before the dump, to start over from */
};

/* One SOCK_DIAG_BY_FAMILY message as a struct sockent; other types are none of ours. */
static int sock_msg(const struct nlmsghdr *nlh, void *arg, char err[NK_ERRLEN])
{
    struct dump *d = arg;
    struct inet_diag_msg m;
    if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
        return 0;
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(m))
        return nk_seterr(err, "sock_diag: truncated socket message");
    memcpy(&m, mnl_nlmsg_get_payload(nlh), sizeof(m));
    if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
        return nk_seterr(err, "sock_diag: unexpected family %u", m.idiag_family);
    struct sockent *s = nk_grow((void **)&d->v->v, &d->v->n, &d->v->cap, sizeof(*s));
    if (!s)
        return nk_seterr(err, "sock_diag: out of memory");
    size_t alen = m.idiag_family == AF_INET ? 4 : 16;
    s->family = m.idiag_family;
    s->ipproto = (uint8_t)d->ipproto;
    s->state = m.idiag_state;
    memcpy(s->local, m.id.idiag_src, alen);
    memcpy(s->peer, m.id.idiag_dst, alen);
    s->lport = ntohs(m.id.idiag_sport);
    s->pport = ntohs(m.id.idiag_dport);
    s->ifindex = m.id.idiag_if;
    s->uid = m.idiag_uid;
    s->inode = m.idiag_inode;
    s->rqueue = m.idiag_rqueue;
    s->wqueue = m.idiag_wqueue;
    return 0;
}

int sockdiag_parse(const void *buf, size_t len, int ipproto, uint32_t seq, struct sockvec *v,
                   char err[NK_ERRLEN])
{
    struct dump d = {ipproto, v, v->n};
    struct nk_nl_walk w = {.what = "sock_diag", .seq = seq, .msg = sock_msg, .arg = &d};
    return nk_nl_walk(&w, buf, len, err);
}

/* The kernel interrupted the dump: forget its sockets before it runs again. */
static void sock_restart(void *arg)
{
    struct dump *d = arg;
    d->v->n = d->n0;
}

int sockdiag_dump(int ipproto, int family, uint32_t states, struct sockvec *v, char err[NK_ERRLEN])
{
    struct nk_nl nl;
    if (nk_nl_open(&nl, NETLINK_SOCK_DIAG, "sock_diag", err) < 0)
        return -1;
    char buf[NK_NL_REQSIZE] __attribute__((aligned(4)));
    void *fh;
    struct nlmsghdr *nlh =
        nk_nl_request(buf, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, sizeof(struct inet_diag_req_v2), &fh);
    struct inet_diag_req_v2 *req = fh;
    req->sdiag_family = (uint8_t)family;
    req->sdiag_protocol = (uint8_t)ipproto;
    req->idiag_states = states;
    struct dump d = {ipproto, v, v->n};
    int rc = nk_nl_talk(&nl, nlh, sock_msg, sock_restart, &d, err);
    nk_nl_close(&nl);
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

void sockdiag_ent_free(struct sockent *s)
{
    free(s->owners);
    s->owners = NULL;
    s->nowners = 0;
}

void sockdiag_free(struct sockvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        sockdiag_ent_free(&v->v[i]);
    free(v->v);
    memset(v, 0, sizeof(*v));
}
