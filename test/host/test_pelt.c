/* Host unit test of proc/sched/pelt.c: decay_load against y^n in double
 * precision, convergence and half-life of an entity's averages, bounds
 * over hours of time, and random run/sleep walks against a float model. */
#include <math.h>
#include <string.h>
#include "test/host/ktest.h"
#include "proc/task.h"
#include "proc/sched/pelt.h"

#define MS 1000000ULL /* ns */
#define PERIOD_NS (1024ULL * 1024)
#define SERIES_MAX 47789u /* ceil(1024 / (1 - y)) */

#define rnd ktest_rand

static double Y; /* 0.5^(1/32) */

static void se_init(struct sched_entity *se, unsigned long weight, u64 now)
{
	memset(se, 0, sizeof(*se));
	se->load.weight = weight;
	se->last_update_time = now;
}

/* ---- a floating-point reimplementation of the same definition ---- */
struct model {
	u64 last;             /* ns, advanced in whole 1024 ns units */
	double load_sum, runnable_sum, util_sum;
	unsigned pc;          /* period_contrib */
	double load_avg, runnable_avg, util_avg;
};

static void model_update(struct model *m, u64 now, double load, double runnable,
			 bool running, double avg_weight)
{
	u64 delta = (now - m->last) >> 10, d, p;
	double contrib, decay, maxsum = 1024.0 / (1.0 - Y);

	if (!delta)
		return;
	m->last += delta << 10;
	if (load == 0)
		runnable = 0, running = false;
	d = delta + m->pc;
	p = d / 1024;
	if (p) {
		decay = pow(Y, (double)p);
		/* rest of the old period, decayed p times; p-1 full periods; start of the new */
		contrib = (1024 - m->pc) * decay + 1024.0 * Y * (1 - pow(Y, (double)(p - 1))) / (1 - Y) +
			  (double)(d % 1024);
		m->load_sum *= decay;
		m->runnable_sum *= decay;
		m->util_sum *= decay;
	} else {
		contrib = (double)delta;
	}
	m->pc = d % 1024;
	m->load_sum += load * contrib;
	m->runnable_sum += runnable * contrib * 1024;
	if (running)
		m->util_sum += contrib * 1024;
	if (p) {
		double div = maxsum - 1024 + m->pc;

		m->load_avg = avg_weight * m->load_sum / div;
		m->runnable_avg = m->runnable_sum / div;
		m->util_avg = m->util_sum / div;
	}
}

static bool close_to(double got, double want, double rel, double abs_)
{
	return fabs(got - want) <= rel * fabs(want) + abs_;
}

static void test_decay(void)
{
	bool ok = true;
	int k, i;

	for (i = 0; i < 10000; i++) {
		u64 v = rnd() >> (rnd() % 64);
		u64 got = decay_load(v, 32);

		if (!(got + 1 >= v / 2 && got <= v / 2 + 1))
			ok = false;
	}
	CHECK(ok, "decay_load(v, 32) == v/2 +-1");
	CHECK(decay_load(1024, 0) == 1024 && decay_load(~0ULL, 0) == ~0ULL, "decay_load(v, 0) == v");

	ok = true;
	for (k = 0; k < 63; k++) {
		for (i = 0; i < 200; i++) {
			u64 v = rnd(), got = decay_load(v, 32ULL * k), want = v >> k;

			if (got != want)
				ok = false;
		}
	}
	CHECK(ok, "decay_load(v, 32k) == v >> k");
	CHECK(decay_load(~0ULL, 32 * 63) == 0 && decay_load(~0ULL, 1ULL << 40) == 0,
	      "decay_load(v, n >= 32*63) == 0");

	ok = true;
	for (i = 0; i < 100000; i++) {
		u64 v = rnd() >> (rnd() % 64), n = rnd() % (32 * 63);
		double want = (double)v * pow(Y, (double)n);

		if (!close_to((double)decay_load(v, n), want, 1e-8, 2.0)) {
			printf("# v=%llu n=%llu got %llu want %.1f\n", (unsigned long long)v,
			       (unsigned long long)n, (unsigned long long)decay_load(v, n), want);
			ok = false;
			break;
		}
	}
	CHECK(ok, "decay_load matches v * y^n (double) for random v, n");
}

