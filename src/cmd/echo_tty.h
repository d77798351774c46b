/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_tty.h - echo-connect's interactive session on a terminal: GNU readline's callback
 * interface and one poll over the terminal, the socket, a signalfd (SIGWINCH) and the interrupt
 * descriptor (Ctrl-C, lib/sig.h), so an echo or a server message arriving while the user types is
 * printed above the line being edited, never into it. The session keeps its own history.
 *
 * This is the command's terminal front end (called only by cmd_echo_connect.c): it writes the
 * echoes to stdout itself, but reports failures through err like any module. */
#ifndef NK_ECHO_TTY_H
#define NK_ECHO_TTY_H

#include <stdbool.h>

#include "lib/nk.h"

/* How the session runs. */
struct echo_tty_opts {
    int sock;                 /* connected socket (non-blocking) */
    bool dgram;               /* UDP: a datagram per line */
    const char *prompt;       /* "host:port> " */
    const char *history_path; /* history file (its directories are created); NULL for none */
    int timeout_ms;           /* UDP reply timeout, and the wait for the echo after Ctrl-D */
    bool color;               /* dim the round-trip times */
};

/* Run until Ctrl-D (0 once the rest of the echo is back) or until the server goes away or the
 * echo cannot be completed (-1 with err: "connection closed by server", ...). */
int echo_tty_run(const struct echo_tty_opts *o, char err[NK_ERRLEN]);

/* The session's own history file, apart from the shell's: what is typed here is payload. */
#define ECHO_TTY_HISTORY "echo-history"

#endif
