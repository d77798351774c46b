/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resolve_trace.h - `netkit resolve --trace`: the iterative trace of each name, printed. */
#ifndef NK_RESOLVE_TRACE_H
#define NK_RESOLVE_TRACE_H

#include <stdbool.h>
#include "dns/itrace.h"

/* Trace each of names[0..n-1] (type 0: address mode, PTR for an address) with o, printing
 * text or JSON (one object per name) to stdout. Returns the exit status: 0 when every trace
 * ended in an answer or an authoritative NXDOMAIN/NODATA, 1 otherwise. */
int resolve_trace(char **names, int n, int type, const struct itr_opts *o, bool json, bool color);

#endif