/* Keep se running (or idle) from *now for dur ns, updating every step ns. */
static void run_for(struct sched_entity *se, u64 *now, u64 dur, u64 step, bool running)
{
	u64 end = *now + dur;

	while (*now < end) {
		*now = MIN(*now + step, end);
		update_load_avg_se(se, *now, running, running);
	}
}

static void test_always_running(void)
{
	static const unsigned long weights[] = { 15, 1024, 88761 };
	struct sched_entity se;
	u64 now;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(weights); i++) {
		now = 5 * MS;
		se_init(&se, weights[i], now);
		run_for(&se, &now, 1000 * MS, MS, true);
		printf("# weight %lu: util_avg %lu load_avg %lu\n", weights[i], se.util_avg, se.load_avg);
		CHECK(close_to(se.util_avg, 1024, 0.02, 0), "always running 1 s: util_avg ~ 1024");
		CHECK(close_to(se.load_avg, weights[i], 0.02, 1), "always running 1 s: load_avg ~ weight (2%, +-1 rounding)");
		CHECK(se.util_avg <= 1024 && se.load_avg <= weights[i], "always running: within bounds");
	}

	/* cfs_rq form: weighted load_sum, two runnable entities, running */
	{
		struct sched_avg sa = { .last_update_time = 0 };
		u64 t;

		for (t = 0; t <= 1000 * MS; t += 700000)
			update_sched_avg(&sa, t, 3072, 2, true);
		printf("# cfs_rq: load_avg %lu runnable_avg %lu util_avg %lu\n",
		       sa.load_avg, sa.runnable_avg, sa.util_avg);
		CHECK(close_to(sa.load_avg, 3072, 0.02, 0) && close_to(sa.runnable_avg, 2048, 0.02, 0) &&
		      close_to(sa.util_avg, 1024, 0.02, 0), "cfs_rq always busy: load ~ weight, runnable ~ 2048, util ~ 1024");
	}
}

static void test_half_duty(void)
{
	struct sched_entity se;
	u64 now = 0;
	double sum = 0;
	unsigned long lo = ~0UL, hi = 0;
	int cycle, n = 0;

	se_init(&se, 1024, now);
	for (cycle = 0; cycle < 250; cycle++) { /* 2 s */
		int j;

		for (j = 0; j < 8; j++) { /* 1 ms steps: 4 on, 4 off */
			now += MS;
			update_load_avg_se(&se, now, j < 4, j < 4);
			if (cycle >= 125) {
				sum += se.util_avg;
				n++;
				lo = MIN(lo, se.util_avg);
				hi = MAX(hi, se.util_avg);
			}
		}
	}
	printf("# 50%%: mean util %.1f, range %lu..%lu\n", sum / n, lo, hi);
	CHECK(close_to(sum / n, 512, 0.03, 0), "4 ms on / 4 ms off: util_avg ~ 512");
	CHECK(lo > 512 - 80 && hi < 512 + 80, "4 ms on / 4 ms off: stays near 512");
}

