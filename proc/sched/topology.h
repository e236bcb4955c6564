/* Scheduling domains (Linux: include/linux/sched/topology.h): the hart
 * topology (threads, cores, sockets, NUMA nodes) turned into per-cpu chains of
 * sched_domain, each with its circular list of sched_group, for the load balancer. */
#ifndef PROC_SCHED_TOPOLOGY_H
#define PROC_SCHED_TOPOLOGY_H
#include "kernel/types.h"
#include "kernel/fdt.h"

#define NR_CPUS_TOPO 32          /* = NR_CPUS; spans are u64 masks, so at most 64 */
#define TOPO_MAX_NODES 8         /* = FDT_MAX_NUMA */

/* Capacity of one hart (all harts are equal here). Spelled exactly like
 * balance.c's definition so both may exist. */
#define SCHED_CAPACITY_SHIFT 10
#define SCHED_CAPACITY_SCALE 1024UL

/* Distances above this are "far" NUMA levels: no fork/exec balancing and no
 * wake-affine there (Linux: node_reclaim_distance = RECLAIM_DISTANCE). */
#define NODE_RECLAIM_DISTANCE 30

/* sched_domain.flags: Linux 6.1's bit values (include/linux/sched/sd_flags.h order). */
#define SD_BALANCE_NEWIDLE     0x0001 /* balance when about to become idle */
#define SD_BALANCE_EXEC        0x0002 /* balance on exec */
#define SD_BALANCE_FORK        0x0004 /* balance on fork and clone */
#define SD_BALANCE_WAKE        0x0008 /* balance on wake-up (never set here) */
#define SD_WAKE_AFFINE         0x0010 /* wake-ups may pull the task next to the waker */
#define SD_ASYM_CPUCAPACITY    0x0020 /* (unused: all harts are equal) */
#define SD_ASYM_CPUCAPACITY_FULL 0x0040
#define SD_SHARE_CPUCAPACITY   0x0080 /* members share one core (SMT threads) */
#define SD_SHARE_PKG_RESOURCES 0x0100 /* members share the last-level cache */
#define SD_SERIALIZE           0x0200 /* one hart at a time balances this level */
#define SD_ASYM_PACKING        0x0400 /* (unused) */
#define SD_PREFER_SIBLING      0x0800 /* spread tasks over the child groups */
#define SD_OVERLAP             0x1000 /* groups may overlap (NUMA levels) */
#define SD_NUMA                0x2000 /* crosses NUMA nodes */

/* Flags that mean something only when a domain has two groups or more
 * (Linux's SD_DEGENERATE_GROUPS_MASK: every flag but SD_WAKE_AFFINE). */
#define SD_DEGENERATE_GROUPS_MASK (0x3fff & ~SD_WAKE_AFFINE)

/* Topology levels, bottom-up: sched_domain.level is the index in this list
 * (NUMA levels are SD_LV_NUMA, SD_LV_NUMA + 1, ...). Removing degenerate
 * domains does not renumber the ones kept (as in Linux). */
#define SD_LV_SMT  0
#define SD_LV_MC   1
#define SD_LV_PKG  2
#define SD_LV_NUMA 3
#define SD_MAX_NUMA_LEVELS 5
#define SD_MAX_LEVELS (SD_LV_NUMA + SD_MAX_NUMA_LEVELS)

/* Where each hart is: input of build_sched_domains. cpu[i] is the dense cpu
 * number i (harts[i]); any field is -1 when the device tree does not say. */
struct cpu_topology {
	int ncpus;
	struct {
		int socket, cluster, core, thread, node;
	} cpu[NR_CPUS_TOPO];
	int nnodes;                                  /* 0: no NUMA information (one node) */
	u32 distance[TOPO_MAX_NODES][TOPO_MAX_NODES]; /* distance[from][to], 10 = local */
};

/* Compute capacity of a group (Linux: struct sched_group_capacity). Shared by
 * every cpu whose domains use the group, as in Linux. */
