/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell.c - `netkit` on a terminal: readline through its callback interface (one poll on stdin),
 * history in the XDG state directory (`history`), tab completion from the option tables
 * (complete.c), and Ctrl-C that stops the running command, not the shell. A line is run by
 * shell_run.c, the same as in batch mode; settings are shell_set.c's, help shell_help.c's. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/complete.h"
#include "cli/histfile.h"
#include "cli/msg.h"
#include "cli/opt.h"
#include "cli/shell.h"
#include "cli/shell_int.h"
#include "cli/words.h"
#include "lib/err.h"
#include "lib/num.h"
#include "lib/paths.h"
#include "lib/rl.h"
#include "lib/sig.h"

/* Most history lines kept in the file. */
#define HISTORY_MAX 1000

/* readline, loaded when the shell starts on a terminal. */
static const struct nk_rl *rl;

/* The interactive shell's own: readline's hand-over and the history file. */
static struct {
    bool line_ready;         /* readline delivered a line (or EOF) */
    char *line;              /* that line, NULL at EOF */
    struct nk_histfile hist; /* the history file */
} tty;

int nk_shell_history(int argc, char **argv)
{
    char err[NK_ERRLEN];
    long long last = -1;
    if (!nk_sh.interactive) {
        nk_err("history", "a batch keeps no history");
        return NK_FAIL;
    }
    if (argc > 2)
        return nk_usage("history", "'%s': one number only", argv[2]);
    if (argc == 2 && nk_parse_num(argv[1], 0, 1000000, "line count", &last, err) < 0)
        return nk_usage("history", "%s", err);
    HIST_ENTRY **list = rl->history_list();
    int n = *rl->history_length, from = last >= 0 && last < n ? n - (int)last : 0;
    for (int i = from; list && i < n && list[i]; i++)
        printf("%5d  %s\n", *rl->history_base + i, list[i]->line);
    return NK_OK;
}

/* Readline completion: candidates from complete.c for the words before the cursor. */
static char **cands;
static size_t ncands, capcands;

static void collect(const char *c, void *arg)
{
    (void)arg;
    if (ncands + 1 >= capcands) {
        size_t cap = capcands ? capcands * 2 : 64;
        char **n = realloc(cands, cap * sizeof(*n));
        if (!n)
            return;
        cands = n;
        capcands = cap;
    }
    char *dup = strdup(c);
    if (dup)
        cands[ncands++] = dup;
}

static char *next_candidate(const char *text, int state)
{
    static size_t i;
    (void)text;
    if (state == 0)
        i = 0;
    return i < ncands ? strdup(cands[i++]) : NULL;
}

static char **complete_line(const char *text, int start, int end)
{
    (void)end;
    char err[NK_ERRLEN];
    struct words w;
    char *before = strndup(*rl->rl_line_buffer, (size_t)start);
    for (size_t i = 0; i < ncands; i++)
        free(cands[i]);
    ncands = 0;
    if (!before || words_split(before, &w, err) < 0) {
        free(before);
        *rl->rl_attempted_completion_over = 1;
        return NULL;
    }
    /* The words typed so far, then the partial word under the cursor. After '|' or a
     * redirection: readline's own file names. */
    if (w.rest || (w.argc > 0 && w.op[w.argc - 1])) {
        words_free(&w);
        free(before);
        return NULL;
    }
    char **argv = calloc((size_t)w.argc + 2, sizeof(char *));
    int n = 0, files = 0;
    if (argv) {
        for (int i = 0; i < w.argc; i++)
            argv[n++] = w.argv[i];
        argv[n++] = (char *)text;
        files = nk_complete_shell(n, argv, collect, NULL);
    }
    free(argv);
    words_free(&w);
    free(before);
    if (files && ncands == 0)
        return NULL; /* readline's own file name completion */
    *rl->rl_attempted_completion_over = 1;
    return ncands ? rl->rl_completion_matches(text, next_candidate) : NULL;
}

static void on_line(char *line)
{
    tty.line = line;
    tty.line_ready = true;
    /* Remove the handler before running a command, so its output is not mixed with a prompt. */
    rl->rl_callback_handler_remove();
}

/* readline's terminal set-up plus NOFLSH: without it, Ctrl-C makes the kernel discard input that
 * poll already reported, and readline would then block reading it with SIGINT held off. */
static void prep_terminal(int meta)
{
    struct termios t;
    rl->rl_prep_terminal(meta);
    if (tcgetattr(STDIN_FILENO, &t) == 0) {
        t.c_lflag |= NOFLSH;
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
    }
}

