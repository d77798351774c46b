/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsbatch.c - the batch engine: input, adaptive in-flight window, hedged retries, reorder. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "dns/dnsbatch.h"
#include "dns/dnsname.h"

/* The window starts here (or at -c if smaller): about where one server on loopback peaks. */
#define WIN_INIT 64
/* ... and never shrinks below this (or -c): random loss cuts the window again and again, and a
 * floor of a few round trips' worth keeps the pipe full while lost queries are asked again on
 * their own timers (outside the window). */
#define WIN_MIN 32
/* Results held for reordering, at most: lookups behind a slow one wait here, not in memory. */
#define REORDER_MIN 4096
/* How often the hedging timer looks for late answers, and the shortest retry wait. */
#define HEDGE_TICK_MS 2
#define RTO_MIN_MS    30
/* An attempt is taken for lost once this many attempts sent after it were answered (one
 * server answers nearly in order; a few worker threads reorder a little). */
#define REORDER_SLACK 32

/* One attempt (a dns_lookup) of an item; outlives the item if the item finished first. */
struct dnsb_att {
    struct dnsb_item *it;   /* NULL once the item is done: the answer is then ignored */
    uint64_t sseq;          /* its send number */
    struct batch *b;        /* the batch */
    struct dnsb_att *spare; /* in batch.spare_att */
};

/* Names read from a descriptor, one per line. */
struct reader {
    int fd;                /* the input */
    struct dnsb_lines *ln; /* its lines */
    bool unpollable;       /* a regular file: epoll refuses it, reads never wait */
    bool waiting;          /* io is registered for EPOLLIN */
    struct loop_io io;     /* readiness of fd */
};

struct batch {
    const struct dnsb_cfg *c;      /* what to run */
    struct dnsb_stats st;          /* totals */
    struct dnsb_item **ring;       /* reorder window, by seq % rsize */
    size_t rsize;                  /* its size (a power of two) */
    uint64_t next_seq;             /* next item's seq */
    uint64_t next_emit;            /* next seq to hand over */
    struct dnsb_item *head, *tail; /* items in flight, by last attempt's start */
    double cwnd;                   /* the adaptive window */
    double ssthresh;               /* above it the window grows slowly */
    double round_left;             /* answers left in this round (one window's worth) */
    uint64_t round_idle;           /* dns_idle_reads at the start of the round */
    bool waited;                   /* this round, we caught up with the server at least once */
    uint64_t last_cut_sseq;        /* send number when the window was last halved */
    uint64_t sseq;                 /* attempts sent so far */
    double srtt, rttvar;           /* smoothed round trip and its variation (ms) */
    unsigned retrying;             /* items in flight asked again: outside the window */
    uint64_t expire_ms;            /* when lookups past cfg->lookup_ms were last looked for */
    bool have_rtt;                 /* srtt holds a measurement */
    uint64_t stale;                /* attempts whose item finished first */
    int argi;                      /* next positional name */
    struct reader rd;              /* or the input descriptor */
    char name[DNSB_LINE_MAX + 1];  /* the current input name */
    char ascii[DNS_NAME_BUF + 80]; /* what is asked for it */
    char name_err[NK_ERRLEN];      /* why it is bad, "" if it is not */
    bool name_reverse;             /* it is an address: PTR */
    const int *types;              /* the types it is asked for (cfg's, or its own) */
    int ntypes;                    /* how many (0: address mode) */
    bool line_bad;                 /* a bad input line: one result, whatever the types */
    int type_idx;                  /* next type for it; -1: need a new name */
    bool input_done;               /* no more names */
    bool in_pump;                  /* pump is running: callbacks must not re-enter it */
    bool finishing;                /* the last result was handed over */
    bool deadline_hit;             /* the overall deadline passed */
    int fail;                      /* reading failed or out of memory: stop */
    char err[NK_ERRLEN];           /* why */
    struct loop_timer hedge;       /* looks for late answers */
    struct loop_timer prog;        /* progress callback */
    struct loop_timer deadline;    /* overall deadline */
    struct loop_timer fin;         /* ends the run outside any c-ares callback */
    /* Items and attempts for reuse: a batch frees and allocates one of each per answer. */
    struct dnsb_item *spare_item; /* linked through next */
    struct dnsb_att *spare_att;   /* linked through spare */
};

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

/* An item's strings (query and ascii share one block) and the item itself, kept for reuse. */
static void item_put(struct batch *b, struct dnsb_item *it)
{
    dns_result_free(&it->res);
    free(it->query);
    it->next = b->spare_item;
    b->spare_item = it;
}

