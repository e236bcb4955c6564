/* Scheduling domains (Linux: kernel/sched/topology.c): turn a cpu_topology into
 * each hart's sched_domain chain and sched_group lists, drop degenerate levels,
 * print them. Pure (no allocator, no libc): also built on the host for tests. */
#include "proc/sched/topology.h"
#include "kernel/errno.h"

/* ---- cpu masks ---- */

/* A bounded output buffer that counts what it could not store too. */
struct sbuf {
	char *buf;
	size_t n, len;
};

static void sb_putc(struct sbuf *s, char c)
{
	if (s->len + 1 < s->n)
		s->buf[s->len] = c;
	s->len++;
}

static void sb_puts(struct sbuf *s, const char *str)
{
	while (*str)
		sb_putc(s, *str++);
}

static void sb_putu(struct sbuf *s, unsigned long v)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		sb_putc(s, tmp[--i]);
}

static void sb_end(struct sbuf *s)
{
	if (s->n)
		s->buf[s->len < s->n ? s->len : s->n - 1] = '\0';
}

static void sb_putmask(struct sbuf *s, u64 m)
{
	bool first = true;
	int cpu = cpumask64_first(m);

	while (cpu < 64) {
		int last = cpu;

		/* extend the run while the next cpu is set too */
		while (last < 63 && cpumask64_test(m, last + 1))
			last++;
		if (!first)
			sb_putc(s, ',');
		sb_putu(s, (unsigned long)cpu);
		if (last > cpu) {
			sb_putc(s, '-');
			sb_putu(s, (unsigned long)last);
		}
		first = false;
		cpu = cpumask64_next(m, last);
	}
}

int cpumask64_format(u64 m, char *buf, size_t n)
{
	struct sbuf s = { buf, n, 0 };

	sb_putmask(&s, m);
	sb_end(&s);
	return (int)s.len;
}

struct sched_domain *highest_flag_domain(struct sched_domain *sd, int flag)
{
	struct sched_domain *found = NULL;

	for (; sd && (sd->flags & flag) == flag; sd = sd->parent)
		found = sd;
	return found;
}

struct sched_domain *lowest_flag_domain(struct sched_domain *sd, int flag)
{
	for (; sd; sd = sd->parent)
		if ((sd->flags & flag) == flag)
			return sd;
	return NULL;
}

/* ---- the topology ---- */

void topology_from_fdt(const struct fdt_info *fi, const unsigned long *hartid_of_cpu, int ncpus,
		       struct cpu_topology *out)
{
	int n = ncpus < 0 ? 0 : ncpus > NR_CPUS_TOPO ? NR_CPUS_TOPO : ncpus;

	out->ncpus = n;
	for (int i = 0; i < NR_CPUS_TOPO; i++) {
		out->cpu[i].socket = out->cpu[i].cluster = out->cpu[i].core = -1;
		out->cpu[i].thread = out->cpu[i].node = -1;
	}
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < fi->ncpus; j++) {
			const struct fdt_cpu *c = &fi->cpus[j];

			if (c->hartid != hartid_of_cpu[i])
				continue;
			out->cpu[i].socket = c->socket;
			out->cpu[i].cluster = c->cluster;
			out->cpu[i].core = c->core;
			out->cpu[i].thread = c->thread;
			out->cpu[i].node = c->numa_node;
			break;
		}
	}
	out->nnodes = fi->nnuma < 0 ? 0 : fi->nnuma > TOPO_MAX_NODES ? TOPO_MAX_NODES : fi->nnuma;
	for (int a = 0; a < TOPO_MAX_NODES; a++)
		for (int b = 0; b < TOPO_MAX_NODES; b++)
			out->distance[a][b] = a < out->nnodes && b < out->nnodes ? fi->distance[a][b]
						: a == b ? 10 : 20;
}

/* The NUMA node of cpu c: 0 when unknown or out of range. */
static int cpu_node(const struct cpu_topology *t, int c)
{
	int n = t->cpu[c].node;

	return n >= 0 && n < t->nnodes ? n : 0;
}

static u32 node_distance(const struct cpu_topology *t, int a, int b)
{
	if (t->nnodes == 0)
		return a == b ? 10 : 20;
	return t->distance[a][b];
}

