/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paths.c - XDG base directory paths and mkdir -p. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/paths.h"

/* $ENV/netkit/NAME, else $HOME/FALLBACK/netkit/NAME. */
static const char *xdg_path(const char *env, const char *fallback, const char *name, char *buf,
                            size_t len)
{
    const char *x = getenv(env), *home = getenv("HOME");
    int n;
    if (x && x[0] == '/')
        n = snprintf(buf, len, "%s/netkit/%s", x, name);
    else if (home && home[0] == '/')
        n = snprintf(buf, len, "%s/%s/netkit/%s", home, fallback, name);
    else
        return NULL;
    return n > 0 && (size_t)n < len ? buf : NULL;
}

const char *nk_state_path(const char *name, char *buf, size_t len)
{
    return xdg_path("XDG_STATE_HOME", ".local/state", name, buf, len);
}

const char *nk_config_path(const char *name, char *buf, size_t len)
{
    return xdg_path("XDG_CONFIG_HOME", ".config", name, buf, len);
}

const char *nk_cache_path(const char *name, char *buf, size_t len)
{
    return xdg_path("XDG_CACHE_HOME", ".cache", name, buf, len);
}

int nk_make_parent(const char *path)
{
    char *d = strdup(path);
    if (!d)
        return -1;
    char *slash = strrchr(d, '/');
    if (slash && slash != d) {
        *slash = '\0';
        /* Each prefix in turn, then the directory itself; ones already there are fine. */
        for (char *p = d + 1;; p++) {
            if (*p != '/' && *p != '\0')
                continue;
            char c = *p;
            *p = '\0';
            if (mkdir(d, 0700) < 0 && errno != EEXIST) {
                int e = errno;
                free(d);
                errno = e;
                return -1;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
    free(d);
    return 0;
}
