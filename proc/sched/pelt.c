/* Per-entity load tracking arithmetic (see pelt.h): decaying the sums,
 * accumulating elapsed time into them, and turning sums into averages.
 * 64-bit arithmetic only: no 128-bit products or divisions (no libgcc). */
#include "proc/sched/pelt.h"
#include "proc/task.h"

/*
 * pelt_yn_inv[n] = y^n * 2^32 with y = 0.5^(1/32), for n = 0..31.
 * Made by a small host program: llround(pow(pow(0.5, 1.0/32), n) * 2^32)
 * in double precision, with n = 0 (exactly 2^32) clamped to 0xffffffff so
 * it fits in 32 bits. Iterating s = ((s * pelt_yn_inv[1]) >> 32) + 1024
 * from 0 with these values stops growing at 47742 = LOAD_AVG_MAX.
 */
static const u32 pelt_yn_inv[LOAD_AVG_PERIOD] = {
	0xffffffff, 0xfa83b2db, 0xf5257d15, 0xefe4b99c,
	0xeac0c6e8, 0xe5b906e7, 0xe0ccdeec, 0xdbfbb798,
	0xd744fccb, 0xd2a81d92, 0xce248c15, 0xc9b9bd86,
	0xc5672a11, 0xc12c4cca, 0xbd08a39f, 0xb8fbaf47,
	0xb504f334, 0xb123f582, 0xad583eea, 0xa9a15ab5,
	0xa5fed6aa, 0xa2704303, 0x9ef53261, 0x9b8d39ba,
	0x9837f052, 0x94f4efa9, 0x91c3d374, 0x8ea4398b,
	0x8b95c1e4, 0x88980e81, 0x85aac368, 0x82cd8699,
};

/*
 * (val * mul) >> 32 without a 128-bit product: split val into 32-bit
 * halves. hi * mul cannot overflow since it is below hi << 32 <= val.
 */
static inline u64 mul_u64_u32_shr32(u64 val, u32 mul)
{
	u64 hi = val >> 32, lo = val & 0xffffffffULL;

	return hi * mul + ((lo * mul) >> 32);
}

u64 decay_load(u64 val, u64 n)
{
	/* After 63 half-lives even a full 64-bit value has gone. */
	if (unlikely(n >= LOAD_AVG_PERIOD * 63))
		return 0;

	/* Whole half-lives are plain shifts; the rest uses the table. */
	if (n >= LOAD_AVG_PERIOD) {
		val >>= n / LOAD_AVG_PERIOD;
		n %= LOAD_AVG_PERIOD;
	}
	/* y^0 = 1: skip the multiply (the table holds 1 - 2^-32 there) */
	if (!n)
		return val;
	return mul_u64_u32_shr32(val, pelt_yn_inv[n]);
}

/*
 * The contribution of a stretch of time that crosses `periods` (>= 1)
 * period boundaries, seen from the end of it:
 *   d1: units that finished the period that was in progress (decays
 *       `periods` times);
 *   the periods - 1 full periods in between: 1024 * (y + ... + y^(p-1)),
 *       in closed form LOAD_AVG_MAX - LOAD_AVG_MAX * y^p - 1024;
 *   d3: units of the new, current period (not decayed yet).
 */
static u32 __accumulate_pelt_segments(u64 periods, u32 d1, u32 d3)
{
	u32 c1, c2;

	c1 = decay_load((u64)d1, periods);
	c2 = LOAD_AVG_MAX - decay_load(LOAD_AVG_MAX, periods) - 1024;
	return c1 + c2 + d3;
}

/*
 * Add `delta` units (1024 ns each) to sa's sums: first decay the old sums
 * by the number of period boundaries crossed, then add the new time's
 * weighted contribution. Returns the number of boundaries crossed.
 */
