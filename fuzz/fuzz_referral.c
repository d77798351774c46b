/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_referral.c - random bytes as a response to --trace's question (classified against two
 * zones), as the answer to the root's NS set (-s/@SERVER), and as a root hints file. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "dns/dnsname.h"
#include "dns/itrace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[NK_ERRLEN];
    struct itr_resp r;
    static const char *const zones[] = {".", "example.test."};
    for (size_t z = 0; z < 2; z++) {
        if (itr_parse_response(data, size, "www.example.test.", DNS_T_A, zones[z], &r, err) == 0) {
            if (r.kind == ITR_REFERRAL && (!r.child || !itr_in_zone("www.example.test.", r.child)))
                __builtin_trap(); /* a referral always leads toward the name */
            for (size_t i = 0; i < r.nglue; i++) {
                bool listed = false;
                for (size_t k = 0; k < r.nns; k++)
                    listed = listed || strcasecmp(r.ns[k], r.glue[i].name) == 0;
                if (!listed)
                    __builtin_trap(); /* glue is only for the referral's NS names */
            }
            itr_resp_free(&r);
        }
    }
    if (itr_parse_response(data, size, ".", DNS_T_NS, ".", &r, err) == 0) {
        for (size_t i = 0; i < r.nglue; i++) {
            bool listed = false;
            for (size_t k = 0; k < r.nans; k++)
                listed = listed || (r.ans[k].type == DNS_T_NS &&
                                    strcasecmp(r.ans[k].data, r.glue[i].name) == 0);
            if (!listed && r.kind != ITR_REFERRAL)
                __builtin_trap(); /* an answer's addresses are only for its NS names */
        }
        itr_resp_free(&r);
    }
    struct itr_glue *g;
    size_t n;
    if (itr_hints_parse((const char *)data, size, 0, &g, &n, err) == 0)
        itr_glue_free(g, n);
    return 0;
}
