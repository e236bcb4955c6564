/* Host unit test for kernel/fs/cpio.c: hand-built archives covering every
 * padding case, archives made by the host's cpio (newc and crc), corrupt
 * headers, and every truncation of a real archive (under ASan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test/host/ktest.h"
#include "kernel/fs/cpio.h"
#include "kernel/fs/stat.h"
#include "kernel/errno.h"

/* ---- archive builder ------------------------------------------------------ */

struct ar {
	u8 *buf;
	size_t len, cap;
};

static void ar_put(struct ar *a, const void *p, size_t n)
{
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2 + 64;
		a->buf = realloc(a->buf, a->cap);
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void ar_pad(struct ar *a)
{
	while (a->len & 3)
		ar_put(a, "", 1);
}

/* One newc entry; namesize = strlen(name) + 1. */
static void ar_entry(struct ar *a, const char *magic, const char *name, u32 mode,
		     u32 nlink, const void *data, size_t size)
{
	char hdr[CPIO_HDR_LEN + 1];
	u32 sum = 0;

	for (size_t i = 0; i < size; i++)
		sum += ((const u8 *)data)[i];
	snprintf(hdr, sizeof(hdr), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 magic, 7u, mode, 1000u, 100u, nlink, 1700000000u, (unsigned)size,
		 0u, 0u, 0u, 0u, (unsigned)strlen(name) + 1,
		 strcmp(magic, "070702") == 0 ? sum : 0u);
	ar_put(a, hdr, CPIO_HDR_LEN);
	ar_put(a, name, strlen(name) + 1);
	ar_pad(a);
	ar_put(a, data, size);
	ar_pad(a);
}

static void ar_trailer(struct ar *a)
{
	ar_entry(a, "070701", CPIO_TRAILER, 0, 1, "", 0);
}

/* ---- host helpers ---------------------------------------------------------- */

static u8 *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n == cap)
			buf = realloc(buf, cap = cap * 2 + 4096);
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

static char tmpdir[64];

static int sh(const char *cmd)
{
	char full[2048];

	snprintf(full, sizeof(full), "cd %s && { %s; } >/dev/null 2>&1", tmpdir, cmd);
	return system(full);
}

/* Copy to an exactly sized heap buffer so ASan sees any overread. */
static u8 *exact(const u8 *src, size_t len)
{
	u8 *p = malloc(len ? len : 1);

	memcpy(p, src, len);
	return p;
}

/* ---- tests ------------------------------------------------------------------- */

/* Names of length 1..8 with data of length 0..7: all 4-byte padding cases. */
static void test_padding(void)
{
	struct ar a = { 0 };
	struct cpio_entry e;
	char name[16], data[16];
	size_t off = 0;
	int bad = 0, n = 0;

	for (int nl = 1; nl <= 8; nl++)
		for (int dl = 0; dl <= 7; dl++) {
			memset(name, 'a' + dl, nl);
			name[nl] = '\0';
			for (int i = 0; i < dl; i++)
				data[i] = (char)(nl * 16 + i);
			ar_entry(&a, "070701", name, S_IFREG | 0644, 1, data, dl);
		}
	ar_trailer(&a);

	for (int nl = 1; nl <= 8; nl++)
		for (int dl = 0; dl <= 7; dl++) {
			size_t start = off;
			int r = cpio_next(a.buf, a.len, &off, &e);

			n++;
			if (r != 1 || e.namelen != (size_t)nl || e.size != (size_t)dl ||
			    e.name[nl] != '\0' || e.name[0] != 'a' + dl ||
			    e.mode != (S_IFREG | 0644) || e.uid != 1000 || e.gid != 100 ||
			    e.nlink != 1 || e.mtime != 1700000000 || e.ino != 7 ||
			    (off & 3) || off <= start ||
			    (size_t)(e.name - (const char *)a.buf) != start + CPIO_HDR_LEN ||
			    ((e.data - a.buf) & 3)) {
				bad++;
				continue;
			}
			for (int i = 0; i < dl; i++)
				if (e.data[i] != (u8)(nl * 16 + i))
					bad++;
		}
	CHECK(n == 64 && bad == 0, "64 entries: names, sizes, data, fields, 4-byte alignment");
	CHECK(cpio_next(a.buf, a.len, &off, &e) == 0 && off == a.len,
	      "TRAILER!!! returns 0 and moves past it");
	CHECK(cpio_next(a.buf, a.len, &off, &e) == 0 && off == a.len,
	      "at end of buffer: 0 again");
	free(a.buf);
}