/* Same package (socket: the last-level cache on QEMU virt). Without a socket
 * in the cpu-map the NUMA node stands for it, as Linux does on RISC-V. */
static bool same_socket(const struct cpu_topology *t, int a, int b)
{
	int sa = t->cpu[a].socket, sb = t->cpu[b].socket;

	if (a == b)
		return true;
	if (sa >= 0 && sb >= 0)
		return sa == sb;
	if (sa < 0 && sb < 0)
		return cpu_node(t, a) == cpu_node(t, b);
	return false;
}

/* Same core: hardware threads of one core. A cpu without a core in the
 * cpu-map is a core of its own. */
static bool same_core(const struct cpu_topology *t, int a, int b)
{
	if (a == b)
		return true;
	return same_socket(t, a, b) && t->cpu[a].core >= 0 && t->cpu[a].core == t->cpu[b].core &&
	       t->cpu[a].cluster == t->cpu[b].cluster;
}

/* What one topology level is (Linux: struct sched_domain_topology_level plus
 * what sd_init derives from it). */
struct level_info {
	const char *name;
	int flags;                 /* final SD_* flags of its domains */
	unsigned int imbalance_pct, cache_nice_tries;
	u32 numa_distance;         /* NUMA levels: the distance it reaches */
};

/* Linux's sd_init: common flags, then behaviour from the topology flags. */
static void init_level(struct level_info *lv, int level, u32 numa_distance)
{
	lv->flags = SD_BALANCE_NEWIDLE | SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE |
		    SD_PREFER_SIBLING;
	lv->imbalance_pct = 117;
	lv->numa_distance = numa_distance;
	if (level == SD_LV_SMT) {
		lv->name = "SMT";
		lv->flags |= SD_SHARE_CPUCAPACITY | SD_SHARE_PKG_RESOURCES;
		lv->imbalance_pct = 110;
		lv->cache_nice_tries = 0;
	} else if (level == SD_LV_MC) {
		lv->name = "MC";
		lv->flags |= SD_SHARE_PKG_RESOURCES;
		lv->cache_nice_tries = 1;
	} else if (level == SD_LV_PKG) {
		lv->name = "PKG";
		lv->cache_nice_tries = 1;
	} else {
		lv->name = "NUMA";
		lv->flags |= SD_NUMA | SD_SERIALIZE | SD_OVERLAP;
		lv->flags &= ~SD_PREFER_SIBLING;
		lv->cache_nice_tries = 2;
		/* Far nodes: no task placement across them at fork, exec or wake-up. */
		if (numa_distance > NODE_RECLAIM_DISTANCE)
			lv->flags &= ~(SD_BALANCE_EXEC | SD_BALANCE_FORK | SD_WAKE_AFFINE);
	}
}

/* Does cpu d belong to cpu c's domain at this level? */
static bool in_level(const struct cpu_topology *t, int level, const struct level_info *lv, int c,
		     int d)
{
	switch (level) {
	case SD_LV_SMT:
		return same_core(t, c, d);
	case SD_LV_MC:
		return same_socket(t, c, d);
	case SD_LV_PKG:
		return cpu_node(t, c) == cpu_node(t, d);
	default:
		return node_distance(t, cpu_node(t, c), cpu_node(t, d)) <= lv->numa_distance;
	}
}

/* The distinct distances between nodes that have cpus, ascending, into
 * dist[]; returns how many (at most max; -E2BIG if there are more). */
static int numa_distances(const struct cpu_topology *t, u32 *dist, int max)
{
	bool used[TOPO_MAX_NODES] = { false };
	int nd = 0;

	for (int c = 0; c < t->ncpus; c++)
		used[cpu_node(t, c)] = true;
	for (int a = 0; a < TOPO_MAX_NODES; a++) {
		for (int b = 0; b < TOPO_MAX_NODES; b++) {
			u32 d = node_distance(t, a, b);
			int k;

			if (!used[a] || !used[b])
				continue;
			for (k = 0; k < nd && dist[k] < d; k++)
				;
			if (k < nd && dist[k] == d)
				continue;
			if (nd == max)
				return -E2BIG;
			for (int m = nd; m > k; m--) /* insert, keeping the order */
				dist[m] = dist[m - 1];
			dist[k] = d;
			nd++;
		}
	}
	return nd;
}

/* ---- degenerate domains (Linux: sd_degenerate, sd_parent_degenerate) ---- */

