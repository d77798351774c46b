/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell_int.h - what the shell's files share: its state, the settings (shell_set.c), the help
 * (shell_help.c), running a line (shell_run.c) and the history (shell.c). */
#ifndef NK_SHELL_INT_H
#define NK_SHELL_INT_H

#include <stdbool.h>

#include "cli/settings.h"
#include "lib/nk.h"

/* nk_shell_line's answer to `exit` and `quit`. */
#define NK_SHELL_EXIT (-1)

/* One shell (interactive or batch) per process, so one state; readline's callbacks have no
 * user-data pointer. */
struct nk_shell_state {
    struct nk_ctx *base;    /* the global options netkit started with */
    struct nk_settings set; /* the session's settings, applied to every command */
    bool interactive;       /* the interactive shell, not batch mode */
    bool running;           /* a shell runs: `shell` inside it is refused */
    bool batch_stop;        /* batch mode: Ctrl-C interrupted a command, so the batch ends */
    int exit_status;        /* `exit N`: N; -1 when exit came without one */
    char config[4096];      /* the interactive shell's settings file, "" when there is none */
    char history[4096];     /* its history file, "" when there is none */
};

extern struct nk_shell_state nk_sh;

/* shell_set.c: the settings at start: defaults, then (interactive) the settings file, then the
 * global options netkit was started with. */
void nk_shell_settings_start(void);
/* `set [NAME [VALUE]]`; the interactive shell saves a change in its settings file. */
int nk_shell_set(int argc, char **argv);
/* The context a command gets: the global options with the session's settings applied. */
struct nk_ctx nk_shell_ctx(void);

/* shell_help.c: `help [TOPIC]` in the shell's words; 1 in *handled when it answered (a netkit
 * command's help is left to the `help` command). */
int nk_shell_help(int argc, char **argv, bool *handled);

/* shell_run.c: run one line of the shell language. Its status, or NK_SHELL_EXIT. */
int nk_shell_line(const char *line);

/* shell.c: `history [N]`. */
int nk_shell_history(int argc, char **argv);

#endif
