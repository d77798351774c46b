/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_nl.c - the netlink walker: hand-built buffers for each check it makes (partial header,
 * nlmsg_len past the buffer, kernel errors, a failed NLMSG_DONE, another sequence number or port
 * id, NLM_F_DUMP_INTR), then real requests and dumps over real NETLINK_ROUTE and
 * NETLINK_SOCK_DIAG sockets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/nl.h"
#include "link/links.h"
#include "ports/sockdiag.h"

/* A buffer of messages built by hand, aligned as a receive buffer is. */
struct buf {
    uint32_t w[256]; /* the bytes, as words for alignment */
    size_t len;      /* bytes used */
};

/* Append a message of type with payload (plen bytes) and return its header. */
static struct nlmsghdr *put(struct buf *b, uint16_t type, uint32_t seq, const void *payload,
                            size_t plen)
{
    struct nlmsghdr *h = (struct nlmsghdr *)((char *)b->w + b->len);
    memset(h, 0, NLMSG_SPACE(plen));
    h->nlmsg_len = (uint32_t)NLMSG_LENGTH(plen);
    h->nlmsg_type = type;
    h->nlmsg_seq = seq;
    h->nlmsg_pid = 77;
    if (plen)
        memcpy(NLMSG_DATA(h), payload, plen);
    b->len += NLMSG_SPACE(plen);
    return h;
}

/* What the callback saw. */
struct seen {
    int n;         /* data messages */
    uint16_t last; /* type of the last one */
    int fail_at;   /* fail on this message (1-based), 0 never */
};

static int count(const struct nlmsghdr *nlh, void *arg, char err[NK_ERRLEN])
{
    struct seen *s = arg;
    s->n++;
    s->last = nlh->nlmsg_type;
    if (s->n == s->fail_at)
        return nk_seterr(err, "test: callback says no");
    return 0;
}

/* Walk b expecting seq 7 and port 77; returns what nk_nl_walk returned. */
static int walk(struct buf *b, size_t len, struct seen *s, bool *intr, char err[NK_ERRLEN])
{
    struct nk_nl_walk w = {.what = "test", .seq = 7, .portid = 77, .msg = count, .arg = s};
    int rc = nk_nl_walk(&w, b->w, len, err);
    if (intr)
        *intr = w.intr;
    return rc;
}

static void data_then_done(void **state)
{
    (void)state;
    struct buf b = {0};
    struct seen s = {0};
    char err[NK_ERRLEN] = "";
    put(&b, RTM_NEWLINK, 7, "abcd", 4);
    put(&b, NLMSG_NOOP, 7, NULL, 0);
    put(&b, RTM_NEWADDR, 7, "abcdefgh", 8);
    size_t more = b.len;
    int32_t zero = 0;
    put(&b, NLMSG_DONE, 7, &zero, sizeof(zero));
    put(&b, RTM_NEWROUTE, 7, NULL, 0); /* after the end: never seen */
    assert_int_equal(walk(&b, more, &s, NULL, err), 1);
    assert_int_equal(s.n, 2); /* the NOOP is not data */
    assert_int_equal(s.last, RTM_NEWADDR);
    s.n = 0;
    bool intr = true;
    assert_int_equal(walk(&b, b.len, &s, &intr, err), 0);
    assert_int_equal(s.n, 2);
    assert_false(intr);
    /* An empty buffer is a reply that goes on. */
    assert_int_equal(walk(&b, 0, &s, NULL, err), 1);
    /* The callback's failure stops the walk with its reason. */
    s = (struct seen){.fail_at = 2};
    assert_int_equal(walk(&b, b.len, &s, NULL, err), -1);
    assert_string_equal(err, "test: callback says no");
}

static void truncated(void **state)
{
    (void)state;
    struct buf b = {0};
    struct seen s = {0};
    char err[NK_ERRLEN] = "";
    put(&b, RTM_NEWLINK, 7, "abcd", 4);
    /* A whole message, then 8 bytes of the next header. */
    assert_int_equal(walk(&b, b.len + 8, &s, NULL, err), -1);
    assert_string_equal(err, "test: truncated message header");
    assert_int_equal(s.n, 1);
    /* The message's last bytes are missing. */
    assert_int_equal(walk(&b, b.len - 4, &s, NULL, err), -1);
    assert_string_equal(err, "test: bad message length 20");
}

