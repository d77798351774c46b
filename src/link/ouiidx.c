/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ouiidx.c - the registry's sorted index and its cache file (see ouiidx.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "link/oui.h"
#include "link/ouiidx.h"
#include "lib/paths.h"

/* The cache file's header. All fields in host byte order: the cache never leaves this host. */
struct header {
    char magic[8];      /* "NKOUI01\n" */
    uint64_t dev;       /* the registry's st_dev */
    uint64_t ino;       /* st_ino */
    uint64_t size;      /* st_size */
    int64_t mtime_sec;  /* st_mtim */
    int64_t mtime_nsec; /* st_mtim */
    uint64_t count;     /* entries that follow */
};

static const char MAGIC[8] = "NKOUI01\n";

/* Registry bytes scanned at a time while building (a multiple of PAGE). */
#define WINDOW (1024 * 1024)
/* Alignment of window offsets (a multiple of every Linux page size). */
#define PAGE 65536

int ouiidx_collect(const char *buf, size_t len, size_t from, size_t to, uint64_t base,
                   struct ouiidx_entry **e, size_t *n, size_t *cap)
{
    size_t p = from;
    /* Move to the first line start at or after from. */
    if (p > 0 && p < len && buf[p - 1] != '\n') {
        const char *nl = memchr(buf + p, '\n', len - p);
        p = nl ? (size_t)(nl - buf) + 1 : len;
    }
    while (p < to && p < len) {
        const char *nl = memchr(buf + p, '\n', len - p);
        size_t end = nl ? (size_t)(nl - buf) : len;
        /* Cheap test first: only "XX-XX-XX" lines can be entries. */
        if (end - p >= 8 && buf[p + 2] == '-' && buf[p + 5] == '-' && base + p <= UINT32_MAX) {
            uint8_t oui[3];
            char vendor[2];
            if (oui_parse_line(buf + p, end - p, oui, vendor, sizeof(vendor))) {
                if (*n == *cap) {
                    size_t ncap = *cap ? *cap * 2 : 1024;
                    struct ouiidx_entry *ne = realloc(*e, ncap * sizeof(*ne));
                    if (!ne)
                        return -1;
                    *e = ne;
                    *cap = ncap;
                }
                struct ouiidx_entry *x = &(*e)[(*n)++];
                memcpy(x->oui, oui, 3);
                x->pad = 0;
                x->offset = (uint32_t)(base + p);
            }
        }
        p = end + 1;
    }
    return 0;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct ouiidx_entry *x = a, *y = b;
    int c = memcmp(x->oui, y->oui, 3);
    if (c)
        return c;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

void ouiidx_sort(struct ouiidx_entry *e, size_t n)
{
    if (n > 1)
        qsort(e, n, sizeof(*e), entry_cmp);
}

const struct ouiidx_entry *ouiidx_find(const struct ouiidx_entry *e, size_t n, const uint8_t oui[3])
{
    size_t lo = 0, hi = n; /* the first entry >= oui lies in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(e[mid].oui, oui, 3) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && memcmp(e[lo].oui, oui, 3) == 0 ? &e[lo] : NULL;
}

const char *ouiidx_cache_path(char *buf, size_t len)
{
    const char *env = getenv("NETKIT_OUI_CACHE");
    if (env)
        return *env && (size_t)snprintf(buf, len, "%s", env) < len ? buf : NULL;
    return nk_cache_path("oui.idx", buf, len);
}

static void describe(const struct stat *st, struct header *h)
{
    memset(h, 0, sizeof(*h));
    memcpy(h->magic, MAGIC, sizeof(MAGIC));
    h->dev = (uint64_t)st->st_dev;
    h->ino = (uint64_t)st->st_ino;
    h->size = (uint64_t)st->st_size;
    h->mtime_sec = (int64_t)st->st_mtim.tv_sec;
    h->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
}

int ouiidx_load(const char *path, const struct stat *st, struct ouiidx *idx)
{
    memset(idx, 0, sizeof(*idx));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat cst;
    struct header h, want;
    int rc = -1;
    if (fstat(fd, &cst) < 0 || !S_ISREG(cst.st_mode) || (size_t)cst.st_size < sizeof(h) ||
        pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
        goto out;
    describe(st, &want);
    want.count = h.count;
    /* Stale (another registry, or it changed) or damaged (size disagrees with the count). */
    if (memcmp(&h, &want, sizeof(h)) != 0 || h.count > (1u << 24) ||
        (uint64_t)cst.st_size != sizeof(h) + h.count * sizeof(struct ouiidx_entry))
        goto out;
    void *m = mmap(NULL, (size_t)cst.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED)
        goto out;
    idx->map = m;
    idx->maplen = (size_t)cst.st_size;
    idx->e = (const struct ouiidx_entry *)((const char *)m + sizeof(h));
    idx->n = (size_t)h.count;
    rc = 0;
out:
    close(fd);
    return rc;
}

int ouiidx_build(int fd, const struct stat *st, struct ouiidx *idx)
{
    memset(idx, 0, sizeof(*idx));
    size_t size = (size_t)st->st_size, n = 0, cap = 0;
    struct ouiidx_entry *e = NULL;
    /* Window k holds the lines starting in [k*WINDOW, (k+1)*WINDOW), with the page before (to
     * see whether a line starts at the window's edge) and a page after (to finish the last). */
    for (size_t lo = 0; lo < size; lo += WINDOW) {
        size_t map_from = lo ? lo - PAGE : 0;
        size_t map_to = lo + WINDOW + PAGE < size ? lo + WINDOW + PAGE : size;
        char *m = mmap(NULL, map_to - map_from, PROT_READ, MAP_PRIVATE, fd, (off_t)map_from);
        if (m == MAP_FAILED) {
            free(e);
            return -1;
        }
        size_t to = lo + WINDOW < size ? lo + WINDOW : size;
        int rc = ouiidx_collect(m, map_to - map_from, lo - map_from, to - map_from, map_from, &e,
                                &n, &cap);
        munmap(m, map_to - map_from);
        if (rc < 0) {
            free(e);
            return -1;
        }
    }
    ouiidx_sort(e, n);
    idx->owned = e;
    idx->e = e;
    idx->n = n;
    return 0;
}

int ouiidx_save(const char *path, const struct stat *st, const struct ouiidx *idx)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= sizeof(tmp))
        return -1;
    nk_make_parent(path); /* a failure shows in the open below */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    struct header h;
    describe(st, &h);
    h.count = idx->n;
    size_t body = idx->n * sizeof(*idx->e);
    bool ok = write(fd, &h, sizeof(h)) == (ssize_t)sizeof(h) &&
              (body == 0 || write(fd, idx->e, body) == (ssize_t)body);
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) < 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

void ouiidx_free(struct ouiidx *idx)
{
    if (idx->map)
        munmap(idx->map, idx->maplen);
    free(idx->owned);
    memset(idx, 0, sizeof(*idx));
}
