/* Host unit tests for proc/sched/topology.c: scheduling domains built from the
 * QEMU virt DTB fixtures (test/host/fixtures/, including the SMT one) and from
 * synthetic topologies; checks spans, levels, flags, groups, links, intervals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test/host/ktest.h"
#include "test/host/fixture.h"
#include "proc/sched/topology.h"
#include "kernel/errno.h"


static struct fdt_info info;
static struct sd_pool pool;
static struct sched_domain *base[NR_CPUS_TOPO];
static struct cpu_topology topo;
static char text[8192];

/* Common flags of a balancing level below NUMA. */
#define SD_COMMON (SD_BALANCE_NEWIDLE | SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE | \
		   SD_PREFER_SIBLING)
#define FLAGS_SMT (SD_COMMON | SD_SHARE_CPUCAPACITY | SD_SHARE_PKG_RESOURCES)
#define FLAGS_MC (SD_COMMON | SD_SHARE_PKG_RESOURCES)
#define FLAGS_PKG SD_COMMON
#define FLAGS_NUMA_NEAR (SD_BALANCE_NEWIDLE | SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE | \
			 SD_SERIALIZE | SD_OVERLAP | SD_NUMA)
#define FLAGS_NUMA_FAR (SD_BALANCE_NEWIDLE | SD_SERIALIZE | SD_OVERLAP | SD_NUMA)

#define M(lo, hi) ((~0ULL >> (63 - (hi))) & (~0ULL << (lo))) /* cpus lo..hi */
#define B(c) (1ULL << (c))


/* Parse a fixture and number its enabled harts like the kernel: the boot
 * hart (here the first enabled one) is cpu 0, the others follow in DT order. */
static int topo_from_dtb(const char *name, struct cpu_topology *t)
{
	unsigned long hartids[NR_CPUS_TOPO];
	size_t size;
	unsigned char *blob = load(name, &size);
	int n = 0;

	if (fdt_parse(blob, &info) != 0) {
		free(blob);
		return -1;
	}
	free(blob);
	for (int i = 0; i < info.ncpus && n < NR_CPUS_TOPO; i++)
		if (info.cpus[i].enabled)
			hartids[n++] = info.cpus[i].hartid;
	topology_from_fdt(&info, hartids, n, t);
	return 0;
}

/* An empty synthetic topology of n cpus, nodes nodes (distances 10/20). */
static void topo_init(struct cpu_topology *t, int n, int nodes)
{
	memset(t, 0, sizeof(*t));
	t->ncpus = n;
	t->nnodes = nodes;
	for (int i = 0; i < NR_CPUS_TOPO; i++) {
		t->cpu[i].socket = t->cpu[i].cluster = t->cpu[i].core = -1;
		t->cpu[i].thread = t->cpu[i].node = -1;
	}
	for (int a = 0; a < TOPO_MAX_NODES; a++)
		for (int b = 0; b < TOPO_MAX_NODES; b++)
			t->distance[a][b] = a == b ? 10 : 20;
}

static void set_cpu(struct cpu_topology *t, int c, int socket, int core, int thread, int node)
{
	t->cpu[c].socket = socket;
	t->cpu[c].cluster = socket; /* QEMU virt: one cluster per socket */
	t->cpu[c].core = core;
	t->cpu[c].thread = thread;
	t->cpu[c].node = node;
}

/* The domain of cpu's chain at depth d (0 = lowest), or NULL. */
static struct sched_domain *dom(int cpu, int d)
{
	struct sched_domain *sd = base[cpu];

	while (sd && d--)
		sd = sd->parent;
	return sd;
}

static int depth(int cpu)
{
	int n = 0;

	for (struct sched_domain *sd = base[cpu]; sd; sd = sd->parent)
		n++;
	return n;
}

/* The group spans of sd, in list order, into g[]; returns how many (-1 if
 * the list does not come back to its start within 64 steps). */
static int groups_of(const struct sched_domain *sd, u64 *g, unsigned long *cap)
{
	const struct sched_group *sg = sd->groups;
	int n = 0;

	do {
		if (n == 64)
			return -1;
		g[n] = sg->span;
		if (cap)
			cap[n] = sg->sgc->capacity;
		n++;
		sg = sg->next;
	} while (sg != sd->groups);
	return n;
}

/*
 * What must hold for every domain of every cpu whatever the topology: links
 * both ways, spans nested and holding the cpu, groups in a ring whose first
 * one is the cpu's own (= the child's span), covering the span and within it,
 * capacities and weights, Linux's sd_init values, and nothing degenerate left.
 * Returns a short reason, or NULL.
 */
