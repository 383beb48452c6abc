#!/usr/bin/env bash
# Runs the block-device fio jobs of issue 5 (psync; 4k randwrite, 4k randread, 1M sequential
# write and read; SIZE each, default 256M) on TARGET (e.g. MOUNTPOINT/disk.img) and, in the same
# run, on a plain file in BASELINE_DIR (default /var/tmp), and prints one table: MiB/s, IOPS,
# completion latency p50 and p99. Each job ends with an fsync, so the write figures include
# committing to the farmers.
#   scripts/fio-compare.sh TARGET [BASELINE_DIR] [SIZE]
set -euo pipefail
target=${1:?usage: fio-compare.sh TARGET [BASELINE_DIR] [SIZE]}
baseline_dir=${2:-/var/tmp}
size=${3:-256M}
command -v fio >/dev/null || { echo "fio is not installed: apt-get install fio" >&2; exit 1; }
baseline="$baseline_dir/cnt-fio-baseline.$$"
trap 'rm -f "$baseline"' EXIT

# One job; prints "MiB/s IOPS p50_us p99_us" of its read or write side (fio terse format v3).
run() {
  local file=$1 rw=$2 bs=$3 side=$4
  local line
  line=$(fio --name=job --filename="$file" --size="$size" --rw="$rw" --bs="$bs" \
    --ioengine=psync --end_fsync=1 --fallocate=none --randrepeat=1 --minimal 2>/dev/null \
    | tail -1)
  awk -F';' -v side="$side" '{
    base = side == "read" ? 6 : 47
    bw = $(base + 1) / 1024; iops = $(base + 2)
    split($(base + 18), p50, "="); split($(base + 24), p99, "=")
    printf "%.1f %.0f %s %s\n", bw, iops, p50[2], p99[2] }' <<<"$line"
}

printf '%-16s %-10s %10s %10s %10s %10s\n' job target MiB/s IOPS p50_us p99_us
for spec in "randwrite 4k write" "randread 4k read" "write 1M write" "read 1M read"; do
  set -- $spec
  for where in cnt local; do
    file=$target
    [ "$where" = local ] && file=$baseline
    read -r bw iops p50 p99 < <(run "$file" "$1" "$2" "$3")
    printf '%-16s %-10s %10s %10s %10s %10s\n' "$1 $2" "$where" "$bw" "$iops" "$p50" "$p99"
  done
done
