/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sockdiag.h - the host's TCP and UDP sockets through netlink sock_diag (lib/nl.h), as ss reads
 * them: a dump request per (protocol, family), and a pure parser of the kernel's answer so that
 * recorded dumps replay in unit tests and fuzzers. Nothing here prints. */
#ifndef NK_SOCKDIAG_H
#define NK_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/nk.h"

/* A process holding a socket: one of its descriptors. */
struct sockowner {
    int pid;       /* the process */
    int fd;        /* the descriptor number in it */
    char comm[16]; /* its short name */
};

/* One socket as the kernel describes it. */
struct sockent {
    uint8_t family;    /* AF_INET or AF_INET6 */
    uint8_t ipproto;   /* IPPROTO_TCP or IPPROTO_UDP */
    uint8_t state;     /* TCP_* state (UDP: TCP_CLOSE unconnected, TCP_ESTABLISHED connected) */
    uint8_t local[16]; /* local address, network order (4 bytes used for IPv4) */
    uint8_t peer[16];  /* peer address, network order; zero when not connected */
    uint16_t lport;    /* local port, host order */
    uint16_t pport;    /* peer port, host order; 0 when not connected */
    uint32_t ifindex;  /* bound interface (scope of a link-local address), 0 if none */
    uint32_t uid;      /* owner's user id */
    uint32_t inode;    /* socket inode (0 for TIME-WAIT and request sockets) */
    uint32_t rqueue;   /* Recv-Q: bytes unread; a listener's accept queue length */
    uint32_t wqueue;   /* Send-Q: bytes unacknowledged; a listener's backlog limit */
    int pid;           /* owning process, 0 when unknown (filled by sockproc): the lowest */
    char comm[16];     /* its short name, "" when unknown */
    struct sockowner *owners; /* every process and descriptor holding it (malloc'd, by pid
                                 and fd; filled by sockproc), NULL when none is known */
    size_t nowners;           /* how many */
};

/* A growable array of sockets. */
struct sockvec {
    struct sockent *v; /* the sockets */
    size_t n;          /* how many */
    size_t cap;        /* allocated */
};

/* States masks for sockdiag_dump. */
#define SOCKDIAG_ALL_STATES 0xffffffffu

/* Parse one buffer of netlink messages (4-byte aligned) answering a dump of ipproto sockets,
 * appending each inet_diag_msg to v; lib/nl.h's walker checks the messages. seq: the request's
 * sequence number to match (0: any). Returns 1 when more messages are due, 0 when NLMSG_DONE
 * ended the dump, -1 with "sock_diag: WHY" (kernel error, truncated or malformed message, out of
 * memory). Pure: no system calls. */
int sockdiag_parse(const void *buf, size_t len, int ipproto, uint32_t seq, struct sockvec *v,
                   char err[NK_ERRLEN]);

/* Dump the sockets of ipproto (IPPROTO_TCP or IPPROTO_UDP) and family (AF_INET or AF_INET6)
 * whose state bit (1 << TCP_*) is in states, appending to v. 0, or -1 with the reason. */
int sockdiag_dump(int ipproto, int family, uint32_t states, struct sockvec *v, char err[NK_ERRLEN]);

/* True for a listening socket as ss -l counts them: TCP LISTEN, or UDP bound and not connected. */
bool sockdiag_listening(const struct sockent *s);

/* The state's name as ss prints it: "LISTEN", "ESTAB", "TIME-WAIT", "UNCONN" ... */
const char *sockdiag_state_name(const struct sockent *s);

/* Sort by protocol, family, local address and port, peer address and port, inode. */
void sockdiag_sort(struct sockvec *v);

/* Free the owners of one socket (before dropping it from a vector). */
void sockdiag_ent_free(struct sockent *s);

void sockdiag_free(struct sockvec *v);

#endif