static void pump(struct batch *b);

static uint64_t now_ms(struct batch *b)
{
    loop_update_time(b->c->loop);
    return loop_now_ms(b->c->loop);
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

/* ---- input ---- */

static int reader_fill(struct batch *b);

static void reader_io(struct loop *l, struct loop_io *io, uint32_t ev)
{
    (void)l;
    (void)ev;
    struct batch *b = io->arg;
    struct reader *r = &b->rd;
    loop_io_del(b->c->loop, &r->io);
    r->waiting = false;
    if (reader_fill(b) < 0) /* ready: this read does not block */
        b->fail = 1;
    pump(b);
}

/* ---- the line splitter ---- */

char *dnsb_lines_space(struct dnsb_lines *r, size_t *room)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
    }
    if (r->len == DNSB_LINE_MAX) { /* no newline in a whole buffer: an overlong line */
        if (!r->skipping) {
            size_t h = sizeof(r->head) - 4;
            memcpy(r->head, r->buf, h);
            memcpy(r->head + h, "\xe2\x80\xa6", 4); /* "…" and its NUL */
            r->skipping = true;
        }
        r->len = 0;
    }
    *room = DNSB_LINE_MAX - r->len;
    return r->buf + r->len;
}

void dnsb_lines_added(struct dnsb_lines *r, size_t n)
{
    if (n == 0)
        r->eof = true;
    r->len += n;
}

int dnsb_lines_next(struct dnsb_lines *r, char **line, char err[NK_ERRLEN])
{
    char *s = r->buf + r->start;
    char *nl = memchr(s, '\n', r->len - r->start);
    if (!nl && !(r->eof && (r->start < r->len || r->skipping)))
        return r->eof ? -1 : 0;
    size_t l = nl ? (size_t)(nl - s) : r->len - r->start;
    s[l] = '\0'; /* buf has one spare byte beyond DNSB_LINE_MAX for this */
    r->start += l + (nl ? 1 : 0);
    r->lineno++;
    *line = s;
    if (r->skipping) {
        r->skipping = false;
        *line = r->head;
        nk_seterr(err, "line %llu: longer than %d bytes", (unsigned long long)r->lineno,
                  DNSB_LINE_MAX);
        return 2;
    }
    if (strlen(s) != l) {
        nk_seterr(err, "line %llu: contains a NUL byte", (unsigned long long)r->lineno);
        return 2;
    }
    return 1;
}

/* ---- input ---- */

/* Read once into the splitter. 0, or -1 with b->err. */
static int reader_fill(struct batch *b)
{
    struct reader *r = &b->rd;
    size_t room;
    char *p = dnsb_lines_space(r->ln, &room);
    ssize_t n;
    do
        n = read(r->fd, p, room);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        nk_seterr(b->err, "reading names: %s", nk_strerror(errno));
        return -1;
    }
    dnsb_lines_added(r->ln, (size_t)n);
    return 0;
}

/* The next raw line: 1 (in *line, valid until the next call), 2 (a bad line, b->name_err says
 * why), 0 (wait for input), -1 (end), -2 (error). */
static int reader_line(struct batch *b, char **line)
{
    struct reader *r = &b->rd;
    for (;;) {
        int rc = dnsb_lines_next(r->ln, line, b->name_err);
        if (rc != 0)
            return rc;
        if (!r->unpollable) {
            if (r->waiting)
                return 0;
            r->io.fd = r->fd;
            r->io.fn = reader_io;
            r->io.arg = b;
            if (loop_io_add(b->c->loop, &r->io, EPOLLIN) == 0) {
                r->waiting = true;
                return 0;
            }
            if (errno != EPERM) {
                nk_seterr(b->err, "reading names: %s", nk_strerror(errno));
                return -2;
            }
            r->unpollable = true; /* a regular file: just read it */
        }
        if (reader_fill(b) < 0)
            return -2;
    }
}

