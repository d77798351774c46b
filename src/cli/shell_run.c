/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell_run.c - one line of the shell language, for the interactive shell and batch mode alike:
 * the shell's own commands (set, help, history, exit, quit), a netkit command run in-process
 * with the session's settings, and what follows the words: `| PROGRAM` (sh -c reads the
 * command's output) and the redirections > FILE, >> FILE, 2> FILE, 2>&1, >&2. Operators are
 * never arguments: anything else made of '<' and '>' is refused with a message. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/msg.h"
#include "cli/shell.h"
#include "cli/shell_int.h"
#include "cli/words.h"
#include "lib/err.h"
#include "lib/num.h"
#include "lib/sig.h"

extern char **environ;

struct nk_shell_state nk_sh;

/* What a line does with the standard descriptors while its command runs. */
struct plumbing {
    int saved[3]; /* the shell's own 0, 1, 2 (dup'd), -1 where untouched */
    pid_t child;  /* sh -c after '|', 0 for none */
};

/* Keep the shell's descriptor fd, once, before a redirection replaces it. */
static int save_fd(struct plumbing *pl, int fd)
{
    if (pl->saved[fd] >= 0)
        return 0;
    pl->saved[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    return pl->saved[fd] < 0 ? -1 : 0;
}

/* Put the shell's descriptors back and wait for sh; sh's status, or -1 if there was none. */
static int unplumb(struct plumbing *pl)
{
    int st = -1;
    fflush(stdout);
    fflush(stderr);
    for (int fd = 0; fd < 3; fd++)
        if (pl->saved[fd] >= 0) {
            dup2(pl->saved[fd], fd);
            close(pl->saved[fd]);
            pl->saved[fd] = -1;
        }
    clearerr(stdout);
    if (pl->child > 0) {
        int ws;
        pid_t r;
        while ((r = waitpid(pl->child, &ws, 0)) < 0 && errno == EINTR)
            ; /* Ctrl-C reached sh too (one process group): it ends, and so does this wait */
        if (r == pl->child)
            st = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        pl->child = 0;
    }
    return st;
}

/* `| rest`: sh -c rest, reading the command's standard output. */
static int pipe_to(struct plumbing *pl, const char *rest)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return nk_err(NULL, "pipe: %s", nk_strerror(errno)), -1;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGPIPE); /* netkit ignores it; `| head` needs it back */
    sigaddset(&dfl, SIGQUIT);
    sigaddset(&dfl, SIGTERM);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[0], 0);
    posix_spawnattr_init(&at);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dfl);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char *argv[] = {(char *)"sh", (char *)"-c", (char *)rest, NULL};
    fflush(stdout);
    int e = posix_spawn(&pl->child, "/bin/sh", &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(p[0]);
    if (e != 0) {
        pl->child = 0;
        close(p[1]);
        nk_err(NULL, "/bin/sh: %s", nk_strerror(e));
        return -1;
    }
    if (save_fd(pl, 1) < 0 || dup2(p[1], 1) < 0) {
        nk_err(NULL, "pipe: %s", nk_strerror(errno));
        close(p[1]);
        return -1;
    }
    close(p[1]);
    return 0;
}

/* One redirection: op (">", "2>>", "2>&1", ...) and its file (NULL for a dup). */
static int redirect(struct plumbing *pl, const char *op, const char *file)
{
    char *end;
    long fd = 1;
    if (op[0] >= '0' && op[0] <= '9')
        fd = strtol(op, &end, 10);
    else
        end = (char *)op;
    fflush(stdout);
    fflush(stderr);
    if (strcmp(end, ">&1") == 0 || strcmp(end, ">&2") == 0) {
        int to = end[2] - '0';
        if (fd == to)
            return 0;
        if (save_fd(pl, (int)fd) < 0 || dup2(to, (int)fd) < 0)
            return nk_err(NULL, "%s: %s", op, nk_strerror(errno)), -1;
        return 0;
    }
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (strcmp(end, ">>") == 0 ? O_APPEND : O_TRUNC);
    int f = open(file, flags, 0666);
    if (f < 0)
        return nk_err(NULL, "%s: %s", file, nk_strerror(errno)), -1;
    if (save_fd(pl, (int)fd) < 0 || dup2(f, (int)fd) < 0) {
        nk_err(NULL, "%s: %s", file, nk_strerror(errno));
        close(f);
        return -1;
    }
    close(f);
    return 0;
}

/* Check the operators of w, and drop them (with their files) from argv. 0, or a usage error. */
static int take_operators(struct words *w, int *argc, char **argv, const char **ops,
                          const char **files, int *nops)
{
    int n = 0;
    *nops = 0;
    for (int i = 0; i < w->argc; i++) {
        if (!w->op[i]) {
            argv[n++] = w->argv[i];
            continue;
        }
        const char *op = w->argv[i], *p = op;
        long fd = 1;
        if (*p >= '0' && *p <= '9') {
            char *end;
            fd = strtol(p, &end, 10);
            p = end;
        }
        if (p[0] == '<')
            return nk_usage(NULL,
                            "'%s': the shell reads no input for a command (resolve -f FILE "
                            "reads names from a file)",
                            op);
        bool dup = strcmp(p, ">&1") == 0 || strcmp(p, ">&2") == 0;
        if (!dup && strcmp(p, ">") != 0 && strcmp(p, ">>") != 0 && strcmp(p, ">|") != 0)
            return nk_usage(NULL, "'%s': not an operator the shell knows (| > >> 2> 2>&1)", op);
        if (fd != 1 && fd != 2)
            return nk_usage(NULL, "'%s': only output (1) and errors (2) can be redirected", op);
        const char *file = NULL;
        if (!dup) {
            if (i + 1 >= w->argc || w->op[i + 1])
                return nk_usage(NULL, "'%s': missing file name after it", op);
            file = w->argv[++i];
        }
        ops[*nops] = op;
        files[(*nops)++] = file;
    }
    argv[n] = NULL;
    *argc = n;
    return NK_OK;
}

