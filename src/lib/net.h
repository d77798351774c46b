/* SPDX-License-Identifier: GPL-3.0-or-later */
/* net.h - addresses and socket helpers shared by every command that talks to the network.
 * Pure parsers fill an error buffer; nothing here prints or exits. */
#ifndef NK_NET_H
#define NK_NET_H

#include <stdbool.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "lib/nk.h"

/* Longest "[ffff:...:ffff%ifname]:65535" we print, with NUL. */
#define NET_ADDRSTRLEN 80

/* Where the kernel keeps the ephemeral port range (per network namespace). */
#define NET_RANGE_FILE "/proc/sys/net/ipv4/ip_local_port_range"

/* A socket address with its length. */
struct net_addr {
    struct sockaddr_storage ss; /* AF_INET or AF_INET6 (or AF_UNIX) */
    socklen_t len;              /* its length */
};

/* A port: decimal 0-65535, nothing else. 0 or -1 with "S: port out of range (0-65535)". */
int net_parse_port(const char *s, int *port, char err[NK_ERRLEN]);

/* A numeric IPv4 or IPv6 address (IPv6 may carry %scope). No port. 0, or -1 with
 * "'S': not an IP address". */
int net_parse_ip(const char *s, int port, struct net_addr *a, char err[NK_ERRLEN]);

/* "ADDR", "ADDR:PORT", "[V6]", "[V6]:PORT" or a bare IPv6 "V6" (no port). default_port applies
 * when none is given. Numeric addresses only. 0, or -1 with the reason. */
int net_parse_hostport(const char *s, int default_port, struct net_addr *a, char err[NK_ERRLEN]);

/* A host as typed, without the brackets of "[V6]" (the address inside, in buf); any other
 * text as it is. Returns host or buf. Nothing is checked: the lookup or parser that follows
 * says what is wrong. */
const char *net_unbracket(const char *host, char *buf, size_t len);

/* The ephemeral range as the kernel words it ("32768\t60999\n"): two ports, 1-65535, LOW <=
 * HIGH, blanks around them. buf need not end in NUL (len counts). Pure. 0, or -1 with the
 * reason; *lo and *hi are untouched on failure. */
int net_parse_port_range(const char *buf, size_t len, int *lo, int *hi, char err[NK_ERRLEN]);
/* Read the ephemeral range from path (NET_RANGE_FILE normally). 0, or -1 with "PATH: WHY". */
int net_ephemeral_range(const char *path, int *lo, int *hi, char err[NK_ERRLEN]);

/* "1.2.3.4" / "::1" (no port). Returns buf. */
const char *net_ntop(const struct sockaddr *sa, char *buf, size_t len);
/* "1.2.3.4:80" / "[::1]:80" / unix path. Returns buf. */
const char *net_ntop_port(const struct sockaddr *sa, char *buf, size_t len);
/* The port of an AF_INET/AF_INET6 address (host order), 0 otherwise. */
int net_port(const struct sockaddr *sa);
void net_set_port(struct sockaddr *sa, int port);
/* True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
bool net_is_loopback(const struct sockaddr *sa);
/* The same for a raw address of family (4 or 16 bytes in network order, as sock_diag has them). */
bool net_is_loopback_raw(int family, const void *addr);

/* O_NONBLOCK on; 0 or -1 with errno. */
int net_nonblock(int fd);

/* A listening (SOCK_STREAM) or bound (SOCK_DGRAM) socket on a, non-blocking and close-on-exec,
 * with SO_REUSEADDR (and SO_REUSEPORT if reuseport), IPV6_V6ONLY on IPv6. Returns the fd, or -1
 * with "ADDR: WHY" in err and errno kept. */
int net_listen(const struct net_addr *a, int type, int backlog, bool reuseport,
               char err[NK_ERRLEN]);

/* A non-blocking connect to a: returns the fd (connect may be in progress: EINPROGRESS is not an
 * error; wait for EPOLLOUT and read SO_ERROR), or -1 with errno and err. */
int net_connect_nb(const struct net_addr *a, int type, char err[NK_ERRLEN]);

/* The local address of fd. 0 or -1. */
int net_local_addr(int fd, struct net_addr *a);

#endif
