/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsbatch_win.c - the batch's attempts: the adaptive in-flight window, RTO, hedged retries. */
#include <stdlib.h>

#include "lib/err.h"
#include "dns/dnsbatch.h"
#include "dns/dnsbatch_int.h"

/* The shortest retry wait. */
#define RTO_MIN_MS 30
/* An attempt is taken for lost once this many attempts sent after it were answered (one
 * server answers nearly in order; a few worker threads reorder a little). */
#define REORDER_SLACK 32

static struct dnsb_att *att_get(struct batch *b)
{
    struct dnsb_att *a = b->spare_att;
    if (a)
        b->spare_att = a->spare;
    else
        a = malloc(sizeof(*a));
    return a;
}

static void att_put(struct batch *b, struct dnsb_att *a)
{
    a->spare = b->spare_att;
    b->spare_att = a;
}

/* ---- the in-flight list ---- */

static void list_del(struct batch *b, struct dnsb_item *it)
{
    if (!it->listed)
        return;
    if (it->prev)
        it->prev->next = it->next;
    else
        b->head = it->next;
    if (it->next)
        it->next->prev = it->prev;
    else
        b->tail = it->prev;
    it->prev = it->next = NULL;
    it->listed = false;
}

static void list_add_tail(struct batch *b, struct dnsb_item *it)
{
    list_del(b, it);
    it->prev = b->tail;
    it->next = NULL;
    if (b->tail)
        b->tail->next = it;
    else
        b->head = it;
    b->tail = it;
    it->listed = true;
}

/* ---- attempts and results ---- */

static void att_cb(void *arg, struct dns_result *res);

int batch_send_att(struct batch *b, struct dnsb_item *it)
{
    struct dnsb_att *a = att_get(b);
    if (!a)
        return nk_seterr(b->err, "out of memory");
    a->it = it;
    a->b = b;
    it->att[it->natt++] = a;
    it->sent++;
    it->sent_ms = now_ms(b);
    if (it->sent == 1)
        it->first_ms = it->sent_ms;
    a->sseq = it->sseq = ++b->sseq;
    list_add_tail(b, it);
    char err[NK_ERRLEN];
    if (dns_lookup(b->c->dns, it->ascii, it->type, att_cb, a, err) < 0) {
        it->natt--;
        att_put(b, a);
        return nk_seterr(b->err, "%s", err);
    }
    return 0;
}

/* Ask again for an item whose last attempt was lost. From then on it waits on its own timer,
 * outside the window: the window is for new names, and random loss does not starve them. */
static int resend(struct batch *b, struct dnsb_item *it)
{
    if (!it->retrying) {
        it->retrying = true;
        b->retrying++;
    }
    b->st.resent++;
    return batch_send_att(b, it);
}

/* Halve the window once per round of loss (losses of queries sent before the last cut are
 * the same event). */
static void on_loss(struct batch *b, uint64_t sseq)
{
    double floor = b->c->max_inflight < WIN_MIN ? b->c->max_inflight : WIN_MIN;
    if (sseq <= b->last_cut_sseq)
        return;
    b->ssthresh = b->cwnd / 2 > floor ? b->cwnd / 2 : floor;
    b->cwnd = b->ssthresh;
    b->last_cut_sseq = b->sseq;
}

void batch_complete(struct batch *b, struct dnsb_item *it, struct dns_result *res)
{
    it->res = *res;
    it->done = true;
    list_del(b, it);
    for (int i = 0; i < it->natt; i++) {
        it->att[i]->it = NULL;
        b->stale++;
    }
    it->natt = 0;
    b->st.inflight--;
    if (it->retrying) {
        it->retrying = false;
        b->retrying--;
    }
    if (res->status != DNS_S_NOERROR)
        b->st.failed++;
}

/* Answers from one server come back nearly in the order asked: an attempt still unanswered
 * when many sent after it have their answers was lost (a full receive buffer). Ask again now
 * rather than after a timeout, and halve the window. */
static void detect_loss(struct batch *b, uint64_t answered_sseq)
{
    b->in_pump = true;
    while (b->head && b->head->sseq + REORDER_SLACK < answered_sseq && !b->fail) {
        struct dnsb_item *h = b->head;
        if (h->sent >= DNSB_MAX_ATT) {
            list_del(b, h); /* c-ares' own timeout ends it */
            continue;
        }
        on_loss(b, h->sseq);
        if (resend(b, h) < 0)
            b->fail = 1;
    }
    b->in_pump = false;
}

/* An answer came back: grow the window, but only while it can help. When we read every
 * answer there was at least once a round, we wait for the server and more in flight keeps it
 * busier. When we never do, answers queue in our own socket faster than we handle them: more
 * in flight then adds only latency, cache misses and a longer queue at the server (whose
 * overflow is the loss that halves the window). */
