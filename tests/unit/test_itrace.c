/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_itrace.c - --trace's pure half: responses classified (referral, answer, chains, negative
 * answers, lame ones), the root hints file, zone membership, and a zone judged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "dns/dnsfmt.h"
#include "dns/dnsname.h"
#include "dns/itrace.h"
#include "dns/itrace_judge.h"

/* A packet under construction. */
struct pkt {
    uint8_t b[4096]; /* bytes */
    size_t n;        /* used */
};

static void u8(struct pkt *p, unsigned v)
{
    p->b[p->n++] = (uint8_t)v;
}

static void u16(struct pkt *p, unsigned v)
{
    u8(p, v >> 8);
    u8(p, v & 0xff);
}

static void name(struct pkt *p, const char *s)
{
    while (*s && strcmp(s, ".") != 0) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        u8(p, (unsigned)l);
        memcpy(p->b + p->n, s, l);
        p->n += l;
        s += l + (dot ? 1 : 0);
    }
    u8(p, 0);
}

/* Header and question qname/qt with the section counts. */
static void start(struct pkt *p, unsigned flags, const char *qname, unsigned qt, unsigned an,
                  unsigned ns, unsigned ar)
{
    p->n = 0;
    u16(p, 0x1234);
    u16(p, flags);
    u16(p, 1);
    u16(p, an);
    u16(p, ns);
    u16(p, ar);
    name(p, qname);
    u16(p, qt);
    u16(p, 1);
}

/* A record whose data is a name (NS, CNAME, DNAME). */
static void rr_name(struct pkt *p, const char *owner, unsigned type, const char *target)
{
    name(p, owner);
    u16(p, type);
    u16(p, 1);
    u16(p, 0);
    u16(p, 300);
    size_t at = p->n;
    u16(p, 0);
    name(p, target);
    size_t len = p->n - at - 2;
    p->b[at] = (uint8_t)(len >> 8);
    p->b[at + 1] = (uint8_t)len;
}

static void rr_a(struct pkt *p, const char *owner, const uint8_t a[4])
{
    name(p, owner);
    u16(p, DNS_T_A);
    u16(p, 1);
    u16(p, 0);
    u16(p, 300);
    u16(p, 4);
    memcpy(p->b + p->n, a, 4);
    p->n += 4;
}

static void rr_soa(struct pkt *p, const char *owner, uint32_t serial)
{
    name(p, owner);
    u16(p, DNS_T_SOA);
    u16(p, 1);
    u16(p, 0);
    u16(p, 300);
    size_t at = p->n;
    u16(p, 0);
    name(p, "ns.x");
    name(p, "h.x");
    u16(p, serial >> 16);
    u16(p, serial & 0xffff);
    for (int i = 0; i < 8; i++)
        u16(p, 0);
    size_t len = p->n - at - 2;
    p->b[at] = (uint8_t)(len >> 8);
    p->b[at + 1] = (uint8_t)len;
}

static const uint8_t IP1[4] = {192, 0, 2, 1}, IP2[4] = {192, 0, 2, 2};