static bool one_group(const struct sched_domain *sd)
{
	return sd->groups == sd->groups->next;
}

bool sd_degenerate(const struct sched_domain *sd)
{
	if (sd->span_weight == 1)
		return true;
	/* Balancing needs two groups at least to mean anything... */
	if ((sd->flags & SD_DEGENERATE_GROUPS_MASK) && !one_group(sd))
		return false;
	/* ...but wake-affine works without groups. */
	if (sd->flags & SD_WAKE_AFFINE)
		return false;
	return true;
}

bool sd_parent_degenerate(const struct sched_domain *sd, const struct sched_domain *parent)
{
	int pflags = parent->flags;

	if (sd_degenerate(parent))
		return true;
	if (sd->span != parent->span)
		return false;
	/* With one group, the group flags of the parent do nothing. */
	if (one_group(parent))
		pflags &= ~SD_DEGENERATE_GROUPS_MASK;
	/* Same harts: the parent is useless unless it adds a flag. */
	return (pflags & ~sd->flags) == 0;
}

/* ---- building ---- */

/*
 * Hand out the group list of cpu c's domain at `level` whose group spans are
 * pool->gspan[0..n-1] (gflags: flags of the domains they come from). Group
 * lists are shared, as in Linux: when another hart of the same level already
 * has a list with the same groups in the same circular order, this domain
 * points into it (at its own first group). Returns NULL when the pool is full.
 */
static struct sched_group *get_groups(struct sd_pool *pool, int level, int n, const int *gflags)
{
	const u64 *gspan = pool->gspan;

	for (int r = 0; r < pool->nr_rings; r++) {
		struct sched_group *ring = &pool->groups[pool->rings[r].first];
		int rot = -1;

		if (pool->rings[r].level != level || pool->rings[r].n != n)
			continue;
		for (int k = 0; k < n && rot < 0; k++)
			if (ring[k].span == gspan[0])
				rot = k;
		if (rot < 0)
			continue;
		for (int k = 0; k < n; k++) {
			const struct sched_group *g = &ring[(rot + k) % n];

			if (g->span != gspan[k] || g->flags != gflags[k]) {
				rot = -1;
				break;
			}
		}
		if (rot >= 0)
			return &ring[rot];
	}

	/* A new list: n consecutive groups, each with its own capacity. */
	if (pool->nr_groups + n > SD_POOL_GROUPS || pool->nr_rings == SD_POOL_GROUPS)
		return NULL;
	int first = pool->nr_groups;
	pool->rings[pool->nr_rings].level = level;
	pool->rings[pool->nr_rings].first = first;
	pool->rings[pool->nr_rings].n = n;
	pool->nr_rings++;
	pool->nr_groups += n;
	for (int k = 0; k < n; k++) {
		struct sched_group *sg = &pool->groups[first + k];
		struct sched_group_capacity *sgc = &pool->sgc[first + k];
		int w = cpumask64_weight(gspan[k]);

		sg->next = &pool->groups[first + (k + 1) % n];
		sg->group_weight = (unsigned int)w;
		sg->sgc = sgc;
		sg->flags = gflags[k];
		sg->span = gspan[k];
		sgc->capacity = (unsigned long)w * SCHED_CAPACITY_SCALE;
		sgc->min_capacity = SCHED_CAPACITY_SCALE;
		sgc->max_capacity = SCHED_CAPACITY_SCALE;
		sgc->next_update = 0;
		sgc->imbalance = 0;
		/*
		 * Harts that balance for this group: those whose own domain at
		 * this level has exactly this group as its local group. They
		 * are all of it unless NUMA groups overlap.
		 */
		sgc->balance_mask = 0;
		for (int i = cpumask64_first(gspan[k]); i < 64; i = cpumask64_next(gspan[k], i))
			if (level == 0 || (pool->span[level][i] && pool->span[level - 1][i] == gspan[k]))
				sgc->balance_mask |= 1ULL << i;
		if (!sgc->balance_mask)
			sgc->balance_mask = gspan[k];
		sgc->id = cpumask64_first(sgc->balance_mask);
	}
	return &pool->groups[first];
}

