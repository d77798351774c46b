/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ports_watch.c - `netkit ports --watch [S]`: the socket listing refreshed every S seconds
 * until Ctrl-C, with what opened and closed since the last refresh (marked '+' and '-' in
 * text, "opened" and "closed" events in NDJSON). The refresh loop, redraw and header are
 * cli/watch.h's. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/msg.h"
#include "cli/out.h"
#include "cli/watch.h"
#include "cmd/ports.h"
#include "lib/num.h"
#include "ports/sockdiag.h"

#define CMD "ports"

/* One socket's identity across refreshes. */
static bool same_sock(const struct sockent *a, const struct sockent *b)
{
    return a->ipproto == b->ipproto && a->family == b->family && a->lport == b->lport &&
           a->pport == b->pport && a->inode == b->inode && a->state == b->state &&
           !memcmp(a->local, b->local, sizeof(a->local)) &&
           !memcmp(a->peer, b->peer, sizeof(a->peer));
}

static bool sock_in(const struct sockvec *v, const struct sockent *e)
{
    for (size_t i = 0; i < v->n; i++)
        if (same_sock(&v->v[i], e))
            return true;
    return false;
}

/* One refresh as text: a timestamped header with the counts per state, then the sockets, the
 * new ones marked '+', and those gone since the last refresh once more, marked '-'. */
static int watch_text(struct watch *w, const struct ports_req *rq, struct nk_ctx *ctx,
                      const struct sockvec *cur, const struct sockvec *prev)
{
    bool first = w->n == 0;
    size_t n = 0, added = 0, gone = 0, counts[16] = {0};
    char *mark = calloc(cur->n + prev->n + 1, 1);
    struct sockent *all = malloc((cur->n + prev->n + 1) * sizeof(*all));
    if (!mark || !all) {
        free(mark);
        free(all);
        nk_err(CMD, "out of memory");
        return NK_FAIL;
    }
    for (size_t i = 0; i < cur->n; i++) {
        all[n] = cur->v[i];
        mark[n] = !first && !sock_in(prev, &cur->v[i]) ? '+' : ' ';
        added += mark[n++] == '+';
        counts[cur->v[i].state & 15]++;
    }
    for (size_t i = 0; !first && i < prev->n; i++)
        if (!sock_in(cur, &prev->v[i])) {
            all[n] = prev->v[i];
            mark[n++] = '-';
            gone++;
        }
    /* The header's tail: ": 5 sockets, 3 listen, 2 established (1 new, 0 gone)". */
    char head[512];
    size_t len = (size_t)snprintf(head, sizeof(head), ": %zu socket%s", cur->n, nk_s(cur->n));
    for (int s = 0; s < 16 && len < sizeof(head); s++)
        if (counts[s]) {
            struct sockent st = {.state = (uint8_t)s, .ipproto = IPPROTO_TCP};
            len += (size_t)snprintf(head + len, sizeof(head) - len, ", %zu %s", counts[s],
                                    sockdiag_state_name(&st));
        }
    if (!first && len < sizeof(head))
        snprintf(head + len, sizeof(head) - len, " (%zu new, %zu gone)", added, gone);
    watch_begin(w, "%s", head);
    struct sockvec view = {.v = all, .n = n};
    struct ports_show how = {.mark = mark};
    struct out *o = out_new(stdout, false, ctx->color);
    ports_show_sockets(o, &view, rq->procs, &how);
    int st = out_close(o) < 0 ? NK_FAIL : NK_OK;
    free(mark);
    free(all);
    return st;
}

/* The changes as NDJSON events: the first listing as "opened", then what opened and closed. */
static int watch_json(struct watch *w, const struct ports_req *rq, const struct sockvec *cur,
                      const struct sockvec *prev)
{
    bool first = w->n == 0;
    watch_begin(w, NULL); /* the time of the events */
    for (int pass = 0; pass < 2; pass++) {
        const struct sockvec *a = pass ? prev : cur, *b = pass ? cur : prev;
        for (size_t i = 0; i < a->n; i++) {
            if (pass ? (first || sock_in(b, &a->v[i])) : (!first && sock_in(b, &a->v[i])))
                continue;
            struct sockvec one = {.v = &a->v[i], .n = 1};
            struct ports_show how = {.event = pass ? "closed" : "opened", .when = w->when};
            struct out *o = out_new(stdout, true, false);
            ports_show_sockets(o, &one, rq->procs, &how);
            if (out_close(o) < 0)
                return NK_FAIL;
        }
    }
    return NK_OK;
}

/* The watch's state between refreshes. */
struct sockets {
    const struct ports_req *rq;
    struct nk_ctx *ctx;
    struct sockvec prev; /* the last refresh's sockets */
};

static int refresh(struct watch *w, void *arg)
{
    struct sockets *ss = arg;
    struct sockvec cur = {0};
    int status = ports_collect(ss->rq, &cur, w->n > 0);
    if (status != NK_OK)
        return status;
    status = w->json ? watch_json(w, ss->rq, &cur, &ss->prev)
                     : watch_text(w, ss->rq, ss->ctx, &cur, &ss->prev);
    watch_end(w);
    sockdiag_free(&ss->prev);
    ss->prev = cur;
    return status;
}

int ports_watch(const struct ports_req *rq, struct nk_ctx *ctx)
{
    struct sockets ss = {.rq = rq, .ctx = ctx};
    int status = watch_run(rq->watch, ctx->json, refresh, &ss);
    sockdiag_free(&ss.prev);
    return status;
}
