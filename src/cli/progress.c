/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress.c - the live progress line (see progress.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/progress.h"
#include "lib/loop.h"

static struct progress *active;

struct progress *progress_active(void)
{
    return active;
}

void progress_start(struct progress *p)
{
    memset(p, 0, sizeof(*p));
    p->t0_us = loop_clock_us();
    p->on = isatty(STDERR_FILENO);
    /* Only the foreground job may change the terminal (a background one would be stopped). */
    if (p->on && tcgetpgrp(STDERR_FILENO) == getpgrp() &&
        tcgetattr(STDERR_FILENO, &p->saved) == 0 && (p->saved.c_lflag & ECHOCTL)) {
        struct termios t = p->saved;
        t.c_lflag &= ~(tcflag_t)ECHOCTL;
        p->echoctl = tcsetattr(STDERR_FILENO, TCSANOW, &t) == 0;
    }
    active = p;
}

static void draw(struct progress *p)
{
    fprintf(stderr, "\r%s\033[K", p->text);
    fflush(stderr);
    p->shown = true;
}

void progress_show(struct progress *p, const char *fmt, ...)
{
    if (!p->on)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->text, sizeof(p->text), fmt, ap);
    va_end(ap);
    draw(p);
}

void progress_hide(struct progress *p)
{
    if (!p->shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->shown = false;
}

void progress_redraw(struct progress *p)
{
    if (p->on && !p->shown && p->text[0])
        draw(p);
}

void progress_end(struct progress *p)
{
    if (active == p)
        active = NULL;
    if (p->on) { /* clear even if not drawn: an interrupt's echo may be on the line */
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->shown = false;
    p->text[0] = '\0';
    if (p->echoctl)
        tcsetattr(STDERR_FILENO, TCSANOW, &p->saved);
    p->echoctl = false;
}

double progress_secs(const struct progress *p)
{
    return (double)(loop_clock_us() - p->t0_us) / 1e6;
}

double progress_eta(double done, double total, double secs)
{
    if (done <= 0 || total <= 0 || secs <= 0 || done > total)
        return -1;
    return secs * (total - done) / done;
}

char *progress_duration(char *buf, size_t len, double secs)
{
    unsigned long s = secs > 0 ? (unsigned long)(secs + 0.5) : 0;
    if (secs < 60)
        snprintf(buf, len, "%.1f s", secs > 0 ? secs : 0.0);
    else if (s < 3600)
        snprintf(buf, len, "%lu min %lu s", s / 60, s % 60);
    else
        snprintf(buf, len, "%lu h %lu min", s / 3600, s % 3600 / 60);
    return buf;
}

char *progress_left(char *buf, size_t len, double secs)
{
    if (secs < 0) {
        if (len)
            buf[0] = '\0';
        return buf;
    }
    unsigned long s = (unsigned long)(secs + 0.999); /* round up: never "0 s left" too early */
    if (s < 60)
        snprintf(buf, len, "about %lu s left", s);
    else if (s < 3600)
        snprintf(buf, len, "about %lu min %lu s left", s / 60, s % 60);
    else
        snprintf(buf, len, "about %lu h %lu min left", s / 3600, s % 3600 / 60);
    return buf;
}
