/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oui.c - find vendors of a few OUIs in the IEEE registry with one chunked pass (see oui.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oui.h"

/* Bytes read at a time: small enough to keep memory flat, big enough for few system calls. */
#define CHUNK (64 * 1024)

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

size_t oui_scan(const char *buf, size_t len, struct oui_query *q, size_t n)
{
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (q[i].found)
            continue;
        /* The registry writes hex in capitals: search for the exact "\nXX-XX-XX" line start. */
        char needle[10];
        snprintf(needle, sizeof(needle), "\n%02X-%02X-%02X", q[i].oui[0], q[i].oui[1], q[i].oui[2]);
        if (len >= 8 && memcmp(buf, needle + 1, 8) == 0 && try_line(buf, len, 0, &q[i])) {
            found++;
            continue;
        }
        size_t off = 0;
        while (off < len) {
            const char *m = memmem(buf + off, len - off, needle, 9);
            if (!m)
                break;
            size_t start = (size_t)(m - buf) + 1;
            if (try_line(buf, len, start, &q[i])) {
                found++;
                break;
            }
            off = start;
        }
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
    char *buf = malloc(CHUNK);
    if (!buf) {
        close(fd);
        return 0;
    }
    size_t have = 0;       /* bytes of an unfinished line kept at buf[0] */
    bool skipping = false; /* inside a line longer than the buffer: ignore it */
    for (;;) {
        ssize_t r = read(fd, buf + have, CHUNK - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0 && have && !skipping) /* the last line had no newline */
                found += oui_scan(buf, have, q, n);
            break;
        }
        size_t total = have + (size_t)r;
        const char *last = memrchr(buf, '\n', total);
        if (!last) { /* one line fills the buffer: drop it */
            have = 0;
            skipping = true;
            continue;
        }
        size_t complete = (size_t)(last - buf) + 1, start = 0;
        if (skipping) { /* the rest of the long line ends at the first newline */
            start = (size_t)((const char *)memchr(buf, '\n', total) - buf);
            skipping = false;
        }
        found += oui_scan(buf + start, complete - start, q, n);
        if (found >= want)
            break;
        have = total - complete;
        memmove(buf, buf + complete, have);
    }
    free(buf);
    close(fd);
    return found;
}
