# sort.sh: sort's orderings and keys, and a sort of more data than fits
# in one read or write, through files and pipes.
T=$(mktemp -d) || exit 1
trap 'cd /; rm -rf "$T"' EXIT
cd "$T" || exit 1

printf '10\n9\n100\n-3\n9\n0\n' > nums
printf 'pear 3\napple 10\nfig 2\napple 1\nBanana 5\n' > words
printf 'root:x:0:0\nbin:x:2:2\ndaemon:x:1:1\nnobody:x:65534:65534\n' > passwd

echo "-- plain (C order: digits, upper, lower)"
LC_ALL=C sort words
echo "-- -n"; sort -n nums | tr '\n' ' '; echo
echo "-- plain on numbers"; sort nums | tr '\n' ' '; echo
echo "-- -rn"; sort -rn nums | tr '\n' ' '; echo
echo "-- -un"; sort -un nums | tr '\n' ' '; echo
echo "-- -u"; printf 'b\na\nb\na\nc\n' | sort -u | tr '\n' ' '; echo
echo "-- -k2n"; sort -k2n words
echo "-- -k1,1 -k2nr"; sort -k1,1 -k2nr words
echo "-- -t: -k3n"; sort -t: -k3n passwd
echo "-- -f"; sort -f words | head -2
echo "-- -c"
sort -c nums 2>/dev/null || echo "nums not sorted"
sort -n nums | sort -nc && echo "sorted -n is sorted"
echo "-- -o to the input file"
sort -n -o nums nums; tr '\n' ' ' < nums; echo
echo "-- -s keeps input order of equal keys"
printf 'b 1\na 1\nc 0\n' | sort -s -k2,2n
echo "-- -m merges sorted files"
printf '1\n4\n7\n' > m1; printf '2\n5\n8\n' > m2; printf '3\n6\n9\n' > m3
sort -m m1 m2 m3 | tr '\n' ' '; echo

# 20000 lines (140 KB), shuffled by a fixed permutation (x * 7919 mod a
# prime), sorted back.
seq 1 20000 | awk '{ print ($1 * 7919) % 20011 }' | awk '$1 <= 20000' > shuffled
wc -l < shuffled
sort -n shuffled | md5sum
sort -n shuffled | sort -c -n && echo "big sort is sorted"
sort -rn shuffled | head -3 | tr '\n' ' '; echo
sort shuffled | head -3 | tr '\n' ' '; echo
cat shuffled | sort -n | uniq | wc -l