static const char *invariants(int ncpus, bool disjoint_groups)
{
	for (int c = 0; c < ncpus; c++) {
		int d = 0;

		for (struct sched_domain *sd = base[c]; sd; sd = sd->parent, d++) {
			u64 g[64], cover = 0;
			unsigned long cap[64];
			int n;

			if (d > SD_MAX_LEVELS)
				return "chain too long";
			if (!(sd->span & B(c)))
				return "span lacks its cpu";
			if (sd->span_weight != (unsigned int)cpumask64_weight(sd->span))
				return "span_weight";
			if (sd->parent && sd->parent->child != sd)
				return "parent->child";
			if (sd->child && sd->child->parent != sd)
				return "child->parent";
			if (d == 0 && sd->child)
				return "lowest domain has a child";
			if (sd->parent && (sd->span & ~sd->parent->span))
				return "span not inside parent's";
			if (sd->parent && sd->parent->level <= sd->level)
				return "levels not increasing";
			if (sd->min_interval != sd->span_weight || sd->max_interval != 2 * sd->span_weight ||
			    sd->balance_interval != sd->span_weight || sd->busy_factor != 16)
				return "intervals";
			if (sd->nr_balance_failed || sd->last_balance || sd->max_newidle_lb_cost)
				return "run-time state not zero";
			n = groups_of(sd, g, cap);
			if (n < 1)
				return "group ring broken";
			if (!(g[0] & B(c)))
				return "first group is not the cpu's";
			if (sd->child && g[0] != sd->child->span)
				return "first group != child span";
			for (int k = 0; k < n; k++) {
				if (g[k] & ~sd->span)
					return "group outside the span";
				if (disjoint_groups && (cover & g[k]))
					return "groups overlap";
				cover |= g[k];
				if (cap[k] != (unsigned long)cpumask64_weight(g[k]) * SCHED_CAPACITY_SCALE)
					return "group capacity";
			}
			{
				const struct sched_group *sg = sd->groups;
				do {
					if (sg->group_weight != (unsigned int)cpumask64_weight(sg->span))
						return "group_weight";
					if (sg->sgc->id != group_balance_cpu(sg))
						return "sgc id";
					if (!sg->sgc->balance_mask || (sg->sgc->balance_mask & ~sg->span))
						return "balance mask";
					sg = sg->next;
				} while (sg != sd->groups);
			}
			if (cover != sd->span)
				return "groups do not cover the span";
			if (sd_degenerate(sd))
				return "degenerate domain left";
			if (sd->parent && sd_parent_degenerate(sd, sd->parent))
				return "degenerate parent left";
			if (sd->flags & SD_SHARE_CPUCAPACITY) {
				if (sd->imbalance_pct != 110 || sd->cache_nice_tries != 0)
					return "SMT values";
			} else if (sd->flags & SD_SHARE_PKG_RESOURCES) {
				if (sd->imbalance_pct != 117 || sd->cache_nice_tries != 1)
					return "MC values";
			} else if (sd->flags & SD_NUMA) {
				if (sd->imbalance_pct != 117 || sd->cache_nice_tries != 2 ||
				    (sd->flags & SD_PREFER_SIBLING) || !(sd->flags & SD_SERIALIZE))
					return "NUMA values";
			} else if (sd->imbalance_pct != 117 || sd->cache_nice_tries != 1) {
				return "PKG values";
			}
		}
	}
	return NULL;
}

static bool check_invariants(int ncpus, bool disjoint, const char *what)
{
	const char *why = invariants(ncpus, disjoint);

	if (why)
		printf("# %s: %s\n", what, why);
	return why == NULL;
}

static bool is_dom(const struct sched_domain *sd, const char *name, int level, u64 span, int flags)
{
	if (!sd) {
		printf("# no domain (want %s)\n", name);
		return false;
	}
	if (strcmp(sd->name, name) || sd->level != level || sd->span != span || sd->flags != flags) {
		printf("# got %s level %d span %#llx flags %#x; want %s %d %#llx %#x\n", sd->name,
		       sd->level, (unsigned long long)sd->span, sd->flags, name, level,
		       (unsigned long long)span, flags);
		return false;
	}
	return true;
}

/* sd's groups are exactly g0, g1, ... (in list order), each of weight*1024. */
static bool has_groups(const struct sched_domain *sd, int n, const u64 *want)
{
	u64 g[64];
	unsigned long cap[64];

	if (!sd || groups_of(sd, g, cap) != n)
		return false;
	for (int k = 0; k < n; k++)
		if (g[k] != want[k] || cap[k] != (unsigned long)cpumask64_weight(want[k]) * 1024)
			return false;
	return true;
}

static int build(void)
{
	/* poison, so a stale pointer would show */
	for (int c = 0; c < NR_CPUS_TOPO; c++)
		base[c] = (struct sched_domain *)1;
	return build_sched_domains(&topo, base, &pool);
}

