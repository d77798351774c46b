/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo-client-server.c - a tight single-threaded epoll echo server, the common target of
 * bench/echo-client.sh (so the clients, not the server code, are what differs).
 *
 *   cc -O2 -o echo-client-server echo-client-server.c && ./echo-client-server [PORT]
 *
 * Prints "listening on tcp 127.0.0.1:PORT" when ready. Reads up to 64 KiB per event and writes
 * it straight back; whatever the socket does not take is kept and sent on EPOLLOUT, and the
 * connection is not read meanwhile (so a client that never reads cannot grow the buffer). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF 65536

/* One client. */
struct client {
    int fd;             /* its socket */
    size_t off, len;    /* unsent part of buf */
    unsigned char *buf; /* pending echo (allocated on first partial write) */
};

static void drop(int ep, struct client *c)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->buf);
    free(c);
}

/* Push pending bytes; 0 when all sent, 1 when some remain, -1 on error. */
static int flush_pending(struct client *c)
{
    while (c->off < c->len) {
        ssize_t w = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
        if (w < 0)
            return errno == EAGAIN ? 1 : -1;
        c->off += (size_t)w;
    }
    c->off = c->len = 0;
    return 0;
}

int main(int argc, char **argv)
{
    static unsigned char rx[BUF];
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    int port = argc > 1 ? atoi(argv[1]) : 0, one = 1;
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 4096) < 0) {
        perror("echo-client-server: bind/listen");
        return 1;
    }
    socklen_t al = sizeof(a);
    getsockname(ls, (struct sockaddr *)&a, &al);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    printf("listening on tcp 127.0.0.1:%d\n", ntohs(a.sin_port));
    fflush(stdout);
    struct epoll_event evs[512];
    for (;;) {
        int n = epoll_wait(ep, evs, 512, -1);
        for (int i = 0; i < n; i++) {
            struct client *c = evs[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                    c = calloc(1, sizeof(*c));
                    c->fd = fd;
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
                }
                continue;
            }
            if (c->len) { /* writable again: finish the pending echo, then read again */
                int r = flush_pending(c);
                if (r < 0) {
                    drop(ep, c);
                } else if (r == 0) {
                    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                }
                continue;
            }
            ssize_t got = recv(c->fd, rx, BUF, 0);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN)
                    continue;
                drop(ep, c);
                continue;
            }
            ssize_t w = send(c->fd, rx, (size_t)got, MSG_NOSIGNAL);
            if (w < 0 && errno != EAGAIN) {
                drop(ep, c);
                continue;
            }
            if (w < got) {
                size_t rest = (size_t)got - (size_t)(w < 0 ? 0 : w);
                if (!c->buf)
                    c->buf = malloc(BUF);
                memcpy(c->buf, rx + (got - (ssize_t)rest), rest);
                c->off = 0;
                c->len = rest;
                struct epoll_event e = {.events = EPOLLOUT, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
            }
        }
    }
}
