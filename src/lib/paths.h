/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paths.h - where netkit keeps files per user: the XDG base directories (state for histories,
 * config for the shell's settings, cache for the OUI index), and making their directories. */
#ifndef NK_PATHS_H
#define NK_PATHS_H

#include <stddef.h>

/* $XDG_STATE_HOME/netkit/NAME, else $HOME/.local/state/netkit/NAME, in buf. As the XDG spec
 * says, only an absolute value counts. NULL when neither variable is usable or buf is short. */
const char *nk_state_path(const char *name, char *buf, size_t len);
/* The same under $XDG_CONFIG_HOME, else $HOME/.config (the shell's settings). */
const char *nk_config_path(const char *name, char *buf, size_t len);
/* The same under $XDG_CACHE_HOME, else $HOME/.cache. */
const char *nk_cache_path(const char *name, char *buf, size_t len);

/* mkdir -p of the directory that holds path; the directories made are private (0700, as the
 * XDG spec asks: histories hold host names a user may not publish). 0, or -1 with errno. */
int nk_make_parent(const char *path);

#endif
