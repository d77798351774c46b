/* SPDX-License-Identifier: GPL-3.0-or-later */
/* settings.c - the shell's settings: checking values, showing them, and the settings file's
 * text (parse and format). */
#include <stdio.h>
#include <string.h>

#include "cli/opt.h"
#include "cli/settings.h"
#include "dns/dnsname.h"
#include "lib/err.h"
#include "lib/net.h"
#include "lib/num.h"

const char *const nk_setting_names[] = {"server", "json", "color", "timeout", NULL};

static const char *const json_values[] = {"on", "off", NULL};
static const char *const server_values[] = {"system", NULL};

const char *const *nk_setting_values(const char *name)
{
    if (!name)
        return NULL;
    if (strcmp(name, "json") == 0)
        return json_values;
    if (strcmp(name, "color") == 0)
        return nk_color_names;
    if (strcmp(name, "server") == 0)
        return server_values;
    return NULL;
}

int nk_dns_check(const char *spec, char err[NK_ERRLEN])
{
    struct net_addr srv[DNS_MAX_SERVERS];
    int n = 0;
    if (!spec || !*spec)
        return nk_seterr(err, "'': expected ADDR[:PORT][,...]");
    if (strlen(spec) >= sizeof(((struct nk_settings *)0)->server))
        return nk_seterr(err, "'%s': server list too long", spec);
    return dns_servers_parse(spec, srv, DNS_MAX_SERVERS, &n, err);
}

int nk_setting_set(struct nk_settings *s, const char *name, const char *v, char err[NK_ERRLEN])
{
    char e[NK_ERRLEN];
    if (!name || nk_opt_choice(nk_setting_names, name) < 0)
        return nk_seterr(err, "'%s': unknown setting (server, json, color, timeout)",
                         name ? name : "");
    if (!v)
        return nk_seterr(err, "%s: missing value", name);
    if (strcmp(name, "server") == 0) {
        if (strcmp(v, "system") == 0 || strcmp(v, "default") == 0) {
            s->server[0] = '\0';
            return 0;
        }
        if (nk_dns_check(v, e) < 0)
            return nk_seterr(err, "server: %s", e);
        snprintf(s->server, sizeof(s->server), "%s", v);
    } else if (strcmp(name, "json") == 0) {
        int i = nk_opt_choice(json_values, v);
        if (i < 0)
            return nk_seterr(err, "json: '%s': expected on or off", v);
        s->json = i == 0;
    } else if (strcmp(name, "color") == 0) {
        int m = nk_color_parse(v);
        if (m < 0)
            return nk_seterr(err, "color: '%s': expected auto, always or never", v);
        s->color_mode = m;
    } else {
        long long ms;
        if (nk_parse_num(v, 0, 600000, "timeout", &ms, e) < 0)
            return nk_seterr(err, "%s (ms; 0: each command's own)", e);
        s->timeout_ms = (int)ms;
    }
    return 0;
}

int nk_setting_get(const struct nk_settings *s, const char *name, char *buf, size_t len)
{
    int i = name ? nk_opt_choice(nk_setting_names, name) : -1;
    switch (i) {
    case 0: snprintf(buf, len, "%s", s->server[0] ? s->server : "system"); return 0;
    case 1: snprintf(buf, len, "%s", s->json ? "on" : "off"); return 0;
    case 2:
        snprintf(buf, len, "%s",
                 s->color_mode >= 0 && s->color_mode <= 2 ? nk_color_names[s->color_mode] : "auto");
        return 0;
    case 3: snprintf(buf, len, "%d", s->timeout_ms); return 0;
    default: return -1;
    }
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* One line (no '\n'); 0, or -1 with the reason in err. */
static int parse_line(struct nk_settings *s, const char *p, size_t n, char err[NK_ERRLEN])
{
    char name[32], value[512];
    const char *end = p + n;
    if (memchr(p, '\0', n))
        return nk_seterr(err, "contains a NUL byte");
    while (p < end && blank(*p))
        p++;
    if (p == end || *p == '#')
        return 0;
    const char *nb = p;
    while (p < end && !blank(*p) && *p != '=')
        p++;
    size_t nl = (size_t)(p - nb);
    if (nl >= sizeof(name))
        return nk_seterr(err, "'%.*s...': unknown setting (server, json, color, timeout)", 20, nb);
    memcpy(name, nb, nl);
    name[nl] = '\0';
    while (p < end && blank(*p))
        p++;
    if (p < end && *p == '=')
        p++;
    while (p < end && blank(*p))
        p++;
    /* The value ends at a '#' after a blank (a comment) or the line's end; no trailing blanks. */
    const char *ve = p;
    while (ve < end && !(*ve == '#' && ve > p && blank(ve[-1])))
        ve++;
    while (ve > p && blank(ve[-1]))
        ve--;
    size_t vl = (size_t)(ve - p);
    if (vl >= sizeof(value))
        return nk_seterr(err, "%s: value too long", name);
    memcpy(value, p, vl);
    value[vl] = '\0';
    return nk_setting_set(s, name, vl ? value : NULL, err);
}

int nk_settings_parse(struct nk_settings *s, const char *buf, size_t len, nk_settings_warn_fn warn,
                      void *arg)
{
    int bad = 0;
    unsigned long lineno = 0;
    size_t off = 0;
    while (off < len) {
        const char *nl = memchr(buf + off, '\n', len - off);
        size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
        char err[NK_ERRLEN];
        lineno++;
        if (parse_line(s, buf + off, n, err) < 0) {
            bad++;
            if (warn)
                warn(lineno, err, arg);
        }
        off += n + (nl ? 1 : 0);
    }
    return bad;
}

int nk_settings_format(const struct nk_settings *s, char *buf, size_t len)
{
    size_t used = 0;
    int w = snprintf(buf, len, "# netkit shell settings, written by 'set' (see netkit(1))\n");
    if (w < 0 || (size_t)w >= len)
        return -1;
    used = (size_t)w;
    for (int i = 0; nk_setting_names[i]; i++) {
        char v[sizeof(s->server)];
        nk_setting_get(s, nk_setting_names[i], v, sizeof(v));
        w = snprintf(buf + used, len - used, "%s = %s\n", nk_setting_names[i], v);
        if (w < 0 || (size_t)w >= len - used)
            return -1;
        used += (size_t)w;
    }
    return 0;
}
