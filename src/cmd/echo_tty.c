/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_tty.c - the readline session of echo-connect (see echo_tty.h).
 *
 * Readline's callback interface gives us the terminal one character at a time, so the loop can
 * also watch the socket. Anything printed while a line is being edited goes through say(): it
 * clears the visible line, prints, and lets readline redraw prompt and line (rl_line_buffer is
 * untouched), so the user's half-typed text survives every message. */
#include <errno.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "echo/echo_client.h"
#include "cmd/echo_tty.h"
#include "cli/histfile.h"
#include "lib/num.h"
#include "cli/out.h"
#include "lib/loop.h"
#include "lib/rl.h"
#include "lib/sig.h"

/* A received line longer than this without a newline is shown as it is. */
#define LINE_MAX_SHOWN 4096
/* Lines kept in the history file. */
#define HISTORY_KEEP 1000

/* A line sent and not yet echoed. */
struct pending {
    char *text;           /* the line, without its newline */
    uint64_t sent_us;     /* when it was sent (loop_clock_us) */
    struct pending *next; /* the next older-to-newer entry */
};

/* The session. Readline's line callback takes no argument, hence the one static pointer. */
struct session {
    const struct echo_tty_opts *o; /* settings */
    struct pending *head, *tail;   /* lines awaiting their echo, oldest first */
    char *rx;                      /* received bytes not yet forming a whole line (stream) */
    size_t rx_len;                 /* bytes in rx */
    char *tx;                      /* bytes not yet accepted by the socket (stream) */
    size_t tx_len;                 /* bytes in tx */
    bool editing;                  /* readline owns the terminal line (handler installed) */
    bool eof;                      /* the user pressed Ctrl-D */
    int failed;                    /* -1 once err is set */
    char *err;                     /* the caller's error buffer */
};

static struct session *cur;

/* readline, loaded when the first session starts. */
static const struct nk_rl *rl;

/* The session's history file (warns once when it cannot be written). */
static struct nk_histfile hist;

/* Print a line of output without disturbing the line being edited. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    if (cur && cur->editing)
        rl->rl_clear_visible_line();
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    if (cur && cur->editing)
        rl->rl_forced_update_display();
}

static void fail(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct session *s, const char *fmt, ...)
{
    if (s->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, NK_ERRLEN, fmt, ap);
    va_end(ap);
    s->failed = -1;
}

static void pending_pop(struct session *s)
{
    struct pending *p = s->head;
    s->head = p->next;
    if (!s->head)
        s->tail = NULL;
    free(p->text);
    free(p);
}

/* One line (or datagram) came back: an echo of the oldest pending line, or a server message. */
static void got_line(struct session *s, const char *text, size_t n)
{
    /* What the server sent reaches the terminal escaped (out_escape): never its CSI or OSC. */
    size_t len = out_escape(NULL, 0, text, n, true);
    char *shown = malloc(len + 1);
    if (!shown) {
        fail(s, "out of memory");
        return;
    }
    out_escape(shown, len + 1, text, n, true);
    if (s->head && strlen(s->head->text) == n && memcmp(s->head->text, text, n) == 0) {
        double ms = (double)(loop_clock_us() - s->head->sent_us) / 1000.0;
        if (s->o->color)
            say("%s  \033[2m(%.3f ms)\033[0m", shown, ms);
        else
            say("%s  (%.3f ms)", shown, ms);
        pending_pop(s);
    } else {
        say("%s", shown);
    }
    free(shown);
}

/* Add n bytes of buf to the end of a growing buffer (*b, *len bytes long); false when out of
 * memory (the session failed). */
static bool append(struct session *s, char **b, size_t *len, const char *buf, size_t n)
{
    char *t = realloc(*b, *len + n);
    if (!t) {
        fail(s, "out of memory");
        return false;
    }
    *b = t;
    memcpy(t + *len, buf, n);
    *len += n;
    return true;
}

static void send_bytes(struct session *s, const char *buf, size_t n)
{
    if (s->o->dgram) {
        if (send(s->o->sock, buf, n, 0) < 0)
            fail(s, "send: %s", nk_strerror(errno));
        return;
    }
    /* Stream: queue behind anything the socket has not taken yet, then push. */
    append(s, &s->tx, &s->tx_len, buf, n);
}

static void flush_tx(struct session *s)
{
    if (s->tx_len == 0)
        return;
    ssize_t w = send(s->o->sock, s->tx, s->tx_len, MSG_NOSIGNAL);
    if (w < 0) {
        if (errno == EPIPE || errno == ECONNRESET)
            fail(s, "connection reset by server");
        else if (errno != EAGAIN && errno != EINTR)
            fail(s, "send: %s", nk_strerror(errno));
        return;
    }
    memmove(s->tx, s->tx + w, s->tx_len - (size_t)w);
    s->tx_len -= (size_t)w;
}

