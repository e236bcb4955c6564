HOST_SRCS_fair := proc/sched/fair_math.c
