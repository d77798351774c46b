/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oui.c - find vendors of a few OUIs in the IEEE registry with one chunked pass (see oui.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "link/oui.h"
#include "link/ouiidx.h"

/* Bytes of the registry mapped at a time: small enough to keep memory flat, big enough for few
 * system calls. A multiple of the page size. */
#define WINDOW (512 * 1024)
/* The page size we align windows to (mmap offsets must be multiples of the real one, which
 * divides this on every Linux architecture). */
#define PAGE 65536

bool oui_applies(const uint8_t *mac, size_t len)
{
    if (len != 6 && len != 8)
        return false;
    /* Bit 0 of the first byte: group (multicast); bit 1: locally administered. */
    if (mac[0] & 0x03)
        return false;
    for (size_t i = 0; i < len; i++)
        if (mac[i])
            return true;
    return false; /* all zero: loopback and "no address" devices */
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

bool oui_parse_line(const char *line, size_t len, uint8_t oui[3], char *vendor, size_t namelen)
{
    if (len > 0 && line[len - 1] == '\r')
        len--;
    /* "XX-XX-XX" */
    if (len < 8 || line[2] != '-' || line[5] != '-')
        return false;
    for (int i = 0; i < 3; i++) {
        int hi = hexval(line[i * 3]), lo = hexval(line[i * 3 + 1]);
        if (hi < 0 || lo < 0)
            return false;
        oui[i] = (uint8_t)(hi << 4 | lo);
    }
    size_t p = 8;
    if (p >= len || !is_space(line[p]))
        return false;
    while (p < len && is_space(line[p]))
        p++;
    if (len - p < 5 || memcmp(line + p, "(hex)", 5) != 0)
        return false;
    p += 5;
    while (p < len && is_space(line[p]))
        p++;
    size_t end = len;
    while (end > p && is_space(line[end - 1]))
        end--;
    if (end == p || namelen == 0)
        return false; /* no vendor named */
    size_t n = end - p;
    if (n > namelen - 1)
        n = namelen - 1;
    memcpy(vendor, line + p, n);
    vendor[n] = '\0';
    return true;
}

/* Try the line starting at buf[start] for query q. */
static bool try_line(const char *buf, size_t len, size_t start, struct oui_query *q)
{
    const char *nl = memchr(buf + start, '\n', len - start);
    size_t end = nl ? (size_t)(nl - buf) : len;
    uint8_t oui[3];
    if (!oui_parse_line(buf + start, end - start, oui, q->vendor, sizeof(q->vendor)))
        return false;
    if (memcmp(oui, q->oui, 3) != 0)
        return false;
    q->found = true;
    return true;
}

/* Find the queries in lines that start in [from, to) of buf. The registry's lines read
 * "XX-XX-XX   (hex)\t\tVendor" in capitals: searching for that whole 16-byte prefix lets memmem
 * skip ahead far faster than walking lines. */
static size_t scan_range(const char *buf, size_t len, size_t from, size_t to, struct oui_query *q,
                         size_t n)
{
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (q[i].found)
            continue;
        char needle[17];
        snprintf(needle, sizeof(needle), "%02X-%02X-%02X   (hex)", q[i].oui[0], q[i].oui[1],
                 q[i].oui[2]);
        size_t off = from;
        while (off < to && off < len) {
            const char *m = memmem(buf + off, len - off, needle, 16);
            if (!m)
                break;
            size_t start = (size_t)(m - buf);
            if (start >= to)
                break;
            if ((start == 0 || buf[start - 1] == '\n') && try_line(buf, len, start, &q[i])) {
                found++;
                break;
            }
            off = start + 1;
        }
    }
    return found;
}

size_t oui_scan(const char *buf, size_t len, struct oui_query *q, size_t n)
{
    return scan_range(buf, len, 0, len, q, n);
}

/* Answer the queries from an index: read each entry's line and check it names that OUI (the
 * registry may differ from what the index was built from only if it changed in the same
 * second with the same size; then the check fails and that OUI has no vendor this time). */
static size_t lookup_indexed(int fd, const struct ouiidx *idx, struct oui_query *q, size_t n)
{
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (q[i].found)
            continue;
        const struct ouiidx_entry *e = ouiidx_find(idx->e, idx->n, q[i].oui);
        if (!e)
            continue;
        char line[OUI_NAMELEN + 64];
        ssize_t r = pread(fd, line, sizeof(line), (off_t)e->offset);
        if (r <= 0)
            continue;
        const char *nl = memchr(line, '\n', (size_t)r);
        if (try_line(line, nl ? (size_t)(nl - line) : (size_t)r, 0, &q[i]))
            found++;
    }
    return found;
}

/* Search the registry directly, a window at a time (no index available). */
static size_t lookup_scan(int fd, size_t size, struct oui_query *q, size_t n, size_t want)
{
    size_t found = 0;
    /* Window k holds the lines starting in [k*WINDOW, (k+1)*WINDOW), plus the page before (to see
     * the preceding newline) and a page after (to finish the last line). */
    for (size_t lo = 0; lo < size && found < want; lo += WINDOW) {
        size_t map_from = lo ? lo - PAGE : 0;
        size_t map_to = lo + WINDOW + PAGE < size ? lo + WINDOW + PAGE : size;
        char *m = mmap(NULL, map_to - map_from, PROT_READ, MAP_PRIVATE, fd, (off_t)map_from);
        if (m == MAP_FAILED)
            break;
        size_t to = lo + WINDOW < size ? lo + WINDOW : size;
        found += scan_range(m, map_to - map_from, lo - map_from, to - map_from, q, n);
        munmap(m, map_to - map_from);
    }
    return found;
}

size_t oui_lookup(const char *path, struct oui_query *q, size_t n)
{
    size_t want = 0, found = 0;
    for (size_t i = 0; i < n; i++)
        want += !q[i].found;
    if (want == 0)
        return 0;
    if (!path) {
        path = getenv("NETKIT_OUI_FILE");
        if (!path || !*path)
            path = OUI_DEFAULT_PATH;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > UINT32_MAX) {
        close(fd);
        return 0;
    }
    /* Parsed once: the first run builds the sorted index and caches it; later runs binary-search
     * the cache. Without a cache location, search the text directly (slower, still correct). */
    char cpath[4096];
    const char *cache = ouiidx_cache_path(cpath, sizeof(cpath));
    struct ouiidx idx;
    if (cache && (ouiidx_load(cache, &st, &idx) == 0 ||
                  (ouiidx_build(fd, &st, &idx) == 0 && (ouiidx_save(cache, &st, &idx), 1)))) {
        found = lookup_indexed(fd, &idx, q, n);
        ouiidx_free(&idx);
    } else {
        found = lookup_scan(fd, (size_t)st.st_size, q, n, want);
    }
    close(fd);
    return found;
}
