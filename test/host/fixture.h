/* Host tests: read a fixture from test/host/fixtures/ (tests run from the
 * repository root) into a malloc'd buffer of exactly its size. */
#ifndef TEST_HOST_FIXTURE_H
#define TEST_HOST_FIXTURE_H
#include <stdio.h>
#include <stdlib.h>

#define FIXTURES "test/host/fixtures/"

static unsigned char *load(const char *name, size_t *sizep)
{
	char path[256];
	FILE *f;
	long n;
	unsigned char *buf;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s (run from the repository root)\n", path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	*sizep = n;
	return buf;
}

#endif
