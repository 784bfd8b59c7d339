"""The metrics a ``tools/test.py`` run wrote to its work dir."""
import glob
import json
import os.path as osp
from typing import List

__all__ = ['metrics_files', 'latest_test_metrics']


def metrics_files(work_dir: str) -> List[str]:
    """The metrics files of the ``tools/test.py`` runs in ``work_dir``
    (``TIMESTAMP/TIMESTAMP.json``), oldest first."""
    return sorted(glob.glob(osp.join(work_dir, '*', '*.json')))


def latest_test_metrics(work_dir: str) -> dict:
    """The metrics of the newest ``tools/test.py`` run in ``work_dir``.

    Raises:
        FileNotFoundError: If no test run wrote there.
    """
    files = metrics_files(work_dir)
    if not files:
        raise FileNotFoundError(f'no test results in {work_dir}')
    with open(files[-1]) as f:
        records = [json.loads(line) for line in f if line.strip()]
    return records[-1]
