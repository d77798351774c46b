/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rl.h - GNU readline and its history list, loaded with dlopen the first time a terminal session
 * needs them (the shell, echo-connect's line session). Every other command starts without
 * mapping libreadline and libtinfo: they are the largest part of netkit's start-up.
 *
 * The table's members have readline's own names and types (taken from its headers), so a call
 * reads `rl->rl_crlf()` and a variable `*rl->rl_point`. */
#ifndef NK_RL_H
#define NK_RL_H

#include <stdio.h> /* readline.h needs FILE */

#include <readline/history.h>
#include <readline/readline.h>

#include "lib/nk.h"

/* The functions and variables netkit uses, X(name) each. */
#define NK_RL_SYMBOLS(X)                                                                           \
    X(rl_bind_key)                                                                                 \
    X(rl_callback_handler_install)                                                                 \
    X(rl_callback_handler_remove)                                                                  \
    X(rl_callback_read_char)                                                                       \
    X(rl_callback_sigcleanup)                                                                      \
    X(rl_clear_visible_line)                                                                       \
    X(rl_complete)                                                                                 \
    X(rl_completion_matches)                                                                       \
    X(rl_crlf)                                                                                     \
    X(rl_forced_update_display)                                                                    \
    X(rl_free_line_state)                                                                          \
    X(rl_insert)                                                                                   \
    X(rl_on_new_line)                                                                              \
    X(rl_prep_terminal)                                                                            \
    X(rl_redisplay)                                                                                \
    X(rl_replace_line)                                                                             \
    X(rl_resize_terminal)                                                                          \
    X(rl_attempted_completion_function)                                                            \
    X(rl_attempted_completion_over)                                                                \
    X(rl_catch_signals)                                                                            \
    X(rl_catch_sigwinch)                                                                           \
    X(rl_completer_word_break_characters)                                                          \
    X(rl_end)                                                                                      \
    X(rl_line_buffer)                                                                              \
    X(rl_point)                                                                                    \
    X(rl_prep_term_function)                                                                       \
    X(rl_readline_name)                                                                            \
    X(add_history)                                                                                 \
    X(append_history)                                                                              \
    X(clear_history)                                                                               \
    X(history_get_history_state)                                                                   \
    X(history_list)                                                                                \
    X(history_set_history_state)                                                                   \
    X(history_truncate_file)                                                                       \
    X(read_history)                                                                                \
    X(using_history)                                                                               \
    X(write_history)                                                                               \
    X(history_base)                                                                                \
    X(history_length)

/* A pointer to each: a function's address, or a variable's (so *rl->rl_point = 0 sets it). */
struct nk_rl {
#define NK_RL_MEMBER(name) __typeof__(&name) name;
    NK_RL_SYMBOLS(NK_RL_MEMBER)
#undef NK_RL_MEMBER
};

/* readline, loaded on the first call; NULL with err set ("the interactive shell needs GNU
 * readline: DLERROR") when it cannot be. Later calls return the same table or fail the same. */
const struct nk_rl *nk_rl_load(char err[NK_ERRLEN]);

#endif
