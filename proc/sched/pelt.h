/* Per-entity load tracking (PELT, as in Linux 6.1): geometric averages of
 * how much of recent time an entity or a CFS run queue was runnable and
 * running. Pure arithmetic: builds in the kernel and on the host. */
#ifndef PROC_SCHED_PELT_H
#define PROC_SCHED_PELT_H
#include "kernel/types.h"

struct sched_entity;

/*
 * Time is counted in "microseconds" of 1024 ns (now >> 10) and grouped in
 * periods of 1024 such units (1024*1024 ns, about 1 ms). Each past period's
 * contribution is multiplied by y per period elapsed since, with y^32 = 1/2:
 * a 32-period (~32 ms) half-life.
 */
#define PELT_PERIOD_US 1024          /* units of 1024 ns in one period */
#define LOAD_AVG_PERIOD 32           /* periods in one half-life */
#define LOAD_AVG_MAX 47742           /* largest reachable sum: 1024 * (1 + y + y^2 + ...) in fixed point */
#define PELT_MIN_DIVIDER (LOAD_AVG_MAX - 1024)

#ifndef SCHED_CAPACITY_SHIFT
#define SCHED_CAPACITY_SHIFT 10
#define SCHED_CAPACITY_SCALE 1024UL
#endif

/*
 * The sums and averages of one tracked object (a cfs_rq keeps one of
 * these; a sched_entity keeps the same fields in itself).
 *   load_sum     sum of load * time          (load: weight, or 1 for an entity)
 *   runnable_sum sum of nr_runnable * time << SCHED_CAPACITY_SHIFT
 *   util_sum     sum of running time << SCHED_CAPACITY_SHIFT
 *   period_contrib  units already accounted in the current, unfinished period
 * The averages are the sums divided by the divider (see get_pelt_divider).
 * LOAD_AVG_MAX is the series' limit with truncation at every step. As in
 * Linux, sums with large multipliers (a cfs_rq's weighted load_sum, the
 * <<10 util_sum) lose little to truncation and follow the exact series,
 * whose limit 1024/(1-y) ~ 47789 is ~0.1% higher: such a sum can pass
 * LOAD_AVG_MAX * weight by a fraction of a unit (never 47789 * weight), and
 * its average can pass the weight (or 1024) by up to ~0.1%.
 */
struct sched_avg {
	u64 last_update_time;        /* ns, a multiple of 1024 */
	u64 load_sum, runnable_sum;
	u32 util_sum, period_contrib;
	unsigned long load_avg, runnable_avg, util_avg;
};

/* The largest sum reachable with the current period partly done. */
static inline u32 get_pelt_divider(const struct sched_avg *sa)
{
	return PELT_MIN_DIVIDER + sa->period_contrib;
}

/* val * y^n, in fixed point (0 once n >= 32*63). */
u64 decay_load(u64 val, u64 n);

/*
 * Advance sa to now (ns). Since the last update, the object carried
 * load_weight (0: not runnable at all), had `runnable` runnable entities and
 * was running or not. This is the cfs_rq form: load_avg = load_sum / divider.
 * Returns true if at least one period boundary passed (the averages were
 * recomputed only then, as in Linux). A clock going backwards only resets
 * last_update_time. The caller sets last_update_time when tracking starts.
 */
bool update_sched_avg(struct sched_avg *sa, u64 now, unsigned long load_weight,
		      unsigned long runnable, bool running);

/*
 * The same for an entity, on se's PELT fields: it was runnable (queued or
 * running) and/or running since se->last_update_time. Its load_sum counts
 * runnable time only; load_avg = se->load.weight * load_sum / divider.
 * Returns true if at least one period boundary passed.
 */
bool update_load_avg_se(struct sched_entity *se, u64 now, bool runnable, bool running);

#endif
