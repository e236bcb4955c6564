/* Per-hart timer lists (see timer.h). Each hart keeps its armed timers
 * sorted by expiry; its timer interrupt runs the expired ones. */
#include "kernel/timer.h"
#include "kernel/spinlock.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "arch/riscv/irq.h"
#include "proc/task.h"

struct timer_base {
	spinlock_t lock;          /* protects list, running, and every armed timer's entry */
	struct list_head list;    /* armed timers, earliest first */
	struct timer *running;    /* whose function runs right now */
};
static struct timer_base bases[NR_CPUS];

void timers_init_cpu(int cpu)
{
	spin_lock_init(&bases[cpu].lock);
	INIT_LIST_HEAD(&bases[cpu].list);
}

void timer_init(struct timer *t, void (*fn)(struct timer *t), void *data)
{
	INIT_LIST_HEAD(&t->entry);
	t->fn = fn;
	t->data = data;
	t->cpu = -1;
	t->expires = 0;
}

/* Disarm t. If its function is running on another hart right now, wait
 * for it to finish: the timer (often on a stack) may be reused after. */
bool timer_del(struct timer *t)
{
	for (;;) {
		int cpu = READ_ONCE(t->cpu);
		if (cpu < 0)
			return false;
		struct timer_base *b = &bases[cpu];
		unsigned long f = spin_lock_irqsave(&b->lock);
		if (t->cpu == cpu) {
			bool armed = !list_empty(&t->entry);
			if (b->running == t && cpu != smp_processor_id()) {
				spin_unlock_irqrestore(&b->lock, f);
				continue; /* its function is running: wait */
			}
			list_del_init(&t->entry);
			if (b->running != t)
				t->cpu = -1;
			spin_unlock_irqrestore(&b->lock, f);
			return armed;
		}
		spin_unlock_irqrestore(&b->lock, f);
	}
}

/* Preemption off from choosing the hart to reprogramming it: the timer
 * must go on the list of the hart whose next interrupt is reprogrammed. */
void timer_add(struct timer *t, u64 expires)
{
	timer_del(t);
	preempt_disable();
	int cpu = smp_processor_id();
	struct timer_base *b = &bases[cpu];
	unsigned long f = spin_lock_irqsave(&b->lock);
	struct list_head *p;

	t->expires = expires;
	list_for_each(p, &b->list)
		if (list_entry(p, struct timer, entry)->expires > expires)
			break;
	list_add_tail(&t->entry, p); /* before p: keeps the list sorted */
	t->cpu = cpu;
	bool first = b->list.next == &t->entry;
	spin_unlock_irqrestore(&b->lock, f);
	if (first)
		timer_reprogram(); /* the hart's next interrupt may need to be sooner */
	preempt_enable();
}

void run_timers(void)
{
	struct timer_base *b = &bases[smp_processor_id()];
	u64 now = ktime_get_ns();

	spin_lock(&b->lock);
	while (!list_empty(&b->list)) {
		struct timer *t = list_first_entry(&b->list, struct timer, entry);
		if (t->expires > now)
			break;
		list_del_init(&t->entry);
		b->running = t;
		spin_unlock(&b->lock);
		t->fn(t); /* may re-arm t */
		spin_lock(&b->lock);
		b->running = NULL;
		if (t->cpu == smp_processor_id() && list_empty(&t->entry))
			t->cpu = -1;
	}
	spin_unlock(&b->lock);
}

u64 next_timer_expiry(int cpu)
{
	struct timer_base *b = &bases[cpu];
	unsigned long f = spin_lock_irqsave(&b->lock);
	u64 e = list_empty(&b->list) ? ~0ULL : list_first_entry(&b->list, struct timer, entry)->expires;

	spin_unlock_irqrestore(&b->lock, f);
	return e;
}