static void on_line(char *line)
{
    struct session *s = cur;
    if (!line) {
        /* Ctrl-D: leave readline now, from inside the handler, so it draws no new prompt. */
        rl->rl_callback_handler_remove();
        s->editing = false;
        s->eof = true;
        return;
    }
    if (*line)
        nk_histfile_add(&hist, line);
    struct pending *p = calloc(1, sizeof(*p));
    size_t n = strlen(line);
    if (!p) {
        fail(s, "out of memory");
        free(line);
        return;
    }
    p->text = line; /* the pending entry keeps readline's malloc'd line */
    p->sent_us = loop_clock_us();
    if (s->tail)
        s->tail->next = p;
    else
        s->head = p;
    s->tail = p;
    line[n] = '\n'; /* send the line with its newline, then restore the terminator */
    send_bytes(s, line, n + 1);
    line[n] = '\0';
    flush_tx(s);
}

/* Split received stream bytes into lines. */
static void take_stream(struct session *s, const char *buf, size_t n)
{
    if (!append(s, &s->rx, &s->rx_len, buf, n))
        return;
    size_t start = 0;
    for (size_t i = 0; i < s->rx_len; i++)
        if (s->rx[i] == '\n') {
            got_line(s, s->rx + start, i - start);
            start = i + 1;
        }
    if (s->rx_len - start > LINE_MAX_SHOWN) {
        got_line(s, s->rx + start, s->rx_len - start);
        start = s->rx_len;
    }
    memmove(s->rx, s->rx + start, s->rx_len - start);
    s->rx_len -= start;
}

static unsigned unanswered(const struct session *s)
{
    unsigned n = 0;
    for (const struct pending *p = s->head; p; p = p->next)
        n++;
    return n;
}

/* Read the socket; false once the server has gone. */
static bool receive(struct session *s)
{
    char buf[65536];
    ssize_t r = recv(s->o->sock, buf, sizeof(buf), 0);
    if (r < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return true;
        if (errno == ECONNRESET)
            fail(s, "connection reset by server (%u line%s unanswered)", unanswered(s),
                 unanswered(s) == 1 ? "" : "s");
        else if (errno == ECONNREFUSED)
            fail(s, "connection refused (no UDP echo server there)");
        else
            fail(s, "receive: %s", nk_strerror(errno));
        return false;
    }
    if (s->o->dgram) {
        size_t n = (size_t)r;
        if (n > 0 && buf[n - 1] == '\n')
            n--;
        got_line(s, buf, n);
        return true;
    }
    if (r == 0) {
        if (s->rx_len)
            got_line(s, s->rx, s->rx_len);
        s->rx_len = 0;
        if (!s->eof || s->head)
            fail(s, "the server closed its side (half-close) with %u line%s unanswered",
                 unanswered(s), unanswered(s) == 1 ? "" : "s");
        return false;
    }
    take_stream(s, buf, (size_t)r);
    return true;
}

/* UDP lines whose reply is overdue are reported and dropped (a lost datagram is not fatal). */
static void expire_dgrams(struct session *s)
{
    uint64_t now = loop_clock_us();
    while (s->head && now - s->head->sent_us >= (uint64_t)s->o->timeout_ms * 1000) {
        say("no reply within %d ms: %s", s->o->timeout_ms, s->head->text);
        pending_pop(s);
    }
}

/* Ctrl-C: drop the line being edited and start a fresh one (bash does the same). */
static void clear_line(void)
{
    rl->rl_free_line_state();
    rl->rl_callback_sigcleanup();
    rl->rl_replace_line("", 0);
    *rl->rl_point = *rl->rl_end = 0;
    rl->rl_crlf();
    rl->rl_on_new_line();
    rl->rl_redisplay();
}

/* The session's history list, in place of the caller's (the shell's): readline keeps one list
 * per process, and the payload typed here must not show up under the shell's up-arrow. Returns
 * the caller's list, for history_close. */
static HISTORY_STATE *history_open(const struct echo_tty_opts *o)
{
    HISTORY_STATE *saved = rl->history_get_history_state();
    HISTORY_STATE empty = {0};
    rl->history_set_history_state(&empty);
    rl->using_history();
    nk_histfile_open(&hist, o->history_path, "echo-connect");
    return saved;
}

/* Drop the session's list and give the caller's back. */
static void history_close(HISTORY_STATE *saved)
{
    nk_histfile_close(&hist, HISTORY_KEEP);
    rl->clear_history();
    HISTORY_STATE *mine = rl->history_get_history_state(), empty = {0};
    rl->history_set_history_state(saved ? saved : &empty);
    if (mine)
        free(mine->entries);
    free(mine);
    free(saved);
}