/* Load the next name into b->name: 1, 0 (wait), -1 (end), -2 (error). */
static int next_name(struct batch *b)
{
    const struct dnsb_cfg *c = b->c;
    char *line;
    if (c->names) {
        if (b->argi >= c->nnames)
            return -1;
        line = c->names[b->argi++];
    } else {
        for (;;) {
            int rc = reader_line(b, &line);
            if (rc == 2) { /* reported as a bad item of its own; the lines after it go on */
                snprintf(b->name, sizeof(b->name), "%s", line);
                b->name_reverse = false;
                b->line_bad = true;
                b->types = c->types;
                b->ntypes = c->ntypes;
                b->ascii[0] = '\0';
                return 1;
            }
            if (rc <= 0)
                return rc;
            while (isspace((unsigned char)*line))
                line++;
            size_t l = strlen(line);
            while (l > 0 && isspace((unsigned char)line[l - 1]))
                line[--l] = '\0';
            if (l > 0 && line[0] != '#') /* blank lines and comments are skipped */
                break;
        }
    }
    size_t nl = strnlen(line, sizeof(b->name) - 1);
    memcpy(b->name, line, nl);
    b->name[nl] = '\0';
    b->name_err[0] = '\0';
    b->name_reverse = false;
    b->line_bad = false;
    b->types = c->types;
    b->ntypes = c->ntypes;
    /* dig's word order: types given after this name, or -x (its PTR, or those types). */
    const struct dns_query *q = c->names && c->queries ? &c->queries[b->argi - 1] : NULL;
    if (q && q->ntypes) {
        b->types = q->types;
        b->ntypes = q->ntypes;
    }
    if (q && q->reverse) {
        if (!dns_reverse_name(b->name, b->ascii, sizeof(b->ascii)))
            snprintf(b->name_err, sizeof(b->name_err), "-x '%.64s': not an IP address", b->name);
        b->name_reverse = q->ntypes == 0;
        return 1;
    }
    if (b->ntypes == 0 && dns_reverse_name(b->name, b->ascii, sizeof(b->ascii)))
        b->name_reverse = true;
    else if (dns_name_to_ascii(b->name, b->ascii, b->name_err) < 0)
        b->ascii[0] = '\0';
    return 1;
}

/* ---- attempts and results ---- */

static void att_cb(void *arg, struct dns_result *res);

static int send_att(struct batch *b, struct dnsb_item *it)
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
    return send_att(b, it);
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

static void complete(struct batch *b, struct dnsb_item *it, struct dns_result *res)
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
    complete(b, it, res);
    if (!b->in_pump) {
        if (answered)
            detect_loss(b, sseq);
        pump(b);
    }
}

/* ---- timers ---- */

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
        complete(b, it, &r);
    }
}

/* Ask again what is overdue. Only once the server has answered something (a silent server is
 * c-ares' timeout's business, not a reason to multiply queries), and with the wait doubling
 * for each attempt already made. */
static void hedge_fn(struct loop *l, struct loop_timer *t)
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
    pump(b);
}

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
    pump(b);
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
        complete(b, it, &r);
        return 0;
    }
    if (send_att(b, it) < 0) {
        struct dns_result r = {0};
        r.status = DNS_S_ERROR;
        snprintf(r.error, sizeof(r.error), "%s", b->err);
        complete(b, it, &r);
        return -1;
    }
    if (!b->hedge.slot)
        loop_timer_set(c->loop, &b->hedge, HEDGE_TICK_MS);
    return 0;
}

static void pump(struct batch *b)
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
            int rc = next_name(b);
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
    b->hedge = (struct loop_timer){.fn = hedge_fn, .arg = b};
    b->prog = (struct loop_timer){.fn = prog_fn, .arg = b};
    b->deadline = (struct loop_timer){.fn = deadline_fn, .arg = b};
    b->fin = (struct loop_timer){.fn = fin_fn, .arg = b};
    if (cfg->deadline_ms)
        loop_timer_set(cfg->loop, &b->deadline, cfg->deadline_ms);
    if (cfg->progress)
        loop_timer_set(cfg->loop, &b->prog, 200);
    pump(b);
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

int dnsb_count_names(int fd, uint64_t *n)
{
    struct stat sb;
    off_t off = lseek(fd, 0, SEEK_CUR);
    if (off < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
        return -1;
    char buf[65536];
    bool start = true, named = false; /* at a line's start; the line has a name */
    uint64_t count = 0;
    for (;;) {
        ssize_t r = pread(fd, buf, sizeof(buf), off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        for (ssize_t i = 0; i < r; i++) {
            unsigned char c = (unsigned char)buf[i];
            if (c == '\n') {
                count += named;
                start = true;
                named = false;
            } else if (start && !isspace(c)) {
                named = c != '#';
                start = false;
            }
        }
        off += r;
    }
    *n = count + named;
    return 0;
}
