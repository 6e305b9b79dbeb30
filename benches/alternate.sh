#!/bin/sh
# Times whole commands run in turn, ROUNDS times each after one warm-up round, and prints the
# mean, spread and minimum of each. Alternating spreads the drift of a shared machine over all
# commands alike, which running each command's repetitions back to back does not.
#
#   benches/alternate.sh 6 'target/release/examples/parse_only /tmp/w100k0' \
#                          'target/release/paperwork -C /tmp/w100k0 analyze --format json --no-cache'
#
# Output goes to /dev/null, as it does with `hyperfine --output=null`.
set -eu
rounds=$1
shift
now() { date +%s.%N; }
for c in "$@"; do sh -c "$c" > /dev/null 2>&1; done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
i=0
while [ "$i" -lt "$rounds" ]; do
    n=0
    for c in "$@"; do
        t0=$(now)
        sh -c "$c" > /dev/null 2>&1
        t1=$(now)
        echo "$n $t0 $t1" >> "$log"
        n=$((n + 1))
    done
    i=$((i + 1))
done
n=0
for c in "$@"; do
    awk -v n="$n" -v c="$c" '
        $1 == n { d = $3 - $2; s += d; q += d * d; k++; if (k == 1 || d < m) m = d }
        END { mean = s / k; sd = sqrt(q / k - mean * mean); printf "%6.3f s ±%5.3f (min %5.3f)  %s\n", mean, sd, m, c }
    ' "$log"
    n=$((n + 1))
done
