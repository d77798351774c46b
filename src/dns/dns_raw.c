/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dns_raw.c - raw queries on the channel: the answer packet as it came (resolve --trace). */
#include <ares.h>
#include <stdlib.h>

#include "lib/err.h"
#include "dns/dns.h"
#include "dns/dns_int.h"

/* One raw query in flight. */
struct raw_job {
    struct dns *d;  /* channel */
    dns_raw_fn fn;  /* caller's callback */
    void *arg;      /* its argument */
    uint64_t t0_us; /* sent */
};

static void raw_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)timeouts;
    struct raw_job *j = arg;
    struct dns_raw r = {.status = DNS_S_NOERROR};
    r.rtt_ms = (double)(loop_clock_us() - j->t0_us) / 1000.0;
    if (status == ARES_SUCCESS && abuf && alen > 0) {
        r.pkt = abuf;
        r.len = (size_t)alen;
    } else {
        r.status = dns_map_status(status, r.error);
        if (r.status == DNS_S_NOERROR || r.status == DNS_S_NODATA || r.status == DNS_S_NXDOMAIN ||
            r.status == DNS_S_SERVFAIL || r.status == DNS_S_REFUSED) {
            r.status = DNS_S_ERROR; /* a status without the packet that says it */
            nk_seterr(r.error, "%s", ares_strerror(status));
        }
        if (status == ARES_ECONNREFUSED && j->d->tcp_hangup)
            nk_seterr(r.error, "the server closed the connection without an answer");
    }
    j->d->pending--;
    j->fn(j->arg, &r);
    free(j);
}

int dns_query_raw(struct dns *d, const char *ascii_name, int type, bool rd, dns_raw_fn fn,
                  void *arg, char err[NK_ERRLEN])
{
    unsigned char *q = NULL;
    int qlen = 0;
    /* The id is replaced by ares_send; 1232 bytes is the EDNS buffer DNS Flag Day 2020 set. */
    int rc = ares_create_query(ascii_name, 1 /* IN */, type, 0, rd ? 1 : 0, &q, &qlen, 1232);
    if (rc != ARES_SUCCESS)
        return nk_seterr(err, "%s: %s", ascii_name, ares_strerror(rc));
    struct raw_job *j = malloc(sizeof(*j));
    if (!j) {
        ares_free_string(q);
        return nk_seterr(err, "out of memory");
    }
    *j = (struct raw_job){d, fn, arg, loop_clock_us()};
    d->pending++;
    ares_send(d->ch, q, qlen, raw_cb, j);
    ares_free_string(q);
    dns_arm_timer(d);
    return 0;
}
