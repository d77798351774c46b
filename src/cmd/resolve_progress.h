/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resolve_progress.h - what `resolve -f` says while and after it runs: the progress line (done
 * of total when the input is a regular file, the rate, the failures, the time left), results
 * streamed as they come (stdout flushed once per loop iteration, pipe or not), and the summary
 * line at the end. Used by resolve.c only. */
#ifndef NK_RESOLVE_PROGRESS_H
#define NK_RESOLVE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/progress.h"
#include "dns/dnsbatch.h"
#include "lib/loop.h"

struct resolve_progress {
    struct progress line;    /* on stderr, when it is a terminal */
    struct loop *loop;       /* the batch's */
    struct loop_timer flush; /* armed by a result: flush stdout, redraw the line */
    uint64_t total;          /* queries the input holds; 0 when unknown (a pipe) */
    int ntypes;              /* types per name (-t), 0 for address mode */
    uint64_t answered;       /* results written that had an answer */
    uint64_t failed;         /* results written that had none (bad names included) */
    bool verbose;            /* -v: the summary always, with the details */
};

/* Before the batch: fd is the input (its names are counted when it is a regular file). */
void resolve_progress_start(struct resolve_progress *rp, struct loop *l, int fd, int ntypes,
                            bool verbose);
/* The batch's progress callback (dnsb_progress_fn's arguments). */
void resolve_progress_tick(struct resolve_progress *rp, const struct dnsb_stats *st, bool last);
/* Before a result is written to stdout (answered: its status is NOERROR). */
void resolve_progress_result(struct resolve_progress *rp, bool answered);
/* After the batch: the line cleared, and the summary on stderr (on a terminal, or with -v):
 * "500 names: 480 answered, 20 failed, in 3.2 s". */
void resolve_progress_end(struct resolve_progress *rp, const struct dnsb_stats *st);

#endif