static void test_host_cpio(void)
{
	static const char *want[] = { ".", "big", "empty", "hello", "lnk", "sub", "sub/x" };
	struct cpio_entry ents[16], e;
	char path[128];
	size_t len = 0, off = 0;
	u8 *buf;
	int n = 0, r;
	bool names_ok = true, big_ok = true;

	if (sh("printf 'hello world\\n' > t/hello && : > t/empty && mkdir t/sub && "
	       "printf x > t/sub/x && ln -s hello t/lnk && "
	       "awk 'BEGIN{for(i=0;i<5000;i++)printf \"%c\", 65+i%26}' > t/big && "
	       "chmod 0644 t/hello t/big && chmod 0600 t/empty && chmod 0755 t/sub && "
	       "chmod 0751 t/sub/x && touch -h -d @1700000000 t/hello t/lnk && "
	       "cd t && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 1234:5678 > ../a.cpio") != 0) {
		CHECK(0, "host cpio -o -H newc builds an archive");
		return;
	}
	snprintf(path, sizeof(path), "%s/a.cpio", tmpdir);
	buf = slurp(path, &len);
	CHECK(buf && len % 512 == 0, "host archive read (padded to 512 bytes)");
	if (!buf)
		return;

	while ((r = cpio_next(buf, len, &off, &e)) == 1 && n < 16)
		ents[n++] = e;
	CHECK(r == 0 && n == 7, "7 entries then the trailer");
	for (int i = 0; i < n && i < 7; i++)
		if (ents[i].namelen != strlen(want[i]) || strcmp(ents[i].name, want[i]) != 0)
			names_ok = false;
	CHECK(names_ok, "names in archive order: . big empty hello lnk sub sub/x");
	if (n != 7) {
		free(buf);
		return;
	}
	CHECK(S_ISDIR(ents[0].mode), "'.' is a directory");
	CHECK(ents[1].size == 5000 && ents[1].mode == (S_IFREG | 0644), "big: 5000 bytes, 0100644");
	for (int i = 0; i < 5000 && ents[1].size == 5000; i++)
		if (ents[1].data[i] != 'A' + i % 26)
			big_ok = false;
	CHECK(big_ok, "big: contents");
	CHECK(ents[2].size == 0 && ents[2].mode == (S_IFREG | 0600), "empty: 0 bytes, 0100600");
	CHECK(ents[3].size == 12 && memcmp(ents[3].data, "hello world\n", 12) == 0,
	      "hello: contents");
	CHECK(ents[3].uid == 1234 && ents[3].gid == 5678 && ents[3].mtime == 1700000000 &&
	      ents[3].nlink == 1, "hello: uid 1234 gid 5678 mtime nlink");
	CHECK(ents[4].mode == (S_IFLNK | 0777) && ents[4].size == 5 &&
	      memcmp(ents[4].data, "hello", 5) == 0, "lnk: symlink to 'hello'");
	CHECK(ents[5].mode == (S_IFDIR | 0755) && ents[5].nlink == 2, "sub: directory 0755, nlink 2");
	CHECK(ents[6].mode == (S_IFREG | 0751) && ents[6].size == 1 && ents[6].data[0] == 'x',
	      "sub/x: 1 byte, 0100751");
	CHECK(cpio_next(buf, len, &off, &e) == 0 && off == len,
	      "NUL padding after the trailer: clean end");

	/* Every truncation: complete entries come out, then 0 if the cut is
	 * at an entry boundary (or in its padding), else -EINVAL. */
	{
		size_t start[9], min_end[9];
		int total = 0, failures = 0;

		off = 0;
		for (;;) {
			start[total] = off;
			r = cpio_next(buf, len, &off, &e);
			min_end[total] = e.size ? (size_t)(e.data - buf) + e.size
						: (size_t)(e.name - (const char *)buf) + e.namelen + 1;
			total++;
			if (r == 0)
				break;
		}
		/* total = 7 entries + trailer */
		for (size_t L = 0; L <= len; L++) {
			u8 *t = exact(buf, L);
			int k = 0, want_ret, got;

			off = 0;
			while ((got = cpio_next(t, L, &off, &e)) == 1)
				k++;
			int want_k = 0;
			while (want_k < total - 1 && min_end[want_k] <= L)
				want_k++;
			if (want_k == total - 1 && min_end[total - 1] <= L)
				want_ret = 0;                   /* trailer */
			else
				want_ret = L <= start[want_k] ? 0 : -EINVAL;
			if (k != want_k || got != want_ret)
				failures++;
			free(t);
		}
		CHECK(total == 8 && failures == 0,
		      "every truncation: whole entries, then 0 at a boundary or -EINVAL");
	}
	free(buf);

	/* crc format (070702): the checksum is verified. */
	if (sh("cd t && find . | LC_ALL=C sort | cpio -o -H crc --quiet > ../c.cpio") != 0) {
		CHECK(0, "host cpio -o -H crc");
		return;
	}
	snprintf(path, sizeof(path), "%s/c.cpio", tmpdir);
	buf = slurp(path, &len);
	off = 0;
	n = 0;
	while ((r = cpio_next(buf, len, &off, &e)) == 1)
		n++;
	CHECK(memcmp(buf, "070702", 6) == 0 && r == 0 && n == 7, "crc archive: 7 entries");
	off = 0;
	for (int i = 0; i < 4; i++)     /* ".", "big", "empty", "hello" */
		r = cpio_next(buf, len, &off, &e);
	((u8 *)e.data)[0] ^= 1;
	{
		size_t hello_off = (const u8 *)e.name - buf - CPIO_HDR_LEN;
		size_t o = hello_off;

		CHECK(cpio_next(buf, len, &o, &e) == -EINVAL && o == hello_off,
		      "crc archive: a flipped data bit gives -EINVAL, off unchanged");
	}
	free(buf);
}

