/* SPDX-License-Identifier: GPL-3.0-or-later */
/* histfile.c - readline history files that warn once. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/histfile.h"
#include "cli/msg.h"
#include "lib/err.h"
#include "lib/paths.h"
#include "lib/rl.h"

/* readline's history functions, loaded by the first open. */
static const struct nk_rl *rl;

/* The first failure is reported; then the file is given up. */
static void broken(struct nk_histfile *h, const char *what, int e)
{
    if (!h->broken)
        nk_err(h->who, "history %s: %s: %s (history not saved)", h->path, what, nk_strerror(e));
    h->broken = true;
}

void nk_histfile_open(struct nk_histfile *h, const char *path, const char *who)
{
    struct stat st;
    h->who = who;
    h->broken = false;
    snprintf(h->path, sizeof(h->path), "%s", path ? path : "");
    char err[NK_ERRLEN];
    if (!rl && !(rl = nk_rl_load(err))) {
        nk_err(h->who, "%s (no history)", err);
        h->broken = true;
        return;
    }
    if (!h->path[0])
        return;
    if (nk_make_parent(h->path) < 0)
        return broken(h, "cannot make its directory", errno);
    if (stat(h->path, &st) == 0 && S_ISDIR(st.st_mode))
        return broken(h, "cannot write", EISDIR);
    int e = rl->read_history(h->path);
    if (e == ENOENT)
        e = rl->write_history(h->path); /* create it, so append_history can add to it */
    if (e != 0)
        broken(h, e == ENOENT ? "cannot create" : "cannot read", e);
}

void nk_histfile_add(struct nk_histfile *h, const char *line)
{
    if (!rl)
        return;
    rl->add_history(line);
    if (!h->path[0] || h->broken)
        return;
    int e = rl->append_history(1, h->path);
    if (e == ENOENT) /* removed meanwhile: write it anew */
        e = rl->write_history(h->path);
    if (e != 0)
        broken(h, "cannot write", e);
}

void nk_histfile_close(struct nk_histfile *h, int keep)
{
    if (h->path[0] && !h->broken)
        rl->history_truncate_file(h->path, keep);
}