/* ---- cpumask helpers ---- */

static void test_cpumask(void)
{
	char b[64];

	CHECK(cpumask64_format(0, b, sizeof(b)) == 0 && !strcmp(b, ""), "format empty");
	CHECK(cpumask64_format(B(0), b, sizeof(b)) == 1 && !strcmp(b, "0"), "format 0");
	CHECK(cpumask64_format(M(0, 3) | B(6), b, sizeof(b)) == 5 && !strcmp(b, "0-3,6"), "format 0-3,6");
	CHECK(cpumask64_format(B(1) | B(3) | B(5), b, sizeof(b)) == 5 && !strcmp(b, "1,3,5"), "format 1,3,5");
	CHECK(cpumask64_format(M(0, 1) | M(4, 7) | B(63), b, sizeof(b)) == 10 && !strcmp(b, "0-1,4-7,63"),
	      "format runs and 63");
	CHECK(cpumask64_format(~0ULL, b, sizeof(b)) == 4 && !strcmp(b, "0-63"), "format 0-63");
	CHECK(cpumask64_format(M(0, 3) | B(6), b, 3) == 5 && !strcmp(b, "0-"), "format truncated");
	CHECK(cpumask64_format(M(0, 3), NULL, 0) == 3, "format size only");
	CHECK(cpumask64_weight(0) == 0 && cpumask64_weight(~0ULL) == 64 && cpumask64_weight(M(4, 7)) == 4,
	      "weight");
	CHECK(cpumask64_first(0) == 64 && cpumask64_first(B(0)) == 0 && cpumask64_first(B(63)) == 63 &&
	      cpumask64_first(M(5, 9)) == 5 && cpumask64_first(B(32) | B(40)) == 32, "first");
	CHECK(cpumask64_next(M(0, 3) | B(6), 3) == 6 && cpumask64_next(B(6), 6) == 64 &&
	      cpumask64_next(~0ULL, 63) == 64 && cpumask64_next(B(63), 0) == 63, "next");
}

/* ---- the DTB fixtures ---- */

static void test_virt_1cpu(void)
{
	CHECK(topo_from_dtb("virt-1cpu.dtb", &topo) == 0 && topo.ncpus == 1, "1cpu: topology");
	CHECK(build() == 0 && base[0] == NULL, "1cpu: no domains");
	CHECK(sched_domain_debug_string(base[0], 0, text, sizeof(text)) > 0 &&
	      !strcmp(text, "CPU0 attaching NULL sched-domain.\n"), "1cpu: debug says NULL");
}

static void test_virt_4cpu(void)
{
	bool ok = true;

	CHECK(topo_from_dtb("virt-4cpu.dtb", &topo) == 0 && topo.ncpus == 4 && topo.nnodes == 2,
	      "4cpu: topology");
	CHECK(topo.cpu[1].socket == 0 && topo.cpu[2].socket == 1 && topo.cpu[3].node == 1 &&
	      topo.cpu[0].thread == -1, "4cpu: sockets and nodes from the cpu-map");
	CHECK(build() == 0, "4cpu: build");
	for (int c = 0; c < 4; c++) {
		u64 mine = c < 2 ? M(0, 1) : M(2, 3), other = c < 2 ? M(2, 3) : M(0, 1);
		u64 mc[2] = { B(c), B(c ^ 1) }, numa[2] = { mine, other };

		ok &= depth(c) == 2;
		ok &= is_dom(dom(c, 0), "MC", SD_LV_MC, mine, FLAGS_MC);
		ok &= is_dom(dom(c, 1), "NUMA", SD_LV_NUMA, M(0, 3), FLAGS_NUMA_NEAR);
		ok &= has_groups(dom(c, 0), 2, mc) && has_groups(dom(c, 1), 2, numa);
	}
	CHECK(ok, "4cpu: MC {0-1},{2-3} under NUMA {0-3}");
	CHECK(check_invariants(4, true, "4cpu"), "4cpu: invariants");
}

