/* SPDX-License-Identifier: GPL-3.0-or-later */
/* watch.h - the one refresh loop of the live views (`ports --watch`, `ifaces -s --watch`).
 *
 * watch_run calls the view's refresh, waits the interval, and again, until Ctrl-C (lib/sig.h's
 * interrupt path: the wait is a poll on loop_interrupt_fd, so the key ends it at once). A
 * refresh gathers its data, then calls watch_begin, prints, and calls watch_end:
 *   - text on a terminal: the screen is cleared and the view redrawn in place;
 *   - text elsewhere (a pipe, a file): timestamped blocks, one blank line between them;
 *   - JSON: no header, nothing cleared: the view prints NDJSON events with w->when as "time".
 * Ctrl-C is how a watch ends: it is no failure. */
#ifndef NK_WATCH_H
#define NK_WATCH_H

#include <stdbool.h>

/* One watch, as a refresh sees it. */
struct watch {
    int every;     /* seconds between refreshes */
    bool json;     /* NDJSON events rather than text */
    bool tty;      /* text to a terminal: redraw in place */
    unsigned n;    /* refreshes done before this one (0: the first) */
    char when[40]; /* this refresh's time (watch_begin), ISO 8601 with the zone */
};

/* One refresh: NK_OK to go on, else the status to end the watch with (message printed). */
typedef int (*watch_fn)(struct watch *w, void *arg);

/* Refresh every `every` seconds until Ctrl-C or a refresh fails; the status (0 after Ctrl-C). */
int watch_run(int every, bool json, watch_fn refresh, void *arg);

/* Start printing a refresh: note the time in w->when; in text, clear the screen (on a
 * terminal) and print "WHEN  every S s", then fmt (if not NULL) and a newline. */
void watch_begin(struct watch *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* End it: a blank line after a block that is not redrawn in place; flush stdout. */
void watch_end(const struct watch *w);

#endif
