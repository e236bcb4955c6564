HOST_SRCS_memblock := mm/memblock.c
