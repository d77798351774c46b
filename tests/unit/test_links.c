/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_links.c - the rtnetlink parsers, fed from dumps recorded in tests/fixtures/rtnl (see
 * record.py there for the namespace they come from), and the iproute2 name tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/links.h"

/* Read tests/fixtures/rtnl/NAME into a malloc'd (so aligned) buffer. */
static char *load(const char *name, size_t *len)
{
    const char *dir = getenv("NETKIT_FIXTURES");
    char path[512];
    snprintf(path, sizeof(path), "%s/rtnl/%s", dir ? dir : "tests/fixtures", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    assert_true(*len > 0);
    return buf;
}

/* Parse a whole recorded dump; it must end with NLMSG_DONE. */
static void parse_fixture(const char *name, struct nk_table *t)
{
    char err[NK_ERRLEN] = "";
    size_t len;
    char *buf = load(name, &len);
    assert_int_equal(nk_parse_dump(buf, len, 0, t, err), 0);
    free(buf);
}

static void test_links_fixture(void **state)
{
    (void)state;
    struct nk_table t = {0};
    parse_fixture("link.bin", &t);
    assert_int_equal(t.nlinks, 3);
    const struct nk_link *lo = nk_table_link_by_name(&t, "lo");
    const struct nk_link *v0 = nk_table_link_by_name(&t, "v0");
    const struct nk_link *v1 = nk_table_link_by_name(&t, "v1");
    assert_non_null(lo);
    assert_non_null(v0);
    assert_non_null(v1);
    assert_int_equal(lo->ifindex, 1);
    assert_int_equal(lo->type, ARPHRD_LOOPBACK);
    assert_int_equal(lo->mtu, 65536);
    assert_true(lo->flags & IFF_LOOPBACK);
    assert_int_equal(v0->type, ARPHRD_ETHER);
    assert_true(v0->has_mtu);
    assert_int_equal(v0->mtu, 1400);
    assert_true(v0->flags & IFF_UP);
    assert_int_equal(v0->operstate, 6); /* IF_OPER_UP: both ends are up */
    assert_int_equal(v0->addr_len, 6);
    static const uint8_t mac[6] = {0x00, 0x16, 0x3e, 0x00, 0x00, 0x01};
    assert_memory_equal(v0->addr, mac, 6);
    assert_int_equal(v0->brd_len, 6);
    assert_int_equal(v0->brd[0], 0xff);
    /* veth peers point at each other, in the same namespace (no netnsid). */
    assert_true(v0->has_link);
    assert_int_equal(v0->link, (uint32_t)v1->ifindex);
    assert_false(v0->has_link_netnsid);
    assert_string_equal(v0->qdisc, "noqueue");
    assert_true(v0->has_txqlen);
    assert_true(v0->has_stats);
    assert_true(lo->has_stats);
    char buf[64];
    assert_string_equal(nk_hwaddr_str(v1->addr, v1->addr_len, v1->type, buf, sizeof(buf)),
                        "02:00:00:00:00:02");
    assert_null(nk_table_link(&t, 999));
    assert_ptr_equal(nk_table_link(&t, v0->ifindex), v0);
    nk_table_free(&t);
    assert_null(t.links);
}

/* Find an address by its text. */
static const struct nk_addr *find_addr(const struct nk_table *t, const char *text)
{
    char b[64];
    for (size_t i = 0; i < t->naddrs; i++)
        if (strcmp(nk_ip_str(t->addrs[i].family, t->addrs[i].local, b, sizeof(b)), text) == 0)
            return &t->addrs[i];
    return NULL;
}

/* Collects names into one comma-separated string. */
static void join(const char *name, void *arg)
{
    char *s = arg;
    if (*s)
        strcat(s, ",");
    strcat(s, name);
}

static void test_addrs_fixture(void **state)
{
    (void)state;
    struct nk_table t = {0};
    parse_fixture("link.bin", &t);
    parse_fixture("addr.bin", &t);
    const struct nk_link *v0 = nk_table_link_by_name(&t, "v0");
    const struct nk_addr *a = find_addr(&t, "10.9.0.1");
    assert_non_null(a);
    assert_int_equal(a->family, AF_INET);
    assert_int_equal(a->ifindex, v0->ifindex);
    assert_int_equal(a->prefixlen, 24);
    assert_int_equal(a->scope, RT_SCOPE_UNIVERSE);
    assert_true(a->has_broadcast);
    char b[64], flags[256] = "";
    assert_string_equal(nk_ip_str(AF_INET, a->broadcast, b, sizeof(b)), "10.9.0.255");
    assert_string_equal(a->label, "v0");
    assert_true(a->has_cacheinfo);
    assert_int_equal(a->valid_lft, 0xffffffffu);
    nk_addr_flags(a, join, flags);
    assert_string_equal(flags, "");

    const struct nk_addr *sec = find_addr(&t, "10.9.0.2");
    assert_non_null(sec);
    assert_true(sec->flags & IFA_F_SECONDARY);
    nk_addr_flags(sec, join, flags);
    assert_string_equal(flags, "secondary");

    const struct nk_addr *v6 = find_addr(&t, "fd00:9::1");
    assert_non_null(v6);
    assert_int_equal(v6->family, AF_INET6);
    assert_int_equal(v6->prefixlen, 64);
    assert_string_equal(v6->label, "");
    flags[0] = '\0';
    nk_addr_flags(v6, join, flags);
    assert_string_equal(flags, "nodad");
    assert_string_equal(nk_scope_name(v6->scope, b, sizeof(b)), "global");

    const struct nk_addr *lo6 = find_addr(&t, "::1");
    assert_non_null(lo6);
    assert_string_equal(nk_scope_name(lo6->scope, b, sizeof(b)), "host");
    assert_non_null(find_addr(&t, "10.9.1.1"));
    assert_non_null(find_addr(&t, "127.0.0.1"));
    nk_table_free(&t);
}

static void test_neigh_fixture(void **state)
{
    (void)state;
    struct nk_table t = {0};
    parse_fixture("neigh.bin", &t);
    const struct nk_neigh *found = NULL;
    char b[64];
    for (size_t i = 0; i < t.nneighs; i++)
        if (t.neighs[i].has_dst &&
            strcmp(nk_ip_str(t.neighs[i].family, t.neighs[i].dst, b, sizeof(b)), "10.9.0.200") == 0)
            found = &t.neighs[i];
    assert_non_null(found);
    assert_int_equal(found->state, NUD_PERMANENT);
    assert_true(nk_neigh_shown(found));
    assert_int_equal(found->lladdr_len, 6);
    assert_string_equal(nk_hwaddr_str(found->lladdr, 6, ARPHRD_ETHER, b, sizeof(b)),
                        "00:16:3e:aa:bb:cc");
    char states[128] = "";
    nk_neigh_states(found->state, join, states);
    assert_string_equal(states, "PERMANENT");
    nk_table_free(&t);
}

static void test_routes_fixture(void **state)
{
    (void)state;
    struct nk_table t = {0};
    parse_fixture("route.bin", &t);
    int defaults = 0;
    char b[64];
    for (size_t i = 0; i < t.nroutes; i++) {
        const struct nk_route *r = &t.routes[i];
        if (r->dst_len || r->table != RT_TABLE_MAIN || r->type != RTN_UNICAST)
            continue;
        defaults++;
        assert_int_equal(r->nnh, 1);
        nk_ip_str(r->nh[0].family, r->nh[0].gw, b, sizeof(b));
        if (r->family == AF_INET)
            assert_string_equal(b, "10.9.0.254");
        else
            assert_string_equal(b, "fd00:9::fe");
        assert_true(r->nh[0].oif > 0);
    }
    assert_int_equal(defaults, 2);
    nk_table_free(&t);
}

/* Every prefix of a real dump, and every single-byte corruption of it, parses without a crash
 * (ASan/UBSan watch) and reports "more", "done" or an error - never anything else. */
static void test_truncated_and_corrupted(void **state)
{
    (void)state;
    const char *names[] = {"link.bin", "addr.bin", "neigh.bin", "route.bin"};
    for (size_t f = 0; f < 4; f++) {
        size_t len;
        char *buf = load(names[f], &len);
        char *copy = malloc(len);
        for (size_t n = 0; n < len; n++) {
            struct nk_table t = {0};
            char err[NK_ERRLEN];
            memcpy(copy, buf, n);
            int rc = nk_parse_dump(copy, n, 0, &t, err);
            assert_true(rc >= -1 && rc <= 1);
            nk_table_free(&t);
        }
        for (size_t i = 0; i < len; i += 3) {
            struct nk_table t = {0};
            char err[NK_ERRLEN];
            memcpy(copy, buf, len);
            copy[i] ^= (char)0xa5;
            int rc = nk_parse_dump(copy, len, 0, &t, err);
            assert_true(rc >= -1 && rc <= 1);
            nk_table_free(&t);
        }
        free(copy);
        free(buf);
    }
}

/* A netlink message built by hand. */
struct msg {
    struct nlmsghdr h;    /* header */
    unsigned char b[256]; /* payload */
};

static void test_error_and_done(void **state)
{
    (void)state;
    struct nk_table t = {0};
    char err[NK_ERRLEN] = "";
    struct msg m = {0};
    struct nlmsgerr e = {.error = -1 /* -EPERM */};
    m.h.nlmsg_len = NLMSG_LENGTH(sizeof(e));
    m.h.nlmsg_type = NLMSG_ERROR;
    memcpy(m.b, &e, sizeof(e));
    assert_int_equal(nk_parse_dump(&m, m.h.nlmsg_len, 0, &t, err), -1);
    assert_string_equal(err, "netlink: operation not permitted");

    /* A dump that failed part-way: NLMSG_DONE carries the errno (here still -1). */
    m.h.nlmsg_type = NLMSG_DONE;
    m.h.nlmsg_len = NLMSG_LENGTH(4);
    assert_int_equal(nk_parse_dump(&m, m.h.nlmsg_len, 0, &t, err), -1);
    assert_string_equal(err, "netlink: operation not permitted");
    memset(m.b, 0, sizeof(m.b));
    assert_int_equal(nk_parse_dump(&m, m.h.nlmsg_len, 0, &t, err), 0);
    /* A sequence number other than the request's is refused. */
    m.h.nlmsg_seq = 7;
    assert_int_equal(nk_parse_dump(&m, m.h.nlmsg_len, 8, &t, err), -1);
    assert_non_null(strstr(err, "sequence"));
    assert_int_equal(nk_parse_dump(&m, m.h.nlmsg_len, 7, &t, err), 0);
    /* A message too short for its ifinfomsg is an error, not a read past the end. */
    m.h.nlmsg_type = RTM_NEWLINK;
    m.h.nlmsg_len = NLMSG_LENGTH(4);
    assert_int_equal(nk_parse_dump(&m, m.h.nlmsg_len, 0, &t, err), -1);
    assert_string_equal(err, "netlink: truncated link message");
    /* Garbage that is not even one header. */
    memset(&m, 0xff, sizeof(m));
    assert_int_equal(nk_parse_dump(&m, sizeof(m), 0, &t, err), -1);
    /* Less than a header is no message either (as ip's "remnant"). */
    assert_int_equal(nk_parse_dump(&m, 3, 0, &t, err), -1);
    assert_string_equal(err, "netlink: truncated message header");
    assert_int_equal(t.nlinks, 0);
    nk_table_free(&t);
}

/* Attributes with wrong sizes are ignored, not trusted. */
static void test_bad_attributes(void **state)
{
    (void)state;
    struct msg m = {0};
    struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 3};
    memcpy(m.b, &ifa, sizeof(ifa));
    size_t off = NLMSG_ALIGN(sizeof(ifa));
    /* IFA_LOCAL with 3 bytes (too short for IPv4), then IFA_ADDRESS with 4. */
    struct nlattr a1 = {.nla_len = 4 + 3, .nla_type = IFA_LOCAL};
    memcpy(m.b + off, &a1, sizeof(a1));
    memcpy(m.b + off + 4, "\x0a\x00\x00", 3);
    off += NLA_ALIGN(a1.nla_len);
    struct nlattr a2 = {.nla_len = 4 + 4, .nla_type = IFA_ADDRESS};
    memcpy(m.b + off, &a2, sizeof(a2));
    memcpy(m.b + off + 4, "\x0a\x00\x00\x07", 4);
    off += 8;
    /* An IFA_LABEL without a terminating NUL. */
    struct nlattr a3 = {.nla_len = 4 + 4, .nla_type = IFA_LABEL};
    memcpy(m.b + off, &a3, sizeof(a3));
    memcpy(m.b + off + 4, "abcd", 4);
    off += 8;
    m.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(off);
    m.h.nlmsg_type = RTM_NEWADDR;
    struct nk_table t = {0};
    char err[NK_ERRLEN];
    assert_int_equal(nk_parse_dump(&m, m.h.nlmsg_len, 0, &t, err), 1);
    assert_int_equal(t.naddrs, 1);
    char b[64];
    /* LOCAL was unusable, so ADDRESS stands in for it (as ip does). */
    assert_string_equal(nk_ip_str(AF_INET, t.addrs[0].local, b, sizeof(b)), "10.0.0.7");
    assert_string_equal(t.addrs[0].label, "abcd");
    nk_table_free(&t);

    /* Another family's address is skipped. */
    ifa.ifa_family = AF_PACKET;
    memcpy(m.b, &ifa, sizeof(ifa));
    assert_int_equal(nk_parse_dump(&m, m.h.nlmsg_len, 0, &t, err), 1);
    assert_int_equal(t.naddrs, 0);
    nk_table_free(&t);
}