static void test_virt_8cpu(void)
{
	bool ok = true;
	const char *want =
		"CPU0 attaching sched-domain(s):\n"
		" domain-0: span=0-3 level=MC\n"
		"  flags: SD_BALANCE_NEWIDLE SD_BALANCE_EXEC SD_BALANCE_FORK SD_WAKE_AFFINE "
		"SD_SHARE_PKG_RESOURCES SD_PREFER_SIBLING\n"
		"  groups: 0:{ span=0 cap=1024 }, 1:{ span=1 cap=1024 }, 2:{ span=2 cap=1024 }, "
		"3:{ span=3 cap=1024 }\n"
		"  domain-1: span=0-7 level=NUMA\n"
		"   flags: SD_BALANCE_NEWIDLE SD_BALANCE_EXEC SD_BALANCE_FORK SD_WAKE_AFFINE "
		"SD_SERIALIZE SD_OVERLAP SD_NUMA\n"
		"   groups: 0:{ span=0-3 cap=4096 }, 4:{ span=4-7 cap=4096 }\n";
	int len;

	CHECK(topo_from_dtb("virt-8cpu.dtb", &topo) == 0 && topo.ncpus == 8 && topo.distance[0][1] == 25,
	      "8cpu: topology (distance 25)");
	CHECK(build() == 0, "8cpu: build");
	for (int c = 0; c < 8; c++) {
		u64 mine = c < 4 ? M(0, 3) : M(4, 7), other = c < 4 ? M(4, 7) : M(0, 3);
		u64 numa[2] = { mine, other };

		ok &= depth(c) == 2;
		ok &= is_dom(dom(c, 0), "MC", SD_LV_MC, mine, FLAGS_MC);
		ok &= is_dom(dom(c, 1), "NUMA", SD_LV_NUMA, M(0, 7), FLAGS_NUMA_NEAR);
		ok &= has_groups(dom(c, 1), 2, numa);
		ok &= dom(c, 1)->child == dom(c, 0) && dom(c, 0)->parent == dom(c, 1) &&
		      dom(c, 1)->parent == NULL && dom(c, 0)->child == NULL;
		ok &= dom(c, 0)->groups->group_weight == 1 && dom(c, 0)->groups->span == B(c);
		ok &= dom(c, 0)->groups->flags == 0 && dom(c, 1)->groups->flags == FLAGS_MC;
	}
	CHECK(ok, "8cpu: MC {0-3},{4-7}, NUMA 0-7 with groups {0-3},{4-7} cap 4096, links");
	CHECK(dom(0, 0)->imbalance_pct == 117 && dom(0, 0)->cache_nice_tries == 1 &&
	      dom(0, 1)->imbalance_pct == 117 && dom(0, 1)->cache_nice_tries == 2,
	      "8cpu: imbalance_pct and cache_nice_tries");
	CHECK(dom(0, 0)->balance_interval == 4 && dom(0, 0)->min_interval == 4 &&
	      dom(0, 0)->max_interval == 8 && dom(0, 1)->balance_interval == 8 &&
	      dom(0, 1)->max_interval == 16, "8cpu: intervals from the span weight");
	/* Groups are shared between the harts of a domain, as in Linux. */
	CHECK(dom(0, 0)->groups->next == dom(1, 0)->groups && dom(0, 1)->groups->next == dom(5, 1)->groups &&
	      dom(3, 1)->groups == dom(0, 1)->groups, "8cpu: group lists shared");
	CHECK(dom(5, 0)->groups->span == B(5) && dom(5, 0)->groups->next->span == B(6) &&
	      dom(5, 0)->groups->next->next->next->span == B(4), "8cpu: ring order starts at the cpu");
	CHECK(group_balance_cpu(dom(0, 1)->groups->next) == 4 && group_balance_mask(dom(0, 1)->groups) == M(0, 3),
	      "8cpu: balance masks");
	CHECK(check_invariants(8, true, "8cpu"), "8cpu: invariants");
	len = sched_domain_debug_string(base[0], 0, text, sizeof(text));
	if (strcmp(text, want))
		printf("# got:\n%s# want:\n%s", text, want);
	CHECK(len == (int)strlen(want) && !strcmp(text, want), "8cpu: debug text for CPU0");
	CHECK(sched_domain_debug_string(base[0], 0, text, 20) == len && strlen(text) == 19 &&
	      !strncmp(text, want, 19), "8cpu: debug text truncated");
	CHECK(sched_domain_debug_string(base[0], 0, NULL, 0) == len, "8cpu: debug text size only");
}