static void bad_lengths(void **state)
{
    (void)state;
    struct buf b = {0};
    struct seen s = {0};
    char err[NK_ERRLEN] = "";
    struct nlmsghdr *h = put(&b, RTM_NEWLINK, 7, "abcd", 4);
    /* nlmsg_len past the buffer; at the top of the range (aligning it must not wrap to 0); and
     * below a header (it would never advance). */
    static const uint32_t lens[] = {64, 0x7ffffffd, 0xffffffff, 0, 15};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        h->nlmsg_len = lens[i];
        assert_int_equal(walk(&b, b.len, &s, NULL, err), -1);
        assert_non_null(strstr(err, "test: bad message length"));
    }
    /* Unaligned, with its aligned end past the buffer: attribute walks would read there. */
    h->nlmsg_len = 21;
    assert_int_equal(walk(&b, 21, &s, NULL, err), -1);
    assert_string_equal(err, "test: bad message length 21");
    assert_int_equal(s.n, 0);
}

static void kernel_errors(void **state)
{
    (void)state;
    char err[NK_ERRLEN] = "";
    struct seen s = {0};
    struct nlmsgerr e = {.error = -ENOENT};
    struct buf b = {0};
    put(&b, RTM_NEWLINK, 7, NULL, 0);
    put(&b, NLMSG_ERROR, 7, &e, sizeof(e));
    assert_int_equal(walk(&b, b.len, &s, NULL, err), -1);
    assert_string_equal(err, "test: no such file or directory");
    assert_int_equal(s.n, 1);
    /* No errno: a negation that overflows, a number beyond the errno range. */
    static const int bad[] = {INT_MIN, -100000, 100000};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        b = (struct buf){0};
        e.error = bad[i];
        put(&b, NLMSG_ERROR, 7, &e, sizeof(e));
        assert_int_equal(walk(&b, b.len, &s, NULL, err), -1);
        assert_string_equal(err, "test: protocol error");
    }
    /* Error 0 acknowledges a request: the reply is complete. */
    b = (struct buf){0};
    e.error = 0;
    put(&b, NLMSG_ERROR, 7, &e, sizeof(e));
    assert_int_equal(walk(&b, b.len, &s, NULL, err), 0);
    /* Too short for struct nlmsgerr. */
    b = (struct buf){0};
    put(&b, NLMSG_ERROR, 7, &e, 4);
    assert_int_equal(walk(&b, b.len, &s, NULL, err), -1);
    assert_string_equal(err, "test: truncated error message");
}

static void done_with_error(void **state)
{
    (void)state;
    char err[NK_ERRLEN] = "";
    struct seen s = {0};
    struct buf b = {0};
    int32_t code = -EBUSY;
    put(&b, RTM_NEWLINK, 7, NULL, 0);
    put(&b, NLMSG_DONE, 7, &code, sizeof(code));
    assert_int_equal(walk(&b, b.len, &s, NULL, err), -1);
    assert_string_equal(err, "test: device or resource busy");
    /* An old kernel's NLMSG_DONE without a payload ends the dump well. */
    b = (struct buf){0};
    put(&b, NLMSG_DONE, 7, NULL, 0);
    assert_int_equal(walk(&b, b.len, &s, NULL, err), 0);
}

static void wrong_seq_and_port(void **state)
{
    (void)state;
    char err[NK_ERRLEN] = "";
    struct seen s = {0};
    struct buf b = {0};
    put(&b, RTM_NEWLINK, 7, NULL, 0);
    struct nlmsghdr *h = put(&b, RTM_NEWLINK, 8, NULL, 0);
    assert_int_equal(walk(&b, b.len, &s, NULL, err), -1);
    assert_string_equal(err, "test: unexpected sequence number 8");
    assert_int_equal(s.n, 1);
    h->nlmsg_seq = 7;
    h->nlmsg_pid = 78;
    assert_int_equal(walk(&b, b.len, &s, NULL, err), -1);
    assert_string_equal(err, "test: unexpected port id 78");
    /* Zero in the walk accepts any (recorded replies). */
    struct nk_nl_walk w = {.what = "test", .msg = count, .arg = &s};
    assert_int_equal(nk_nl_walk(&w, b.w, b.len, err), 1);
}

static void dump_interrupted(void **state)
{
    (void)state;
    char err[NK_ERRLEN] = "";
    struct seen s = {0};
    struct buf b = {0};
    put(&b, RTM_NEWLINK, 7, NULL, 0);
    put(&b, RTM_NEWLINK, 7, NULL, 0)->nlmsg_flags |= NLM_F_MULTI | NLM_F_DUMP_INTR;
    put(&b, NLMSG_DONE, 7, NULL, 0);
    bool intr = false;
    assert_int_equal(walk(&b, b.len, &s, &intr, err), 0);
    assert_true(intr);
    assert_int_equal(s.n, 2);
}

/* ---- real sockets ---- */

