/* SPDX-License-Identifier: GPL-3.0-or-later */
/* histfile.h - a readline history file that warns once: the shell's history and
 * echo-connect's session history. When the file cannot be read or written (its path is a
 * directory, its parent a file, the disk full), the first failure says so on stderr and the
 * file is left alone after that; the session goes on with its history in memory. */
#ifndef NK_HISTFILE_H
#define NK_HISTFILE_H

#include <stdbool.h>

struct nk_histfile {
    char path[4096]; /* the file, "" when there is none */
    const char *who; /* the command named in the warning, NULL for netkit itself */
    bool broken;     /* a failure was reported: no more tries */
};

/* path (NULL: none) into h, its directories made, its lines read into readline's current
 * history list (a missing file is created). */
void nk_histfile_open(struct nk_histfile *h, const char *path, const char *who);

/* Add line to the list and to the file. */
void nk_histfile_add(struct nk_histfile *h, const char *line);

/* Keep the file's last `keep` lines. */
void nk_histfile_close(struct nk_histfile *h, int keep);

#endif