static void test_virt_8cpu_smt(void)
{
	bool ok = true, threads = true;

	CHECK(topo_from_dtb("virt-8cpu-smt.dtb", &topo) == 0 && topo.ncpus == 8 && topo.nnodes == 2,
	      "smt dtb: topology");
	for (int c = 0; c < 8; c++)
		threads &= topo.cpu[c].thread == (c & 1) && topo.cpu[c].core == ((c >> 1) & 1) &&
			   topo.cpu[c].socket == c / 4 && topo.cpu[c].node == c / 4;
	CHECK(threads, "smt dtb: thread nodes in the cpu-map");
	CHECK(build() == 0, "smt dtb: build");
	for (int c = 0; c < 8; c++) {
		u64 core = M(c & ~1, c | 1), sock = c < 4 ? M(0, 3) : M(4, 7);
		u64 smt_g[2] = { B(c), B(c ^ 1) };
		u64 mc_g[2] = { core, core ^ sock };
		u64 numa_g[2] = { sock, sock ^ M(0, 7) };

		ok &= depth(c) == 3;
		ok &= is_dom(dom(c, 0), "SMT", SD_LV_SMT, core, FLAGS_SMT);
		ok &= is_dom(dom(c, 1), "MC", SD_LV_MC, sock, FLAGS_MC);
		ok &= is_dom(dom(c, 2), "NUMA", SD_LV_NUMA, M(0, 7), FLAGS_NUMA_NEAR);
		ok &= has_groups(dom(c, 0), 2, smt_g) && has_groups(dom(c, 1), 2, mc_g) &&
		      has_groups(dom(c, 2), 2, numa_g);
	}
	CHECK(ok, "smt dtb: SMT/MC/NUMA levels with their groups");
	CHECK(dom(0, 0)->imbalance_pct == 110 && dom(0, 0)->cache_nice_tries == 0, "smt dtb: SMT values");
	CHECK(check_invariants(8, true, "smt dtb"), "smt dtb: invariants");
	sched_domain_debug_string(base[2], 2, text, sizeof(text));
	CHECK(strstr(text, " domain-0: span=2-3 level=SMT\n") &&
	      strstr(text, "  groups: 2:{ span=2 cap=1024 }, 3:{ span=3 cap=1024 }\n") &&
	      strstr(text, "  domain-1: span=0-3 level=MC\n") &&
	      strstr(text, "   groups: 2:{ span=2-3 cap=2048 }, 0:{ span=0-1 cap=2048 }\n") &&
	      strstr(text, "   domain-2: span=0-7 level=NUMA\n"), "smt dtb: debug text for CPU2");
}

/* custom.dtb: harts 0 and 1 are threads of one core but in NUMA nodes 0 and
 * 1, hart 4 is in socket 1, node 2; asymmetric distances. Whatever comes
 * out must be consistent. */
static void test_custom(void)
{
	CHECK(topo_from_dtb("custom.dtb", &topo) == 0 && topo.ncpus == 3 && topo.nnodes == 3, "custom: topology");
	CHECK(build() == 0, "custom: build");
	CHECK(base[0] && base[0]->span == M(0, 1) && !strcmp(base[0]->name, "SMT"),
	      "custom: harts 0,1 share a core");
	CHECK(base[0] && dom(0, depth(0) - 1)->span == M(0, 2) && dom(2, depth(2) - 1)->span == M(0, 2),
	      "custom: the top spans all");
	CHECK(check_invariants(3, false, "custom"), "custom: invariants");
}

static void test_edge(void)
{
	CHECK(topo_from_dtb("edge.dtb", &topo) == 0 && topo.ncpus == 1 && topo.cpu[0].socket == -1,
	      "edge: one hart, no cpu-map");
	CHECK(build() == 0 && base[0] == NULL, "edge: no domains");
}

static void test_from_fdt_mapping(void)
{
	unsigned long hartids[3] = { 6, 1, 99 }; /* boot hart 6 is cpu 0; hart 99 does not exist */
	size_t size;
	unsigned char *blob = load("virt-8cpu-smt.dtb", &size);

	CHECK(fdt_parse(blob, &info) == 0, "mapping: parse");
	free(blob);
	topology_from_fdt(&info, hartids, 3, &topo);
	CHECK(topo.ncpus == 3 && topo.cpu[0].socket == 1 && topo.cpu[0].core == 1 && topo.cpu[0].thread == 0 &&
	      topo.cpu[0].node == 1 && topo.cpu[1].socket == 0 && topo.cpu[1].thread == 1 &&
	      topo.cpu[2].socket == -1 && topo.cpu[2].node == -1 && topo.cpu[3].core == -1,
	      "mapping: cpu i takes hart hartid_of_cpu[i]'s place, -1 when unknown");
	CHECK(topo.distance[0][1] == 20 && topo.distance[1][1] == 10 && topo.distance[5][6] == 20,
	      "mapping: distances");
}

/* ---- synthetic topologies ---- */

