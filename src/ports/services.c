/* SPDX-License-Identifier: GPL-3.0-or-later */
/* services.c - service names and port classes. */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nss.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ports/services.h"

/* Scratch for the reentrant netdb calls: /etc/services lines are short. */
#define NETDB_BUF 4096

const char *services_class(int port)
{
    if (port < 1024)
        return "well-known";
    if (port < 49152)
        return "registered";
    return "dynamic";
}

/* The sources of one services line (from after "services:" to end), less `db` when !have_db,
 * into out: 1 rewritten, 0 keep it (nothing dropped, nothing left, an action item, too long). */
static int nss_sources(const char *w, const char *end, bool have_db, char *out, size_t cap)
{
    size_t len = 0, dropped = 0;
    for (;;) {
        while (w < end && isspace((unsigned char)*w))
            w++;
        size_t n = 0;
        while (w + n < end && !isspace((unsigned char)w[n]))
            n++;
        if (n == 0)
            break;
        if (memchr(w, '[', n))
            return 0;
        if (n == 2 && memcmp(w, "db", 2) == 0 && !have_db) {
            dropped++;
        } else {
            if (len + (len > 0) + n + 1 > cap)
                return 0;
            if (len > 0)
                out[len++] = ' ';
            memcpy(out + len, w, n);
            len += n;
        }
        w += n;
    }
    out[len] = '\0';
    return dropped > 0 && len > 0;
}

int services_nss_line(const char *conf, bool have_db, char *out, size_t cap)
{
    const char *found = NULL;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    for (const char *l = conf; l && *l;) {
        while (*l == ' ' || *l == '\t')
            l++;
        if (strncmp(l, "services:", 9) == 0) {
            if (found)
                return 0; /* two services lines: not ours to choose */
            found = l + 9;
        }
        l = strchr(l, '\n');
        l = l ? l + 1 : NULL;
    }
    if (!found)
        return 0;
    int rc = nss_sources(found, found + strcspn(found, "#\n"), have_db, out, cap);
    if (!rc)
        out[0] = '\0';
    return rc;
}

/* Once per process, before the first lookup: nsswitch.conf's services line, less a `db` source
 * without its database (services_nss_line). glibc's nss_db reads /var/db, libnss-db's
 * /var/lib/misc. */
static void nss_setup(void)
{
    char conf[16384], line[512];
    FILE *f = fopen("/etc/nsswitch.conf", "re");
    if (!f)
        return;
    size_t n = fread(conf, 1, sizeof(conf) - 1, f);
    fclose(f);
    conf[n] = '\0';
    bool have_db =
        access("/var/db/services.db", F_OK) == 0 || access("/var/lib/misc/services.db", F_OK) == 0;
    if (services_nss_line(conf, have_db, line, sizeof(line)))
        __nss_configure_lookup("services", line);
}

static pthread_once_t nss_once = PTHREAD_ONCE_INIT;

static void fill(struct service *s, const struct servent *se, const char *proto)
{
    memset(s, 0, sizeof(*s));
    s->port = ntohs((uint16_t)se->s_port);
    snprintf(s->proto, sizeof(s->proto), "%s", proto);
    snprintf(s->name, sizeof(s->name), "%s", se->s_name);
    for (char **a = se->s_aliases; a && *a && s->naliases < SERVICES_MAX_ALIASES; a++)
        snprintf(s->aliases[s->naliases++], sizeof(s->aliases[0]), "%s", *a);
}

int services_by_port(int port, const char *proto, struct service *s)
{
    struct servent se, *res = NULL;
    char buf[NETDB_BUF];
    pthread_once(&nss_once, nss_setup);
    if (getservbyport_r(htons((uint16_t)port), proto, &se, buf, sizeof(buf), &res) != 0 || !res)
        return 0;
    fill(s, res, proto);
    return 1;
}

int services_by_name(const char *name, const char *proto, struct service *s)
{
    struct servent se, *res = NULL;
    char buf[NETDB_BUF];
    pthread_once(&nss_once, nss_setup);
    if (getservbyname_r(name, proto, &se, buf, sizeof(buf), &res) != 0 || !res)
        return 0;
    fill(s, res, proto);
    return 1;
}

static int add_name(struct services_table *t, uint16_t *slot, const char *name)
{
    if (*slot)
        return 0; /* the first entry for a port is its official name, as getservbyport says */
    size_t n = strlen(name) + 1;
    if (t->len + n > 65535)
        return 0; /* offsets are 16 bits; netbase's whole file is far smaller */
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8192;
        while (cap < t->len + n)
            cap *= 2;
        char *p = realloc(t->names, cap);
        if (!p)
            return -1;
        t->names = p;
        t->cap = cap;
    }
    memcpy(t->names + t->len, name, n);
    *slot = (uint16_t)(t->len + 1);
    t->len += n;
    return 0;
}

int services_table_load(struct services_table *t)
{
    memset(t, 0, sizeof(*t));
    t->tcp = calloc(65536, sizeof(*t->tcp));
    t->udp = calloc(65536, sizeof(*t->udp));
    if (!t->tcp || !t->udp) {
        services_table_free(t);
        return -1;
    }
    struct servent se, *res;
    char buf[NETDB_BUF];
    int rc = 0;
    pthread_once(&nss_once, nss_setup);
    setservent(0);
    while (getservent_r(&se, buf, sizeof(buf), &res) == 0 && res) {
        int port = ntohs((uint16_t)res->s_port);
        uint16_t *slot = NULL;
        if (strcmp(res->s_proto, "tcp") == 0)
            slot = &t->tcp[port];
        else if (strcmp(res->s_proto, "udp") == 0)
            slot = &t->udp[port];
        if (slot && add_name(t, slot, res->s_name) < 0) {
            rc = -1;
            break;
        }
    }
    endservent();
    return rc;
}

const char *services_table_name(const struct services_table *t, int port, int ipproto)
{
    const uint16_t *v = ipproto == IPPROTO_UDP ? t->udp : t->tcp;
    if (!v || port < 0 || port > 65535 || !v[port])
        return NULL;
    return t->names + v[port] - 1;
}

void services_table_free(struct services_table *t)
{
    free(t->tcp);
    free(t->udp);
    free(t->names);
    memset(t, 0, sizeof(*t));
}