/* A netkit command, in-process, with the session's settings. */
static int run_command(int argc, char **argv)
{
    struct nk_ctx c = nk_shell_ctx(); /* after the redirections: colour follows stdout */
    /* Ctrl-C during the command (lib/sig.h) wakes its loops; it gives up and returns.
     * No clearing here: a Ctrl-C typed after Enter, before the command got going, is meant
     * for the command (the prompt cleared what was meant for it). */
    int st = nk_finish(argv[0], nk_run(argc, argv, &c));
    if (nk_sig_caught() == SIGINT) {
        if (nk_sh.interactive) {
            fprintf(stderr, "netkit %s: interrupted\n", argv[0]);
            st = 130;
        } else {
            nk_sh.batch_stop = true; /* the command reported what it had; the rest is not run */
        }
    }
    nk_sig_clear();
    return st;
}

static int run_exit(int argc, char **argv)
{
    char err[NK_ERRLEN];
    long long n = -1;
    if (argc > 2)
        return nk_usage(argv[0], "'%s': one exit status only", argv[2]);
    if (argc == 2 && nk_parse_num(argv[1], 0, 255, "exit status", &n, err) < 0)
        return nk_usage(argv[0], "%s", err);
    nk_sh.exit_status = (int)n;
    return NK_SHELL_EXIT;
}

/* The words, without the operators: the shell's own command or a netkit one. */
static int dispatch(int argc, char **argv)
{
    const char *w = argv[0];
    if (strcmp(w, "exit") == 0 || strcmp(w, "quit") == 0)
        return run_exit(argc, argv);
    if (strcmp(w, "set") == 0)
        return nk_shell_set(argc, argv);
    if (strcmp(w, "history") == 0)
        return nk_shell_history(argc, argv);
    if (strcmp(w, "help") == 0 || strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
        bool handled;
        int st = nk_shell_help(strcmp(w, "help") == 0 ? argc : 1, argv, &handled);
        if (handled)
            return nk_finish(w, st);
    }
    return run_command(argc, argv);
}

int nk_shell_line(const char *line)
{
    struct words w;
    char err[NK_ERRLEN];
    if (words_split(line, &w, err) < 0)
        return nk_usage(NULL, "%s", err);
    int argc = w.argc, nops = 0, st = NK_OK;
    char **argv = calloc((size_t)w.argc + 1, sizeof(char *));
    const char **ops = calloc((size_t)w.argc + 1, sizeof(char *));
    const char **files = calloc((size_t)w.argc + 1, sizeof(char *));
    struct plumbing pl = {.saved = {-1, -1, -1}};
    if (!argv || !ops || !files) {
        nk_err(NULL, "out of memory");
        st = NK_FAIL;
        goto out;
    }
    st = take_operators(&w, &argc, argv, ops, files, &nops);
    if (st != NK_OK)
        goto out;
    char **args = argv;
    if (argc > 0 && strcmp(args[0], "netkit") == 0) {
        argc--;
        args++;
    }
    if (w.rest && strspn(w.rest, " \t\r\n") == strlen(w.rest)) {
        st = nk_usage(NULL, "'|': missing the program to pipe into");
        goto out;
    }
    if (argc == 0) {
        if (w.rest || nops)
            st = nk_usage(NULL, "'%s': no command before it", w.rest ? "|" : ops[0]);
        goto out;
    }
    /* The pipe first, then each redirection in turn, as sh does. */
    bool ok = !w.rest || pipe_to(&pl, w.rest) == 0;
    for (int i = 0; ok && i < nops; i++)
        ok = redirect(&pl, ops[i], files[i]) == 0;
    st = ok ? dispatch(argc, args) : NK_FAIL;
    int sh_st = unplumb(&pl);
    if (sh_st >= 0 && st != NK_SHELL_EXIT)
        st = sh_st; /* a pipeline's status is its last program's */
out:
    free(argv);
    free(ops);
    free(files);
    words_free(&w);
    return st;
}

int nk_batch(struct nk_ctx *ctx, FILE *fp)
{
    char *line = NULL;
    size_t cap = 0;
    int last_fail = NK_OK;
    ssize_t n;
    unsigned long lineno = 0;
    nk_sh.base = ctx;
    nk_sh.interactive = false;
    nk_sh.running = true;
    nk_sh.batch_stop = false;
    nk_sh.exit_status = -1;
    nk_msg_shell(true);
    nk_shell_settings_start();
    while (!nk_sh.batch_stop && (n = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if (memchr(line, '\0', (size_t)n)) { /* it would be cut there: run none of it */
            nk_err(NULL, "line %lu: contains a NUL byte", lineno);
            last_fail = NK_USAGE;
            continue;
        }
        int st = nk_shell_line(line);
        if (st == NK_SHELL_EXIT) {
            if (nk_sh.exit_status >= 0)
                last_fail = nk_sh.exit_status;
            break;
        }
        if (st > 0)
            last_fail = st;
    }
    if (nk_sh.batch_stop)
        last_fail = NK_FAIL;
    free(line);
    nk_msg_shell(false);
    nk_sh.running = false;
    return last_fail;
}