/* 2 sockets x 2 cores x 2 threads, a node per socket. */
static void test_smt_synthetic(void)
{
	bool ok = true;

	topo_init(&topo, 8, 2);
	for (int c = 0; c < 8; c++)
		set_cpu(&topo, c, c / 4, (c / 2) % 2, c % 2, c / 4);
	CHECK(build() == 0, "synthetic smt: build");
	for (int c = 0; c < 8; c++) {
		ok &= depth(c) == 3 && !strcmp(dom(c, 0)->name, "SMT") && !strcmp(dom(c, 1)->name, "MC") &&
		      !strcmp(dom(c, 2)->name, "NUMA");
		ok &= dom(c, 0)->span == M(c & ~1, c | 1) && dom(c, 1)->span == (c < 4 ? M(0, 3) : M(4, 7)) &&
		      dom(c, 2)->span == M(0, 7);
	}
	CHECK(ok, "synthetic smt: SMT/MC/NUMA (PKG removed)");
	CHECK(highest_flag_domain(base[5], SD_SHARE_PKG_RESOURCES) == dom(5, 1) &&
	      highest_flag_domain(base[5], SD_SHARE_CPUCAPACITY) == dom(5, 0) &&
	      highest_flag_domain(base[5], SD_NUMA) == NULL &&
	      lowest_flag_domain(base[5], SD_NUMA) == dom(5, 2) &&
	      lowest_flag_domain(base[5], SD_SHARE_CPUCAPACITY) == dom(5, 0), "synthetic smt: flag domains");
	/* One LLC per node: 1/8 of the node, at least 1; the first NUMA level keeps it. */
	CHECK(dom(0, 2)->imb_numa_nr == 1 && dom(0, 1)->imb_numa_nr == 0, "synthetic smt: imb_numa_nr");
	CHECK(dom(0, 1)->groups->flags == FLAGS_SMT && dom(0, 2)->groups->flags == FLAGS_MC &&
	      dom(0, 0)->groups->flags == 0, "synthetic smt: group flags from the kept child");
	CHECK(check_invariants(8, true, "synthetic smt"), "synthetic smt: invariants");
}

/* 3 nodes of 2 cpus (a socket each): 0-1 at 20, 2 at 40 from both. */
static void test_three_nodes(void)
{
	bool ok = true;

	topo_init(&topo, 6, 3);
	for (int c = 0; c < 6; c++)
		set_cpu(&topo, c, c / 2, c % 2, -1, c / 2);
	topo.distance[0][2] = topo.distance[2][0] = 40;
	topo.distance[1][2] = topo.distance[2][1] = 40;
	CHECK(build() == 0, "3 nodes: build");
	for (int c = 0; c < 4; c++) {
		u64 mine = M(c & ~1, c | 1);
		u64 g1[2] = { mine, mine ^ M(0, 3) }, g2[2] = { M(0, 3), M(4, 5) };

		ok &= depth(c) == 3;
		ok &= is_dom(dom(c, 0), "MC", SD_LV_MC, mine, FLAGS_MC);
		ok &= is_dom(dom(c, 1), "NUMA", SD_LV_NUMA, M(0, 3), FLAGS_NUMA_NEAR);
		ok &= is_dom(dom(c, 2), "NUMA", SD_LV_NUMA + 1, M(0, 5), FLAGS_NUMA_FAR);
		ok &= has_groups(dom(c, 1), 2, g1) && has_groups(dom(c, 2), 2, g2);
	}
	for (int c = 4; c < 6; c++) {
		u64 g[2] = { M(4, 5), M(0, 3) };

		/* node 2 reaches nobody at 20: that level is degenerate there */
		ok &= depth(c) == 2;
		ok &= is_dom(dom(c, 0), "MC", SD_LV_MC, M(4, 5), FLAGS_MC);
		ok &= is_dom(dom(c, 1), "NUMA", SD_LV_NUMA + 1, M(0, 5), FLAGS_NUMA_FAR);
		ok &= has_groups(dom(c, 1), 2, g);
	}
	CHECK(ok, "3 nodes: two NUMA levels (20 near, 40 far: no fork/exec/wake-affine)");
	CHECK(dom(4, 1)->groups->next == dom(0, 2)->groups, "3 nodes: far level's groups shared");
	CHECK(check_invariants(6, true, "3 nodes"), "3 nodes: invariants");
}

/* A chain of nodes 0 - 1 - 2 (20 between neighbours, 30 end to end): NUMA
 * spans overlap, the tree has uneven depth, groups overlap. */
static void test_numa_chain(void)
{
	topo_init(&topo, 6, 3);
	for (int c = 0; c < 6; c++)
		set_cpu(&topo, c, c / 2, c % 2, -1, c / 2);
	topo.distance[0][2] = topo.distance[2][0] = 30;
	CHECK(build() == 0, "numa chain: build");
	CHECK(depth(2) == 2 && dom(2, 1)->span == M(0, 5) && dom(2, 1)->level == SD_LV_NUMA,
	      "numa chain: the middle node reaches all at 20");
	CHECK(depth(0) == 3 && dom(0, 1)->span == M(0, 3) && dom(0, 2)->span == M(0, 5) &&
	      dom(0, 2)->level == SD_LV_NUMA + 1, "numa chain: an end node needs two NUMA levels");
	{
		u64 g[2] = { M(0, 3), M(2, 5) };
		CHECK(has_groups(dom(0, 2), 2, g) && group_balance_mask(dom(0, 2)->groups->next) == M(4, 5),
		      "numa chain: overlapping groups with a balance mask");
	}
	CHECK(check_invariants(6, false, "numa chain"), "numa chain: invariants");
	sched_domain_debug_string(base[0], 0, text, sizeof(text));
	CHECK(strstr(text, "4:{ span=2-5 mask=4-5 cap=4096 }") != NULL, "numa chain: debug shows the mask");
}

