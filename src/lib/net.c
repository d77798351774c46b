/* SPDX-License-Identifier: GPL-3.0-or-later */
/* net.c - address parsing and formatting, listen and connect helpers. */
#include <arpa/inet.h>
#include <ctype.h>
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

const char *net_unbracket(const char *host, char *buf, size_t len)
{
    size_t n = strlen(host);
    if (n < 2 || host[0] != '[' || host[n - 1] != ']' || n - 2 >= len)
        return host;
    memcpy(buf, host + 1, n - 2);
    buf[n - 2] = '\0';
    return buf;
}

int net_parse_port_range(const char *buf, size_t len, int *lo, int *hi, char err[NK_ERRLEN])
{
    static const char *const shape = "ephemeral port range: expected 'LOW HIGH'";
    long long v[2];
    size_t i = 0;
    for (int k = 0; k < 3; k++) {
        while (i < len && isspace((unsigned char)buf[i]))
            i++;
        size_t start = i;
        while (i < len && buf[i] && !isspace((unsigned char)buf[i]))
            i++;
        if (i < len && !buf[i])
            return nk_seterr(err, "%s", shape); /* a NUL inside the text */
        char word[24];
        size_t n = i - start;
        if (k == 2) {
            if (n > 0)
                return nk_seterr(err, "%s", shape);
            break;
        }
        if (n == 0 || n >= sizeof(word))
            return n ? nk_seterr(err, "%.*s...: port out of range (1-65535)", 12, buf + start)
                     : nk_seterr(err, "%s", shape);
        memcpy(word, buf + start, n);
        word[n] = '\0';
        if (nk_parse_num(word, 1, 65535, "port", &v[k], err) < 0)
            return -1;
    }
    if (v[0] > v[1])
        return nk_seterr(err, "ephemeral port range: %lld > %lld", v[0], v[1]);
    *lo = (int)v[0];
    *hi = (int)v[1];
    return 0;
}

int net_ephemeral_range(const char *path, int *lo, int *hi, char err[NK_ERRLEN])
{
    char buf[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nk_seterr(err, "%s: %s", path, nk_strerror(errno));
    ssize_t n = read(fd, buf, sizeof(buf));
    int e = errno;
    close(fd);
    if (n < 0)
        return nk_seterr(err, "%s: %s", path, nk_strerror(e));
    char why[NK_ERRLEN];
    if (net_parse_port_range(buf, (size_t)n, lo, hi, why) < 0)
        return nk_seterr(err, "%s: %s", path, why);
    return 0;
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
    char host[sizeof(struct sockaddr_un)]; /* net_ntop may write a Unix path here */
    if (sa->sa_family == AF_INET)
        snprintf(buf, len, "%s:%d", net_ntop(sa, host, sizeof(host)), net_port(sa));
    else if (sa->sa_family == AF_INET6) {
        /* A link-local address means nothing without its interface: "[fe80::1%eth0]:7". */
        uint32_t scope = ((const struct sockaddr_in6 *)sa)->sin6_scope_id;
        char ifn[IF_NAMESIZE + 1] = "";
        if (scope && !if_indextoname(scope, ifn + 1))
            snprintf(ifn + 1, sizeof(ifn) - 1, "%u", scope);
        if (scope)
            ifn[0] = '%';
        snprintf(buf, len, "[%s%s]:%d", net_ntop(sa, host, sizeof(host)), ifn, net_port(sa));
    } else
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

bool net_is_loopback_raw(int family, const void *addr)
{
    const uint8_t *a = addr;
    static const uint8_t v6lo[16] = {[15] = 1};
    static const uint8_t v4mapped[12] = {[10] = 0xff, [11] = 0xff};
    if (family == AF_INET)
        return a[0] == 127;
    if (family == AF_INET6)
        return memcmp(a, v6lo, 16) == 0 || (memcmp(a, v4mapped, 12) == 0 && a[12] == 127);
    return false;
}

bool net_is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return net_is_loopback_raw(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr);
    if (sa->sa_family == AF_INET6)
        return net_is_loopback_raw(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr);
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
