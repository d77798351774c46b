/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cares_ref.c - the reference for bench/resolve.sh: a bare c-ares 1.18 client.
 *
 *   cares_ref SERVER PORT INFLIGHT FILE
 *
 * One channel, ares_query for type A, SOCK_STATE_CB + epoll, a fixed number of queries in
 * flight, no output but a count. It is what "c-ares alone" does: netkit resolve -f is measured
 * against it. Prints "answered N failed M" on stdout.
 */
#include <ares.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

static ares_channel ch;
static int ep;
static char **names;
static size_t nnames, next, done, ok, inflight, limit;

static void sock_cb(void *data, ares_socket_t fd, int r, int w)
{
    (void)data;
    struct epoll_event ev = {.events = (r ? EPOLLIN : 0) | (w ? EPOLLOUT : 0), .data.fd = fd};
    if (!r && !w) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
        return;
    }
    if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) < 0)
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void fill(void);

static void cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)arg;
    (void)timeouts;
    (void)abuf;
    (void)alen;
    done++;
    inflight--;
    if (status == ARES_SUCCESS)
        ok++;
    fill();
}

static void fill(void)
{
    while (inflight < limit && next < nnames) {
        inflight++;
        ares_query(ch, names[next++], 1, 1, cb, NULL);
    }
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: cares_ref SERVER PORT INFLIGHT FILE\n");
        return 2;
    }
    limit = (size_t)atol(argv[3]);
    FILE *f = fopen(argv[4], "r");
    if (!f)
        return perror(argv[4]), 1;
    char line[512];
    size_t cap = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (nnames == cap) {
            cap = cap ? cap * 2 : 1024;
            names = realloc(names, cap * sizeof(*names));
        }
        names[nnames++] = strdup(line);
    }
    fclose(f);
    ares_library_init(ARES_LIB_INIT_ALL);
    ep = epoll_create1(0);
    struct ares_options o = {0};
    o.flags = ARES_FLAG_NOCHECKRESP;
    o.timeout = 2000;
    o.tries = 2;
    o.sock_state_cb = sock_cb;
    ares_init_options(
        &ch, &o, ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB);
    char csv[128];
    snprintf(csv, sizeof(csv), "%s:%s", argv[1], argv[2]);
    ares_set_servers_ports_csv(ch, csv);
    fill();
    while (done < nnames) {
        struct timeval tv, *tp = ares_timeout(ch, NULL, &tv);
        int ms = tp ? (int)(tp->tv_sec * 1000 + tp->tv_usec / 1000) : 1000;
        struct epoll_event evs[64];
        int n = epoll_wait(ep, evs, 64, ms);
        if (n == 0)
            ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            ares_process_fd(ch, (evs[i].events & (EPOLLIN | EPOLLERR)) ? fd : ARES_SOCKET_BAD,
                            (evs[i].events & EPOLLOUT) ? fd : ARES_SOCKET_BAD);
        }
    }
    printf("answered %zu failed %zu\n", ok, done - ok);
    ares_destroy(ch);
    return 0;
}