struct sched_group_capacity {
	unsigned long capacity;      /* SCHED_CAPACITY_SCALE per hart of the group */
	unsigned long min_capacity;  /* smallest / largest capacity of one hart in it */
	unsigned long max_capacity;
	unsigned long next_update;   /* for the balancer's own use; starts at 0 */
	int imbalance;               /* for the balancer: a child level could not balance */
	int id;                      /* first hart of balance_mask (what the debug output prints) */
	u64 balance_mask;            /* harts allowed to balance for this group (Linux:
				      * group_balance_mask); = the group span except on NUMA
				      * levels with overlapping groups */
};

/* One member of a domain: the span of a child domain (Linux: struct sched_group). */
struct sched_group {
	struct sched_group *next;    /* circular: the last one points back to sd->groups */
	unsigned int group_weight;   /* number of harts in span */
	struct sched_group_capacity *sgc;
	int flags;                   /* flags of the child domain it was made from (the lowest
				      * one with this span; 0 at the lowest level) */
	u64 span;                    /* the harts of the group */
};

/* One level of one hart's view of the machine (Linux: struct sched_domain). */
struct sched_domain {
	struct sched_domain *parent; /* next level up, NULL at the top */
	struct sched_domain *child;  /* next level down, NULL at the bottom */
	struct sched_group *groups;  /* this hart's own group first, then the others, circularly */
	u64 span;                    /* harts this domain balances across */
	unsigned int span_weight;    /* number of harts in span */
	unsigned long min_interval;  /* balance interval bounds, ms: span_weight and 2 * span_weight */
	unsigned long max_interval;
	unsigned int busy_factor;    /* a busy hart balances busy_factor times less often (16) */
	unsigned int imbalance_pct;  /* imbalance tolerated, percent (110 SMT, 117 elsewhere) */
	unsigned int cache_nice_tries; /* failed balances before cache-hot tasks may move */
	unsigned int imb_numa_nr;    /* tasks a NUMA domain may leave imbalanced (Linux 6.1) */
	int flags;                   /* SD_* */
	int level;                   /* SD_LV_* index of the topology level it was built at */
	/* run-time state, owned by the balancer */
	unsigned long last_balance;  /* when this level was last balanced (starts at 0) */
	unsigned int balance_interval; /* ms, starts at min_interval */
	unsigned int nr_balance_failed;
	unsigned long max_newidle_lb_cost;
	unsigned long last_decay_max_lb_cost;
	const char *name;            /* "SMT", "MC", "PKG" or "NUMA" */
};

/* Storage for one build: the caller owns it (a static object in the kernel);
 * build_sched_domains empties it and allocates everything from it, so a
 * rebuild must wait until nobody uses the previous domains any more. */
#define SD_POOL_DOMAINS (NR_CPUS_TOPO * SD_MAX_LEVELS)
#define SD_POOL_GROUPS (2 * NR_CPUS_TOPO * SD_MAX_LEVELS)
struct sd_pool {
	int nr_domains, nr_groups;
	struct sched_domain domains[SD_POOL_DOMAINS];
	struct sched_group groups[SD_POOL_GROUPS];
	struct sched_group_capacity sgc[SD_POOL_GROUPS]; /* sgc[i] belongs to groups[i] */
	/* build scratch (kept here, off the kernel stack) */
	int nr_rings;
	struct { int level, first, n; } rings[SD_POOL_GROUPS]; /* group lists made so far */
	u64 span[SD_MAX_LEVELS][NR_CPUS_TOPO];       /* per level, per cpu: domain span, 0 = none */
	struct sched_domain *sd[SD_MAX_LEVELS][NR_CPUS_TOPO];
	u64 gspan[NR_CPUS_TOPO];                     /* one domain's group spans, in order */
};

/* ---- u64 cpu masks ---- */

/* Plain C rather than __builtin_popcountll/__builtin_ctzll: without Zbb
 * those become libgcc calls, and the kernel does not link libgcc. */
static inline int cpumask64_weight(u64 m)
{
	int n = 0;

	for (; m; m &= m - 1) /* clear the lowest set bit */
		n++;
	return n;
}
/* Lowest cpu in m, or 64 if m is empty. */
static inline int cpumask64_first(u64 m)
{
	int n = 0;

	if (!m)
		return 64;
	for (int step = 32; step; step >>= 1) {
		if (!(m & ((1ULL << step) - 1))) {
			m >>= step;
			n += step;
		}
	}
	return n;
}
/* Lowest cpu in m above cpu, or 64 if none. */
static inline int cpumask64_next(u64 m, int cpu)
{
	return cpu >= 63 ? 64 : cpumask64_first(m & (~0ULL << (cpu + 1)));
}
static inline bool cpumask64_test(u64 m, int cpu) { return cpu >= 0 && cpu < 64 && ((m >> cpu) & 1); }
/* Write m as a cpu list ("0-3,6", "" when empty) into buf (always
 * NUL-terminated when n > 0); returns the length the whole list needs. */
