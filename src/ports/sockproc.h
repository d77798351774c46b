/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sockproc.h - which process owns each socket: one walk of /proc/PID/fd, matching the
 * "socket:[INODE]" links against the sockets' inodes (as ss -p does, but once per run). */
#ifndef NK_SOCKPROC_H
#define NK_SOCKPROC_H

#include <stddef.h>
#include "lib/nk.h"
#include "ports/sockdiag.h"

/* What the walk could not see. */
struct sockproc_stats {
    size_t hidden; /* processes whose descriptors we may not read (other users', without root) */
};

/* Fill the owners of every socket of v with an inode, from the /proc tree at proc_root
 * ("/proc" normally): every process and descriptor that holds it (a pre-forked server shares
 * one listener among many processes), sorted by pid and fd; pid and comm name the lowest pid.
 * 0, or -1 with the reason (out of memory, no /proc). */
int sockproc_fill(struct sockvec *v, const char *proc_root, struct sockproc_stats *st,
                  char err[NK_ERRLEN]);

#endif
