/* SPDX-License-Identifier: GPL-3.0-or-later */
/* words.h - split a command line into words, as a POSIX shell would for plain words: blanks
 * separate, 'single' and "double" quotes group, backslash escapes, '#' at a word start begins a
 * comment. Unquoted '<' and '>' (with a leading fd number and a following '>', '<', '|', or
 * '&N') are operator words of their own, and an unquoted '|' ends the words: what follows it is
 * left as typed, for sh. No expansion of any kind. Used by `netkit < FILE` and the shell. */
#ifndef NK_WORDS_H
#define NK_WORDS_H

#include <stddef.h>
#include "lib/nk.h"

/* The words of one line. argv is NULL-terminated and owned by the struct. */
struct words {
    int argc;          /* number of words */
    char **argv;       /* the words, then NULL */
    char *buf;         /* storage for the words' text */
    unsigned char *op; /* op[i] is 1 when argv[i] is an unquoted operator ("2>&1", ">>", "<") */
    const char *rest;  /* after an unquoted '|': the rest of the line (inside it), else NULL */
};

/* 0 on success; -1 with "unterminated quote" (or out of memory) in err. */
int words_split(const char *line, struct words *w, char err[NK_ERRLEN]);
void words_free(struct words *w);

#endif