/* Ctrl-C at the prompt: drop the line (and what was typed but not yet read), fresh prompt. */
static void clear_prompt(void)
{
    nk_sig_clear();
    tcflush(STDIN_FILENO, TCIFLUSH);
    rl->rl_free_line_state();
    rl->rl_callback_sigcleanup();
    rl->rl_replace_line("", 0);
    rl->rl_crlf();
    rl->rl_callback_handler_remove();
    rl->rl_callback_handler_install("netkit> ", on_line);
}

/* Read one line with readline's callback interface; false at EOF (Ctrl-D). SIGINT is blocked
 * except inside ppoll, so a Ctrl-C can never slip in between the check and the wait. */
static bool read_line(void)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &old);
    tty.line_ready = false;
    tty.line = NULL;
    nk_sig_clear();
    rl->rl_callback_handler_install("netkit> ", on_line);
    while (!tty.line_ready) {
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        if (nk_sig_caught()) {
            clear_prompt();
            continue;
        }
        int r = ppoll(&pfd, 1, NULL, &old);
        if (r > 0)
            rl->rl_callback_read_char();
        else if (r < 0 && errno != EINTR)
            break;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return tty.line_ready && tty.line;
}

int nk_shell(struct nk_ctx *ctx)
{
    if (!isatty(STDIN_FILENO))
        return nk_batch(ctx, stdin);
    char err[NK_ERRLEN];
    if (!(rl = nk_rl_load(err))) {
        nk_err(NULL, "%s", err);
        return NK_FAIL;
    }
    nk_sh.base = ctx;
    nk_sh.interactive = true;
    nk_sh.running = true;
    nk_sh.exit_status = -1;
    nk_msg_shell(true);
    nk_shell_settings_start();
    rl->using_history();
    if (!nk_state_path("history", nk_sh.history, sizeof(nk_sh.history)))
        nk_sh.history[0] = '\0';
    nk_histfile_open(&tty.hist, nk_sh.history, NULL);
    *rl->rl_readline_name = "netkit";
    *rl->rl_attempted_completion_function = complete_line;
    *rl->rl_completer_word_break_characters = " \t\n\"'|<>";
    *rl->rl_prep_term_function = prep_terminal;
    *rl->rl_catch_signals = 0; /* our handler; readline's would re-raise into it anyway */

    /* netkit's one interrupt path: at the prompt Ctrl-C clears the line; during a command it
     * wakes the command's loops, and the command stops. */
    struct nk_sig_saved sig;
    nk_sig_install(false, &sig);

    printf("netkit %s interactive shell: 'help' lists the commands, 'exit' or Ctrl-D leaves.\n",
           NETKIT_VERSION);
    while (read_line()) {
        char *line = tty.line;
        if (*line)
            nk_histfile_add(&tty.hist, line);
        int st = nk_shell_line(line);
        free(line);
        if (st == NK_SHELL_EXIT)
            break;
    }
    if (!tty.line_ready)
        putchar('\n'); /* Ctrl-D: end the prompt's line */
    rl->rl_callback_handler_remove();
    nk_histfile_close(&tty.hist, HISTORY_MAX);
    rl->clear_history();
    for (size_t i = 0; i < ncands; i++)
        free(cands[i]);
    free(cands);
    cands = NULL;
    ncands = capcands = 0;
    nk_sig_restore(&sig);
    nk_msg_shell(false);
    nk_sh.running = false;
    return nk_sh.exit_status > 0 ? nk_sh.exit_status : NK_OK;
}

extern const struct nk_command nk_cmd_shell;

/* `netkit shell`: the row in the command table. */
static int run_shell(int argc, char **argv, struct nk_ctx *ctx)
{
    struct nk_opt_parser p;
    int id;
    if (nk_sh.running)
        return nk_usage(NULL, "already in the shell");
    nk_opt_init(&p, &nk_cmd_shell, ctx, argc, argv);
    while ((id = nk_opt_next(&p)) > 0)
        ; /* only the common options */
    if (id < 0)
        return p.status;
    if (p.argc > 0)
        return nk_usage("shell", "'%s': takes no arguments", p.argv[0]);
    return nk_shell(ctx);
}

const struct nk_command nk_cmd_shell = {
    .name = "shell",
    .run = run_shell,
    .summary = "the interactive shell: history, completion, set, pipes",
    .details = "On a terminal: a readline prompt; each line is a netkit command (no 'netkit'\n"
               "first) or one of the shell's own: set, history, help, exit, quit ('help' there\n"
               "explains them). 'set' changes server, json, color and timeout, kept in\n"
               "$XDG_CONFIG_HOME/netkit/config. COMMAND | PROGRAM and > FILE work as in sh.\n"
               "Otherwise the same language, one line at a time from standard input.",
    .page = "netkit",
};
