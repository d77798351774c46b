/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsbatch.c - the batch engine: the pump (new lookups, results in input order) and the run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "dns/dnsbatch.h"
#include "dns/dnsbatch_int.h"

/* Results held for reordering, at most: lookups behind a slow one wait here, not in memory. */
#define REORDER_MIN 4096

/* An item's strings (query and ascii share one block) and the item itself, kept for reuse. */
static void item_put(struct batch *b, struct dnsb_item *it)
{
    dns_result_free(&it->res);
    free(it->query);
    it->next = b->spare_item;
    b->spare_item = it;
}

/* ---- timers ---- */

static void prog_fn(struct loop *l, struct loop_timer *t)
{
    struct batch *b = t->arg;
    b->st.window = (unsigned)b->cwnd;
    b->c->progress(b->c->arg, &b->st, false);
    loop_timer_set(l, t, 200);
}

static void deadline_fn(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct batch *b = t->arg;
    b->deadline_hit = true;
    dns_cancel_all(b->c->dns); /* every pending lookup calls back with TIMEOUT */
    batch_pump(b);
}

static void fin_fn(struct loop *l, struct loop_timer *t)
{
    struct batch *b = t->arg;
    if (b->stale)
        dns_cancel_all(b->c->dns); /* answers nobody waits for any more */
    loop_timer_cancel(l, &b->hedge);
    loop_timer_cancel(l, &b->prog);
    loop_timer_cancel(l, &b->deadline);
    if (b->rd.waiting) {
        loop_io_del(l, &b->rd.io);
        b->rd.waiting = false;
    }
    loop_stop(l);
}

/* ---- the pump: hand over finished results in order, start new lookups ---- */

static void emit_ready(struct batch *b)
{
    for (;;) {
        struct dnsb_item **slot = &b->ring[b->next_emit & (b->rsize - 1)];
        struct dnsb_item *it = *slot;
        if (b->next_emit == b->next_seq || !it || !it->done)
            return;
        if (it->bad)
            b->st.bad++;
        b->st.done++;
        b->c->emit(b->c->arg, it);
        item_put(b, it);
        *slot = NULL;
        b->next_emit++;
    }
}

/* Start the lookup for the current name and type: 0, or -1 on failure. */
static int start_item(struct batch *b)
{
    const struct dnsb_cfg *c = b->c;
    struct dnsb_item *it = b->spare_item;
    if (it)
        b->spare_item = it->next;
    else if (!(it = malloc(sizeof(*it))))
        return nk_seterr(b->err, "out of memory");
    memset(it, 0, sizeof(*it));
    size_t lq = strlen(b->name) + 1, la = strlen(b->ascii) + 1;
    it->query = malloc(lq + la);
    if (!it->query) {
        free(it);
        return nk_seterr(b->err, "out of memory");
    }
    memcpy(it->query, b->name, lq);
    it->ascii = memcpy(it->query + lq, b->ascii, la);
    it->seq = b->next_seq++;
    it->reverse = b->name_reverse;
    it->type = b->name_reverse ? DNS_T_PTR : b->ntypes ? b->types[b->type_idx] : 0;
    b->ring[it->seq & (b->rsize - 1)] = it;
    b->st.started++;
    b->st.inflight++;
    if (b->name_err[0] || b->deadline_hit) {
        struct dns_result r = {0};
        r.status = b->name_err[0] ? DNS_S_ERROR : DNS_S_TIMEOUT;
        snprintf(r.error, sizeof(r.error), "%s", b->name_err);
        it->bad = b->name_err[0] != 0;
        batch_complete(b, it, &r);
        return 0;
    }
    if (batch_send_att(b, it) < 0) {
        struct dns_result r = {0};
        r.status = DNS_S_ERROR;
        snprintf(r.error, sizeof(r.error), "%s", b->err);
        batch_complete(b, it, &r);
        return -1;
    }
    if (!b->hedge.slot)
        loop_timer_set(c->loop, &b->hedge, HEDGE_TICK_MS);
    return 0;
}

