HOST_SRCS_elf := proc/elf.c