static void referral(void **state)
{
    (void)state;
    struct pkt p;
    struct itr_resp r;
    char err[NK_ERRLEN];
    start(&p, 0x8000, "www.example.test", DNS_T_A, 0, 2, 3);
    rr_name(&p, "example.test", DNS_T_NS, "ns2.example.test");
    rr_name(&p, "example.test", DNS_T_NS, "NS1.example.test");
    rr_a(&p, "ns1.example.test", IP1);
    rr_a(&p, "ns2.example.test", IP2);
    rr_a(&p, "other.test", IP1); /* not an NS name: not glue */
    assert_int_equal(itr_parse_response(p.b, p.n, "www.example.test.", DNS_T_A, "test.", &r, err),
                     0);
    assert_int_equal(r.kind, ITR_REFERRAL);
    assert_false(r.aa);
    assert_string_equal(r.child, "example.test.");
    assert_int_equal(r.nns, 2);
    assert_string_equal(r.ns[0], "NS1.example.test."); /* sorted, case kept */
    assert_string_equal(r.ns[1], "ns2.example.test.");
    assert_int_equal(r.nglue, 2);
    assert_string_equal(r.glue[0].addr, "192.0.2.1");
    assert_int_equal(r.glue[0].family, AF_INET);
    itr_resp_free(&r);

    /* The root's NS set from a recursive server (dig @SERVER +trace): its addresses kept. */
    start(&p, 0x8180, ".", DNS_T_NS, 2, 0, 3);
    rr_name(&p, ".", DNS_T_NS, "a.root.test");
    rr_name(&p, ".", DNS_T_NS, "b.root.test");
    rr_a(&p, "b.root.test", IP2);
    rr_a(&p, "A.root.test", IP1);
    rr_a(&p, "other.test", IP1); /* not an NS name */
    assert_int_equal(itr_parse_response(p.b, p.n, ".", DNS_T_NS, ".", &r, err), 0);
    assert_int_equal(r.kind, ITR_ANSWER);
    assert_int_equal(r.nans, 2);
    assert_int_equal(r.nglue, 2);
    assert_string_equal(r.glue[0].name, "b.root.test.");
    assert_string_equal(r.glue[1].addr, "192.0.2.1");
    itr_resp_free(&r);
    /* Not for other types. */
    start(&p, 0x8400, "www.test", DNS_T_A, 1, 0, 1);
    rr_a(&p, "www.test", IP1);
    rr_a(&p, "www.test", IP2);
    assert_int_equal(itr_parse_response(p.b, p.n, "www.test.", DNS_T_A, "test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_ANSWER);
    assert_int_equal(r.nglue, 0);
    itr_resp_free(&r);

    /* Upward, sideways or to the same zone: lame. */
    start(&p, 0x8000, "www.example.test", DNS_T_A, 0, 1, 0);
    rr_name(&p, "test", DNS_T_NS, "ns1.test");
    assert_int_equal(
        itr_parse_response(p.b, p.n, "www.example.test.", DNS_T_A, "example.test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_LAME);
    assert_non_null(strstr(r.why, "referral to test."));
    itr_resp_free(&r);
    start(&p, 0x8000, "www.example.test", DNS_T_A, 0, 1, 0);
    rr_name(&p, "other.test", DNS_T_NS, "ns1.test");
    assert_int_equal(itr_parse_response(p.b, p.n, "www.example.test.", DNS_T_A, "test.", &r, err),
                     0);
    assert_int_equal(r.kind, ITR_LAME);
    itr_resp_free(&r);
}

static void answers_and_chains(void **state)
{
    (void)state;
    struct pkt p;
    struct itr_resp r;
    char err[NK_ERRLEN];
    start(&p, 0x8400, "www.example.test", DNS_T_A, 1, 0, 0);
    rr_a(&p, "www.example.test", IP1);
    assert_int_equal(
        itr_parse_response(p.b, p.n, "WWW.example.test.", DNS_T_A, "example.test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_ANSWER);
    assert_true(r.aa);
    assert_null(r.cname);
    assert_int_equal(r.nans, 1);
    assert_string_equal(r.ans[0].data, "192.0.2.1");
    itr_resp_free(&r);

    /* A chain that leaves the zone: where it goes on. */
    start(&p, 0x8400, "a.example.test", DNS_T_A, 2, 0, 0);
    rr_name(&p, "a.example.test", DNS_T_CNAME, "b.example.test");
    rr_name(&p, "b.example.test", DNS_T_CNAME, "host.other.test");
    assert_int_equal(
        itr_parse_response(p.b, p.n, "a.example.test.", DNS_T_A, "example.test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_ANSWER);
    assert_string_equal(r.cname, "host.other.test.");
    assert_false(r.dname);
    itr_resp_free(&r);

    /* A DNAME without its synthesized CNAME: the substitution is made here. */
    start(&p, 0x8400, "x.old.test", DNS_T_A, 1, 0, 0);
    rr_name(&p, "old.test", DNS_T_DNAME, "new.example");
    assert_int_equal(itr_parse_response(p.b, p.n, "x.old.test.", DNS_T_A, "test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_ANSWER);
    assert_string_equal(r.cname, "x.new.example.");
    assert_true(r.dname);
    itr_resp_free(&r);

    /* A CNAME loop stops. */
    start(&p, 0x8400, "a.test", DNS_T_A, 2, 0, 0);
    rr_name(&p, "a.test", DNS_T_CNAME, "b.test");
    rr_name(&p, "b.test", DNS_T_CNAME, "a.test");
    assert_int_equal(itr_parse_response(p.b, p.n, "a.test.", DNS_T_A, "test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_ANSWER);
    assert_non_null(r.cname);
    itr_resp_free(&r);
}

static void negative_and_lame(void **state)
{
    (void)state;
    struct pkt p;
    struct itr_resp r;
    char err[NK_ERRLEN];
    start(&p, 0x8403, "nope.example.test", DNS_T_A, 0, 1, 0);
    rr_soa(&p, "example.test", 2026120101);
    assert_int_equal(
        itr_parse_response(p.b, p.n, "nope.example.test.", DNS_T_A, "example.test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_NXDOMAIN);
    assert_true(r.have_serial);
    assert_int_equal(r.serial, 2026120101u);
    itr_resp_free(&r);

    start(&p, 0x8400, "www.example.test", DNS_T_MX, 0, 1, 0);
    rr_soa(&p, "example.test", 7);
    assert_int_equal(
        itr_parse_response(p.b, p.n, "www.example.test.", DNS_T_MX, "example.test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_NODATA);
    itr_resp_free(&r);

    /* The same without AA: a server that should know and does not. */
    start(&p, 0x8000, "www.example.test", DNS_T_MX, 0, 1, 0);
    rr_soa(&p, "example.test", 7);
    assert_int_equal(
        itr_parse_response(p.b, p.n, "www.example.test.", DNS_T_MX, "example.test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_LAME);
    itr_resp_free(&r);

    start(&p, 0x8005, "www.example.test", DNS_T_A, 0, 0, 0);
    assert_int_equal(
        itr_parse_response(p.b, p.n, "www.example.test.", DNS_T_A, "example.test.", &r, err), 0);
    assert_int_equal(r.kind, ITR_RCODE);
    assert_int_equal(r.rcode, DNS_RC_REFUSED);
    itr_resp_free(&r);

    /* Cut short anywhere: an error, never a read past the end. */
    start(&p, 0x8000, "www.example.test", DNS_T_A, 0, 2, 1);
    rr_name(&p, "example.test", DNS_T_NS, "ns1.example.test");
    rr_name(&p, "example.test", DNS_T_NS, "ns2.example.test");
    rr_a(&p, "ns1.example.test", IP1);
    for (size_t n = 0; n < p.n; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, p.b, n);
        assert_int_equal(
            itr_parse_response(copy, n, "www.example.test.", DNS_T_A, "test.", &r, err), -1);
        free(copy);
    }
}

static const char HINTS[] = "; a comment\n"
                            ".  3600000  NS  B.ROOT-SERVERS.NET.\n"
                            ".  3600000  IN NS  a.root-servers.net.\n"
                            "A.ROOT-SERVERS.NET.  3600000  A  198.41.0.4\n"
                            "A.ROOT-SERVERS.NET.  3600000  AAAA  2001:503:ba3e::2:30\n"
                            "B.ROOT-SERVERS.NET.  3600000  A  170.247.170.2   ; trailing\n"
                            "c.other.  3600000  A  192.0.2.1\n"
                            "\n; END\n";

static void hints(void **state)
{
    (void)state;
    struct itr_glue *g;
    size_t n;
    char err[NK_ERRLEN];
    assert_int_equal(itr_hints_parse(HINTS, strlen(HINTS), 0, &g, &n, err), 0);
    assert_int_equal(n, 3); /* c.other. is no root server */
    assert_string_equal(g[0].name, "b.root-servers.net.");
    assert_string_equal(g[0].addr, "170.247.170.2");
    assert_string_equal(g[1].name, "a.root-servers.net.");
    assert_int_equal(g[2].family, AF_INET6);
    itr_glue_free(g, n);
    assert_int_equal(itr_hints_parse(HINTS, strlen(HINTS), AF_INET6, &g, &n, err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(g[0].addr, "2001:503:ba3e::2:30");
    itr_glue_free(g, n);

    const char bad[] = ". NS a.x.\na.x. A 300.1.1.1\n";
    assert_int_equal(itr_hints_parse(bad, strlen(bad), 0, &g, &n, err), -1);
    assert_string_equal(err, "line 2: '300.1.1.1': not an IPv4 address");
    assert_null(g);
    const char none[] = "; nothing\n";
    assert_int_equal(itr_hints_parse(none, strlen(none), 0, &g, &n, err), -1);
    assert_string_equal(err, "no root server addresses");
    const char cut[] = ". NS\n";
    assert_int_equal(itr_hints_parse(cut, strlen(cut), 0, &g, &n, err), -1);
    assert_non_null(strstr(err, "line 1"));
    assert_int_equal(itr_hints_parse("", 0, 0, &g, &n, err), -1);
}

static void zones(void **state)
{
    (void)state;
    assert_true(itr_in_zone("www.example.test.", "."));
    assert_true(itr_in_zone("www.example.test.", "TEST."));
    assert_true(itr_in_zone("test.", "test."));
    assert_false(itr_in_zone("www.atest.", "test."));
    assert_false(itr_in_zone("test.", "www.test."));
}

/* A server of a judged step with a response of kind k. */
static void server(struct itr_step *st, const char *nm, const char *addr, enum itr_kind k,
                   int rcode, bool aa, uint32_t serial, const char *data)
{
    struct itr_server *s = &st->srv[st->nsrv++];
    memset(s, 0, sizeof(*s));
    s->name = strdup(nm);
    strcpy(s->addr, addr);
    s->have_resp = true;
    s->resp.kind = k;
    s->resp.rcode = s->rcode = rcode;
    s->resp.aa = s->aa = aa;
    s->have_serial = serial != 0;
    s->serial = serial;
    if (data) {
        s->resp.ans = calloc(1, sizeof(struct itr_rec));
        s->resp.ans[0].name = strdup("www.z.");
        s->resp.ans[0].data = (char *)data;
        s->resp.ans[0].type = DNS_T_A;
        s->resp.nans = 1;
    }
}

/* Free what the servers and the problems of st hold, and empty them. */
static void clear(struct itr_step *st)
{
    for (size_t i = 0; i < st->nsrv; i++) {
        free(st->srv[i].name);
        if (st->srv[i].resp.ans) {
            free(st->srv[i].resp.ans[0].name);
            free(st->srv[i].resp.ans);
        }
    }
    for (size_t i = 0; i < st->nprob; i++) {
        free(st->prob[i].server);
        free(st->prob[i].name);
        free(st->prob[i].detail);
    }
    st->nsrv = st->nprob = 0;
}

static void judged(void **state)
{
    (void)state;
    struct itr_server srv[4];
    struct itr_step st = {.zone = "z.", .qname = "www.z.", .qtype = DNS_T_A, .srv = srv};
    char oom[NK_ERRLEN] = "";
    server(&st, "a.z.", "192.0.2.1", ITR_ANSWER, 0, true, 2, "192.0.2.9");
    server(&st, "b.z.", "192.0.2.2", ITR_ANSWER, 0, true, 2, "192.0.2.9");
    server(&st, "c.z.", "192.0.2.3", ITR_ANSWER, 0, true, 1, "192.0.2.8");
    server(&st, "d.z.", "192.0.2.4", ITR_RCODE, 5, false, 0, NULL);
    assert_int_equal(itr_judge(&st, NULL, NULL, oom), 0);
    assert_string_equal(oom, "");
    assert_int_equal(st.nprob, 3);
    assert_string_equal(st.prob[0].kind, "lame");
    assert_string_equal(st.prob[0].server, "192.0.2.4");
    assert_string_equal(st.prob[1].kind, "answer-mismatch");
    assert_string_equal(st.prob[1].name, "c.z.");
    assert_string_equal(st.prob[2].kind, "serial-mismatch");
    assert_string_equal(st.prob[2].detail, "SOA serial 1; a.z. (192.0.2.1) has 2");
    assert_true(st.srv[3].lame);

    clear(&st);
    struct itr_trace t;
    memset(&t, 0, sizeof(t));
    server(&st, "d.z.", "192.0.2.4", ITR_RCODE, 5, false, 0, NULL);
    assert_int_equal(itr_judge(&st, NULL, NULL, oom), -1);
    itr_broken(&t, &st);
    assert_int_equal(t.status, DNS_S_REFUSED);
    assert_string_equal(t.reason, "www.z.: no server of z. gave a usable answer: d.z. "
                                  "(192.0.2.4): answered REFUSED for z.");
    clear(&st);

    /* Servers silent past the grace or the timeout: the chain broke by TIMEOUT. */
    memset(&t, 0, sizeof(t));
    server(&st, "a.z.", "192.0.2.1", ITR_ANSWER, 0, true, 0, NULL);
    server(&st, "b.z.", "192.0.2.2", ITR_ANSWER, 0, true, 0, NULL);
    for (size_t i = 0; i < 2; i++)
        st.srv[i].have_resp = false;
    strcpy(st.srv[0].error, "did not answer within 200 ms (the others had answered)");
    strcpy(st.srv[1].error, "no answer in time (TIMEOUT)");
    assert_int_equal(itr_judge(&st, NULL, NULL, oom), -1);
    itr_broken(&t, &st);
    assert_int_equal(t.status, DNS_S_TIMEOUT);
    assert_true(st.srv[0].lame && st.srv[1].lame);
    clear(&st);
    free(st.prob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(referral),
        cmocka_unit_test(answers_and_chains),
        cmocka_unit_test(negative_and_lame),
        cmocka_unit_test(hints),
        cmocka_unit_test(zones),
        cmocka_unit_test(judged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
