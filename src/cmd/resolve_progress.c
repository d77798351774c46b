/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resolve_progress.c - the progress line, streaming and summary of `resolve -f` (see
 * resolve_progress.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/msg.h"
#include "cmd/resolve_progress.h"

#define CMD "resolve"

static void flush_fn(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct resolve_progress *rp = t->arg;
    fflush(stdout); /* a result reaches a pipe when it is ready, not when a buffer fills */
    progress_redraw(&rp->line);
}

void resolve_progress_start(struct resolve_progress *rp, struct loop *l, int fd, int ntypes,
                            bool verbose)
{
    memset(rp, 0, sizeof(*rp));
    rp->loop = l;
    rp->ntypes = ntypes;
    rp->verbose = verbose;
    rp->flush = (struct loop_timer){.fn = flush_fn, .arg = rp};
    uint64_t names;
    progress_start(&rp->line);
    if (rp->line.on && dnsb_count_names(fd, &names) == 0)
        rp->total = names * (uint64_t)(ntypes > 1 ? ntypes : 1);
}

/* "names" (n of them), or "queries" when each name is asked several types. */
static const char *unit(const struct resolve_progress *rp, uint64_t n)
{
    if (rp->ntypes > 1)
        return n == 1 ? "query" : "queries";
    return n == 1 ? "name" : "names";
}

void resolve_progress_tick(struct resolve_progress *rp, const struct dnsb_stats *st, bool last)
{
    if (last || !rp->line.on)
        return;
    double s = progress_secs(&rp->line), rate = s > 0 ? (double)st->done / s : 0;
    char left[48];
    if (rp->total) {
        uint64_t done = st->done < rp->total ? st->done : rp->total;
        progress_show(
            &rp->line, "%llu/%llu %s (%.0f%%), %.0f/s, %llu failed%s%s", (unsigned long long)done,
            (unsigned long long)rp->total, unit(rp, rp->total),
            100.0 * (double)done / (double)rp->total, rate, (unsigned long long)st->failed,
            st->done ? ", " : "",
            progress_left(left, sizeof(left), progress_eta((double)done, (double)rp->total, s)));
    } else {
        progress_show(&rp->line, "%llu %s, %.0f/s, %llu failed, %u in flight",
                      (unsigned long long)st->done, unit(rp, st->done), rate,
                      (unsigned long long)st->failed, st->inflight);
    }
}

void resolve_progress_result(struct resolve_progress *rp, bool answered)
{
    if (answered)
        rp->answered++;
    else
        rp->failed++;
    progress_hide(&rp->line); /* the result goes where the line was; it is drawn again below */
    if (!rp->flush.slot)
        loop_timer_set(rp->loop, &rp->flush, 0);
}

void resolve_progress_end(struct resolve_progress *rp, const struct dnsb_stats *st)
{
    loop_timer_cancel(rp->loop, &rp->flush);
    fflush(stdout);
    bool tty = rp->line.on;
    double s = progress_secs(&rp->line);
    progress_end(&rp->line);
    /* Scripts read stderr for errors: the summary is for a person at a terminal (or -v). */
    if (!tty && !rp->verbose)
        return;
    char took[32], of[48] = "", more[128] = "";
    uint64_t n = rp->answered + rp->failed, said = st->interrupted && rp->total ? rp->total : n;
    if (st->interrupted && rp->total)
        snprintf(of, sizeof(of), " of %llu", (unsigned long long)rp->total);
    if (rp->verbose)
        snprintf(more, sizeof(more), " (%.0f/s, %llu retried, window %u)",
                 s > 0 ? (double)st->done / s : 0.0, (unsigned long long)st->resent, st->window);
    nk_err(CMD, "%s%llu%s %s: %llu answered, %llu failed, in %s%s",
           st->interrupted ? "interrupted after " : "", (unsigned long long)n, of, unit(rp, said),
           (unsigned long long)rp->answered, (unsigned long long)rp->failed,
           progress_duration(took, sizeof(took), s), more);
}