/* Corrupt one copy of a small valid archive, expect -EINVAL from the first call. */
static int parse_first(const u8 *buf, size_t len)
{
	struct cpio_entry e;
	size_t off = 0;
	u8 *t = exact(buf, len);
	int r = cpio_next(t, len, &off, &e);

	if (r < 0 && off != 0)
		r = 999;        /* off must stay put on error */
	free(t);
	return r;
}

static void set_field(u8 *hdr, int field, u32 v)
{
	char s[9];

	snprintf(s, sizeof(s), "%08X", v);
	memcpy(hdr + 6 + 8 * field, s, 8);
}

static void test_malformed(void)
{
	struct ar a = { 0 };
	struct cpio_entry e;
	u8 *t;
	size_t off;
	int bad = 0;

	ar_entry(&a, "070701", "file", S_IFREG | 0644, 1, "data!", 5);
	ar_trailer(&a);
	CHECK(parse_first(a.buf, a.len) == 1, "reference archive parses");

	t = exact(a.buf, a.len);
	memcpy(t, "070707", 6);
	CHECK(parse_first(t, a.len) == -EINVAL, "odc magic 070707: -EINVAL");
	memcpy(t, "070703", 6);
	CHECK(parse_first(t, a.len) == -EINVAL, "magic 070703: -EINVAL");
	memcpy(t, "X70701", 6);
	CHECK(parse_first(t, a.len) == -EINVAL, "magic X70701: -EINVAL");
	free(t);

	/* A non-hex digit in each of the 13 fields, at each of its 8 places. */
	for (int f = 0; f < 13; f++)
		for (int c = 0; c < 8; c++) {
			t = exact(a.buf, a.len);
			t[6 + 8 * f + c] = (c & 1) ? 'g' : ' ';
			if (parse_first(t, a.len) != -EINVAL)
				bad++;
			free(t);
		}
	CHECK(bad == 0, "non-hex digit in any header field: -EINVAL");

	t = exact(a.buf, a.len);
	for (int i = 6; i < CPIO_HDR_LEN; i++)  /* lower case hex is fine too */
		if (t[i] >= 'A' && t[i] <= 'F')
			t[i] += 'a' - 'A';
	CHECK(parse_first(t, a.len) == 1, "lower-case hex accepted");
	free(t);

	t = exact(a.buf, a.len);
	set_field(t, 11, 0);
	CHECK(parse_first(t, a.len) == -EINVAL, "namesize 0: -EINVAL");
	set_field(t, 11, 4);                    /* "file" without its NUL */
	CHECK(parse_first(t, a.len) == -EINVAL, "name not NUL-terminated: -EINVAL");
	set_field(t, 11, 0xffffffff);
	CHECK(parse_first(t, a.len) == -EINVAL, "namesize 0xffffffff: -EINVAL");
	set_field(t, 11, 5);
	t[CPIO_HDR_LEN + 1] = '\0';             /* "f\0le\0" */
	CHECK(parse_first(t, a.len) == -EINVAL, "NUL inside the name: -EINVAL");
	free(t);

	t = exact(a.buf, a.len);
	set_field(t, 6, 0xffffffff);
	CHECK(parse_first(t, a.len) == -EINVAL, "filesize 0xffffffff: -EINVAL");
	set_field(t, 6, (u32)(a.len - 116 + 1)); /* data (at 116) ends 1 byte past len */
	CHECK(parse_first(t, a.len) == -EINVAL, "data running 1 byte past len: -EINVAL");
	set_field(t, 6, (u32)(a.len - 116));     /* data exactly to the end: fine */
	CHECK(parse_first(t, a.len) == 1, "data ending exactly at len: ok");
	free(t);

	/* Name running past the end of the buffer. */
	CHECK(parse_first(a.buf, CPIO_HDR_LEN + 3) == -EINVAL, "name past len: -EINVAL");
	CHECK(parse_first(a.buf, CPIO_HDR_LEN - 1) == -EINVAL, "109-byte header: -EINVAL");

	/* Offsets: past len, unaligned header after NUL padding. */
	off = a.len + 1;
	CHECK(cpio_next(a.buf, a.len, &off, &e) == -EINVAL, "*off > len: -EINVAL");
	{
		struct ar b = { 0 };

		ar_put(&b, "\0\0", 2);
		ar_put(&b, a.buf, a.len);
		off = 0;
		CHECK(cpio_next(b.buf, b.len, &off, &e) == -EINVAL && off == 0,
		      "header at an unaligned offset: -EINVAL");
		free(b.buf);
	}
	free(a.buf);
}

