/* SPDX-License-Identifier: GPL-3.0-or-later */
/* epoll_echo.c - a tight single-thread epoll echo server for comparison: TCP, and UDP with
 * recvmmsg/sendmmsg. Per connection it keeps only the descriptor; a write that would block
 * simply waits (the kernel buffers), which is what makes it tight and what netkit must match.
 *   epoll_echo PORT
 * PORT 0 picks a free port on 127.0.0.1 (the same number for TCP and UDP) and prints
 * "listening on tcp 127.0.0.1:PORT" once it accepts: how bench/echo-client.sh starts it. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 32

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    int one = 1, any_port = atoi(argv[1]) == 0, ls = -1, us = -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    if (any_port)
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* With port 0 the UDP port may already be taken: try another TCP port, a few times. */
    for (int tries = 0;; tries++) {
        ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        us = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        socklen_t al = sizeof(a);
        if (bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 4096) < 0 ||
            getsockname(ls, (struct sockaddr *)&a, &al) < 0) {
            perror("epoll_echo");
            return 1;
        }
        if (bind(us, (struct sockaddr *)&a, sizeof(a)) == 0)
            break;
        if (!any_port || tries == 9) {
            perror("epoll_echo");
            return 1;
        }
        close(ls);
        close(us);
        a.sin_port = 0;
    }
    if (any_port) {
        printf("listening on tcp 127.0.0.1:%d\n", ntohs(a.sin_port));
        fflush(stdout);
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    ev.data.fd = us;
    epoll_ctl(ep, EPOLL_CTL_ADD, us, &ev);
    static char buf[65536], ubuf[BATCH][2048];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_storage names[BATCH];
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == ls) {
                int c;
                while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                    struct epoll_event ce = {.events = EPOLLIN, .data.fd = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                }
            } else if (fd == us) {
                for (int k = 0; k < BATCH; k++) {
                    iov[k] = (struct iovec){ubuf[k], sizeof(ubuf[k])};
                    msgs[k].msg_hdr = (struct msghdr){.msg_name = &names[k],
                                                      .msg_namelen = sizeof(names[k]),
                                                      .msg_iov = &iov[k],
                                                      .msg_iovlen = 1};
                }
                int m = recvmmsg(us, msgs, BATCH, 0, NULL);
                for (int k = 0; k < m; k++)
                    iov[k].iov_len = msgs[k].msg_len;
                if (m > 0)
                    sendmmsg(us, msgs, (unsigned)m, 0);
            } else {
                ssize_t r = read(fd, buf, sizeof(buf));
                if (r <= 0) {
                    if (r < 0 && errno == EAGAIN)
                        continue;
                    close(fd);
                    continue;
                }
                for (ssize_t off = 0; off < r;) {
                    ssize_t w = write(fd, buf + off, (size_t)(r - off));
                    if (w < 0 && errno == EAGAIN)
                        continue; /* spin: tight, not polite */
                    if (w <= 0)
                        break;
                    off += w;
                }
            }
        }
    }
}
