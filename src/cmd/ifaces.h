/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ifaces.h - inside `netkit ifaces`: the request, what one run gathers, and the views kept in
 * files of their own. ifaces.c holds the command and the interface list (with -b, -s);
 * ifaces_neigh.c the neighbour table (-n), ifaces_host.c the host view (-H), ifaces_watch.c
 * the rates (-s --watch). */
#ifndef NK_IFACES_H
#define NK_IFACES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/out.h"
#include "lib/nk.h"
#include "link/links.h"
#include "link/oui.h"

/* What the user asked for. */
struct ifaces_req {
    bool brief;   /* -b */
    bool stats;   /* -s */
    int watch;    /* --watch: seconds between samples, 0 for none */
    bool neigh;   /* -n */
    bool host;    /* -H */
    int family;   /* AF_INET, AF_INET6, or AF_UNSPEC for both */
    bool vendors; /* look MAC vendors up (-b's text has no vendor column: skip the registry) */
    int nnames;   /* IFNAMEs given */
    char **names; /* the IFNAMEs */
};

/* Everything gathered for one run. */
struct ifaces_view {
    struct nk_table t;           /* the dumps */
    struct oui_query *ouis;      /* distinct OUIs looked up */
    size_t nouis;                /* entries in ouis */
    const struct nk_link **show; /* the links to show, in order */
    size_t nshow;                /* entries in show */
};

/* Collects names (link flags, address flags, neighbour states): each one into the open JSON
 * array, or as a boolean field of its own, and all into one line for the text, which shows
 * them in another place than JSON's key order. */
struct ifaces_names {
    struct out *o;   /* JSON target */
    const char *sep; /* between two names in the text */
    bool fields;     /* JSON: each name a field set to true (as ip prints address flags) */
    char buf[256];   /* text form */
};

/* links.h's callback for nk_link_flags, nk_addr_flags, nk_neigh_states: add name to arg (a
 * struct ifaces_names). */
void ifaces_add_name(const char *name, void *arg);

/* Dump what the request needs (links always; then addresses, neighbours or routes) into v.
 * NK_OK, or NK_FAIL with the message printed. */
int ifaces_gather(const struct ifaces_req *r, struct ifaces_view *v);
/* Pick the links to show: the named ones in the order given, or all. Unknown names are
 * reported; NK_FAIL if any was unknown. */
int ifaces_select(const struct ifaces_req *r, struct ifaces_view *v);
void ifaces_view_free(struct ifaces_view *v);

/* The query slot for this MAC's OUI, adding it if new (add); NULL if the MAC has no vendor. */
struct oui_query *ifaces_oui_slot(struct ifaces_view *v, const uint8_t *mac, size_t len, bool add);
/* The vendor looked up for this MAC, or NULL. */
const char *ifaces_vendor(struct ifaces_view *v, const uint8_t *mac, size_t len);

/* -n: the neighbour table (ifaces_neigh.c). */
int ifaces_neighs(struct out *o, const struct ifaces_req *r, struct ifaces_view *v);
/* -H: host name, gateways, DNS (ifaces_host.c). */
int ifaces_host(struct out *o, const struct ifaces_req *r, struct ifaces_view *v);
/* -s --watch: rates until Ctrl-C (ifaces_watch.c); the exit status. */
int ifaces_watch(const struct ifaces_req *r, struct nk_ctx *ctx);

#endif
