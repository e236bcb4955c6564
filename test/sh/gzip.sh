# gzip.sh: gzip compresses and gzip -d / zcat / gunzip restore the same
# bytes (md5sum equal), through files and pipes; -c keeps the input, -k
# too, -t checks integrity, and a corrupt file is refused.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1
umask 022

seq 1 200000 > data
head -c 300000 /dev/zero > zeros
awk 'BEGIN { srand(1); for (i = 0; i < 20000; i++) printf "%c", 32 + int(rand() * 95) }' > noise
sum0=$(md5sum < data)
echo "data: $(wc -c < data) bytes, $(echo $sum0 | cut -c1-8)"

gzip data
[ -e data ] || echo "gzip removed the original"
[ -e data.gz ] && echo "data.gz exists"
echo "gzip -t: $(gzip -t data.gz && echo ok)"
[ $(wc -c < data.gz) -lt 1288895 ] && echo "compressed is smaller"
gzip -d data.gz
[ -e data.gz ] || echo "gzip -d removed data.gz"
[ "$(md5sum < data)" = "$sum0" ] && echo "gzip -d: same bytes"

gzip -c data > data.gz
[ -e data ] && echo "-c kept the original"
[ "$(zcat data.gz | md5sum)" = "$sum0" ] && echo "zcat: same bytes"
[ "$(gunzip -c data.gz | md5sum)" = "$sum0" ] && echo "gunzip -c: same bytes"
[ "$(gzip -dc < data.gz | md5sum)" = "$sum0" ] && echo "gzip -dc from stdin: same bytes"
rm data
gunzip data.gz
[ "$(md5sum < data)" = "$sum0" ] && echo "gunzip: same bytes"

# Levels, and all-zero and random-ish inputs.
for lvl in 1 6 9; do
	[ "$(gzip -$lvl -c data | gzip -d | md5sum)" = "$sum0" ] && echo "level $lvl round trip"
done
gzip -9 -c zeros | wc -c | awk '$1 < 1000 { print "300000 zeros compress below 1000 bytes" }'
[ "$(gzip -c zeros | zcat | md5sum)" = "$(md5sum < zeros)" ] && echo "zeros round trip"
[ "$(gzip -c noise | zcat | md5sum)" = "$(md5sum < noise)" ] && echo "noise round trip"
: > empty
[ "$(gzip -c empty | zcat | wc -c)" = 0 ] && echo "empty round trip"

# Through a chain of pipes, and concatenated members.
seq 1 50000 | gzip | gzip -d | gzip -1 | zcat | md5sum
seq 1 50000 | md5sum
{ echo first | gzip; echo second | gzip; } > two.gz
zcat two.gz

# Corruption is detected.
gzip -c data > bad.gz
size=$(wc -c < bad.gz)
dd if=/dev/zero of=bad.gz bs=1 seek=$((size / 2)) count=16 conv=notrunc 2>/dev/null
gzip -t bad.gz 2>/dev/null || echo "corrupt data refused"
echo "not gzip" > notgz
gzip -d -c notgz > /dev/null 2>&1 || echo "non-gzip refused"