/* Poll round while editing; returns false when the session ends. sfd: SIGWINCH's signalfd. */
static bool round_editing(struct session *s, int sfd)
{
    struct pollfd p[4] = {{.fd = STDIN_FILENO, .events = POLLIN},
                          {.fd = s->o->sock, .events = POLLIN},
                          {.fd = sfd, .events = POLLIN},
                          {.fd = loop_interrupt_fd(), .events = POLLIN}};
    if (s->tx_len)
        p[1].events |= POLLOUT;
    int wait = -1;
    if (s->o->dgram && s->head) {
        uint64_t due = s->head->sent_us / 1000 + (uint64_t)s->o->timeout_ms,
                 now = loop_clock_us() / 1000;
        wait = due > now ? (int)(due - now) : 0;
    }
    if (poll(p, 4, wait) < 0)
        return errno == EINTR;
    /* Keys typed before a Ctrl-C were typed before it: read them first. */
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
        rl->rl_callback_read_char();
    if (p[3].revents & POLLIN) { /* Ctrl-C, through lib/sig.h: drop the line, and that is all */
        nk_sig_clear();
        clear_line();
    }
    if (p[2].revents & POLLIN) {
        struct signalfd_siginfo si;
        if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
            rl->rl_resize_terminal();
    }
    if (p[1].revents & POLLOUT)
        flush_tx(s);
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
        if (!receive(s))
            return false;
    if (s->o->dgram)
        expire_dgrams(s);
    return !s->failed && !s->eof;
}

/* Ctrl-D on a stream: half-close, and say what the server's kernel has not acknowledged yet
 * and which lines are unanswered. Returns true. */
static bool half_close(struct session *s)
{
    shutdown(s->o->sock, SHUT_WR); /* the server learns we are done */
    int unacked = 0;
    unsigned lines = unanswered(s);
    if (ioctl(s->o->sock, SIOCOUTQ, &unacked) < 0)
        unacked = 0;
    say("half-closed: %d byte%s not yet acknowledged, %u line%s awaiting echo", unacked,
        nk_s((unsigned)unacked), lines, nk_s(lines));
    return true;
}

/* After Ctrl-D: half-close and wait (bounded) for the echo of every line still in flight. */
static void drain(struct session *s)
{
    int timeout = s->o->timeout_ms > 0 ? s->o->timeout_ms : NK_TIMEOUT_MS;
    uint64_t deadline = loop_clock_us() / 1000 + (uint64_t)timeout;
    bool shut = false;
    if (!s->o->dgram && !s->tx_len)
        shut = half_close(s);
    while (!s->failed && (s->head || s->tx_len)) {
        uint64_t now = loop_clock_us() / 1000;
        if (now >= deadline) {
            fail(s, "no echo within %d ms after the end of input", timeout);
            break;
        }
        if (!s->o->dgram && !s->tx_len && !shut)
            shut = half_close(s);
        struct pollfd p = {.fd = s->o->sock, .events = POLLIN | (s->tx_len ? POLLOUT : 0)};
        if (poll(&p, 1, (int)(deadline - now)) <= 0)
            continue;
        if (p.revents & POLLOUT)
            flush_tx(s);
        if (p.revents & (POLLIN | POLLHUP | POLLERR) && !receive(s))
            break;
        if (s->o->dgram)
            expire_dgrams(s);
    }
}

int echo_tty_run(const struct echo_tty_opts *o, char err[NK_ERRLEN])
{
    struct session s = {.o = o, .err = err};
    if (!(rl = nk_rl_load(err)))
        return -1;
    sigset_t mask, old;
    sigemptyset(&mask);
    sigaddset(&mask, SIGWINCH);
    /* A resize arrives as a readable event on a signalfd, in the same poll as everything else;
     * Ctrl-C takes netkit's one interrupt path, whose descriptor is in that poll too. */
    if (loop_interrupt_fd() < 0)
        return nk_seterr(err, "eventfd: %s", nk_strerror(errno));
    sigprocmask(SIG_BLOCK, &mask, &old);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        return nk_seterr(err, "signalfd: %s", nk_strerror(errno));
    }
    struct nk_sig_saved sig;
    nk_sig_install(false, &sig);
    cur = &s;
    HISTORY_STATE *caller_history = history_open(o);
    /* Readline's settings are process-wide (the shell uses them too): restore them after. */
    const char *old_name = *rl->rl_readline_name;
    int old_catch = *rl->rl_catch_signals, old_winch = *rl->rl_catch_sigwinch;
    *rl->rl_readline_name = "netkit";
    *rl->rl_catch_signals = 0;
    *rl->rl_catch_sigwinch = 0;
    rl->rl_bind_key('\t', rl->rl_insert); /* a tab is text here, not a completion request */
    rl->rl_callback_handler_install(o->prompt, on_line);
    s.editing = true;
    while (round_editing(&s, sfd))
        ;
    if (s.editing)
        rl->rl_callback_handler_remove();
    s.editing = false;
    fputc('\n', stdout); /* end the prompt's line: Ctrl-D, or the half-typed line stays above */
    fflush(stdout);
    if (s.eof && !s.failed)
        drain(&s);
    rl->rl_bind_key('\t', rl->rl_complete);
    *rl->rl_readline_name = old_name;
    *rl->rl_catch_signals = old_catch;
    *rl->rl_catch_sigwinch = old_winch;
    history_close(caller_history);
    while (s.head)
        pending_pop(&s);
    free(s.rx);
    free(s.tx);
    close(sfd);
    nk_sig_restore(&sig);
    nk_sig_clear(); /* a Ctrl-C in the last moment was still only for the line being edited */
    sigprocmask(SIG_SETMASK, &old, NULL);
    cur = NULL;
    return s.failed;
}
