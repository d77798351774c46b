/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostsfile.h - the hosts file read once, for address mode.
 *
 * c-ares 1.18 opens and parses the whole hosts file again for every ares_getaddrinfo: five
 * system calls and thousands of instructions per name, in a batch of thousands of names. This
 * reads it once, with c-ares' rules, so a lookup finds what ares_getaddrinfo would: '#' starts a
 * comment; a line is ADDRESS NAME [ALIAS...] separated by blanks (lines with fewer words are
 * skipped); a name matches the host name or an alias, ASCII case ignored, nothing else (a final
 * dot is not dropped); ADDRESS is read by ares_inet_pton, so "10.1" is 10.1.0.0 and "::1/128"
 * is ::1; matches come in file order. Names c-ares treats specially (localhost and names under
 * it, .onion, addresses) are the caller's business: see hosts_plain_name.
 */
#ifndef NK_HOSTSFILE_H
#define NK_HOSTSFILE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

/* One name of one line. */
struct hosts_entry {
    const char *name;            /* the host name or alias, as written (in the table) */
    unsigned line;               /* its line, for file order */
    int family;                  /* AF_INET or AF_INET6 */
    char addr[INET6_ADDRSTRLEN]; /* the address as inet_ntop writes it */
};

struct hosts;

/* The table of text[0..len-1]. NULL only when out of memory. */
struct hosts *hosts_parse(const char *text, size_t len);
/* The table of the file at path: an empty one when it cannot be read (c-ares then finds
 * nothing there either). NULL only when out of memory. */
struct hosts *hosts_load(const char *path);
void hosts_free(struct hosts *h);

/* The entries for name, in file order: how many, and *v points to the first. */
size_t hosts_find(const struct hosts *h, const char *name, const struct hosts_entry **v);

/* False for the names ares_getaddrinfo does not simply look up in the file: localhost and
 * names under it (answered even when the file lacks them), .onion names (never looked up) and
 * names that look like addresses. */
bool hosts_plain_name(const char *name);
/* A .onion name (with or without the final dot): c-ares never looks one up. */
bool hosts_onion_name(const char *name);

#endif
