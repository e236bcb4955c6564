HOST_SRCS_pelt := proc/sched/pelt.c
