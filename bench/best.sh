# bench/best.sh: sourced by the benchmark scripts (lintbench.sh,
# docbench.sh), which set $tmp to a scratch directory first.
#
# Best of three runs of each, so other load on the machine counts as
# little as possible.  Both CPU time (user + system, what the program
# itself costs) and wall-clock time are measured; on a shared machine the
# CPU figure is the one to compare.
best() {        # best OUTVAR-PREFIX COMMAND...: sets ${1}_cpu and ${1}_wall; output in $tmp/out
	pfx=$1
	shift
	bc="" bw=""
	for i in 1 2 3; do
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f "%U %S %e" -o "$tmp/time" "$@" > "$tmp/out" 2>/dev/null
		else
			# no GNU time (Debian package "time"): wall clock only, CPU shown as wall
			t0=$(date +%s.%N)
			"$@" > "$tmp/out" 2>/dev/null
			t1=$(date +%s.%N)
			awk -v a="$t0" -v z="$t1" 'BEGIN { printf "%.3f 0 %.3f\n", z - a, z - a }' > "$tmp/time"
		fi
		# (time adds a "Command exited with non-zero status" line first)
		c=$(tail -n 1 "$tmp/time" | awk '{ printf "%.3f", $1 + $2 }')
		w=$(tail -n 1 "$tmp/time" | awk '{ printf "%.3f", $3 }')
		bc=$(awk -v b="$bc" -v t="$c" 'BEGIN { if (b == "" || t < b) print t; else print b }')
		bw=$(awk -v b="$bw" -v t="$w" 'BEGIN { if (b == "" || t < b) print t; else print b }')
	done
	eval "${pfx}_cpu=$bc ${pfx}_wall=$bw"
}

