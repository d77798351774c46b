/* SPDX-License-Identifier: GPL-3.0-or-later */
/* itrace_judge.h - judging one zone of a --trace (the engine's pure half, with itrace.h's
 * parsers): lame servers, NS-set, serial and answer mismatches, the zone's answer. */
#ifndef NK_ITRACE_JUDGE_H
#define NK_ITRACE_JUDGE_H

#include "dns/itrace.h"

/* Add a problem of kind about server s (NULL: the zone) to st; oom gets "out of memory" if
 * memory runs out. */
void itr_problem(char *oom, struct itr_step *st, const char *kind, const struct itr_server *s,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Judge st after its servers answered: a problem per lame server (no address, no answer,
 * an rcode, a wrong referral, an answer or SOA without AA), NS sets against each other and
 * against parent_set (the NS names parent_zone delegated with, space separated; NULL: not
 * known), SOA serials, and answers against each other. Returns the index of a server whose
 * answer is the zone's (the most common usable one), or -1 when no server's is usable. */
int itr_judge(struct itr_step *st, const char *parent_zone, const char *parent_set, char *oom);

/* No server of st was usable: why, into t->reason, and t->status from the failures. */
void itr_broken(struct itr_trace *t, const struct itr_step *st);

#endif
