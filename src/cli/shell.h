/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell.h - the interactive shell (readline) and batch mode (`netkit < FILE`). */
#ifndef NK_SHELL_H
#define NK_SHELL_H

#include <stdio.h>
#include "lib/nk.h"

/* The interactive shell on a terminal; batch mode otherwise. Returns the exit status. */
int nk_shell(struct nk_ctx *ctx);

/* One command per line from fp; the status of the last line that failed, 0 if none did. */
int nk_batch(struct nk_ctx *ctx, FILE *fp);

#endif