static u64 accumulate_sum(u64 delta, struct sched_avg *sa, unsigned long load,
			  unsigned long runnable, bool running)
{
	u32 contrib = (u32)delta; /* if no boundary is crossed, delta < 1024 */
	u64 periods;

	delta += sa->period_contrib;
	periods = delta / PELT_PERIOD_US;

	if (periods) {
		sa->load_sum = decay_load(sa->load_sum, periods);
		sa->runnable_sum = decay_load(sa->runnable_sum, periods);
		sa->util_sum = (u32)decay_load((u64)sa->util_sum, periods);

		delta %= PELT_PERIOD_US;
		/* Only worth computing when something will be added. */
		if (load)
			contrib = __accumulate_pelt_segments(periods,
				PELT_PERIOD_US - sa->period_contrib, (u32)delta);
	}
	sa->period_contrib = (u32)delta;

	if (load)
		sa->load_sum += (u64)load * contrib;
	if (runnable)
		sa->runnable_sum += ((u64)runnable * contrib) << SCHED_CAPACITY_SHIFT;
	if (running)
		sa->util_sum += contrib << SCHED_CAPACITY_SHIFT;

	return periods;
}

/* Advance the sums; true if a period boundary passed. */
static bool ___update_load_sum(u64 now, struct sched_avg *sa, unsigned long load,
			       unsigned long runnable, bool running)
{
	u64 delta;

	/* The clock went backwards (a clock reset): restart from here. */
	if ((s64)(now - sa->last_update_time) < 0) {
		sa->last_update_time = now;
		return false;
	}

	/* Count whole 1024 ns units; the remainder waits for the next update. */
	delta = (now - sa->last_update_time) >> 10;
	if (!delta)
		return false;
	sa->last_update_time += delta << 10;

	/*
	 * Something that is not runnable cannot be running either (an entity
	 * being dequeued while current is accounted as idle from here).
	 */
	if (!load)
		runnable = running = 0;

	return accumulate_sum(delta, sa, load, runnable, running) != 0;
}

/* Sums to averages. load_avg is scaled by `load` (1 when load_sum is already weighted). */
static void ___update_load_avg(struct sched_avg *sa, unsigned long load)
{
	u32 divider = get_pelt_divider(sa);

	/* load <= 2^17 or so and load_sum <= LOAD_AVG_MAX: the product fits. */
	sa->load_avg = (unsigned long)((load * sa->load_sum) / divider);
	sa->runnable_avg = (unsigned long)(sa->runnable_sum / divider);
	sa->util_avg = sa->util_sum / divider;
}

bool update_sched_avg(struct sched_avg *sa, u64 now, unsigned long load_weight,
		      unsigned long runnable, bool running)
{
	if (!___update_load_sum(now, sa, load_weight, runnable, running))
		return false;
	___update_load_avg(sa, 1);
	return true;
}

bool update_load_avg_se(struct sched_entity *se, u64 now, bool runnable, bool running)
{
	struct sched_avg sa = {
		.last_update_time = se->last_update_time,
		.load_sum = se->load_sum,
		.runnable_sum = 0,  /* an entity here keeps no runnable sum */
		.util_sum = se->util_sum,
		.period_contrib = se->period_contrib,
		.load_avg = se->load_avg,
		.util_avg = se->util_avg,
	};
	bool decayed;

	/* An entity's load_sum is unweighted runnable time (<= LOAD_AVG_MAX). */
	decayed = update_sched_avg(&sa, now, runnable ? 1 : 0, runnable ? 1 : 0,
				   running);
	if (decayed) {
		/* Weight it now, so a reweight shows at the next period. */
		sa.load_avg = (unsigned long)((se->load.weight * sa.load_sum) /
					      get_pelt_divider(&sa));
		se->load_avg = sa.load_avg;
		se->util_avg = sa.util_avg;
	}
	se->last_update_time = sa.last_update_time;
	se->load_sum = (u32)sa.load_sum;
	se->util_sum = sa.util_sum;
	se->period_contrib = sa.period_contrib;
	return decayed;
}
