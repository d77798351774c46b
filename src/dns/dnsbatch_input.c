/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsbatch_input.c - the batch's names: the line splitter, the input descriptor, argv. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "dns/dnsbatch.h"
#include "dns/dnsbatch_int.h"
#include "dns/dnsname.h"

/* ---- the line splitter ---- */

char *dnsb_lines_space(struct dnsb_lines *r, size_t *room)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
    }
    if (r->len == DNSB_LINE_MAX) { /* no newline in a whole buffer: an overlong line */
        if (!r->skipping) {
            size_t h = sizeof(r->head) - 4;
            memcpy(r->head, r->buf, h);
            memcpy(r->head + h, "\xe2\x80\xa6", 4); /* "…" and its NUL */
            r->skipping = true;
        }
        r->len = 0;
    }
    *room = DNSB_LINE_MAX - r->len;
    return r->buf + r->len;
}

void dnsb_lines_added(struct dnsb_lines *r, size_t n)
{
    if (n == 0)
        r->eof = true;
    r->len += n;
}

int dnsb_lines_next(struct dnsb_lines *r, char **line, char err[NK_ERRLEN])
{
    char *s = r->buf + r->start;
    char *nl = memchr(s, '\n', r->len - r->start);
    if (!nl && !(r->eof && (r->start < r->len || r->skipping)))
        return r->eof ? -1 : 0;
    size_t l = nl ? (size_t)(nl - s) : r->len - r->start;
    s[l] = '\0'; /* buf has one spare byte beyond DNSB_LINE_MAX for this */
    r->start += l + (nl ? 1 : 0);
    r->lineno++;
    *line = s;
    if (r->skipping) {
        r->skipping = false;
        *line = r->head;
        nk_seterr(err, "line %llu: longer than %d bytes", (unsigned long long)r->lineno,
                  DNSB_LINE_MAX);
        return 2;
    }
    if (strlen(s) != l) {
        nk_seterr(err, "line %llu: contains a NUL byte", (unsigned long long)r->lineno);
        return 2;
    }
    return 1;
}

/* ---- input ---- */

/* Read once into the splitter. 0, or -1 with b->err. */
static int reader_fill(struct batch *b)
{
    struct reader *r = &b->rd;
    size_t room;
    char *p = dnsb_lines_space(r->ln, &room);
    ssize_t n;
    do
        n = read(r->fd, p, room);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        nk_seterr(b->err, "reading names: %s", nk_strerror(errno));
        return -1;
    }
    dnsb_lines_added(r->ln, (size_t)n);
    return 0;
}

static void reader_io(struct loop *l, struct loop_io *io, uint32_t ev)
{
    (void)l;
    (void)ev;
    struct batch *b = io->arg;
    struct reader *r = &b->rd;
    loop_io_del(b->c->loop, &r->io);
    r->waiting = false;
    if (reader_fill(b) < 0) /* ready: this read does not block */
        b->fail = 1;
    batch_pump(b);
}

/* The next raw line: 1 (in *line, valid until the next call), 2 (a bad line, b->name_err says
 * why), 0 (wait for input), -1 (end), -2 (error). */
static int reader_line(struct batch *b, char **line)
{
    struct reader *r = &b->rd;
    for (;;) {
        int rc = dnsb_lines_next(r->ln, line, b->name_err);
        if (rc != 0)
            return rc;
        if (!r->unpollable) {
            if (r->waiting)
                return 0;
            r->io.fd = r->fd;
            r->io.fn = reader_io;
            r->io.arg = b;
            if (loop_io_add(b->c->loop, &r->io, EPOLLIN) == 0) {
                r->waiting = true;
                return 0;
            }
            if (errno != EPERM) {
                nk_seterr(b->err, "reading names: %s", nk_strerror(errno));
                return -2;
            }
            r->unpollable = true; /* a regular file: just read it */
        }
        if (reader_fill(b) < 0)
            return -2;
    }
}

/* Load the next name into b->name: 1, 0 (wait), -1 (end), -2 (error). */
int batch_next_name(struct batch *b)
{
    const struct dnsb_cfg *c = b->c;
    char *line;
    if (c->names) {
        if (b->argi >= c->nnames)
            return -1;
        line = c->names[b->argi++];
    } else {
        for (;;) {
            int rc = reader_line(b, &line);
            if (rc == 2) { /* reported as a bad item of its own; the lines after it go on */
                snprintf(b->name, sizeof(b->name), "%s", line);
                b->name_reverse = false;
                b->line_bad = true;
                b->types = c->types;
                b->ntypes = c->ntypes;
                b->ascii[0] = '\0';
                return 1;
            }
            if (rc <= 0)
                return rc;
            while (isspace((unsigned char)*line))
                line++;
            size_t l = strlen(line);
            while (l > 0 && isspace((unsigned char)line[l - 1]))
                line[--l] = '\0';
            if (l > 0 && line[0] != '#') /* blank lines and comments are skipped */
                break;
        }
    }
    size_t nl = strnlen(line, sizeof(b->name) - 1);
    memcpy(b->name, line, nl);
    b->name[nl] = '\0';
    b->name_err[0] = '\0';
    b->name_reverse = false;
    b->line_bad = false;
    b->types = c->types;
    b->ntypes = c->ntypes;
    /* dig's word order: types given after this name, or -x (its PTR, or those types). */
    const struct dns_query *q = c->names && c->queries ? &c->queries[b->argi - 1] : NULL;
    if (q && q->ntypes) {
        b->types = q->types;
        b->ntypes = q->ntypes;
    }
    if (q && q->reverse) {
        if (!dns_reverse_name(b->name, b->ascii, sizeof(b->ascii)))
            snprintf(b->name_err, sizeof(b->name_err), "-x '%.64s': not an IP address", b->name);
        b->name_reverse = q->ntypes == 0;
        return 1;
    }
    if (b->ntypes == 0 && dns_reverse_name(b->name, b->ascii, sizeof(b->ascii)))
        b->name_reverse = true;
    else if (dns_name_to_ascii(b->name, b->ascii, b->name_err) < 0)
        b->ascii[0] = '\0';
    return 1;
}

int dnsb_count_names(int fd, uint64_t *n)
{
    struct stat sb;
    off_t off = lseek(fd, 0, SEEK_CUR);
    if (off < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
        return -1;
    char buf[65536];
    bool start = true, named = false; /* at a line's start; the line has a name */
    uint64_t count = 0;
    for (;;) {
        ssize_t r = pread(fd, buf, sizeof(buf), off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        for (ssize_t i = 0; i < r; i++) {
            unsigned char c = (unsigned char)buf[i];
            if (c == '\n') {
                count += named;
                start = true;
                named = false;
            } else if (start && !isspace(c)) {
                named = c != '#';
                start = false;
            }
        }
        off += r;
    }
    *n = count + named;
    return 0;
}
