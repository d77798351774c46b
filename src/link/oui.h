/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oui.h - MAC vendors from the IEEE registry (/usr/share/ieee-data/oui.txt, package ieee-data).
 *
 * The registry is 5 MB of text in no particular order; reading all of it costs more than the
 * whole `ip addr` run this command competes with. So it is parsed once: the first lookup builds
 * a sorted index of its entries and caches it (ouiidx.h); later runs binary-search the cache and
 * read just the lines they need. Lookups are batched and lazy: the caller collects the OUIs it
 * needs (only universally administered unicast MACs have one) and asks once, and nothing is read
 * when none is needed. Without a cache location the registry is searched directly, a window at
 * a time, stopping when every OUI is found. A missing file means no vendors, not an error.
 */
#ifndef NK_OUI_H
#define NK_OUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest vendor name kept (longer ones are cut). */
#define OUI_NAMELEN 96

/* The registry's default place; NETKIT_OUI_FILE overrides it (tests). */
#define OUI_DEFAULT_PATH "/usr/share/ieee-data/oui.txt"

/* One OUI to look up. */
struct oui_query {
    uint8_t oui[3];           /* the first three bytes of the MAC */
    bool found;               /* set when the registry names it */
    char vendor[OUI_NAMELEN]; /* the vendor, when found */
};

/* True if mac (len bytes) is a universally administered unicast MAC-48/EUI-64, the only kind an
 * OUI names (locally administered and multicast addresses have no vendor). */
bool oui_applies(const uint8_t *mac, size_t len);

/* Parse one registry line "XX-XX-XX <spaces> (hex) <spaces> Vendor" (without its newline; a
 * trailing CR is ignored). Returns true and fills oui and vendor (trimmed, cut to namelen-1)
 * for such a line, false for any other line. */
bool oui_parse_line(const char *line, size_t len, uint8_t oui[3], char *vendor, size_t namelen);

/* Find the queries not yet found in buf, which holds whole lines of the registry (lines start at
 * buf[0] and after each '\n'). Returns how many were found by this call. */
size_t oui_scan(const char *buf, size_t len, struct oui_query *q, size_t n);

/* Look the queries up in the registry at path (NULL: $NETKIT_OUI_FILE, else the default),
 * through the cached index (built and saved when missing or stale). Returns how many were found;
 * a missing or unreadable file finds none. */
size_t oui_lookup(const char *path, struct oui_query *q, size_t n);

#endif
