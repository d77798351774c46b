/* SPDX-License-Identifier: GPL-3.0-or-later */
/* services.h - service names (/etc/services through getservent/getservbyname, as netbase ships
 * them) and the IANA class of a port. Nothing here prints. (The ephemeral range: lib/net.h.) */
#ifndef NK_SERVICES_H
#define NK_SERVICES_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/nk.h"

/* Most aliases we keep per service. */
#define SERVICES_MAX_ALIASES 8

/* One service entry for a (port, protocol). */
struct service {
    int port;                               /* 0-65535 */
    char proto[4];                          /* "tcp" or "udp" */
    char name[32];                          /* official name */
    char aliases[SERVICES_MAX_ALIASES][32]; /* alias names */
    int naliases;                           /* how many aliases */
};

/* The IANA class: "well-known" (0-1023), "registered" (1024-49151), "dynamic" (49152-65535). */
const char *services_class(int port);

/* The services line to hand glibc instead of nsswitch.conf's (conf: that file's text), in
 * out[cap]: 1 when there is one, 0 to keep the file's. A `db` source is left out when have_db is
 * false (no services.db: it has nothing to answer), so glibc does not search every library
 * directory for a libnss_db that Debian's default nsswitch.conf names but does not install. A
 * line with [STATUS=action] items is kept (leaving a source out could change what they do). */
int services_nss_line(const char *conf, bool have_db, char *out, size_t cap);

/* Look up (port, "tcp"|"udp"). 1 found (*s filled), 0 not found. */
int services_by_port(int port, const char *proto, struct service *s);
/* Look up (name or alias, "tcp"|"udp"). 1 found, 0 not found. */
int services_by_name(const char *name, const char *proto, struct service *s);

/* Every service name by port for tcp and udp, loaded once with one pass over the database, for
 * naming thousands of sockets without one file scan each. */
struct services_table {
    uint16_t *tcp; /* 65536 entries: offset+1 of the port's name in names, 0 when none */
    uint16_t *udp; /* the same for udp */
    char *names;   /* NUL-separated names */
    size_t len;    /* bytes used in names */
    size_t cap;    /* bytes allocated */
};

/* 0, or -1 (out of memory; the table is then empty but usable). */
int services_table_load(struct services_table *t);
/* The name of (port, IPPROTO_TCP or IPPROTO_UDP), or NULL. */
const char *services_table_name(const struct services_table *t, int port, int ipproto);
void services_table_free(struct services_table *t);

#endif
