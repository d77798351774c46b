/* SPDX-License-Identifier: GPL-3.0-or-later */
/* words.h - split a command line into words, as a POSIX shell would for plain words: blanks
 * separate, 'single' and "double" quotes group, backslash escapes, '#' at a word start begins a
 * comment. No expansion of any kind. Used by `netkit < FILE` and the interactive shell. */
#ifndef NK_WORDS_H
#define NK_WORDS_H

#include <stddef.h>
#include "lib/nk.h"

/* The words of one line. argv is NULL-terminated and owned by the struct. */
struct words {
    int argc;    /* number of words */
    char **argv; /* the words, then NULL */
    char *buf;   /* storage for the words' text */
};

/* 0 on success; -1 with "unterminated quote" (or out of memory) in err. */
int words_split(const char *line, struct words *w, char err[NK_ERRLEN]);
void words_free(struct words *w);

#endif
