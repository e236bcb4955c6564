/* The kernel command line (/chosen bootargs plus QEMU -append). */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H
#include "kernel/types.h"

#define MAX_INIT_ARGS 32

struct boot_params {
	bool quiet;
	bool test_oops;          /* test only: fault on purpose to show an oops */
	const char *init;        /* init=PATH, NULL: /init */
	const char *init_argv[MAX_INIT_ARGS + 2];
	int init_argc;           /* words after "--" */
};
extern struct boot_params boot_params;

/* Split in place: words are separated by spaces; "double quotes" group. */
void parse_cmdline(char *cmdline);

#endif