/*
 * The groups of cpu c's domain at `level` (span `span`), into pool->gspan:
 * starting at c and going round the span, each cpu not covered yet adds the
 * span of its own child domain. When that child reaches outside our span (a
 * NUMA tree of uneven depth), a lower domain of that cpu that fits is used
 * instead (Linux: find_descended_sibling). The lowest level has one group
 * per cpu. gflags[k]: flags of the domain group k was made from (0 at the
 * lowest level). Returns the number of groups.
 */
static int group_spans(struct sd_pool *pool, const struct level_info *lv, int ncpus, int level,
		       int c, u64 span, int *gflags)
{
	u64 covered = 0;
	int n = 0;

	for (int k = 0; k < ncpus; k++) {
		int i = (c + k) % ncpus, j;
		u64 g = 1ULL << i;
		int flags = 0;

		if (!(span & (1ULL << i)) || (covered & (1ULL << i)))
			continue;
		for (j = level - 1; j >= 0; j--) {
			u64 s = pool->span[j][i];

			if (s && (s & ~span) == 0) {
				g = s;
				/* the lowest level with that span is the one that
				 * will be kept: the group carries its flags */
				while (j > 0 && pool->span[j - 1][i] == g)
					j--;
				flags = lv[j].flags;
				break;
			}
		}
		covered |= g;
		gflags[n] = flags;
		pool->gspan[n++] = g;
	}
	return n;
}

/* Linux 6.1's imb_numa_nr: how many tasks a NUMA-level domain may leave
 * unbalanced, scaled from the number of LLCs below the first level that does
 * not share a cache. Computed on the full chain, before degenerate removal. */
static void set_imb_numa_nr(struct sched_domain *base)
{
	unsigned int imb = 0, imb_span = 1;

	for (struct sched_domain *sd = base; sd; sd = sd->parent) {
		struct sched_domain *child = sd->child;

		if (!(sd->flags & SD_SHARE_PKG_RESOURCES) && child &&
		    (child->flags & SD_SHARE_PKG_RESOURCES)) {
			unsigned int nr_llcs = sd->span_weight / child->span_weight;
			struct sched_domain *numa = sd->parent;

			/* One LLC: 1/8 of it; several: one task per LLC. */
			imb = nr_llcs == 1 ? sd->span_weight >> 3 : nr_llcs;
			if (imb < 1)
				imb = 1;
			sd->imb_numa_nr = imb;
			while (numa && !(numa->flags & SD_NUMA))
				numa = numa->parent;
			imb_span = numa ? numa->span_weight : sd->span_weight;
		} else {
			unsigned int factor = sd->span_weight / imb_span;

			sd->imb_numa_nr = imb * (factor ? factor : 1);
		}
	}
}

/* Remove the domains of one hart's chain that do nothing (Linux: the first
 * half of cpu_attach_domain); returns the new lowest domain. */
static struct sched_domain *drop_degenerate(struct sched_domain *base)
{
	struct sched_domain *tmp = base;

	while (tmp && tmp->parent) {
		struct sched_domain *parent = tmp->parent;

		if (sd_parent_degenerate(tmp, parent)) {
			tmp->parent = parent->parent;
			if (parent->parent)
				parent->parent->child = tmp;
			/* Same span: the parent's preference applies here too. */
			if (parent->flags & SD_PREFER_SIBLING)
				tmp->flags |= SD_PREFER_SIBLING;
		} else {
			tmp = parent;
		}
	}
	if (base && sd_degenerate(base)) {
		struct sched_domain *up = base->parent;

		if (up) {
			struct sched_group *sg = up->groups;

			/* The groups carried the removed child's flags. */
			do {
				sg->flags = 0;
				sg = sg->next;
			} while (sg != up->groups);
			up->child = NULL;
		}
		base = up;
	}
	return base;
}

int build_sched_domains(const struct cpu_topology *t, struct sched_domain *per_cpu_base[],
			struct sd_pool *pool)
{
	struct level_info lv[SD_MAX_LEVELS];
	u32 dist[SD_MAX_NUMA_LEVELS + 1];
	int gflags[NR_CPUS_TOPO];
	int ncpus = t->ncpus, nlevels, nd, err;
	u64 all;