int cpumask64_format(u64 m, char *buf, size_t n);

static inline u64 sched_domain_span(const struct sched_domain *sd) { return sd->span; }
static inline u64 sched_group_span(const struct sched_group *sg) { return sg->span; }
static inline u64 group_balance_mask(const struct sched_group *sg) { return sg->sgc->balance_mask; }
/* The hart that balances on behalf of the group (Linux: group_balance_cpu). */
static inline int group_balance_cpu(const struct sched_group *sg)
{
	return cpumask64_first(group_balance_mask(sg));
}

/* The highest domain of the chain starting at sd that still has all of flag,
 * all domains below it having it too (e.g. SD_SHARE_PKG_RESOURCES: the LLC
 * domain), or NULL. */
struct sched_domain *highest_flag_domain(struct sched_domain *sd, int flag);
/* The lowest domain of the chain starting at sd with all of flag, or NULL. */
struct sched_domain *lowest_flag_domain(struct sched_domain *sd, int flag);

/* ---- building ---- */

/* Fill *out for the kernel's cpu numbering: cpu i is the hart with hart id
 * hartid_of_cpu[i]; its socket/cluster/core/thread/NUMA node come from fi's
 * entry with that hart id (all -1 if there is none). Copies the distances. */
void topology_from_fdt(const struct fdt_info *fi, const unsigned long *hartid_of_cpu, int ncpus,
		       struct cpu_topology *out);

/*
 * Build the domains of all t->ncpus harts from pool and set per_cpu_base[cpu]
 * (cpu < t->ncpus) to that hart's lowest domain, NULL when it has none (one
 * hart, or nothing left after removing degenerate domains). Levels: SMT (same
 * socket, cluster and core), MC (same socket: the LLC), PKG (same NUMA node),
 * then one NUMA level per distinct node distance above the local one. Returns
 * 0, -EINVAL (bad ncpus), -E2BIG (more than SD_MAX_NUMA_LEVELS distances) or
 * -ENOMEM (pool too small); on error every per_cpu_base[cpu] is NULL.
 */
int build_sched_domains(const struct cpu_topology *t, struct sched_domain *per_cpu_base[],
			struct sd_pool *pool);

/* Linux's tests for domains that do nothing (used by build_sched_domains). */
bool sd_degenerate(const struct sched_domain *sd);
bool sd_parent_degenerate(const struct sched_domain *sd, const struct sched_domain *parent);

/* ---- debug output (Linux: sched_domain_debug, with sched_verbose) ---- */

/* Set by "sched_verbose" on the kernel command line (kernel/cmdline.c). */
extern bool sched_debug_verbose;

/*
 * Describe cpu's domain chain starting at sd (its lowest domain), one line at
 * a time without '\n' (each at most 255 characters; a long group list
 * continues on further lines), but only if sched_debug_verbose is set:
 *   CPU0 attaching sched-domain(s):
 *    domain-0: span=0-3 level=MC
 *     flags: SD_BALANCE_NEWIDLE SD_BALANCE_EXEC ...
 *     groups: 0:{ span=0 cap=1024 }, 1:{ span=1 cap=1024 }, ...
 *     domain-1: span=0-7 level=NUMA
 *      flags: ...
 *      groups: 0:{ span=0-3 cap=4096 }, 4:{ span=4-7 cap=4096 }
 * or "CPU0 attaching NULL sched-domain." when sd is NULL.
 */
void sched_domain_debug_lines(const struct sched_domain *sd, int cpu,
			      void (*line)(const char *text, void *arg), void *arg);
/* The same lines, each ended by '\n', into buf (NUL-terminated when n > 0),
 * whatever sched_debug_verbose says; returns the length the whole text
 * needs, as snprintf does. */
int sched_domain_debug_string(const struct sched_domain *sd, int cpu, char *buf, size_t n);

#endif
