#!/bin/sh
# slurmtmp.sh: a throwaway one-node Slurm (Debian slurm-wlm) for the tests.
#
#   scripts/slurmtmp.sh start DIR   write DIR/slurm.conf (this host as the only
#                                   node at 127.0.0.1, so the host name need
#                                   not resolve; auth/none, no accounting, no
#                                   cgroups, ports from 16817), start slurmctld
#                                   and slurmd with it, wait until the node is
#                                   idle; prints "SLURM_CONF=DIR/slurm.conf"
#   scripts/slurmtmp.sh stop DIR    stop both daemons, remove DIR
#
# Exit status 77: slurm-wlm is not installed or cannot run here (the
# message says why). Needs root (slurmd runs jobs as their submitting user).
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 1; }
case $cmd in
start)
	command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
		command -v sbatch >/dev/null || { echo "slurmtmp: slurm-wlm is not installed" >&2; exit 77; }
	[ "$(id -u)" = 0 ] || { echo "slurmtmp: slurmd must run as root" >&2; exit 77; }
	mkdir -p "$dir/state" "$dir/spool"
	dir=$(cd "$dir" && pwd)
	host=$(hostname -s)
	cpus=$(nproc)
	mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)
	port=${SLURMTMP_PORT:-16817}
	cat >"$dir/slurm.conf" <<CONF
ClusterName=sptest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
	export SLURM_CONF="$dir/slurm.conf"
	slurmctld -i >"$dir/slurmctld.out" 2>&1 || { cat "$dir/slurmctld.out" "$dir/slurmctld.log" >&2 2>/dev/null; exit 77; }
	slurmd >"$dir/slurmd.out" 2>&1 || { cat "$dir/slurmd.out" "$dir/slurmd.log" >&2 2>/dev/null; exit 77; }
	i=0
	while [ $i -lt 60 ]; do
		state=$(timeout 5 sinfo -h -o %t 2>/dev/null | head -1 || true)
		case $state in idle | mix | alloc) echo "SLURM_CONF=$dir/slurm.conf"; exit 0 ;; esac
		sleep 0.5
		i=$((i + 1))
	done
	echo "slurmtmp: the node did not come up (state '$state'); see $dir/slurmctld.log, $dir/slurmd.log" >&2
	tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 2>/dev/null || true
	exit 77
	;;
stop)
	for d in slurmd slurmctld; do
		if [ -f "$dir/$d.pid" ]; then
			pid=$(cat "$dir/$d.pid")
			kill "$pid" 2>/dev/null || true
			i=0
			while kill -0 "$pid" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.25; i=$((i + 1)); done
		fi
	done
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 1
	;;
esac