void batch_pump(struct batch *b)
{
    if (b->in_pump || b->finishing)
        return;
    b->in_pump = true;
    for (;;) {
        emit_ready(b);
        if (b->fail)
            break;
        bool room = b->st.inflight - b->retrying < (unsigned)b->cwnd &&
                    b->next_seq - b->next_emit < b->rsize;
        if (!room || b->input_done)
            break;
        if (b->type_idx < 0) {
            int rc = batch_next_name(b);
            if (rc == 0)
                break; /* reader_io calls pump when input arrives */
            if (rc < 0) {
                b->input_done = true;
                if (rc == -2)
                    b->fail = 1;
                continue;
            }
            b->type_idx = 0;
        }
        if (start_item(b) < 0)
            b->fail = 1;
        if (b->name_reverse || b->line_bad || b->ntypes == 0 || ++b->type_idx >= b->ntypes)
            b->type_idx = -1;
    }
    b->in_pump = false;
    bool done = b->next_emit == b->next_seq && (b->input_done || b->fail);
    if (done && !b->finishing) {
        b->finishing = true;
        loop_timer_set(b->c->loop, &b->fin, 0);
    }
}

int dnsb_run(const struct dnsb_cfg *cfg, struct dnsb_stats *st, char err[NK_ERRLEN])
{
    struct batch *b = calloc(1, sizeof(*b));
    if (!b)
        return nk_seterr(err, "out of memory");
    b->c = cfg;
    b->type_idx = -1;
    b->cwnd = cfg->max_inflight < WIN_INIT ? cfg->max_inflight : WIN_INIT;
    if (b->cwnd < 1)
        b->cwnd = 1;
    b->ssthresh = cfg->max_inflight;
    b->round_left = b->cwnd;
    b->rsize = REORDER_MIN;
    while (b->rsize < 4 * (size_t)cfg->max_inflight)
        b->rsize *= 2;
    b->ring = calloc(b->rsize, sizeof(*b->ring));
    b->rd.fd = cfg->fd;
    b->rd.ln = cfg->names ? NULL : calloc(1, sizeof(*b->rd.ln));
    if (!b->ring || (!cfg->names && !b->rd.ln)) {
        free(b->ring);
        free(b->rd.ln);
        free(b);
        return nk_seterr(err, "out of memory");
    }
    b->st.t0_ms = now_ms(b);
    b->hedge = (struct loop_timer){.fn = batch_hedge_fn, .arg = b};
    b->prog = (struct loop_timer){.fn = prog_fn, .arg = b};
    b->deadline = (struct loop_timer){.fn = deadline_fn, .arg = b};
    b->fin = (struct loop_timer){.fn = fin_fn, .arg = b};
    if (cfg->deadline_ms)
        loop_timer_set(cfg->loop, &b->deadline, cfg->deadline_ms);
    if (cfg->progress)
        loop_timer_set(cfg->loop, &b->prog, 200);
    batch_pump(b);
    if (loop_run(cfg->loop) < 0 && !b->fail) {
        /* EINTR: an interrupt (Ctrl-C) stopped the loop. What is in flight is cancelled below
         * and nothing more is handed over: the caller reports the results it has. */
        b->st.interrupted = errno == EINTR;
        if (b->st.interrupted)
            nk_seterr(b->err, "interrupted");
        else
            nk_seterr(b->err, "event loop: %s", nk_strerror(errno));
        b->fail = 1;
    }
    /* A failure may leave lookups in flight: end them so nothing calls back into b later. */
    if (dns_pending(cfg->dns)) {
        b->finishing = true;
        dns_cancel_all(cfg->dns);
    }
    for (size_t i = 0; i < b->rsize; i++)
        if (b->ring[i])
            item_put(b, b->ring[i]);
    while (b->spare_item) {
        struct dnsb_item *it = b->spare_item;
        b->spare_item = it->next;
        free(it);
    }
    while (b->spare_att) {
        struct dnsb_att *a = b->spare_att;
        b->spare_att = a->spare;
        free(a);
    }
    b->st.window = (unsigned)b->cwnd;
    if (cfg->progress)
        cfg->progress(cfg->arg, &b->st, true);
    *st = b->st;
    int rc = b->fail ? nk_seterr(err, "%s", b->err) : 0;
    loop_timer_cancel(cfg->loop, &b->hedge);
    loop_timer_cancel(cfg->loop, &b->prog);
    loop_timer_cancel(cfg->loop, &b->deadline);
    loop_timer_cancel(cfg->loop, &b->fin);
    free(b->ring);
    free(b->rd.ln);
    free(b);
    return rc;
}
