/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nl.h - netlink requests and dumps, walked in one place (in the spirit of iproute2's
 * rtnl_dump_filter): rtnetlink's links, addresses, neighbours and routes and sock_diag's sockets
 * all go through here.
 *
 * nk_nl_walk is pure: it checks the messages of one buffer (lengths, sequence number, port id),
 * turns NLMSG_ERROR and a failed NLMSG_DONE into "WHAT: the kernel's errno", notes
 * NLM_F_DUMP_INTR and hands every data message to a callback; unit tests and fuzzers feed it
 * recorded or random bytes. nk_nl_talk does the socket work around it: send the request, receive
 * (retrying EINTR) until the reply ends, run an interrupted dump again. Nothing here prints. */
#ifndef NK_NL_H
#define NK_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/nk.h"

struct mnl_socket;
struct nlmsghdr;

/* Called with each message that carries data (type NLMSG_MIN_TYPE or above); its nlmsg_len is
 * at least a header and its aligned end lies inside the buffer. 0 to go on, or -1 with the
 * reason in err to stop the walk. */
typedef int nk_nl_msg_fn(const struct nlmsghdr *nlh, void *arg, char err[NK_ERRLEN]);

/* One walk over a reply: what to expect, whom to call, what was seen. */
struct nk_nl_walk {
    const char *what;  /* prefix of every error text: "netlink", "sock_diag" */
    uint32_t seq;      /* the request's sequence number; 0 accepts any (recorded replies) */
    uint32_t portid;   /* our port id, which replies are addressed to; 0 accepts any */
    nk_nl_msg_fn *msg; /* called per data message */
    void *arg;         /* msg's argument */
    bool intr;         /* out: a message had NLM_F_DUMP_INTR (the table changed mid-dump) */
    int kerr;          /* out: the kernel's errno when its NLMSG_ERROR or NLMSG_DONE ended the
                          reply with one (ENETUNREACH for a route get ...), else 0 */
};

/* Walk the messages in buf (what one recv returned, or several such concatenated). Returns 1
 * when the reply goes on past this buffer, 0 when it ended (NLMSG_DONE, or an acknowledgement:
 * NLMSG_ERROR with error 0), -1 with "WHAT: WHY" in err on a kernel error (its errno as
 * nk_strerror words it), a malformed message (a partial header, nlmsg_len below a header or past
 * the buffer), another sequence number or port id, or when msg failed. */
int nk_nl_walk(struct nk_nl_walk *w, const void *buf, size_t len, char err[NK_ERRLEN]);

/* An open netlink socket of one protocol; one request at a time. */
struct nk_nl {
    struct mnl_socket *sock; /* the socket (libmnl) */
    const char *what;        /* prefix of error texts, as given to nk_nl_open */
    uint32_t portid;         /* our port id, bound by the kernel */
    uint32_t seq;            /* sequence number of the last request */
    char *buf;               /* receive buffer of NK_NL_BUFSIZE bytes */
    int kerr;                /* the kernel's errno that failed the last request, else 0 */
};

/* Receive buffer size: the kernel caps a dump's datagrams at 32 KiB; twice that leaves room. A
 * datagram that still does not fit is an error (MSG_TRUNC), never silently cut. */
#define NK_NL_BUFSIZE 65536
/* A request needs at most this much (a header, a family header and a few attributes). */
#define NK_NL_REQSIZE 256
/* Runs of a dump the kernel reports as interrupted, in all; the last run's result is kept. */
#define NK_NL_RUNS 4

/* Open and bind a netlink socket of protocol (NETLINK_ROUTE, NETLINK_SOCK_DIAG). what prefixes
 * every error text (a string that outlives the socket). 0, or -1 with "WHAT: WHY" in err. */
int nk_nl_open(struct nk_nl *nl, int protocol, const char *what, char err[NK_ERRLEN]);
void nk_nl_close(struct nk_nl *nl);

/* Start a request of type in buf (NK_NL_REQSIZE bytes, 4-byte aligned): a zeroed header with
 * NLM_F_REQUEST | flags (NLM_F_DUMP for a dump), then a zeroed family header of hdrlen bytes at
 * *family. Attributes may follow (mnl_attr_put_*). */
struct nlmsghdr *nk_nl_request(void *buf, uint16_t type, uint16_t flags, size_t hdrlen,
                               void **family);

/* Send req and read its whole reply, calling msg for each data message. A dump (NLM_F_DUMP)
 * ends with NLMSG_DONE; anything else is sent with NLM_F_ACK and ends with the kernel's
 * acknowledgement. When the kernel says the dump was interrupted (its table changed meanwhile)
 * and restart is not NULL, restart(arg) drops what the dump gave and the dump runs again, up to
 * NK_NL_RUNS runs. 0, or -1 with "WHAT: WHY" in err; after a failure the socket may still hold
 * the rest of the reply, so close it. */
int nk_nl_talk(struct nk_nl *nl, struct nlmsghdr *req, nk_nl_msg_fn *msg,
               void (*restart)(void *arg), void *arg, char err[NK_ERRLEN]);

#endif
