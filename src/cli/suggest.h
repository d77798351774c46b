/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suggest.h - "did you mean": the names of a table (commands, options) closest to a mistyped
 * word, as git suggests a command.
 *
 * A name is a candidate when the word is a prefix of it (`resolv` -> `resolve`), or when the
 * word becomes the name with few edits: Damerau-Levenshtein (optimal string alignment) with
 * git's weights, so a missing letter costs 1, a swapped pair 1, a wrong letter 2 and an extra
 * letter 3 (people drop letters more often than they add them). A prefix scores 0, an edit
 * distance d scores d + 1; a name is similar when its score is below 7 (git's floor) and at most
 * one more than the word's length (so `x` suggests nothing). The names with the best score are
 * the suggestions, in table order. */
#ifndef NK_SUGGEST_H
#define NK_SUGGEST_H

#include <stddef.h>

/* Most suggestions given at once. */
#define NK_SUGGEST_MAX 3

/* The score of name for the mistyped word (lower is closer), or -1 when it is not similar. */
int nk_suggest_score(const char *word, const char *name);

/* Into out[]: up to NK_SUGGEST_MAX of the n names most similar to word (the ties of the best
 * score, in the order given); returns how many (0: nothing similar). NULL names are skipped. */
int nk_suggest(const char *word, const char *const *names, size_t n,
               const char *out[NK_SUGGEST_MAX]);

/* "; did you mean 'resolve'?" (each name after prefix, e.g. "--"), "; did you mean 'a' or 'b'?",
 * or "" when there is nothing to suggest. Returns buf. */
char *nk_suggest_text(char *buf, size_t len, const char *word, const char *prefix,
                      const char *const *names, size_t n);

#endif
