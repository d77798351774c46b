/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msg.h - diagnostics on stderr in one shape: "netkit COMMAND: WHAT: WHY" (lowercase, no full
 * stop). Only main.c and cmd_*.c call these; modules fill an error buffer instead. */
#ifndef NK_MSG_H
#define NK_MSG_H

/* "netkit CMD: ..." on stderr. cmd may be NULL for messages about netkit itself. */
void nk_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A usage error: the message, then "Try 'netkit CMD --help'."; returns NK_USAGE (2). */
int nk_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
