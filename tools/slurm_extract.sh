#!/usr/bin/env bash
# Usage: tools/slurm_extract.sh PARTITION JOB_NAME CONFIG --store DIR
#            [extract_features.py options]
# tools/extract_features.py on GPUS SLURM tasks (see tools/slurm_run.sh
# for GPUS, GPUS_PER_NODE, CPUS_PER_TASK and SRUN_ARGS); the tasks split
# the missing views.
exec "$(dirname "$0")/slurm_run.sh" extract_features.py "$@"