static void test_single_socket(void)
{
	bool ok = true;
	u64 g[4];

	/* 4 cores in one socket, no NUMA information */
	topo_init(&topo, 4, 0);
	for (int c = 0; c < 4; c++)
		set_cpu(&topo, c, 0, c, -1, -1);
	CHECK(build() == 0, "1 socket: build");
	for (int c = 0; c < 4; c++) {
		for (int k = 0; k < 4; k++)
			g[k] = B((c + k) % 4);
		ok &= depth(c) == 1 && is_dom(base[c], "MC", SD_LV_MC, M(0, 3), FLAGS_MC) &&
		      has_groups(base[c], 4, g);
	}
	CHECK(ok, "1 socket: MC only, one group per cpu");
	CHECK(check_invariants(4, true, "1 socket"), "1 socket: invariants");

	/* no cpu-map at all: one package per node, as Linux on RISC-V */
	topo_init(&topo, 4, 0);
	CHECK(build() == 0 && depth(0) == 1 && is_dom(base[3], "MC", SD_LV_MC, M(0, 3), FLAGS_MC),
	      "no cpu-map: one package");
	topo_init(&topo, 4, 2);
	for (int c = 0; c < 4; c++)
		topo.cpu[c].node = c / 2;
	CHECK(build() == 0 && depth(0) == 2 && is_dom(base[0], "MC", SD_LV_MC, M(0, 1), FLAGS_MC) &&
	      is_dom(dom(0, 1), "NUMA", SD_LV_NUMA, M(0, 3), FLAGS_NUMA_NEAR),
	      "no cpu-map, 2 nodes: a package per node");
}

static void test_degenerate(void)
{
	struct sched_group g1 = { 0 }, g2 = { 0 };
	struct sched_domain a = { 0 }, p = { 0 };

	/* CPUS=1: nothing */
	topo_init(&topo, 1, 0);
	set_cpu(&topo, 0, 0, 0, 0, 0);
	CHECK(build() == 0 && base[0] == NULL, "degenerate: one cpu, no domains");

	/* 2 sockets of one core with 2 threads: MC = SMT span, MC removed */
	topo_init(&topo, 4, 2);
	for (int c = 0; c < 4; c++)
		set_cpu(&topo, c, c / 2, 0, c % 2, c / 2);
	CHECK(build() == 0 && depth(0) == 2 && is_dom(base[0], "SMT", SD_LV_SMT, M(0, 1), FLAGS_SMT) &&
	      is_dom(dom(0, 1), "NUMA", SD_LV_NUMA, M(0, 3), FLAGS_NUMA_NEAR) &&
	      dom(0, 1)->child == base[0], "degenerate: MC equal to SMT removed");

	/* 2 sockets in one node: PKG spans both and stays */
	topo_init(&topo, 4, 1);
	for (int c = 0; c < 4; c++)
		set_cpu(&topo, c, c / 2, c % 2, -1, 0);
	CHECK(build() == 0 && depth(0) == 2 && is_dom(base[0], "MC", SD_LV_MC, M(0, 1), FLAGS_MC) &&
	      is_dom(dom(0, 1), "PKG", SD_LV_PKG, M(0, 3), FLAGS_PKG), "degenerate: PKG over two sockets kept");
	CHECK(dom(0, 1)->imb_numa_nr == 2, "degenerate: imb_numa_nr = one per LLC");
	CHECK(check_invariants(4, true, "pkg"), "degenerate: invariants");

	/* 2 cpus, 2 sockets, 2 nodes (CPUS=2 make test): NUMA only, single-cpu groups */
	topo_init(&topo, 2, 2);
	set_cpu(&topo, 0, 0, 0, -1, 0);
	set_cpu(&topo, 1, 1, 0, -1, 1);
	{
		u64 g[2] = { B(1), B(0) };
		CHECK(build() == 0 && depth(1) == 1 && is_dom(base[1], "NUMA", SD_LV_NUMA, M(0, 1), FLAGS_NUMA_NEAR) &&
		      base[1]->child == NULL && has_groups(base[1], 2, g) && base[1]->groups->flags == 0,
		      "degenerate: 2 sockets of 1 cpu: NUMA only");
	}

	/* the rules themselves */
	g1.next = &g1;
	a.groups = &g1;
	a.span = M(0, 1);
	a.span_weight = 2;
	a.flags = SD_BALANCE_NEWIDLE | SD_SHARE_PKG_RESOURCES;
	CHECK(sd_degenerate(&a), "sd_degenerate: one group, group flags only");
	a.flags |= SD_WAKE_AFFINE;
	CHECK(!sd_degenerate(&a), "sd_degenerate: wake-affine needs no groups");
	a.span_weight = 1;
	CHECK(sd_degenerate(&a), "sd_degenerate: one cpu");
	a.span_weight = 2;
	g1.next = &g2;
	g2.next = &g1;
	p = a;
	p.flags = a.flags | SD_NUMA;
	CHECK(!sd_parent_degenerate(&a, &p), "sd_parent_degenerate: adds a flag with two groups");
	p.flags = a.flags;
	CHECK(sd_parent_degenerate(&a, &p), "sd_parent_degenerate: same span, same flags");
	p.span = M(0, 3);
	p.span_weight = 4;
	CHECK(!sd_parent_degenerate(&a, &p), "sd_parent_degenerate: larger span");
}