	if (ncpus > 0)
		for (int c = 0; c < ncpus && c < NR_CPUS_TOPO; c++)
			per_cpu_base[c] = NULL;
	if (ncpus < 1 || ncpus > NR_CPUS_TOPO || t->nnodes < 0 || t->nnodes > TOPO_MAX_NODES)
		return -EINVAL;
	pool->nr_domains = pool->nr_groups = pool->nr_rings = 0;
	if (ncpus == 1)
		return 0; /* nothing to balance */
	all = ncpus == 64 ? ~0ULL : (1ULL << ncpus) - 1;

	/* The levels: SMT, MC, PKG, then one NUMA level per remote distance. */
	nd = numa_distances(t, dist, SD_MAX_NUMA_LEVELS + 1);
	if (nd < 0)
		return nd;
	nlevels = SD_LV_NUMA + (nd - 1);
	for (int l = 0; l < nlevels; l++)
		init_level(&lv[l], l, l >= SD_LV_NUMA ? dist[l - SD_LV_NUMA + 1] : 0);

	/*
	 * Each cpu's span at each level, bottom-up. A level always contains the
	 * one below it (Linux fixes a broken topology the same way). A cpu's
	 * chain stops at the first level that spans every cpu.
	 */
	for (int c = 0; c < ncpus; c++) {
		u64 below = 0;

		for (int l = 0; l < SD_MAX_LEVELS; l++)
			pool->span[l][c] = 0;
		for (int l = 0; l < nlevels; l++) {
			u64 s = below;

			for (int d = 0; d < ncpus; d++)
				if (in_level(t, l, &lv[l], c, d))
					s |= 1ULL << d;
			pool->span[l][c] = s;
			below = s;
			if (s == all)
				break;
		}
	}

	/* The domains (Linux: sd_init). */
	for (int l = 0; l < nlevels; l++) {
		for (int c = 0; c < ncpus; c++) {
			struct sched_domain *sd;
			u64 s = pool->span[l][c];

			pool->sd[l][c] = NULL;
			if (!s)
				continue;
			sd = &pool->domains[pool->nr_domains++];
			pool->sd[l][c] = sd;
			sd->parent = NULL;
			sd->child = l ? pool->sd[l - 1][c] : NULL;
			if (sd->child)
				sd->child->parent = sd;
			sd->groups = NULL;
			sd->span = s;
			sd->span_weight = (unsigned int)cpumask64_weight(s);
			sd->min_interval = sd->span_weight;
			sd->max_interval = 2 * sd->span_weight;
			sd->busy_factor = 16;
			sd->imbalance_pct = lv[l].imbalance_pct;
			sd->cache_nice_tries = lv[l].cache_nice_tries;
			sd->imb_numa_nr = 0;
			sd->flags = lv[l].flags;
			sd->level = l;
			sd->last_balance = 0;
			sd->balance_interval = sd->span_weight;
			sd->nr_balance_failed = 0;
			sd->max_newidle_lb_cost = 0;
			sd->last_decay_max_lb_cost = 0;
			sd->name = lv[l].name;
		}
	}

	/* The groups of every domain. */
	err = -ENOMEM;
	for (int l = 0; l < nlevels; l++) {
		for (int c = 0; c < ncpus; c++) {
			struct sched_domain *sd = pool->sd[l][c];
			int n;

			if (!sd)
				continue;
			n = group_spans(pool, lv, ncpus, l, c, sd->span, gflags);
			sd->groups = get_groups(pool, l, n, gflags);
			if (!sd->groups)
				goto fail;
		}
	}

	for (int c = 0; c < ncpus; c++)
		set_imb_numa_nr(pool->sd[0][c]);
	for (int c = 0; c < ncpus; c++)
		per_cpu_base[c] = drop_degenerate(pool->sd[0][c]);
	return 0;

fail:
	pool->nr_domains = pool->nr_groups = pool->nr_rings = 0;
	return err;
}

/* ---- debug output ---- */

static const char *const sd_flag_names[] = {
	"SD_BALANCE_NEWIDLE", "SD_BALANCE_EXEC", "SD_BALANCE_FORK", "SD_BALANCE_WAKE",
	"SD_WAKE_AFFINE", "SD_ASYM_CPUCAPACITY", "SD_ASYM_CPUCAPACITY_FULL",
	"SD_SHARE_CPUCAPACITY", "SD_SHARE_PKG_RESOURCES", "SD_SERIALIZE", "SD_ASYM_PACKING",
	"SD_PREFER_SIBLING", "SD_OVERLAP", "SD_NUMA",
};

