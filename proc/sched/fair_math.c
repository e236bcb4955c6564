/* The pure arithmetic of CFS (see fair_math.h): the weight tables, the
 * vruntime scaling, slices, placement and the busiest-group decision.
 * Freestanding: the kernel and the host unit test (test_fair.c) build it. */
#include "proc/sched/fair_math.h"
#include "proc/task.h"

const int sched_prio_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
	110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
};
const u32 sched_prio_to_wmult[40] = {
	48388, 59856, 76040, 92818, 118348, 147320, 184698, 229616, 287308, 360437,
	449829, 563644, 704093, 875809, 1099582, 1376151, 1717300, 2157191, 2708050, 3363326,
	4194304, 5237765, 6557202, 8165337, 10153587, 12820798, 15790321, 19976592, 24970740, 31350126,
	39045157, 49367440, 61356676, 76695844, 95443717, 119304647, 148102320, 186737708, 238609294, 286331153,
};

void nice_to_load(int nice, struct load_weight *lw)
{
	int idx = nice + 20;

	if (idx < 0 || idx > 39)
		idx = 20;
	lw->weight = sched_prio_to_weight[idx];
	lw->inv_weight = sched_prio_to_wmult[idx];
}

/* Linux's __calc_delta: (delta * NICE_0_LOAD * inv_weight) >> 32, the
 * product taken in 128 bits so a second at nice 19 does not overflow. */
u64 calc_delta_fair(u64 delta, const struct load_weight *lw)
{
	if (lw->weight == NICE_0_LOAD)
		return delta;
	return (u64)(((unsigned __int128)delta * ((u64)lw->inv_weight * NICE_0_LOAD)) >> 32);
}

u64 sched_slice_ns(unsigned int nr_running, unsigned long total_weight, unsigned long se_weight,
		   unsigned int latency, unsigned int min_gran, unsigned int nr_latency)
{
	u64 period = nr_running > nr_latency ? (u64)nr_running * min_gran : latency;
	unsigned long total = total_weight ? total_weight : se_weight;

	return period * se_weight / total;
}

/* New entities start one slice after min_vruntime (START_DEBIT: they
 * cannot jump the queue); sleepers keep their own vruntime unless it is
 * more than half a latency period behind min_vruntime. Compared as signed
 * differences, so it holds across u64 wrap-around. */
u64 place_vruntime(u64 min_vruntime, u64 se_vruntime, u64 slice, bool initial,
		   unsigned int latency)
{
	u64 vr = min_vruntime;

	if (initial)
		vr += slice;
	else
		vr -= latency / 2;
	if (initial || (s64)(vr - se_vruntime) > 0)
		return vr;
	return se_vruntime;
}

static unsigned long sg_avg_load(const struct sg_lb_stats *s)
{
	return s->load * SCHED_CAPACITY_SCALE / (s->capacity ? s->capacity : 1);
}

/* Linux 6.1's adjust_numa_imbalance: across NUMA nodes, a difference of
 * up to NUMA_IMBALANCE_MIN idle harts is left alone while the pulling node
 * runs at most imb_numa_nr tasks, so a pair of communicating tasks forked
 * in one node keeps its memory local instead of being split. */
#define NUMA_IMBALANCE_MIN 2

static bool numa_imbalance_allowed(const struct sg_lb_stats *l, const struct sg_lb_stats *b,
				   unsigned int imb_numa_nr)
{
	if (!imb_numa_nr || b->nr_running > b->weight || l->nr_running + 1 > imb_numa_nr)
		return false;
	return (long)l->idle_cpus - (long)b->idle_cpus <= NUMA_IMBALANCE_MIN;
}

/* The busiest group has the most tasks per hart (ties: the highest load
 * per capacity). Pull from it if it has more tasks than harts, or we have
 * an idle hart, and its tasks per hart exceed ours by imbalance_pct; move
 * half the difference, at least one task to an idle hart of ours. */
int find_busiest_group_idx(const struct sg_lb_stats *groups, int nr_groups, int local,
			   unsigned int imbalance_pct, unsigned int imb_numa_nr,
			   unsigned int *nr_to_move)
{
	const struct sg_lb_stats *l, *b = NULL;
	int busiest = -1;

	*nr_to_move = 0;
	for (int i = 0; i < nr_groups; i++) {
		const struct sg_lb_stats *s = &groups[i];

		if (i == local)
			continue;
		if (!b || s->nr_running * b->weight > b->nr_running * s->weight ||
		    (s->nr_running * b->weight == b->nr_running * s->weight &&
		     sg_avg_load(s) > sg_avg_load(b))) {
			busiest = i;
			b = s;
		}
	}
	if (!b || local < 0 || local >= nr_groups || b->nr_running == 0)
		return -1;
	l = &groups[local];
	/* Tasks per hart, compared with imbalance_pct's tolerance. */
	unsigned long busy = b->nr_running * 100 * l->weight;
	unsigned long here = l->nr_running * imbalance_pct * b->weight;
	if (b->nr_running <= b->weight && l->idle_cpus == 0)
		return -1; /* nobody is overloaded and we have no idle hart */
	if (busy <= here || numa_imbalance_allowed(l, b, imb_numa_nr))
		return -1;
	/* Move half the difference, counted in tasks per hart of ours. */
	long diff = (long)(b->nr_running * l->weight) - (long)(l->nr_running * b->weight);
	long per = (long)(l->weight + b->weight);
	*nr_to_move = diff > 0 ? (unsigned int)((diff + per - 1) / per) : 0;
	if (!*nr_to_move && l->idle_cpus && b->nr_running > b->weight)
		*nr_to_move = 1;
	return *nr_to_move ? busiest : -1;
}
