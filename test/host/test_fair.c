/* Host unit test of proc/sched/fair_math.c: calc_delta_fair against a
 * floating-point model at every nice level, the weight table, sched_slice,
 * place_entity's rule, and find_busiest_group's decision on synthetic loads. */
#include <math.h>
#include <stdint.h>
#include "test/host/ktest.h"
#include "proc/task.h"
#include "proc/sched/fair_math.h"

#define MS 1000000ULL /* ns */
#define LATENCY 6000000U  /* sysctl_sched_latency */
#define MIN_GRAN 750000U  /* sysctl_sched_min_granularity */
#define NR_LATENCY 8U     /* sched_nr_latency */

#define rnd ktest_rand

/* ---- weights and virtual time ---- */

/* calc_delta_fair(delta) vs delta * 1024 / weight in double precision. */
static bool delta_ok(u64 delta, const struct load_weight *lw)
{
	double exact = (double)delta * 1024.0 / (double)lw->weight;
	double got = (double)calc_delta_fair(delta, lw);

	return fabs(got - exact) < exact * 1e-6 + 1.0;
}

static void test_calc_delta_fair(void)
{
	bool ok = true, table_ok = true;
	struct load_weight lw;

	for (int nice = -20; nice <= 19; nice++) {
		nice_to_load(nice, &lw);
		table_ok &= lw.weight == (unsigned long)sched_prio_to_weight[nice + 20] &&
			    lw.inv_weight == sched_prio_to_wmult[nice + 20];
		/* inv_weight is 2^32 / weight, rounded */
		table_ok &= fabs((double)lw.inv_weight - 4294967296.0 / (double)lw.weight) <= 1.0;
		ok &= delta_ok(0, &lw) && delta_ok(1, &lw) && delta_ok(1000000000ULL, &lw);
		for (int i = 0; i < 10000; i++)
			ok &= delta_ok(rnd() % (1000000000ULL + 1), &lw);
	}
	CHECK(table_ok, "nice_to_load gives the table's weight and 2^32/weight");
	CHECK(ok, "calc_delta_fair matches delta*1024/weight at every nice level (random deltas up to 1 s)");

	nice_to_load(0, &lw);
	CHECK(calc_delta_fair(123456789, &lw) == 123456789, "nice 0: vruntime advances by delta");
	nice_to_load(-21, &lw);
	CHECK(lw.weight == NICE_0_LOAD, "out-of-range nice gets nice 0's weight");
	nice_to_load(20, &lw);
	CHECK(lw.weight == NICE_0_LOAD, "nice 20 (out of range) gets nice 0's weight");
}

static void test_weight_ratios(void)
{
	struct load_weight n0, n5;
	bool ok = true;

	nice_to_load(0, &n0);
	nice_to_load(5, &n5);
	CHECK(n0.weight == 1024 && n5.weight == 335, "nice 0 / nice 5 weights are 1024 / 335");
	/* nice 5's virtual clock runs 1024/335 (~3.06) times as fast */
	double r = (double)calc_delta_fair(1000000000ULL, &n5) / (double)calc_delta_fair(1000000000ULL, &n0);
	CHECK(fabs(r - 1024.0 / 335.0) < 1e-6, "vruntime rate ratio nice 5 / nice 0 = 1024/335");

	for (int i = 0; i < 39; i++) {
		double step = (double)sched_prio_to_weight[i] / sched_prio_to_weight[i + 1];
		ok &= step > 1.19 && step < 1.30;
	}
	CHECK(ok, "consecutive nice levels differ by ~1.25x in weight");
}

/* ---- sched_slice ---- */

static u64 period_of(unsigned int nr)
{
	return nr > NR_LATENCY ? (u64)nr * MIN_GRAN : LATENCY;
}

