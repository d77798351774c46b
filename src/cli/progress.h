/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress.h - the one live progress line on stderr (a scan, a `resolve -f` batch, a bench).
 *
 * Only on a terminal: the line is redrawn in place ("\r", the text, erase to the end). Anything
 * else written to the terminal meanwhile goes above it, as apt does: progress_hide clears the
 * line, the caller writes, progress_redraw draws it again below. Messages through cli/msg.h do
 * that by themselves while a line is active. While the line is up, the terminal does not echo
 * Ctrl-C as "^C" (ECHOCTL off; restored by progress_end): the interrupt's echo would otherwise
 * race with the final clear and stay on the screen.
 *
 * The words of every line come from the helpers below, so the scan, the batch and the bench
 * say "45%", "1200/s" and "about 12 s left" the same way. */
#ifndef NK_PROGRESS_H
#define NK_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <termios.h>

/* One progress line. Zero it, then progress_start. */
struct progress {
    bool on;              /* stderr is a terminal: the line is drawn */
    bool shown;           /* the line is on the screen now */
    bool echoctl;         /* ECHOCTL was turned off, to be restored */
    struct termios saved; /* the terminal's settings before */
    uint64_t t0_us;       /* when it started (loop_clock_us) */
    char text[256];       /* the last text drawn */
};

/* Start: draws nothing yet; msg.h's messages go above it until progress_end. */
void progress_start(struct progress *p);
/* Draw a new text (when on). */
void progress_show(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Clear the line if it is drawn (before something else is written to the terminal). */
void progress_hide(struct progress *p);
/* Draw the last text again (after that). */
void progress_redraw(struct progress *p);
/* Clear the line for good and restore the terminal. */
void progress_end(struct progress *p);
/* Seconds since progress_start. */
double progress_secs(const struct progress *p);

/* The line active now (between progress_start and progress_end), for msg.c; NULL if none. */
struct progress *progress_active(void);

/* "about 12 s left", "about 2 min 5 s left", "about 1 h 2 min left"; "" when unknown (secs < 0
 * or nothing done yet). */
char *progress_left(char *buf, size_t len, double secs);
/* The time left at a steady rate: done of total after secs, or -1 when unknown. */
double progress_eta(double done, double total, double secs);
/* "3.2 s", "2 min 5 s", "1 h 2 min": a duration for a summary. */
char *progress_duration(char *buf, size_t len, double secs);

#endif