static void test_half_life_and_idle(void)
{
	struct sched_entity se;
	u64 now = 0, t0;
	unsigned long u0, l0, prev_u, prev_l;
	bool mono = true;
	int i;

	se_init(&se, 1024, now);
	run_for(&se, &now, 1000 * MS, MS, true);
	/* stop exactly on a period boundary so the averages are current */
	now = (now / PERIOD_NS + 1) * PERIOD_NS;
	update_load_avg_se(&se, now, true, true);
	t0 = now;
	u0 = se.util_avg;
	l0 = se.load_avg;

	prev_u = u0, prev_l = l0;
	for (i = 1; i <= 32; i++) {
		now = t0 + (u64)i * MS;
		update_load_avg_se(&se, now, false, false);
		if (se.util_avg > prev_u || se.load_avg > prev_l)
			mono = false;
		prev_u = se.util_avg, prev_l = se.load_avg;
	}
	printf("# after 32 ms idle: util %lu -> %lu (%.3f)\n", u0, se.util_avg, (double)se.util_avg / u0);
	CHECK(close_to(se.util_avg, u0 / 2.0, 0.05, 0), "util halves in 32 ms (+-5%)");
	CHECK(close_to(se.load_avg, l0 / 2.0, 0.05, 0), "load halves in 32 ms (+-5%)");

	now = t0 + 32 * PERIOD_NS;
	update_load_avg_se(&se, now, false, false);
	printf("# after 32 periods idle: util %lu (%.4f)\n", se.util_avg, (double)se.util_avg / u0);
	CHECK(close_to(se.util_avg, u0 / 2.0, 0.01, 1), "util halves in exactly 32 periods (+-1%)");

	for (i = 0; i < 2000 && mono; i++) {
		now += 100000 + rnd() % (3 * MS);
		update_load_avg_se(&se, now, false, false);
		if (se.util_avg > prev_u || se.load_avg > prev_l || se.util_sum > 1024u * LOAD_AVG_MAX)
			mono = false;
		prev_u = se.util_avg, prev_l = se.load_avg;
	}
	CHECK(mono, "idle: util and load decay monotonically");
	CHECK(se.util_avg == 0 && se.load_avg == 0 && se.util_sum == 0 && se.load_sum == 0,
	      "idle for seconds: everything decays to 0");

	/* clock going backwards: no change but the timestamp */
	{
		u32 us = se.util_sum;

		CHECK(!update_load_avg_se(&se, now - 5 * MS, true, true) &&
		      se.last_update_time == now - 5 * MS && se.util_sum == us,
		      "clock going backwards resets last_update_time only");
	}
}

static void test_hours(void)
{
	struct sched_entity se;
	struct sched_avg rq = { 0 };
	u64 now = 0, end = 3ULL * 3600 * 1000 * MS; /* 3 hours */
	const unsigned long w = 88761, rqw = 20 * 88761;
	bool ok = true, run = true;
	u64 seg_end = 0, updates = 0;
	double max_ratio = 0;

	se_init(&se, w, now);
	while (now < end && ok) {
		if (now >= seg_end) {
			run = rnd() & 1;
			/* segments from 0.1 ms to 10 s, sometimes a long jump */
			seg_end = now + 100000 + rnd() % (rnd() % 16 ? 50 * MS : 10000 * MS);
		}
		now = MIN(seg_end, now + 1 + rnd() % (rnd() % 8 ? 4 * MS : 2000 * MS));
		update_load_avg_se(&se, now, run, run);
		update_sched_avg(&rq, now, run ? rqw : 0, run ? 20 : 0, run);
		updates++;
		max_ratio = fmax(max_ratio, (double)rq.load_sum / rqw);
		/*
		 * LOAD_AVG_MAX (47742) is the series' limit with truncation at
		 * every step; like Linux's, the sums follow the exact series
		 * closely when weights are large and can pass LOAD_AVG_MAX *
		 * weight by a fraction of a unit, but never its exact limit
		 * 1024/(1-y) ~ 47788.9 * weight, and the averages stay within
		 * ~0.1% of the weight.
		 */
		if (se.load_sum > SERIES_MAX || se.util_sum > SERIES_MAX * 1024 ||
		    se.load_avg > w || se.util_avg > 1024 ||
		    rq.load_sum > (u64)SERIES_MAX * rqw || rq.load_avg > rqw + rqw / 1000 ||
		    rq.runnable_sum > (u64)SERIES_MAX * 20 * 1024 ||
		    rq.runnable_avg > 20 * 1024 + 20 * 1024 / 1000 ||
		    rq.util_sum > SERIES_MAX * 1024 || rq.util_avg > 1024 + 1) {
			printf("# bound broken at %llu ns: se %u %u %lu %lu rq %llu %llu %u %lu %lu %lu\n",
			       (unsigned long long)now, se.load_sum, se.util_sum, se.load_avg, se.util_avg,
			       (unsigned long long)rq.load_sum, (unsigned long long)rq.runnable_sum,
			       rq.util_sum, rq.load_avg, rq.runnable_avg, rq.util_avg);
			ok = false;
		}
	}
	printf("# %llu updates over 3 h, largest rq load_sum / weight %.2f\n",
	       (unsigned long long)updates, max_ratio);
	CHECK(ok, "3 hours at nice -20 (and a 20-task rq): sums <= 47789 * weight (1024/(1-y)), averages <= weight + 0.1%");
	CHECK(updates > 50000, "3 hours: many updates");
}