static void grow(struct batch *b)
{
    uint64_t idle = dns_idle_reads(b->c->dns);
    if (idle != b->round_idle)
        b->waited = true;
    if (b->waited) {
        b->cwnd += b->cwnd < b->ssthresh ? 1.0 : 1.0 / b->cwnd;
        if (b->cwnd > b->c->max_inflight)
            b->cwnd = b->c->max_inflight;
    }
    if (--b->round_left <= 0) {
        b->round_left = b->cwnd;
        b->round_idle = idle;
        b->waited = false;
    }
}

static void att_cb(void *arg, struct dns_result *res)
{
    struct dnsb_att *a = arg;
    struct batch *b = a->b;
    struct dnsb_item *it = a->it;
    uint64_t sseq = a->sseq;
    if (!it) {
        att_put(b, a);
        dns_result_free(res);
        b->stale--;
        return;
    }
    for (int i = 0; i < it->natt; i++)
        if (it->att[i] == a) {
            it->att[i] = it->att[--it->natt];
            break;
        }
    att_put(b, a);
    if (res->status == DNS_S_TIMEOUT && it->natt > 0 && !b->deadline_hit) {
        dns_result_free(res); /* another attempt may still be answered */
        return;
    }
    if (res->status == DNS_S_TIMEOUT && !b->deadline_hit) {
        on_loss(b, it->sseq);
    } else if (res->status != DNS_S_TIMEOUT) {
        /* Karn: only a lookup asked once measures the round trip. */
        if (it->sent == 1) {
            double rtt = res->time_ms;
            if (!b->have_rtt) {
                b->srtt = rtt;
                b->rttvar = rtt / 2;
                b->have_rtt = true;
            } else {
                double dv = rtt > b->srtt ? rtt - b->srtt : b->srtt - rtt;
                b->rttvar = 0.75 * b->rttvar + 0.25 * dv;
                b->srtt = 0.875 * b->srtt + 0.125 * rtt;
            }
        }
        grow(b);
    }
    bool answered = res->status != DNS_S_TIMEOUT;
    batch_complete(b, it, res);
    if (!b->in_pump) {
        if (answered)
            detect_loss(b, sseq);
        batch_pump(b);
    }
}

/* ---- the hedging timer ---- */

static uint64_t rto_ms(struct batch *b)
{
    uint64_t cap = b->c->retry_ms ? b->c->retry_ms : 1000;
    if (!b->have_rtt)
        return cap;
    double rto = 2 * b->srtt + 4 * b->rttvar;
    if (rto < RTO_MIN_MS)
        rto = RTO_MIN_MS;
    return rto > (double)cap ? cap : (uint64_t)rto;
}

/* A lookup asked again ends, as TIMEOUT, when its first attempt is cfg->lookup_ms old: hedged
 * attempts never make a name wait longer than tries x timeout (a server that stopped
 * answering ends the batch as a dead one does). Looked for every few ticks, over the reorder
 * window (bounded), since the in-flight list is ordered by the last attempt. */
static void expire(struct batch *b, uint64_t now)
{
    uint64_t lim = b->c->lookup_ms;
    if (!lim || now - b->expire_ms < 20)
        return;
    b->expire_ms = now;
    for (uint64_t q = b->next_emit; q < b->next_seq && !b->fail; q++) {
        struct dnsb_item *it = b->ring[q & (b->rsize - 1)];
        if (!it || it->done || it->natt == 0 || now - it->first_ms < lim)
            continue;
        struct dns_result r = {0};
        r.status = DNS_S_TIMEOUT;
        r.time_ms = (double)(now - it->first_ms);
        batch_complete(b, it, &r);
    }
}

/* Ask again what is overdue. Only once the server has answered something (a silent server is
 * c-ares' timeout's business, not a reason to multiply queries), and with the wait doubling
 * for each attempt already made. */
void batch_hedge_fn(struct loop *l, struct loop_timer *t)
{
    struct batch *b = t->arg;
    uint64_t now = now_ms(b), rto = rto_ms(b);
    b->in_pump = true;
    struct dnsb_item *it = b->have_rtt ? b->head : NULL;
    /* The list is ordered by last attempt: past the first item not yet rto old, none is due. */
    while (it && now - it->sent_ms >= rto && !b->fail) {
        struct dnsb_item *next = it->next;
        if (it->sent >= DNSB_MAX_ATT || it->natt == 0) {
            list_del(b, it); /* c-ares' own timeout ends it now */
        } else if (now - it->sent_ms >= rto << (it->sent > 1 ? 1 : 0)) {
            /* The wait doubles once, not per attempt: under steady random loss a backoff
             * per attempt would hold lost names for seconds (the window, not the timers,
             * answers congestion). */
            on_loss(b, it->sseq);
            if (resend(b, it) < 0) /* moves it to the tail */
                b->fail = 1;
        }
        it = next;
    }
    expire(b, now);
    b->in_pump = false;
    if (b->st.inflight > 0)
        loop_timer_set(l, t, HEDGE_TICK_MS);
    batch_pump(b);
}
