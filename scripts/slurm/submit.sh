#!/usr/bin/env bash
# Runs a suite matrix on Slurm: a job array of N shards (`suite --shard K/N`) and a merge job that
# waits for all of them (afterany) and runs `suite merge`. Documentation: Clusters and Slurm.
#
#   scripts/slurm/submit.sh -n N -o OUT [-s SHARDS] [-b "SBATCH OPTIONS"] -- SUITE_ARGUMENT ...
#
#   -n N       shards (array tasks 1…N)
#   -o OUT     shared folder: OUT/shards/K (one per shard), OUT/merged (the merged results),
#              OUT/slurm/ (the job scripts and their logs)
#   -s LIST    submit only these shards (a Slurm array list: 2 or 1,3 or 2-4), to complete a folder
#              after some failed; the merge job is submitted again
#   -b OPTS    more sbatch options for the shard array (--time=2:00:00 --partition=short, --hold, …)
#   SUITE      environment: the suite executable (default: .build/release/suite; build it first with
#              `swift build -c release --product suite`)
#
# Prints the array job's and the merge job's ids. A shard that failed or was killed leaves OUT/shards/K
# absent or incomplete; the merge job then exits 64 naming the missing (problem × optimizer) pairs,
# and `submit.sh -n N -o OUT -s K -- SAME ARGUMENTS` reruns just those shards and merges again.
set -euo pipefail
shards=""; out=""; only=""; sbatch_options=()
while getopts "n:o:s:b:" flag; do
    case $flag in
        n) shards=$OPTARG ;;
        o) out=$OPTARG ;;
        s) only=$OPTARG ;;
        b) read -r -a sbatch_options <<<"$OPTARG" ;;
        *) echo "usage: $0 -n N -o OUT [-s SHARDS] [-b \"SBATCH OPTIONS\"] -- SUITE_ARGUMENT ..." >&2; exit 64 ;;
    esac
done
shift $((OPTIND - 1))
if [ "${1:-}" = "--" ]; then shift; fi
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: -n must be a number of shards >= 1, got '$shards'" >&2; exit 64; }
[ -n "$out" ] || { echo "submit.sh: -o OUT (a folder every node can write) is required" >&2; exit 64; }
[ $# -gt 0 ] || { echo "submit.sh: give the suite arguments after --, e.g. -- --all" >&2; exit 64; }
suite=${SUITE:-.build/release/suite}
suite=$(cd "$(dirname "$suite")" && pwd)/$(basename "$suite")
[ -x "$suite" ] || { echo "submit.sh: $suite is not an executable (swift build -c release --product suite, or set SUITE)" >&2; exit 64; }
mkdir -p "$out/shards" "$out/slurm"
out=$(cd "$out" && pwd)
arguments=$(printf '%q ' "$@")

cat > "$out/slurm/shard.sbatch" <<SCRIPT
#!/usr/bin/env bash
#SBATCH --job-name=descent-shard
#SBATCH --output=$out/slurm/shard-%a.log
set -euo pipefail
cd $(printf '%q' "$PWD")
k=\$SLURM_ARRAY_TASK_ID
rm -rf $out/shards/\$k
exec $(printf '%q' "$suite") $arguments --shard \$k/$shards --output $out/shards/\$k --quiet
SCRIPT
cat > "$out/slurm/merge.sbatch" <<SCRIPT
#!/usr/bin/env bash
#SBATCH --job-name=descent-merge
#SBATCH --output=$out/slurm/merge.log
set -euo pipefail
cd $(printf '%q' "$PWD")
# Only the shards that finished (a killed one has no metadata.json); merge names the pairs still missing.
exec $(printf '%q' "$suite") merge --output $out/merged \$(for k in \$(seq 1 $shards); do if [ -f $out/shards/\$k/metadata.json ]; then echo $out/shards/\$k; fi; done)
SCRIPT

array=$(sbatch --parsable "${sbatch_options[@]}" --array="${only:-1-$shards}" "$out/slurm/shard.sbatch")
merge=$(sbatch --parsable --dependency="afterany:${array%%;*}" "$out/slurm/merge.sbatch")
echo "array ${array%%;*} merge ${merge%%;*}"