/* Two archives back to back, the second after NUL padding: the reader
 * stops at each trailer and goes on when called again. */
static void test_concatenated(void)
{
	struct ar a = { 0 };
	struct cpio_entry e;
	size_t off = 0;
	int r1, r2, r3, r4, r5;

	ar_entry(&a, "070701", "one", S_IFREG | 0644, 1, "1", 1);
	ar_trailer(&a);
	ar_put(&a, "\0\0\0\0\0\0\0\0", 8);
	ar_entry(&a, "070702", "two", S_IFDIR | 0700, 2, "", 0);
	ar_trailer(&a);

	r1 = cpio_next(a.buf, a.len, &off, &e);
	CHECK(r1 == 1 && strcmp(e.name, "one") == 0 && e.size == 1 && e.data[0] == '1',
	      "first archive: 'one'");
	r2 = cpio_next(a.buf, a.len, &off, &e);
	CHECK(r2 == 0 && off < a.len, "first trailer: 0, more data follows");
	r3 = cpio_next(a.buf, a.len, &off, &e);
	CHECK(r3 == 1 && strcmp(e.name, "two") == 0 && e.mode == (S_IFDIR | 0700) &&
	      e.nlink == 2, "second archive (070702) after NUL padding: 'two'");
	r4 = cpio_next(a.buf, a.len, &off, &e);
	r5 = cpio_next(a.buf, a.len, &off, &e);
	CHECK(r4 == 0 && r5 == 0 && off == a.len, "second trailer, then clean end");
	CHECK(cpio_next(a.buf, 0, &(size_t){ 0 }, &e) == 0, "empty buffer: 0");
	free(a.buf);
}

int main(void)
{
	char cmd[128];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_cpio.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	sh("mkdir t");

	test_padding();
	test_malformed();
	test_concatenated();
	test_host_cpio();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	return KTEST_DONE();
}