static void test_names(void **state)
{
    (void)state;
    char b[32], s[256] = "";
    assert_string_equal(nk_link_type_name(ARPHRD_ETHER, b, sizeof(b)), "ether");
    assert_string_equal(nk_link_type_name(ARPHRD_LOOPBACK, b, sizeof(b)), "loopback");
    assert_string_equal(nk_link_type_name(ARPHRD_NONE, b, sizeof(b)), "none");
    assert_string_equal(nk_link_type_name(ARPHRD_TUNNEL, b, sizeof(b)), "ipip");
    assert_string_equal(nk_link_type_name(ARPHRD_FCFABRIC + 3, b, sizeof(b)), "fcfb3");
    assert_string_equal(nk_link_type_name(4242, b, sizeof(b)), "[4242]");
    assert_string_equal(nk_operstate_name(6, b, sizeof(b)), "UP");
    assert_string_equal(nk_operstate_name(0, b, sizeof(b)), "UNKNOWN");
    assert_string_equal(nk_operstate_name(2, b, sizeof(b)), "DOWN");
    assert_string_equal(nk_operstate_name(9, b, sizeof(b)), "0x9");
    assert_string_equal(nk_scope_name(253, b, sizeof(b)), "link");
    assert_string_equal(nk_scope_name(200, b, sizeof(b)), "site");
    assert_string_equal(nk_scope_name(17, b, sizeof(b)), "17");
    /* ip's order; NO-CARRIER first when up without RUNNING; RUNNING itself never shown. */
    nk_link_flags(IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_LOWER_UP | IFF_RUNNING, join, s);
    assert_string_equal(s, "BROADCAST,MULTICAST,UP,LOWER_UP");
    s[0] = '\0';
    nk_link_flags(IFF_UP | IFF_BROADCAST | IFF_MULTICAST, join, s);
    assert_string_equal(s, "NO-CARRIER,BROADCAST,MULTICAST,UP");
    s[0] = '\0';
    nk_link_flags(IFF_LOOPBACK | IFF_UP | IFF_RUNNING | IFF_LOWER_UP, join, s);
    assert_string_equal(s, "LOOPBACK,UP,LOWER_UP");
    s[0] = '\0';
    nk_link_flags(0x80000000u, join, s);
    assert_string_equal(s, "80000000");
    /* Address flags: "dynamic" when not permanent; "temporary" is IPv6's secondary. */
    struct nk_addr a = {.family = AF_INET6, .flags = IFA_F_SECONDARY | IFA_F_NOPREFIXROUTE};
    s[0] = '\0';
    nk_addr_flags(&a, join, s);
    assert_string_equal(s, "temporary,dynamic,noprefixroute");
    a.family = AF_INET;
    a.flags = IFA_F_PERMANENT | IFA_F_SECONDARY;
    s[0] = '\0';
    nk_addr_flags(&a, join, s);
    assert_string_equal(s, "secondary");
    s[0] = '\0';
    nk_neigh_states(NUD_REACHABLE | NUD_STALE, join, s);
    assert_string_equal(s, "REACHABLE,STALE");
    struct nk_neigh n = {.state = NUD_NOARP};
    assert_false(nk_neigh_shown(&n));
    n.state = NUD_NONE;
    assert_false(nk_neigh_shown(&n));
    n.flags = NTF_PROXY;
    assert_true(nk_neigh_shown(&n));
    n.flags = 0;
    n.state = NUD_FAILED;
    assert_true(nk_neigh_shown(&n));
    assert_string_equal(nk_family_name(AF_INET6), "inet6");
}

