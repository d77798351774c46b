/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limits.h - process limits the servers, the scanner and the bench need raised. */
#ifndef NK_LIMITS_H
#define NK_LIMITS_H

/* Raise the soft descriptor limit to the hard one (the soft limit is ours to raise; on failure
 * it stays). Returns the soft limit now in force, at most INT_MAX (1024 if it cannot be read). */
long nk_raise_nofile(void);

#endif
