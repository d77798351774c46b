/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msg.c - diagnostics on stderr, and the check that stdout was written. */
#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/msg.h"
#include "cli/out.h"
#include "cli/progress.h"
#include "lib/err.h"
#include "lib/nk.h"

__attribute__((format(printf, 2, 0))) static void vmsg(const char *cmd, const char *fmt, va_list ap)
{
    /* One buffer, one write: lines from threads or a progress line never interleave mid-line. */
    char line[1024], *what = NULL;
    int n = cmd ? snprintf(line, sizeof(line), "netkit %s: ", cmd)
                : snprintf(line, sizeof(line), "netkit: ");
    if (n < 0 || (size_t)n >= sizeof(line))
        n = 0;
    if (vasprintf(&what, fmt, ap) >= 0) {
        nk_fit(line + n, sizeof(line) - (size_t)n, what); /* a long value, not the reason, is cut */
        free(what);
    } else {
        line[n] = '\0';
    }
    /* A value from the user or the network never reaches the terminal raw (out_escape). */
    char shown[4 * sizeof(line)];
    out_escape(shown, sizeof(shown), line, strlen(line), true);
    struct progress *pl = progress_active(); /* a progress line stays below the messages */
    if (pl)
        progress_hide(pl);
    fprintf(stderr, "%s\n", shown);
    if (pl)
        progress_redraw(pl);
}

void nk_err(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(cmd, fmt, ap);
    va_end(ap);
}

/* Inside the shell (interactive or batch), hints name what its language takes. */
static bool in_shell;

void nk_msg_shell(bool on)
{
    in_shell = on;
}

int nk_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(cmd, fmt, ap);
    va_end(ap);
    if (in_shell)
        fprintf(stderr, "Try 'help%s%s'.\n", cmd ? " " : "", cmd ? cmd : "");
    else if (cmd)
        fprintf(stderr, "Try 'netkit %s --help'.\n", cmd);
    else
        fprintf(stderr, "Try 'netkit --help'.\n");
    return NK_USAGE;
}

int nk_finish(const char *cmd, int status)
{
    int rc;
    while ((rc = fflush(stdout)) != 0 && errno == EINTR) /* Ctrl-C mid-write: not a failure */
        clearerr(stdout);
    if (rc == 0 && !ferror(stdout))
        return status;
    if (errno != EPIPE) /* a reader that left (| head) needs no message */
        nk_err(cmd, "write error on standard output: %s", nk_strerror(errno));
    clearerr(stdout);
    return status ? status : NK_FAIL;
}
