/* SPDX-License-Identifier: GPL-3.0-or-later */
/* settings.h - the shell's settings (`set`, the global --dns) and the text of the file the
 * interactive shell keeps them in. Pure: no printing, no files; cli/shell_set.c does those. */
#ifndef NK_SETTINGS_H
#define NK_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/nk.h"

/* One set of values; {0} is the defaults (system resolver, no JSON, colour auto, each
 * command's own timeout). */
struct nk_settings {
    char server[256]; /* DNS servers "ADDR[:PORT],...", "" for the system's resolv.conf */
    bool json;        /* --json for every command */
    int color_mode;   /* enum nk_color_mode */
    int timeout_ms;   /* default timeout, 0 for each command's own */
};

/* "server", "json", "color", "timeout", NULL: the order `set` shows them in. */
extern const char *const nk_setting_names[];

/* The values each setting takes, for completion: NULL-terminated, or NULL for free text. */
const char *const *nk_setting_values(const char *name);

/* Check a DNS server list as `--dns` and `set server` take it. 0, or -1 naming the bad item. */
int nk_dns_check(const char *spec, char err[NK_ERRLEN]);

/* Set NAME to VALUE after checking it: 0, or -1 with a message naming the value in err
 * ("json: 'maybe': expected on or off"; "'x': unknown setting (server, json, color, timeout)").
 * s is unchanged on error. */
int nk_setting_set(struct nk_settings *s, const char *name, const char *value, char err[NK_ERRLEN]);

/* The value of NAME as `set` shows it and the file keeps it ("system", "on", "auto", "0") in
 * buf. 0, or -1 for an unknown name. */
int nk_setting_get(const struct nk_settings *s, const char *name, char *buf, size_t len);

/* Called for each bad line of a settings file: its number (from 1) and what is wrong. */
typedef void (*nk_settings_warn_fn)(unsigned long line, const char *msg, void *arg);

/* Apply the settings text buf[0..len) to s: lines "NAME = VALUE" (or "NAME VALUE"), blank
 * lines and '#' comments skipped. A bad line (unknown name, bad value, NUL byte, no value) is
 * reported through warn and skipped; the rest still apply. Returns the number of bad lines. */
int nk_settings_parse(struct nk_settings *s, const char *buf, size_t len, nk_settings_warn_fn warn,
                      void *arg);

/* The file's text for s, "NAME = VALUE" lines under a comment. 0, or -1 if len is short. */
int nk_settings_format(const struct nk_settings *s, char *buf, size_t len);

#endif
