/* SPDX-License-Identifier: GPL-3.0-or-later */
/* services.c - service names and port classes. */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (getservbyport_r(htons((uint16_t)port), proto, &se, buf, sizeof(buf), &res) != 0 || !res)
        return 0;
    fill(s, res, proto);
    return 1;
}

int services_by_name(const char *name, const char *proto, struct service *s)
{
    struct servent se, *res = NULL;
    char buf[NETDB_BUF];
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