static void test_random_walk(void)
{
	struct sched_entity se;
	struct sched_avg rq = { .last_update_time = 1000 };
	struct model ms = { .last = 1000 }, mr = { .last = 1000 };
	u64 now = 1000, seg_end = 0;
	bool run = false, ok_se = true, ok_rq = true;
	unsigned long rqw = 0, nr = 0;
	double worst = 0, worst_abs = 0;
	int i;

	se_init(&se, 1024, now);
	for (i = 0; i < 200000; i++) {
		if (now >= seg_end) {
			run = rnd() % 3 != 0;
			nr = run ? 1 + rnd() % 4 : 0;
			rqw = nr * (100 + rnd() % 2000);
			seg_end = now + 1 + rnd() % (rnd() % 4 ? 6 * MS : 200 * MS);
		}
		now = MIN(seg_end, now + 1 + rnd() % (2 * MS));
		if (update_load_avg_se(&se, now, run, run) && i > 2000) {
			/* compare only when the averages were refreshed */
		}
		model_update(&ms, now, run ? 1 : 0, run ? 1 : 0, run, 1024);
		update_sched_avg(&rq, now, rqw, nr, run);
		model_update(&mr, now, (double)rqw, (double)nr, run, 1);

		if (ms.pc != se.period_contrib || ms.last != se.last_update_time)
			ok_se = false;
		if (!close_to(se.util_avg, ms.util_avg, 0.01, 2) ||
		    !close_to(se.load_avg, ms.load_avg, 0.01, 2)) {
			if (ok_se)
				printf("# se step %d: util %lu vs %.1f, load %lu vs %.1f\n", i,
				       se.util_avg, ms.util_avg, se.load_avg, ms.load_avg);
			ok_se = false;
		}
		if (!close_to(rq.util_avg, mr.util_avg, 0.01, 2) ||
		    !close_to(rq.load_avg, mr.load_avg, 0.01, 2) ||
		    !close_to(rq.runnable_avg, mr.runnable_avg, 0.01, 2)) {
			if (ok_rq)
				printf("# rq step %d: util %lu vs %.1f, load %lu vs %.1f, runnable %lu vs %.1f\n",
				       i, rq.util_avg, mr.util_avg, rq.load_avg, mr.load_avg,
				       rq.runnable_avg, mr.runnable_avg);
			ok_rq = false;
		}
		if (ms.util_avg > 200)
			worst = fmax(worst, fabs(se.util_avg - ms.util_avg) / ms.util_avg);
		worst_abs = fmax(worst_abs, fabs(se.util_avg - ms.util_avg));
	}
	printf("# random walk: worst util error %.4f relative (where util > 200), %.1f absolute\n",
	       worst, worst_abs);
	CHECK(ok_se, "random walk: entity matches float model within 1%");
	CHECK(ok_rq, "random walk: cfs_rq sums match float model within 1%");
}

int main(void)
{
	Y = pow(0.5, 1.0 / 32);
	printf("KTAP version 1\n");
	test_decay();
	test_always_running();
	test_half_duty();
	test_half_life_and_idle();
	test_hours();
	test_random_walk();
	return KTEST_DONE();
}
