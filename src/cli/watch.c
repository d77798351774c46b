/* SPDX-License-Identifier: GPL-3.0-or-later */
/* watch.c - the refresh loop of the live views (see watch.h). */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli/watch.h"
#include "lib/loop.h"
#include "lib/nk.h"
#include "lib/sig.h"

int watch_run(int every, bool json, watch_fn refresh, void *arg)
{
    struct watch w = {.every = every, .json = json, .tty = !json && isatty(STDOUT_FILENO)};
    int status = NK_OK;
    int ifd = loop_interrupt_fd();
    struct nk_sig_saved sig;
    nk_sig_install(false, &sig);
    while (!loop_interrupted()) {
        status = refresh(&w, arg);
        if (status != NK_OK)
            break;
        w.n++;
        struct pollfd pf = {.fd = ifd, .events = POLLIN};
        if (poll(&pf, ifd >= 0 ? 1 : 0, every * 1000) != 0)
            break; /* Ctrl-C (or a failed poll) */
    }
    nk_sig_restore(&sig);
    return status; /* Ctrl-C is how a watch ends: status 0 */
}

void watch_begin(struct watch *w, const char *fmt, ...)
{
    time_t t = time(NULL);
    struct tm tm;
    strftime(w->when, sizeof(w->when), "%Y-%m-%dT%H:%M:%S%z", localtime_r(&t, &tm));
    if (w->json)
        return;
    if (w->tty)
        fputs("\033[H\033[2J", stdout); /* redraw in place */
    printf("%s  every %d s", w->when, w->every);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    putchar('\n');
    fflush(stdout);
}

void watch_end(const struct watch *w)
{
    if (!w->tty && !w->json)
        putchar('\n');
    fflush(stdout);
}