/* 32 cpus (NR_CPUS_TOPO) in one socket and node: one long group line. */
static void test_32cpu(void)
{
	int len;
	char *nl, *line;
	size_t longest = 0;

	topo_init(&topo, 32, 0);
	for (int c = 0; c < 32; c++)
		set_cpu(&topo, c, 0, c, -1, 0);
	CHECK(build() == 0 && depth(31) == 1 && base[31]->span == M(0, 31), "32cpu: MC over all");
	CHECK(check_invariants(32, true, "32cpu"), "32cpu: invariants");
	len = sched_domain_debug_string(base[31], 31, text, sizeof(text));
	for (line = text; (nl = strchr(line, '\n')); line = nl + 1)
		if ((size_t)(nl - line) > longest)
			longest = nl - line;
	CHECK(len < (int)sizeof(text) && longest <= 255 && strstr(text, "31:{ span=31 cap=1024 },") &&
	      strstr(text, "30:{ span=30 cap=1024 }\n"), "32cpu: group list wraps at 255 characters");

	/* 2 sockets x 16, 2 nodes: the pool is large enough */
	topo_init(&topo, 32, 2);
	for (int c = 0; c < 32; c++)
		set_cpu(&topo, c, c / 16, (c / 2) % 8, c % 2, c / 16);
	CHECK(build() == 0 && depth(0) == 3 && dom(0, 2)->span == M(0, 31), "32cpu: SMT/MC/NUMA");
	CHECK(dom(0, 2)->imb_numa_nr == 2, "32cpu: imb_numa_nr = 16/8");
	CHECK(check_invariants(32, true, "32cpu smt"), "32cpu: smt invariants");
}

static void test_errors(void)
{
	topo_init(&topo, 0, 0);
	CHECK(build_sched_domains(&topo, base, &pool) == -EINVAL, "errors: no cpus");
	topo_init(&topo, NR_CPUS_TOPO + 1, 0);
	CHECK(build_sched_domains(&topo, base, &pool) == -EINVAL, "errors: too many cpus");
	/* 8 nodes, every pair at its own distance: far more levels than allowed */
	topo_init(&topo, 8, 8);
	for (int c = 0; c < 8; c++)
		set_cpu(&topo, c, c, 0, -1, c);
	for (int a = 0; a < 8; a++)
		for (int b = 0; b < 8; b++)
			topo.distance[a][b] = a == b ? 10 : (u32)(11 + a + b);
	CHECK(build() == -E2BIG && base[0] == NULL && base[7] == NULL, "errors: too many NUMA levels");
	/* exactly SD_MAX_NUMA_LEVELS remote distances is fine */
	topo_init(&topo, 6, 6);
	for (int c = 0; c < 6; c++)
		set_cpu(&topo, c, c, 0, -1, c);
	for (int a = 0; a < 6; a++)
		for (int b = 0; b < 6; b++)
			topo.distance[a][b] = a == b ? 10 : (u32)(10 + 10 * (a > b ? a - b : b - a));
	CHECK(build() == 0 && depth(0) == 5 && dom(0, 4)->level == SD_LV_NUMA + 4 &&
	      dom(0, 4)->span == M(0, 5) && check_invariants(6, false, "5 numa levels"),
	      "errors: five NUMA levels build");
}

int main(void)
{
	printf("KTAP version 1\n");
	test_cpumask();
	test_virt_1cpu();
	test_virt_4cpu();
	test_virt_8cpu();
	test_virt_8cpu_smt();
	test_custom();
	test_edge();
	test_from_fdt_mapping();
	test_smt_synthetic();
	test_three_nodes();
	test_numa_chain();
	test_single_socket();
	test_degenerate();
	test_32cpu();
	test_errors();
	return KTEST_DONE();
}
