#!/usr/bin/env bash
# Usage: tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT
#            [test.py options]
# tools/test.py on GPUS SLURM tasks (see tools/slurm_run.sh for GPUS,
# GPUS_PER_NODE, CPUS_PER_TASK and SRUN_ARGS).
exec "$(dirname "$0")/slurm_run.sh" test.py "$@"
