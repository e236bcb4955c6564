HOST_SRCS_fdt := kernel/fdt.c