static void route_dump(void **state)
{
    (void)state;
    char err[NK_ERRLEN] = "";
    struct nk_nl nl;
    assert_int_equal(nk_nl_open(&nl, NETLINK_ROUTE, "netlink", err), 0);
    assert_true(nl.portid != 0);
    struct nk_table t = {0};
    char req[NK_NL_REQSIZE] __attribute__((aligned(4)));
    void *fh;
    struct nlmsghdr *nlh =
        nk_nl_request(req, RTM_GETLINK, NLM_F_DUMP, sizeof(struct ifinfomsg), &fh);
    assert_int_equal(nk_nl_talk(&nl, nlh, nk_parse_msg, NULL, &t, err), 0);
    const struct nk_link *lo = nk_table_link_by_name(&t, "lo");
    assert_non_null(lo);
    assert_true(lo->flags & IFF_LOOPBACK);
    /* The same socket serves the next dump. */
    nlh = nk_nl_request(req, RTM_GETADDR, NLM_F_DUMP, sizeof(struct ifaddrmsg), &fh);
    ((struct ifaddrmsg *)fh)->ifa_family = AF_INET;
    assert_int_equal(nk_nl_talk(&nl, nlh, nk_parse_msg, NULL, &t, err), 0);
    bool found = false;
    for (size_t i = 0; i < t.naddrs; i++) {
        char a[64];
        if (t.addrs[i].ifindex == lo->ifindex &&
            strcmp(nk_ip_str(AF_INET, t.addrs[i].local, a, sizeof(a)), "127.0.0.1") == 0)
            found = true;
    }
    assert_true(found);
    nk_table_free(&t);
    nk_nl_close(&nl);
}

static void route_request(void **state)
{
    (void)state;
    char err[NK_ERRLEN] = "";
    struct nk_nl nl;
    assert_int_equal(nk_nl_open(&nl, NETLINK_ROUTE, "netlink", err), 0);
    /* One link by index: its message, then the acknowledgement. */
    struct nk_table t = {0};
    char req[NK_NL_REQSIZE] __attribute__((aligned(4)));
    void *fh;
    struct nlmsghdr *nlh = nk_nl_request(req, RTM_GETLINK, 0, sizeof(struct ifinfomsg), &fh);
    ((struct ifinfomsg *)fh)->ifi_index = 1; /* lo is always 1 */
    assert_int_equal(nk_nl_talk(&nl, nlh, nk_parse_msg, NULL, &t, err), 0);
    assert_true(nlh->nlmsg_flags & NLM_F_ACK);
    assert_int_equal(t.nlinks, 1);
    assert_string_equal(t.links[0].ifname, "lo");
    nk_table_free(&t);
    /* A link that is not there: the kernel's errno, in our words. */
    nlh = nk_nl_request(req, RTM_GETLINK, 0, sizeof(struct ifinfomsg), &fh);
    ((struct ifinfomsg *)fh)->ifi_index = INT_MAX;
    assert_int_equal(nk_nl_talk(&nl, nlh, nk_parse_msg, NULL, &t, err), -1);
    assert_string_equal(err, "netlink: no such device");
    assert_int_equal(t.nlinks, 0);
    /* The error ended that reply: the socket still answers. */
    nlh = nk_nl_request(req, RTM_GETLINK, 0, sizeof(struct ifinfomsg), &fh);
    ((struct ifinfomsg *)fh)->ifi_index = 1;
    assert_int_equal(nk_nl_talk(&nl, nlh, nk_parse_msg, NULL, &t, err), 0);
    assert_int_equal(t.nlinks, 1);
    nk_table_free(&t);
    nk_nl_close(&nl);
}

static void sockdiag_real(void **state)
{
    (void)state;
    /* A listener of our own on loopback, which the dump must list. */
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    assert_int_equal(listen(fd, 1), 0);
    socklen_t sl = sizeof(sin);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
    struct sockvec v = {0};
    char err[NK_ERRLEN] = "";
    assert_int_equal(sockdiag_dump(IPPROTO_TCP, AF_INET, 1u << TCP_LISTEN, &v, err), 0);
    bool found = false;
    for (size_t i = 0; i < v.n; i++)
        if (v.v[i].lport == ntohs(sin.sin_port) && v.v[i].state == TCP_LISTEN && v.v[i].inode != 0)
            found = true;
    assert_true(found);
    sockdiag_free(&v);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(data_then_done),   cmocka_unit_test(truncated),
        cmocka_unit_test(bad_lengths),      cmocka_unit_test(kernel_errors),
        cmocka_unit_test(done_with_error),  cmocka_unit_test(wrong_seq_and_port),
        cmocka_unit_test(dump_interrupted), cmocka_unit_test(route_dump),
        cmocka_unit_test(route_request),    cmocka_unit_test(sockdiag_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
