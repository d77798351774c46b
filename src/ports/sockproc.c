/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sockproc.c - socket inode -> owning process through /proc. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "ports/sockproc.h"

/* An open-addressing hash from inode to the index of its socket in the vector. */
struct inomap {
    uint32_t *ino; /* keys; 0 is the empty slot (no socket has inode 0 here) */
    size_t *idx;   /* the socket's index in the vector */
    size_t mask;   /* capacity - 1 (a power of two) */
};

static size_t slot_of(const struct inomap *m, uint32_t ino)
{
    /* Fibonacci hashing spreads consecutive inodes over the table. */
    return (size_t)((ino * 2654435769u) >> 7) & m->mask;
}

static int inomap_init(struct inomap *m, const struct sockvec *v)
{
    size_t cap = 64;
    while (cap < v->n * 2)
        cap *= 2;
    m->mask = cap - 1;
    m->ino = calloc(cap, sizeof(*m->ino));
    m->idx = calloc(cap, sizeof(*m->idx));
    if (!m->ino || !m->idx)
        return -1;
    for (size_t i = 0; i < v->n; i++) {
        uint32_t ino = v->v[i].inode;
        if (!ino)
            continue;
        size_t s = slot_of(m, ino);
        while (m->ino[s] && m->ino[s] != ino)
            s = (s + 1) & m->mask;
        /* An inode is one socket; should the kernel list it twice, the first entry wins. */
        if (!m->ino[s]) {
            m->ino[s] = ino;
            m->idx[s] = i;
        }
    }
    return 0;
}

static long inomap_find(const struct inomap *m, uint32_t ino)
{
    size_t s = slot_of(m, ino);
    while (m->ino[s]) {
        if (m->ino[s] == ino)
            return (long)m->idx[s];
        s = (s + 1) & m->mask;
    }
    return -1;
}

/* "socket:[12345]" -> 12345; 0 for anything else. */
static uint32_t socket_inode(const char *link)
{
    if (strncmp(link, "socket:[", 8) != 0)
        return 0;
    char *end;
    unsigned long v = strtoul(link + 8, &end, 10);
    if (*end != ']' || v > UINT32_MAX)
        return 0;
    return (uint32_t)v;
}

static void read_comm(int piddir, char comm[16])
{
    int fd = openat(piddir, "comm", O_RDONLY | O_CLOEXEC);
    comm[0] = '\0';
    if (fd < 0)
        return;
    ssize_t n = read(fd, comm, 15);
    close(fd);
    if (n <= 0)
        return;
    comm[n] = '\0';
    char *nl = strchr(comm, '\n');
    if (nl)
        *nl = '\0';
}

/* Match one process's descriptors; returns the number of sockets it claimed. */
static size_t scan_pid(int procfd, const char *name, int pid, struct sockvec *v,
                       const struct inomap *m, struct sockproc_stats *st, bool *oom)
{
    size_t claimed = 0;
    int piddir = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (piddir < 0)
        return 0;
    int fdd = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fdd < 0) {
        if (errno == EACCES || errno == EPERM)
            st->hidden++;
        close(piddir);
        return 0;
    }
    DIR *d = fdopendir(fdd);
    if (!d) {
        close(fdd);
        close(piddir);
        return 0;
    }
    char comm[16] = "";
    bool have_comm = false;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        char link[64];
        ssize_t n = readlinkat(fdd, de->d_name, link, sizeof(link) - 1);
        if (n <= 0)
            continue;
        link[n] = '\0';
        uint32_t ino = socket_inode(link);
        long i = ino ? inomap_find(m, ino) : -1;
        if (i < 0)
            continue;
        if (!have_comm) {
            read_comm(piddir, comm);
            have_comm = true;
        }
        struct sockent *s = &v->v[i];
        if (s->pid == 0 || pid < s->pid) {
            s->pid = pid;
            memcpy(s->comm, comm, sizeof(s->comm));
        }
        struct sockowner *o = realloc(s->owners, (s->nowners + 1) * sizeof(*o));
        if (!o) {
            *oom = true;
            break;
        }
        s->owners = o;
        o = &o[s->nowners++];
        o->pid = pid;
        o->fd = atoi(de->d_name);
        memcpy(o->comm, comm, sizeof(o->comm));
        claimed++;
    }
    closedir(d);
    close(piddir);
    return claimed;
}

static int owner_cmp(const void *a, const void *b)
{
    const struct sockowner *x = a, *y = b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    return (x->fd > y->fd) - (x->fd < y->fd);
}

int sockproc_fill(struct sockvec *v, const char *proc_root, struct sockproc_stats *st,
                  char err[NK_ERRLEN])
{
    bool oom = false;
    struct inomap m = {0};
    memset(st, 0, sizeof(*st));
    if (inomap_init(&m, v) < 0) {
        free(m.ino);
        free(m.idx);
        return nk_seterr(err, "processes: out of memory");
    }
    int procfd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = procfd >= 0 ? fdopendir(procfd) : NULL;
    if (!d) {
        int e = errno;
        if (procfd >= 0)
            close(procfd);
        free(m.ino);
        free(m.idx);
        return nk_seterr(err, "%s: %s", proc_root, nk_strerror(e));
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0 || de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        scan_pid(procfd, de->d_name, (int)pid, v, &m, st, &oom);
    }
    closedir(d);
    free(m.ino);
    free(m.idx);
    if (oom)
        return nk_seterr(err, "processes: out of memory");
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i].nowners > 1)
            qsort(v->v[i].owners, v->v[i].nowners, sizeof(struct sockowner), owner_cmp);
    return 0;
}
