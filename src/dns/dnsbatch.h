/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsbatch.h - many lookups at once on one c-ares channel, results in input order.
 *
 * Names come from argv or are streamed from a descriptor (never read whole: memory stays flat
 * for any input size). Up to `window` lookups are in flight, where the window adapts to loss
 * like TCP's: it grows while answers come back and we wait for them (not while answers queue
 * unread in our socket: more in flight would only add delay) and halves when one is lost,
 * never below a floor (steady random loss must not starve it). A lookup whose answer is later
 * than the RTO computed from the measured round trip (TCP's 2*srtt + 4*rttvar) is asked again,
 * and from then on waits on its own timer outside the window, so a dropped datagram costs a
 * few round trips, not a c-ares timeout, and loss costs retries, not throughput. A lookup
 * still unanswered cfg->lookup_ms after its first attempt ends as TIMEOUT. Finished lookups wait in
 * a bounded reorder window and are handed to the caller in input order.
 */
#ifndef NK_DNSBATCH_H
#define NK_DNSBATCH_H

#include <stdbool.h>
#include <stdint.h>
#include "dns/dns.h"
#include "dns/dnsargs.h"
#include "lib/loop.h"

/* Attempts per lookup at most: the first and its retries (at 50 % loss, one name in 4096 loses
 * them all and waits for c-ares' own timeout). */
#define DNSB_MAX_ATT 12

/* One lookup as handed to the caller. */
struct dnsb_item {
    uint64_t seq;      /* position in the input (0-based) */
    char *query;       /* the name or address as given */
    char *ascii;       /* what is asked: punycode or reverse name (internal; in query's block) */
    int type;          /* record type asked; 0 = address mode */
    bool reverse;      /* an address given in address mode: a PTR lookup */
    bool bad;          /* bad input (res.error says why); nothing was asked */
    bool done;         /* finished (internal) */
    int natt;          /* attempts in flight (internal) */
    int sent;          /* attempts made (internal) */
    uint64_t sent_ms;  /* last attempt's start (internal) */
    uint64_t first_ms; /* first attempt's start (internal) */
    bool retrying;     /* asked again: waits outside the window (internal) */
    uint64_t sseq;     /* last attempt's send number (internal) */
    struct dnsb_item *prev, *next;      /* in-flight list, oldest first (internal) */
    bool listed;                        /* on that list (internal) */
    struct dnsb_att *att[DNSB_MAX_ATT]; /* attempts in flight (internal) */
    struct dns_result res;              /* the outcome */
};

/* Running totals, for the progress line and the exit status. */
struct dnsb_stats {
    uint64_t started;  /* lookups started */
    uint64_t done;     /* lookups handed to the caller */
    uint64_t failed;   /* ... that ended without an answer */
    uint64_t bad;      /* ... that were bad input */
    uint64_t resent;   /* hedged retries */
    unsigned inflight; /* lookups in flight now */
    unsigned window;   /* the adaptive window now */
    uint64_t t0_ms;    /* start */
    bool interrupted;  /* an interrupt (loop_interrupt_all: Ctrl-C) ended the run early */
};

/* The line splitter of `resolve -f` (no I/O: the batch reads into it; unit tests and the
 * fuzzer feed it directly). A line too long to be a name (DNSB_LINE_MAX) or holding a NUL byte
 * is reported as a bad line naming its number, and the lines after it are still read. */
#define DNSB_LINE_MAX 4096
struct dnsb_lines {
    char buf[DNSB_LINE_MAX + 1]; /* bytes not yet returned (and a NUL's room) */
    size_t start, len;           /* returned up to start; valid up to len */
    uint64_t lineno;             /* lines returned so far */
    bool eof;                    /* no more bytes will come */
    bool skipping;               /* inside an overlong line: dropping bytes up to its end */
    char head[64];               /* an overlong line's first bytes, for its report */
};
/* Where the next bytes go: at most *room of them (never 0 while a line is incomplete); then
 * dnsb_lines_added(n), or dnsb_lines_added(0) at the end of input. */
char *dnsb_lines_space(struct dnsb_lines *r, size_t *room);
void dnsb_lines_added(struct dnsb_lines *r, size_t n);
/* The next line: 1 (in *line, NUL-terminated, valid until the next call), 2 (a bad line:
 * *line holds what can be shown of it, err says why), 0 (more bytes needed), -1 (the end). */
int dnsb_lines_next(struct dnsb_lines *r, char **line, char err[NK_ERRLEN]);

typedef void (*dnsb_emit_fn)(void *arg, const struct dnsb_item *it);
typedef void (*dnsb_progress_fn)(void *arg, const struct dnsb_stats *st, bool last);

/* What to run. */
struct dnsb_cfg {
    struct dns *dns;                 /* the channel */
    struct loop *loop;               /* its loop */
    const int *types;                /* types per name; NULL/0: address mode (addresses get PTR) */
    int ntypes;                      /* how many */
    char *const *names;              /* positional names, or NULL to read lines from fd */
    int nnames;                      /* how many */
    const struct dns_query *queries; /* NULL, or one per name: the types given after it
                                        (dig's word order) and -x; names[i] is its name */
    int fd;                          /* -1, or the descriptor to read names from, one per line */
    unsigned max_inflight;           /* -c: the window never exceeds it */
    uint64_t deadline_ms;      /* 0, or the whole run's limit: pending lookups end as TIMEOUT */
    uint64_t retry_ms;         /* hedged retries never wait longer than this (timeout / 2) */
    uint64_t lookup_ms;        /* 0, or a name asked again ends as TIMEOUT this long after its
                                  first attempt (tries x timeout x servers) */
    dnsb_emit_fn emit;         /* each result, in input order */
    dnsb_progress_fn progress; /* NULL, or called a few times a second and at the end */
    void *arg;                 /* for emit and progress */
};

/* The names a regular file holds from its current offset on (lines that are not blank and not
 * comments, counted as the batch reads them), without moving the offset: 0 with *n, or -1 (not
 * a regular file, or a read error) when the count is unknown. */
int dnsb_count_names(int fd, uint64_t *n);

/* Run the whole batch on cfg->loop. 0, or -1 with err (reading the input failed, out of
 * memory, or "interrupted" with st->interrupted: loop_interrupt_all stopped the loop); results
 * already emitted stay emitted. *st gets the totals. */
int dnsb_run(const struct dnsb_cfg *cfg, struct dnsb_stats *st, char err[NK_ERRLEN]);

#endif
