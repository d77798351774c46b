/* SPDX-License-Identifier: GPL-3.0-or-later */
/* complete.h - completion candidates for a partial command line, from the option tables plus
 * live candidates (interfaces, services, hosts). The single source for `netkit --complete`
 * (bash, zsh, fish) and the interactive shell. */
#ifndef NK_COMPLETE_H
#define NK_COMPLETE_H

/* Called once per candidate. */
typedef void (*nk_emit_fn)(const char *candidate, void *arg);

/* words[0..n-1]: the words after `netkit`; words[n-1] is the word being completed (may be "").
 * Emits each candidate that starts with it. Returns 1 when the word wants file names (the
 * caller's own file completion), else 0. */
int nk_complete(int n, char **words, nk_emit_fn emit, void *arg);

/* The same at the shell's prompt: its own words too (set and its names and values, history,
 * exit, quit; help offers them), and no `netkit` needed first. */
int nk_complete_shell(int n, char **words, nk_emit_fn emit, void *arg);

#endif
