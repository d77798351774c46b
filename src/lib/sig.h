/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sig.h - the one interrupt path: SIGINT (and SIGTERM where a command asks for it) wakes every
 * event loop through loop_interrupt_all. Loops then return EINTR, code that polls descriptors
 * itself sees loop_interrupt_fd become readable, and each caller gives up its work and reports
 * what it has. Nothing polls a flag on a timer.
 *
 * A command catches the signals around the work that can be interrupted and restores what was
 * there before; the shell catches SIGINT for its whole session with the same handler, so the two
 * nest (a command inside the shell re-installs the handler that is already there). */
#ifndef NK_SIG_H
#define NK_SIG_H

#include <signal.h>
#include <stdbool.h>

/* The dispositions nk_sig_install replaced, for nk_sig_restore. */
struct nk_sig_saved {
    struct sigaction intr; /* SIGINT's */
    struct sigaction term; /* SIGTERM's (only when term was asked for) */
    bool with_term;        /* SIGTERM was caught too */
};

/* Catch SIGINT, and SIGTERM too if term, until nk_sig_restore. No SA_RESTART: a blocking call
 * returns EINTR. The handler notes the signal and calls loop_interrupt_all. */
void nk_sig_install(bool term, struct nk_sig_saved *saved);
void nk_sig_restore(const struct nk_sig_saved *saved);

/* The last signal caught since nk_sig_clear (SIGINT or SIGTERM), 0 if none. Async-signal-safe. */
int nk_sig_caught(void);
/* Forget the signal and end the loops' interrupt (loop_interrupt_clear): the interrupt has been
 * dealt with, and later loops run normally. */
void nk_sig_clear(void);

#endif
