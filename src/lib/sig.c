/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sig.c - catching SIGINT and SIGTERM: note the signal, wake every loop (see sig.h). */
#include <signal.h>

#include "lib/loop.h"
#include "lib/sig.h"

/* The signal last caught, 0 after nk_sig_clear. */
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
    caught = sig;
    loop_interrupt_all();
}

void nk_sig_install(bool term, struct nk_sig_saved *saved)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    saved->with_term = term;
    sigaction(SIGINT, &sa, &saved->intr);
    if (term)
        sigaction(SIGTERM, &sa, &saved->term);
}

void nk_sig_restore(const struct nk_sig_saved *saved)
{
    sigaction(SIGINT, &saved->intr, NULL);
    if (saved->with_term)
        sigaction(SIGTERM, &saved->term, NULL);
}

int nk_sig_caught(void)
{
    return caught;
}

void nk_sig_clear(void)
{
    caught = 0;
    loop_interrupt_clear();
}
