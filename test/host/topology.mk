HOST_SRCS_topology := proc/sched/topology.c kernel/fdt.c
