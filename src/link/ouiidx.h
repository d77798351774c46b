/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ouiidx.h - the IEEE registry parsed once: a sorted index of its "XX-XX-XX (hex)" lines, kept
 * in a cache file so later runs binary-search it instead of reading 5 MB of text.
 *
 * The cache ($NETKIT_OUI_CACHE, else $XDG_CACHE_HOME/netkit/oui.idx, else
 * ~/.cache/netkit/oui.idx) holds, for each OUI, the offset of its line in the registry, and names
 * the registry's device, inode, size and modification time: any change rebuilds it. It is written
 * to a temporary file and renamed into place, so readers never see half of one. Nothing here
 * prints; every failure just means "no index" and the caller scans the registry instead.
 */
#ifndef NK_OUIIDX_H
#define NK_OUIIDX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* One registry entry: the OUI and where its line starts in the registry file. */
struct ouiidx_entry {
    uint8_t oui[3];  /* the OUI */
    uint8_t pad;     /* zero */
    uint32_t offset; /* byte offset of its "XX-XX-XX   (hex)" line */
};

/* Entries found in buf, growing (*e, *n, *cap). Lines are those starting in [from, to) of buf
 * (a line starts at buf[0] or after '\n'); base is buf[0]'s offset in the file. Returns 0, or -1
 * when out of memory. Pure: buf may hold any bytes. */
int ouiidx_collect(const char *buf, size_t len, size_t from, size_t to, uint64_t base,
                   struct ouiidx_entry **e, size_t *n, size_t *cap);

/* Sort entries by OUI, the earliest line first among equal OUIs (what a scan finds first). */
void ouiidx_sort(struct ouiidx_entry *e, size_t n);

/* The first entry for oui in sorted e[0..n), or NULL. */
const struct ouiidx_entry *ouiidx_find(const struct ouiidx_entry *e, size_t n,
                                       const uint8_t oui[3]);

/* The cache file's path in buf (NULL when caching is off: NETKIT_OUI_CACHE set to "", or no
 * XDG_CACHE_HOME and no HOME). */
const char *ouiidx_cache_path(char *buf, size_t len);

/* An index in memory: either mapped from the cache or built. */
struct ouiidx {
    const struct ouiidx_entry *e; /* sorted entries */
    size_t n;                     /* how many */
    void *map;                    /* the cache mapping (NULL if built) */
    size_t maplen;                /* its length */
    struct ouiidx_entry *owned;   /* the built array (NULL if mapped) */
};

/* Map the cache at path if it describes the registry st; 0, or -1 (missing, stale, damaged). */
int ouiidx_load(const char *path, const struct stat *st, struct ouiidx *idx);
/* Build the index from the registry open at fd (one pass, a window at a time); 0 or -1. */
int ouiidx_build(int fd, const struct stat *st, struct ouiidx *idx);
/* Write idx to the cache at path (creating its directory); 0 or -1. */
int ouiidx_save(const char *path, const struct stat *st, const struct ouiidx *idx);
void ouiidx_free(struct ouiidx *idx);

#endif
