/* SPDX-License-Identifier: GPL-3.0-or-later */
/* net.c - address parsing and formatting, listen and connect helpers. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/net.h"
#include "lib/num.h"

int net_parse_port(const char *s, int *port, char err[NK_ERRLEN])
{
    long long v;
    if (nk_parse_num(s, 0, 65535, "port", &v, err) < 0)
        return -1;
    *port = (int)v;
    return 0;
}

int net_parse_ip(const char *s, int port, struct net_addr *a, char err[NK_ERRLEN])
{
    memset(a, 0, sizeof(*a));
    struct sockaddr_in *in4 = (struct sockaddr_in *)&a->ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;
    if (inet_pton(AF_INET, s, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        a->len = sizeof(*in4);
        return 0;
    }
    char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
    if (strlen(s) >= sizeof(host))
        return nk_seterr(err, "'%.64s...': not an IP address", s);
    strcpy(host, s);
    char *pct = strchr(host, '%');
    if (pct)
        *pct++ = '\0';
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
        return nk_seterr(err, "'%s': not an IP address", s);
    if (pct) {
        unsigned idx = if_nametoindex(pct);
        long long n;
        char e2[NK_ERRLEN];
        if (!idx && nk_parse_num(pct, 1, 0x7fffffff, "scope", &n, e2) == 0)
            idx = (unsigned)n;
        if (!idx)
            return nk_seterr(err, "'%s': unknown scope '%s'", s, pct);
        in6->sin6_scope_id = idx;
    }
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    a->len = sizeof(*in6);
    return 0;
}

int net_parse_hostport(const char *s, int default_port, struct net_addr *a, char err[NK_ERRLEN])
{
    char host[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
    const char *portstr = NULL;
    size_t hl;
    if (!s || !*s)
        return nk_seterr(err, "'': empty address");
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close)
            return nk_seterr(err, "'%s': missing ']'", s);
        hl = (size_t)(close - s - 1);
        if (close[1] == ':')
            portstr = close + 2;
        else if (close[1] != '\0')
            return nk_seterr(err, "'%s': expected ':PORT' after ']'", s);
        s++;
    } else {
        const char *colon = strchr(s, ':');
        if (colon && strchr(colon + 1, ':'))
            colon = NULL; /* more than one colon: a bare IPv6 address */
        hl = colon ? (size_t)(colon - s) : strlen(s);
        if (colon)
            portstr = colon + 1;
    }
    if (hl == 0 || hl >= sizeof(host))
        return nk_seterr(err, "'%s': not an IP address", s);
    memcpy(host, s, hl);
    host[hl] = '\0';
    int port = default_port;
    if (portstr && net_parse_port(portstr, &port, err) < 0)
        return -1;
    return net_parse_ip(host, port, a, err);
}

const char *net_ntop(const struct sockaddr *sa, char *buf, size_t len)
{
    const void *p = NULL;
    if (sa->sa_family == AF_INET)
        p = &((const struct sockaddr_in *)sa)->sin_addr;
    else if (sa->sa_family == AF_INET6)
        p = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    else if (sa->sa_family == AF_UNIX)
        snprintf(buf, len, "%s", ((const struct sockaddr_un *)sa)->sun_path);
    else
        snprintf(buf, len, "?");
    if (p && !inet_ntop(sa->sa_family, p, buf, (socklen_t)len))
        snprintf(buf, len, "?");
    return buf;
}

const char *net_ntop_port(const struct sockaddr *sa, char *buf, size_t len)
{
    char host[INET6_ADDRSTRLEN];
    if (sa->sa_family == AF_INET)
        snprintf(buf, len, "%s:%d", net_ntop(sa, host, sizeof(host)), net_port(sa));
    else if (sa->sa_family == AF_INET6)
        snprintf(buf, len, "[%s]:%d", net_ntop(sa, host, sizeof(host)), net_port(sa));
    else
        net_ntop(sa, buf, len);
    return buf;
}

int net_port(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)sa)->sin_port);
    if (sa->sa_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
    return 0;
}

void net_set_port(struct sockaddr *sa, int port)
{
    if (sa->sa_family == AF_INET)
        ((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)port);
    else if (sa->sa_family == AF_INET6)
        ((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)port);
}

bool net_is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a))
            return true;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return false;
}

int net_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    return 0;
}

int net_listen(const struct net_addr *a, int type, int backlog, bool reuseport, char err[NK_ERRLEN])
{
    char name[NET_ADDRSTRLEN];
    int one = 1;
    int fam = a->ss.ss_family;
    int fd = socket(fam, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        goto fail;
    if (fam != AF_UNIX) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
            goto fail;
        if (fam == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
            goto fail;
    }
    if (bind(fd, (const struct sockaddr *)&a->ss, a->len) < 0)
        goto fail;
    if (type == SOCK_STREAM && listen(fd, backlog) < 0)
        goto fail;
    return fd;
fail:;
    int e = errno;
    nk_seterr(err, "%s: %s", net_ntop_port((const struct sockaddr *)&a->ss, name, sizeof(name)),
              e == EADDRINUSE ? "address already in use" : nk_strerror(e));
    if (fd >= 0)
        close(fd);
    errno = e;
    return -1;
}

int net_connect_nb(const struct net_addr *a, int type, char err[NK_ERRLEN])
{
    char name[NET_ADDRSTRLEN];
    int fd = socket(a->ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        goto fail;
    if (connect(fd, (const struct sockaddr *)&a->ss, a->len) < 0 && errno != EINPROGRESS)
        goto fail;
    return fd;
fail:;
    int e = errno;
    nk_seterr(err, "%s: %s", net_ntop_port((const struct sockaddr *)&a->ss, name, sizeof(name)),
              nk_strerror(e));
    if (fd >= 0)
        close(fd);
    errno = e;
    return -1;
}

int net_local_addr(int fd, struct net_addr *a)
{
    a->len = sizeof(a->ss);
    return getsockname(fd, (struct sockaddr *)&a->ss, &a->len);
}
