/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell.c - `netkit` on a terminal: readline through its callback interface (one poll on stdin),
 * history in the XDG state directory, tab completion from the option tables (complete.c),
 * session settings with `set`, and Ctrl-C that stops the running command, not the shell.
 * Also batch mode: one command per line from a file. */
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

#include <readline/history.h>
#include <readline/readline.h>

#include "lib/err.h"
#include "cli/commands.h"
#include "cli/complete.h"
#include "cli/msg.h"
#include "lib/net.h"
#include "lib/paths.h"
#include "lib/sig.h"
#include "cli/opt.h"
#include "cli/shell.h"
#include "cli/words.h"

/* Most history lines kept in the file. */
#define HISTORY_MAX 1000

/* Settings made with `set`, applied to every later command. */
struct settings {
    char server[256]; /* DNS server spec, "" for the system's */
    int json;         /* 1: --json for every command */
    int timeout_ms;   /* default timeout, 0 for each command's own */
    int color_mode;   /* 0 auto, 1 always, 2 never */
};

/* Shell state shared with readline's callbacks (readline has no user-data pointer). */
static struct {
    struct settings set; /* the session's settings */
    struct nk_ctx *base; /* the global options netkit started with */
    char history[4096];  /* the history file's path, "" if there is none */
    bool line_ready;     /* readline delivered a line (or EOF) */
    char *line;          /* that line, NULL at EOF */
    int status;          /* status of the last command */
    bool running;        /* the interactive shell runs: `shell` inside it is refused */
    bool batch_stop;     /* batch mode: Ctrl-C interrupted a command, so the batch ends */
} sh;

/* The context a command gets: the global options, then the session's settings. */
static struct nk_ctx command_ctx(void)
{
    struct nk_ctx c = *sh.base;
    c.json = c.json || sh.set.json;
    c.server = sh.set.server[0] ? sh.set.server : NULL;
    c.timeout_ms = sh.set.timeout_ms;
    c.color_mode = sh.set.color_mode;
    c.color = nk_color_resolve(c.color_mode);
    return c;
}

static void show_settings(void)
{
    printf("server   %s\n", sh.set.server[0] ? sh.set.server : "(system)");
    printf("json     %s\n", sh.set.json ? "on" : "off");
    printf("timeout  %d%s\n", sh.set.timeout_ms,
           sh.set.timeout_ms ? " ms" : " (each command's own)");
    printf("color    %s\n", nk_color_names[sh.set.color_mode]);
}

