#!/usr/bin/env bash
# The Slurm test CI runs (documentation: Clusters and Slurm): starts a single-node Slurm on this machine
# (munge, slurmctld and slurmd as root, a generated slurm.conf), then
#   1. runs a small tuned, multi-instance matrix locally and as 3 shards + a merge job through
#      scripts/slurm/submit.sh, and requires `suite diff --strict` to find the two folders equal;
#   2. submits it again, has the scheduler cancel shard 2, requires the merge job to fail naming the
#      missing pairs, resubmits shard 2 alone (submit.sh -s 2), and requires the completed folder to
#      equal the local run.
# Needs Debian's slurm-wlm and munge (apt-get install slurm-wlm munge) and a built suite (SUITE,
# default .build/debug/suite). Stops the daemons it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
export SUITE=${SUITE:-$PWD/.build/debug/suite}
for tool in munged slurmctld slurmd sbatch squeue scontrol scancel; do
    command -v "$tool" >/dev/null || { echo "slurm-check: $tool is missing (apt-get install slurm-wlm munge)"; exit 1; }
done
root=$(mktemp -d)
host=$(hostname -s)
cpus=$(nproc)

# munge: a key (Debian's package makes one; make one if not), the socket folder, the daemon.
if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chown munge:munge /etc/munge/munge.key 2>/dev/null || true
    chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
if ! munge -n >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged --force || /usr/sbin/munged --force
fi
munge -n | unmunge >/dev/null

mkdir -p "$root"/{state,spool,log}
cat > "$root/slurm.conf" <<CONF
ClusterName=descent-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$root/state
SlurmdSpoolDir=$root/spool
SlurmctldPidFile=$root/slurmctld.pid
SlurmdPidFile=$root/slurmd.pid
SlurmctldLogFile=$root/log/slurmctld.log
SlurmdLogFile=$root/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=ci Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$root/slurm.conf
stop() {
    [ -f "$root/slurmd.pid" ] && kill "$(cat "$root/slurmd.pid")" 2>/dev/null || true
    [ -f "$root/slurmctld.pid" ] && kill "$(cat "$root/slurmctld.pid")" 2>/dev/null || true
}
trap stop EXIT
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 1 60); do sinfo -h -o %t 2>/dev/null | grep -qx idle && break; sleep 1; done
sinfo -h -o %t | grep -qx idle || { echo "slurm-check: the node did not come up"; tail -20 "$root"/log/*.log; exit 1; }
echo "slurm-check: single-node Slurm $(sinfo -V | cut -d' ' -f2) up on $host ($cpus CPUs)"

# Waits until job $1 has left the queue (at most 10 minutes).
wait_job() {
    for _ in $(seq 1 600); do
        squeue -h -j "$1" 2>/dev/null | grep -q . || return 0
        sleep 1
    done
    echo "slurm-check: job $1 still queued after 10 minutes"; squeue; exit 1
}

matrix=(--problem rosenbrock --problem quadratic --problem logistic --problem wine-autoencoder
        --optimizer gd --optimizer adam --optimizer lbfgs --optimizer newton
        --instances 3 --tune --max-iterations 400 --no-cache)
"$SUITE" "${matrix[@]}" --output "$root/local" --quiet > /dev/null

# 1. Three shards and the merge.
read -r _ array _ merge < <(scripts/slurm/submit.sh -n 3 -o "$root/a" -- "${matrix[@]}")
echo "slurm-check: submitted array $array and merge $merge"
wait_job "$array"; wait_job "$merge"
test -f "$root/a/merged/metadata.json" || { echo "slurm-check: no merged folder"; cat "$root/a/slurm/"*.log; exit 1; }
"$SUITE" diff "$root/local" "$root/a/merged" --strict

# 2. Shard 2 killed by the scheduler: merge names what is missing; resubmitting shard 2 completes the folder.
read -r _ array _ merge < <(scripts/slurm/submit.sh -n 3 -o "$root/b" -b "--hold" -- "${matrix[@]}")
scancel "${array}_2"
scontrol release "${array}_1" "${array}_3"
wait_job "$array"; wait_job "$merge"
if [ -f "$root/b/merged/metadata.json" ]; then echo "slurm-check: merged although shard 2 was cancelled"; exit 1; fi
grep -q "missing:" "$root/b/slurm/merge.log" || { echo "slurm-check: merge did not name the missing pairs"; cat "$root/b/slurm/merge.log"; exit 1; }
echo "slurm-check: with shard 2 cancelled, merge said: $(grep -o 'the shards hold.*' "$root/b/slurm/merge.log")"
read -r _ array _ merge < <(scripts/slurm/submit.sh -n 3 -o "$root/b" -s 2 -- "${matrix[@]}")
wait_job "$array"; wait_job "$merge"
"$SUITE" diff "$root/local" "$root/b/merged" --strict
echo "slurm-check: 3 shards + merge equal the local run; a cancelled shard was reported and completed by resubmitting it alone"