static void test_sched_slice(void)
{
	static const unsigned int counts[] = { 1, 2, 8, 9, 20 };
	char name[96];

	for (unsigned int i = 0; i < ARRAY_SIZE(counts); i++) {
		unsigned int n = counts[i];
		u64 s = sched_slice_ns(n, n * NICE_0_LOAD, NICE_0_LOAD, LATENCY, MIN_GRAN, NR_LATENCY);
		snprintf(name, sizeof(name), "sched_slice: %u equal tasks get period/%u each", n, n);
		CHECK(s == period_of(n) / n, name);
	}
	CHECK(sched_slice_ns(8, 8 * 1024, 1024, LATENCY, MIN_GRAN, NR_LATENCY) == 750000,
	      "sched_slice: 8 tasks share the 6 ms latency (0.75 ms each)");
	CHECK(sched_slice_ns(20, 20 * 1024, 1024, LATENCY, MIN_GRAN, NR_LATENCY) == MIN_GRAN,
	      "sched_slice: beyond 8 tasks the period grows, each keeps min_granularity");
	CHECK(sched_slice_ns(1, 0, 1024, LATENCY, MIN_GRAN, NR_LATENCY) == LATENCY,
	      "sched_slice: empty queue weight: the whole period");

	/* mixed weights: nice -20, -5, 0, 5, 19 and a few 0s */
	static const int nices[] = { -20, -5, 0, 5, 19, 0, 0, 3, 10, -1 };
	for (unsigned int nr = 2; nr <= ARRAY_SIZE(nices); nr += 4) {
		unsigned long total = 0;
		bool ok = true;
		u64 sum = 0;
		for (unsigned int i = 0; i < nr; i++)
			total += sched_prio_to_weight[nices[i] + 20];
		for (unsigned int i = 0; i < nr; i++) {
			unsigned long w = sched_prio_to_weight[nices[i] + 20];
			u64 s = sched_slice_ns(nr, total, w, LATENCY, MIN_GRAN, NR_LATENCY);
			double exact = (double)period_of(nr) * w / total;
			ok &= s == (u64)floor(exact) || s == (u64)floor(exact) - 1 || s == (u64)floor(exact) + 1;
			sum += s;
		}
		ok &= sum <= period_of(nr) && sum + nr >= period_of(nr);
		snprintf(name, sizeof(name), "sched_slice: %u mixed weights get period * w / total", nr);
		CHECK(ok, name);
	}
}

/* ---- place_entity ---- */

static void test_place_vruntime(void)
{
	const u64 min = 1000 * MS, slice = 3 * MS;

	CHECK(place_vruntime(min, 0, slice, true, LATENCY) == min + slice,
	      "new task starts one slice after min_vruntime (START_DEBIT)");
	CHECK(place_vruntime(min, min + 50 * MS, slice, true, LATENCY) == min + slice,
	      "new task: placed at min_vruntime + slice whatever it had");
	CHECK(place_vruntime(min, min - 10000 * MS, slice, false, LATENCY) == min - LATENCY / 2,
	      "long sleeper clamped to min_vruntime - latency/2");
	CHECK(place_vruntime(min, min - 1 * MS, slice, false, LATENCY) == min - 1 * MS,
	      "short sleeper keeps its own vruntime");
	CHECK(place_vruntime(min, min + 5 * MS, slice, false, LATENCY) == min + 5 * MS,
	      "sleeper ahead of min_vruntime keeps its own vruntime");
	CHECK(place_vruntime(min, min - LATENCY / 2, slice, false, LATENCY) == min - LATENCY / 2,
	      "sleeper exactly latency/2 behind stays there");

	/* min_vruntime has just wrapped past 2^64; the sleeper's value has not */
	const u64 wmin = 1000;
	CHECK(place_vruntime(wmin, (u64)0 - 10 * MS, slice, false, LATENCY) == wmin - LATENCY / 2,
	      "wrap-around: long sleeper from before the wrap is clamped");
	CHECK(place_vruntime(wmin, (u64)0 - 1 * MS, slice, false, LATENCY) == (u64)0 - 1 * MS,
	      "wrap-around: short sleeper from before the wrap keeps its own");
	CHECK(place_vruntime(wmin, 2 * MS, slice, false, LATENCY) == 2 * MS,
	      "wrap-around: sleeper ahead keeps its own");
	CHECK(place_vruntime(UINT64_MAX - 1000, 0, slice, true, LATENCY) == slice - 1001,
	      "wrap-around: new task one slice after a min_vruntime about to wrap");
}

/* ---- find_busiest_group ---- */

/* A group of w harts with nr tasks of nice 0, idle harts as given. */
static struct sg_lb_stats grp(unsigned int w, unsigned int nr, unsigned int idle)
{
	return (struct sg_lb_stats){ .load = nr * NICE_0_LOAD, .capacity = w * SCHED_CAPACITY_SCALE,
				     .nr_running = nr, .weight = w, .idle_cpus = idle };
}