/* A bad `set`: there is no `netkit set --help` to point at, so the message names the choices. */
static int set_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int set_usage(const char *fmt, ...)
{
    char msg[NK_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    nk_err("set", "%s", msg);
    fprintf(stderr, "Usage: set [server ADDR[:PORT][,...]|default | json on|off | timeout MS | "
                    "color auto|always|never]\n");
    return NK_USAGE;
}

/* `set [NAME VALUE]`. */
static int cmd_set(int argc, char **argv)
{
    char err[NK_ERRLEN];
    if (argc == 1) {
        show_settings();
        return NK_OK;
    }
    const char *name = argv[1], *v = argc > 2 ? argv[2] : NULL;
    if (argc > 3)
        return set_usage("'%s': one value only", argv[3]);
    if (strcmp(name, "server") == 0) {
        if (!v || strcmp(v, "default") == 0) {
            sh.set.server[0] = '\0';
            return NK_OK;
        }
        /* Check each comma-separated ADDR[:PORT] now, not at the next lookup. */
        char list[sizeof(sh.set.server)];
        if (strlen(v) >= sizeof(list))
            return set_usage("'%.40s...': server list too long", v);
        strcpy(list, v);
        for (char *save, *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            struct net_addr a;
            if (net_parse_hostport(tok, 53, &a, err) < 0)
                return set_usage("server: %s", err);
        }
        snprintf(sh.set.server, sizeof(sh.set.server), "%s", v);
    } else if (strcmp(name, "json") == 0) {
        if (!v || (strcmp(v, "on") && strcmp(v, "off")))
            return set_usage("json: '%s': expected on or off", v ? v : "");
        sh.set.json = strcmp(v, "on") == 0;
    } else if (strcmp(name, "timeout") == 0) {
        long long ms;
        if (nk_parse_num(v, 0, 600000, "timeout", &ms, err) < 0)
            return set_usage("%s", err);
        sh.set.timeout_ms = (int)ms;
    } else if (strcmp(name, "color") == 0) {
        int m = nk_color_parse(v);
        if (m < 0)
            return set_usage("color: '%s': expected auto, always or never", v ? v : "");
        sh.set.color_mode = m;
    } else {
        return set_usage("'%s': unknown setting (server, json, timeout, color)", name);
    }
    return NK_OK;
}

/* Run one line; returns its status, or -1 for exit/quit. */
static int run_line(const char *line, bool interactive)
{
    struct words w;
    char err[NK_ERRLEN];
    if (words_split(line, &w, err) < 0)
        return nk_usage(NULL, "%s", err);
    int argc = w.argc, st = NK_OK;
    char **argv = w.argv;
    if (argc > 0 && strcmp(argv[0], "netkit") == 0) {
        argc--;
        argv++;
    }
    if (argc == 0) {
        words_free(&w);
        return NK_OK;
    }
    if (interactive && (strcmp(argv[0], "exit") == 0 || strcmp(argv[0], "quit") == 0)) {
        words_free(&w);
        return -1;
    }
    if (interactive && strcmp(argv[0], "set") == 0) {
        st = cmd_set(argc, argv);
    } else {
        struct nk_ctx c = interactive ? command_ctx() : *sh.base;
        /* Ctrl-C during the command (lib/sig.h) wakes its loops; it gives up and returns.
         * No clearing here: a Ctrl-C typed after Enter, before the command got going, is meant
         * for the command (read_line cleared what was meant for the prompt). */
        st = nk_finish(argv[0], nk_run(argc, argv, &c));
        if (nk_sig_caught() == SIGINT) {
            if (interactive) {
                fprintf(stderr, "netkit %s: interrupted\n", argv[0]);
                st = 130;
            } else {
                sh.batch_stop = true; /* the command reported what it had; the rest is not run */
            }
        }
        nk_sig_clear();
    }
    words_free(&w);
    return st;
}

int nk_batch(struct nk_ctx *ctx, FILE *fp)
{
    char *line = NULL;
    size_t cap = 0;
    int last_fail = NK_OK;
    sh.base = ctx;
    sh.batch_stop = false;
    ssize_t n;
    unsigned long lineno = 0;
    while (!sh.batch_stop && (n = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if (memchr(line, '\0', (size_t)n)) { /* it would be cut there: run none of it */
            nk_err(NULL, "line %lu: contains a NUL byte", lineno);
            last_fail = NK_USAGE;
            continue;
        }
        int st = run_line(line, false);
        if (st > 0)
            last_fail = st;
    }
    if (sh.batch_stop)
        last_fail = NK_FAIL;
    free(line);
    return last_fail;
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
    char *before = strndup(rl_line_buffer, (size_t)start);
    for (size_t i = 0; i < ncands; i++)
        free(cands[i]);
    ncands = 0;
    if (!before || words_split(before, &w, err) < 0) {
        free(before);
        rl_attempted_completion_over = 1;
        return NULL;
    }
    /* The words typed so far, then the partial word under the cursor. */
    char **argv = calloc((size_t)w.argc + 2, sizeof(char *));
    int n = 0, files = 0;
    if (argv) {
        for (int i = 0; i < w.argc; i++)
            argv[n++] = w.argv[i];
        argv[n++] = (char *)text;
        if (n == 1) { /* the shell's own words, besides the commands */
            static const char *const builtins[] = {"exit", "quit", "set", NULL};
            for (int i = 0; builtins[i]; i++)
                if (strncmp(builtins[i], text, strlen(text)) == 0)
                    collect(builtins[i], NULL);
        }
        if (n == 2 && strcmp(argv[0], "set") == 0) {
            static const char *const names[] = {"server", "json", "timeout", "color", NULL};
            for (int i = 0; names[i]; i++)
                if (strncmp(names[i], text, strlen(text)) == 0)
                    collect(names[i], NULL);
        } else {
            files = nk_complete(n, argv, collect, NULL);
        }
    }
    free(argv);
    words_free(&w);
    free(before);
    if (files && ncands == 0)
        return NULL; /* readline's own file name completion */
    rl_attempted_completion_over = 1;
    return ncands ? rl_completion_matches(text, next_candidate) : NULL;
}

static void on_line(char *line)
{
    sh.line = line;
    sh.line_ready = true;
    /* Remove the handler before running a command, so its output is not mixed with a prompt. */
    rl_callback_handler_remove();
}

/* $XDG_STATE_HOME/netkit/history (private directories): "" when there is none to be had. */
static void history_path(void)
{
    if (!nk_state_path("history", sh.history, sizeof(sh.history)) || nk_make_parent(sh.history) < 0)
        sh.history[0] = '\0';
}

/* readline's terminal set-up plus NOFLSH: without it, Ctrl-C makes the kernel discard input that
 * poll already reported, and readline would then block reading it with SIGINT held off. */
static void prep_terminal(int meta)
{
    struct termios t;
    rl_prep_terminal(meta);
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
    rl_free_line_state();
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_crlf();
    rl_callback_handler_remove();
    rl_callback_handler_install("netkit> ", on_line);
}

/* Read one line with readline's callback interface; false at EOF (Ctrl-D). SIGINT is blocked
 * except inside ppoll, so a Ctrl-C can never slip in between the check and the wait. */
static bool read_line(void)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &old);
    sh.line_ready = false;
    sh.line = NULL;
    nk_sig_clear();
    rl_callback_handler_install("netkit> ", on_line);
    while (!sh.line_ready) {
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        if (nk_sig_caught()) {
            clear_prompt();
            continue;
        }
        int r = ppoll(&pfd, 1, NULL, &old);
        if (r > 0)
            rl_callback_read_char();
        else if (r < 0 && errno != EINTR)
            break;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return sh.line_ready && sh.line;
}

int nk_shell(struct nk_ctx *ctx)
{
    if (!isatty(STDIN_FILENO))
        return nk_batch(ctx, stdin);
    sh.base = ctx;
    sh.running = true;
    sh.set.color_mode = ctx->color_mode;
    sh.set.json = ctx->json;
    sh.status = NK_OK;
    history_path();
    using_history();
    if (sh.history[0])
        read_history(sh.history);
    rl_readline_name = "netkit";
    rl_attempted_completion_function = complete_line;
    rl_completer_word_break_characters = " \t\n\"'";
    rl_prep_term_function = prep_terminal;
    rl_catch_signals = 0; /* our handler; readline's would re-raise into it anyway */

    /* netkit's one interrupt path: at the prompt Ctrl-C clears the line; during a command it
     * wakes the command's loops, and the command stops. */
    struct nk_sig_saved sig;
    nk_sig_install(false, &sig);

    printf("netkit %s interactive shell: 'help' lists the commands, 'exit' or Ctrl-D leaves.\n",
           NETKIT_VERSION);
    while (read_line()) {
        char *line = sh.line;
        if (*line) {
            add_history(line);
            if (sh.history[0] && append_history(1, sh.history) != 0)
                write_history(sh.history);
        }
        int st = run_line(line, true);
        free(line);
        if (st < 0)
            break;
        sh.status = st;
    }
    if (!sh.line_ready)
        putchar('\n'); /* Ctrl-D: end the prompt's line */
    rl_callback_handler_remove();
    if (sh.history[0])
        history_truncate_file(sh.history, HISTORY_MAX);
    for (size_t i = 0; i < ncands; i++)
        free(cands[i]);
    free(cands);
    cands = NULL;
    ncands = capcands = 0;
    nk_sig_restore(&sig);
    sh.running = false;
    return NK_OK;
}

extern const struct nk_command nk_cmd_shell;

/* `netkit shell`: the row in the command table. */
static int run_shell(int argc, char **argv, struct nk_ctx *ctx)
{
    struct nk_opt_parser p;
    int id;
    if (sh.running)
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
    .summary = "the interactive shell: history, completion, set",
    .details = "On a terminal: a readline prompt; each line is a netkit command. 'set' shows or\n"
               "changes the session's settings (server, json, timeout, color); 'exit', 'quit'\n"
               "or Ctrl-D leaves. Otherwise one command per line from standard input.",
    .page = "netkit",
};