#define DBG_LINE 256
/* One line being assembled; emit() gets it when it is complete. */
struct dbg {
	char line[DBG_LINE];
	struct sbuf s;
	void (*emit)(const char *text, void *arg);
	void *arg;
};

static void dbg_start(struct dbg *d, int indent)
{
	d->s = (struct sbuf){ d->line, DBG_LINE, 0 };
	while (indent-- > 0)
		sb_putc(&d->s, ' ');
}

static void dbg_flush(struct dbg *d)
{
	sb_end(&d->s);
	d->emit(d->line, d->arg);
}

bool sched_debug_verbose;

static void domain_debug_lines(const struct sched_domain *sd, int cpu,
			       void (*line)(const char *text, void *arg), void *arg)
{
	struct dbg d = { .emit = line, .arg = arg };
	int depth = 0;

	dbg_start(&d, 0);
	sb_puts(&d.s, "CPU");
	sb_putu(&d.s, (unsigned long)cpu);
	if (!sd) {
		sb_puts(&d.s, " attaching NULL sched-domain.");
		dbg_flush(&d);
		return;
	}
	sb_puts(&d.s, " attaching sched-domain(s):");
	dbg_flush(&d);

	for (; sd; sd = sd->parent, depth++) {
		const struct sched_group *sg = sd->groups;

		dbg_start(&d, depth + 1);
		sb_puts(&d.s, "domain-");
		sb_putu(&d.s, (unsigned long)depth);
		sb_puts(&d.s, ": span=");
		sb_putmask(&d.s, sd->span);
		sb_puts(&d.s, " level=");
		sb_puts(&d.s, sd->name);
		dbg_flush(&d);

		dbg_start(&d, depth + 2);
		sb_puts(&d.s, "flags:");
		for (unsigned int b = 0; b < ARRAY_SIZE(sd_flag_names); b++) {
			if (!(sd->flags & (1 << b)))
				continue;
			/* a long flag list goes on to a second line */
			if (d.s.len + 1 + 26 >= DBG_LINE) {
				dbg_flush(&d);
				dbg_start(&d, depth + 2 + 6);
			}
			sb_putc(&d.s, ' ');
			sb_puts(&d.s, sd_flag_names[b]);
		}
		dbg_flush(&d);

		dbg_start(&d, depth + 2);
		sb_puts(&d.s, "groups:");
		do {
			char item[128];
			struct sbuf it = { item, sizeof(item), 0 };

			/* " 4:{ span=4-7 cap=4096 }" (+ " mask=..." for overlapping groups) */
			sb_putc(&it, ' ');
			sb_putu(&it, (unsigned long)sg->sgc->id);
			sb_puts(&it, ":{ span=");
			sb_putmask(&it, sg->span);
			if (sg->sgc->balance_mask != sg->span) {
				sb_puts(&it, " mask=");
				sb_putmask(&it, sg->sgc->balance_mask);
			}
			sb_puts(&it, " cap=");
			sb_putu(&it, sg->sgc->capacity);
			sb_puts(&it, " }");
			if (sg->next != sd->groups)
				sb_putc(&it, ',');
			sb_end(&it);
			if (d.s.len + it.len >= DBG_LINE) {
				dbg_flush(&d);
				dbg_start(&d, depth + 2 + 7);
			}
			sb_puts(&d.s, item);
			sg = sg->next;
		} while (sg != sd->groups);
		dbg_flush(&d);
	}
}

/* Linux's sched_domain_debug: silent unless sched_verbose was given. */
void sched_domain_debug_lines(const struct sched_domain *sd, int cpu,
			      void (*line)(const char *text, void *arg), void *arg)
{
	if (sched_debug_verbose)
		domain_debug_lines(sd, cpu, line, arg);
}

/* sched_domain_debug_string's line sink: append the line and a '\n'. */
static void append_line(const char *text, void *arg)
{
	struct sbuf *s = arg;

	sb_puts(s, text);
	sb_putc(s, '\n');
}

int sched_domain_debug_string(const struct sched_domain *sd, int cpu, char *buf, size_t n)
{
	struct sbuf s = { buf, n, 0 };

	domain_debug_lines(sd, cpu, append_line, &s);
	sb_end(&s);
	return (int)s.len;
}
