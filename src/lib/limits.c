/* SPDX-License-Identifier: GPL-3.0-or-later */
/* limits.c - raising RLIMIT_NOFILE. */
#include <limits.h>
#include <sys/resource.h>

#include "lib/limits.h"

long nk_raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl); /* on failure the old limit stays: read it back */
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > INT_MAX ? INT_MAX : (long)rl.rlim_cur;
}