static void test_hwaddr(void **state)
{
    (void)state;
    char b[64];
    const uint8_t v4[4] = {192, 0, 2, 1};
    assert_string_equal(nk_hwaddr_str(v4, 4, ARPHRD_SIT, b, sizeof(b)), "192.0.2.1");
    assert_string_equal(nk_hwaddr_str(v4, 4, ARPHRD_ETHER, b, sizeof(b)), "c0:00:02:01");
    uint8_t v6[16] = {0};
    v6[15] = 1;
    assert_string_equal(nk_hwaddr_str(v6, 16, ARPHRD_TUNNEL6, b, sizeof(b)), "::1");
    assert_string_equal(nk_hwaddr_str(v4, 0, ARPHRD_ETHER, b, sizeof(b)), "");
    /* A buffer too small is cut, never overrun. */
    char small[8];
    nk_hwaddr_str(v6, 16, ARPHRD_ETHER, small, sizeof(small));
    assert_true(strlen(small) < sizeof(small));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_links_fixture),
        cmocka_unit_test(test_addrs_fixture),
        cmocka_unit_test(test_neigh_fixture),
        cmocka_unit_test(test_routes_fixture),
        cmocka_unit_test(test_truncated_and_corrupted),
        cmocka_unit_test(test_error_and_done),
        cmocka_unit_test(test_bad_attributes),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_hwaddr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
