/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell_set.c - the shell's `set`, and the interactive shell's settings file
 * ($XDG_CONFIG_HOME/netkit/config): read at start, rewritten on each `set`. Batch mode never
 * touches the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/msg.h"
#include "cli/opt.h"
#include "cli/settings.h"
#include "cli/shell_int.h"
#include "lib/err.h"
#include "lib/paths.h"

/* A settings file is a few lines; more than this is not one. */
#define CONFIG_MAX 65536

static void warn_line(unsigned long line, const char *msg, void *arg)
{
    nk_err(NULL, "%s:%lu: %s (line ignored)", (const char *)arg, line, msg);
}

/* The settings file's values into s; warn: report bad lines and unreadable files. */
static void read_config(struct nk_settings *s, bool warn)
{
    FILE *f = nk_sh.config[0] ? fopen(nk_sh.config, "re") : NULL;
    if (!f) {
        if (warn && nk_sh.config[0] && errno != ENOENT)
            nk_err(NULL, "%s: %s (settings not read)", nk_sh.config, nk_strerror(errno));
        return;
    }
    char *buf = malloc(CONFIG_MAX + 1);
    size_t n = buf ? fread(buf, 1, CONFIG_MAX + 1, f) : 0;
    if (warn && ferror(f))
        nk_err(NULL, "%s: %s (settings not read)", nk_sh.config, nk_strerror(errno));
    else if (warn && n > CONFIG_MAX)
        nk_err(NULL, "%s: longer than %d bytes: the rest is ignored", nk_sh.config, CONFIG_MAX);
    if (buf && !ferror(f))
        nk_settings_parse(s, buf, n > CONFIG_MAX ? CONFIG_MAX : n, warn ? warn_line : NULL,
                          nk_sh.config);
    free(buf);
    fclose(f);
}

/* Write s as the settings file (a new file renamed over the old one). 0, or -1 with errno. */
static int write_config(const struct nk_settings *s)
{
    char text[1024], tmp[sizeof(nk_sh.config) + 16];
    if (nk_settings_format(s, text, sizeof(text)) < 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (nk_make_parent(nk_sh.config) < 0)
        return -1;
    int n = snprintf(tmp, sizeof(tmp), "%s.%ld", nk_sh.config, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    FILE *f = fopen(tmp, "we");
    if (!f)
        return -1;
    int bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, nk_sh.config) < 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

void nk_shell_settings_start(void)
{
    struct nk_settings *s = &nk_sh.set;
    memset(s, 0, sizeof(*s));
    nk_sh.config[0] = '\0';
    if (nk_sh.interactive) {
        if (!nk_config_path("config", nk_sh.config, sizeof(nk_sh.config)))
            nk_sh.config[0] = '\0';
        read_config(s, true);
    }
    /* What netkit was started with wins over the file, for this session. */
    const struct nk_ctx *b = nk_sh.base;
    if (b->json)
        s->json = true;
    if (b->server)
        snprintf(s->server, sizeof(s->server), "%s", b->server);
    if (b->color_mode != NK_COLOR_AUTO)
        s->color_mode = b->color_mode;
    if (b->timeout_ms)
        s->timeout_ms = b->timeout_ms;
}

struct nk_ctx nk_shell_ctx(void)
{
    struct nk_ctx c = *nk_sh.base;
    c.json = nk_sh.set.json;
    c.server = nk_sh.set.server[0] ? nk_sh.set.server : NULL;
    c.timeout_ms = nk_sh.set.timeout_ms;
    c.color_mode = nk_sh.set.color_mode;
    c.color = nk_color_resolve(c.color_mode);
    return c;
}

static void show(const char *name)
{
    char v[sizeof(nk_sh.set.server)];
    nk_setting_get(&nk_sh.set, name, v, sizeof(v));
    if (strcmp(name, "timeout") == 0)
        printf("%-8s %s%s\n", name, v, nk_sh.set.timeout_ms ? " ms" : " (each command's own)");
    else if (strcmp(name, "server") == 0 && !nk_sh.set.server[0])
        printf("%-8s %s (resolv.conf)\n", name, v);
    else
        printf("%-8s %s\n", name, v);
}

int nk_shell_set(int argc, char **argv)
{
    char err[NK_ERRLEN];
    if (argc == 1) {
        for (int i = 0; nk_setting_names[i]; i++)
            show(nk_setting_names[i]);
        if (!nk_sh.interactive)
            printf("(batch mode: settings last until the batch ends; no file is read or "
                   "written)\n");
        else if (nk_sh.config[0])
            printf("(kept in %s)\n", nk_sh.config);
        else
            printf("(not kept: neither XDG_CONFIG_HOME nor HOME is an absolute path)\n");
        return NK_OK;
    }
    const char *name = argv[1];
    if (nk_opt_choice(nk_setting_names, name) < 0)
        return nk_usage("set", "'%s': unknown setting (server, json, color, timeout)", name);
    if (argc == 2) {
        show(name);
        return NK_OK;
    }
    if (argc > 3)
        return nk_usage("set", "'%s': %s takes one value", argv[3], name);
    if (nk_setting_set(&nk_sh.set, name, argv[2], err) < 0)
        return nk_usage("set", "%s", err);
    if (nk_sh.interactive && nk_sh.config[0]) {
        /* The file as it is now (another shell may have changed it), with this one change. */
        struct nk_settings f = {0};
        read_config(&f, false);
        nk_setting_set(&f, name, argv[2], err);
        if (write_config(&f) < 0) {
            nk_err("set", "cannot save it in %s: %s (it lasts until the shell ends)", nk_sh.config,
                   nk_strerror(errno));
            return NK_FAIL;
        }
    }
    return NK_OK;
}
