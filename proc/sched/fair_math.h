/* The pure arithmetic of CFS and of its load balancer (Linux: parts of
 * kernel/sched/fair.c): weights, virtual time, slices, placement and the
 * busiest-group decision. No kernel state: builds on the host for tests. */
#ifndef PROC_SCHED_FAIR_MATH_H
#define PROC_SCHED_FAIR_MATH_H
#include "kernel/types.h"

#ifndef NICE_0_LOAD
#define NICE_0_LOAD 1024UL
#endif
#ifndef SCHED_CAPACITY_SCALE
#define SCHED_CAPACITY_SCALE 1024UL
#endif

struct load_weight;

/* Linux's nice -20..19 → weight table (each step ~1.25x), and 2^32/weight. */
extern const int sched_prio_to_weight[40];
extern const u32 sched_prio_to_wmult[40];

/* The weight and inverse weight of a nice level (outside -20..19: nice 0). */
void nice_to_load(int nice, struct load_weight *lw);

/* delta * NICE_0_LOAD / lw->weight, by the inverse-weight multiply. */
u64 calc_delta_fair(u64 delta, const struct load_weight *lw);

/* An entity's share of the latency period: the period (latency, or
 * nr_running * min_gran beyond nr_latency tasks) times se_weight/total_weight. */
u64 sched_slice_ns(unsigned int nr_running, unsigned long total_weight, unsigned long se_weight,
		   unsigned int latency, unsigned int min_gran, unsigned int nr_latency);

/* place_entity's rule: the vruntime an entity joins its queue with. */
u64 place_vruntime(u64 min_vruntime, u64 se_vruntime, u64 slice, bool initial,
		   unsigned int latency);

/* What the balancer knows of one group of a domain (Linux: struct sg_lb_stats). */
struct sg_lb_stats {
	unsigned long load;       /* sum of queued weights */
	unsigned long capacity;   /* SCHED_CAPACITY_SCALE per hart */
	unsigned int nr_running;  /* tasks on its harts */
	unsigned int weight;      /* harts in the group */
	unsigned int idle_cpus;   /* harts idle right now */
};

/* find_busiest_group's decision over groups[0..nr_groups-1], local being
 * the balancing hart's own group: the busiest group's index, or -1 when
 * the domain is balanced enough; *nr_to_move gets the tasks to pull (0
 * when -1 is returned). imb_numa_nr is the domain's (0 unless it crosses
 * NUMA nodes). */
int find_busiest_group_idx(const struct sg_lb_stats *groups, int nr_groups, int local,
			   unsigned int imbalance_pct, unsigned int imb_numa_nr,
			   unsigned int *nr_to_move);

#endif
