/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msg.h - diagnostics on stderr in one shape: "netkit COMMAND: WHAT: WHY" (lowercase, no full
 * stop), and the stdout check after a command. Only main.c, cli/ and cmd/ call these; modules
 * fill an error buffer instead. */
#ifndef NK_MSG_H
#define NK_MSG_H

#include <stdbool.h>

/* "netkit CMD: ..." on stderr. cmd may be NULL for messages about netkit itself. */
void nk_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A usage error: the message, then "Try 'netkit CMD --help'."; returns NK_USAGE (2). */
int nk_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* On: a shell runs (interactive or batch), and usage hints read "Try 'help CMD'." (what the
 * shell takes) in place of "Try 'netkit CMD --help'.". */
void nk_msg_shell(bool on);

/* After a command (git's run_builtin, toybox's xexit): check that stdout flushed, so
 * `netkit ports > /dev/full` fails; returns the status to use. main calls it once at the end,
 * the shell and batch mode after every line. */
int nk_finish(const char *cmd, int status);

#endif