static void test_find_busiest_group(void)
{
	struct sg_lb_stats g[4];
	unsigned int nr = 99;
	int b;

	g[0] = grp(2, 2, 0), g[1] = grp(2, 2, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == -1 && nr == 0, "balanced: two tasks on each pair of harts, none busiest");
	g[0] = grp(2, 0, 2), g[1] = grp(2, 0, 2);
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == -1 && nr == 0, "balanced: all idle");
	g[0] = grp(2, 1, 0), g[1] = grp(2, 2, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == -1 && nr == 0, "nobody overloaded and no idle hart here: none");

	g[0] = grp(2, 2, 0), g[1] = grp(2, 6, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == 1 && nr == 2, "overloaded group (6 vs 2 tasks on 2 harts): move half the difference (2)");
	g[0] = grp(2, 2, 0), g[1] = grp(2, 4, 0), g[2] = grp(2, 6, 0), g[3] = grp(2, 3, 0);
	b = find_busiest_group_idx(g, 4, 0, 117, 0, &nr);
	CHECK(b == 2 && nr == 2, "the group with the most tasks per hart is the busiest");
	g[0] = grp(2, 6, 0), g[1] = grp(2, 2, 0);
	b = find_busiest_group_idx(g, 2, 1, 117, 0, &nr);
	CHECK(b == 0 && nr == 2, "local group need not be the first");
	g[0] = grp(1, 0, 1), g[1] = grp(4, 12, 0), g[2] = grp(2, 5, 0);
	b = find_busiest_group_idx(g, 3, 0, 117, 0, &nr);
	CHECK(b == 1, "tasks per hart, not tasks, pick the busiest (12/4 over 5/2)");

	/* equal tasks per hart: the higher load per capacity wins, else the first */
	g[0] = grp(1, 0, 1), g[1] = grp(1, 3, 0), g[2] = grp(1, 3, 0);
	g[2].load = 3 * 88761;
	b = find_busiest_group_idx(g, 3, 0, 117, 0, &nr);
	CHECK(b == 2, "tie on tasks per hart: the heavier load wins");
	g[2].load = g[1].load;
	b = find_busiest_group_idx(g, 3, 0, 117, 0, &nr);
	CHECK(b == 1, "full tie: the first candidate wins");

	g[0] = grp(1, 0, 1), g[1] = grp(1, 2, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == 1 && nr == 1, "idle local hart beside a hart with 2 tasks: move 1");
	g[0] = grp(2, 1, 1), g[1] = grp(2, 3, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == 1 && nr == 1, "local group with an idle hart beside 3 tasks on 2 harts: move 1");
	g[0] = grp(1, 0, 1), g[1] = grp(1, 1, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == 1 && nr == 1, "idle local hart pulls a lone task from a busy hart");

	/* imbalance_pct: busiest * 100 must exceed local * pct (per hart) */
	g[0] = grp(1, 10, 0), g[1] = grp(1, 11, 0);
	b = find_busiest_group_idx(g, 2, 0, 110, 0, &nr);
	CHECK(b == -1 && nr == 0, "imbalance_pct 110: 11 vs 10 tasks is within tolerance (equal)");
	g[1] = grp(1, 12, 0);
	b = find_busiest_group_idx(g, 2, 0, 110, 0, &nr);
	CHECK(b == 1 && nr == 1, "imbalance_pct 110: 12 vs 10 tasks is over it, move 1");
	g[0] = grp(2, 200, 0), g[1] = grp(2, 234, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == -1 && nr == 0, "imbalance_pct 117: 234 vs 200 tasks on 2 harts is within it");
	g[1] = grp(2, 235, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == 1 && nr == 18, "imbalance_pct 117: 235 vs 200 tasks is over it, move 18");

	g[0] = grp(1, 0, 1), g[1] = grp(1, 5, 0);
	b = find_busiest_group_idx(g, 2, -1, 117, 0, &nr);
	CHECK(b == -1 && nr == 0, "no local group: none");
	b = find_busiest_group_idx(g, 1, 0, 117, 0, &nr);
	CHECK(b == -1 && nr == 0, "only the local group: none");

	/* NUMA (imb_numa_nr 2, two sockets of 4): a pair stays in its node */
	g[0] = grp(4, 0, 4), g[1] = grp(4, 2, 2);
	b = find_busiest_group_idx(g, 2, 0, 117, 2, &nr);
	CHECK(b == -1 && nr == 0, "NUMA: two tasks in the other node (idle 4 vs 2) are left there");
	b = find_busiest_group_idx(g, 2, 0, 117, 0, &nr);
	CHECK(b == 1 && nr == 1, "the same without SD_NUMA: pull one");
	g[1] = grp(4, 3, 1);
	b = find_busiest_group_idx(g, 2, 0, 117, 2, &nr);
	CHECK(b == 1 && nr == 2, "NUMA: three tasks (idle 4 vs 1) exceed the allowance: pull (half, rounded up)");
	g[0] = grp(4, 2, 2), g[1] = grp(4, 4, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 2, &nr);
	CHECK(b == 1 && nr == 1, "NUMA: a node already running 2 tasks gets no allowance");
	g[0] = grp(4, 0, 4), g[1] = grp(4, 6, 0);
	b = find_busiest_group_idx(g, 2, 0, 117, 2, &nr);
	CHECK(b == 1 && nr == 3, "NUMA: an overloaded node is always balanced");
}

int main(void)
{
	printf("KTAP version 1\n");
	test_calc_delta_fair();
	test_weight_ratios();
	test_sched_slice();
	test_place_vruntime();
	test_find_busiest_group();
	return KTEST_DONE();
}
