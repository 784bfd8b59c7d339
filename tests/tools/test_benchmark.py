import re

import pytest

from a3lign_mmaction.testing import run_script
from tests.repository import REPO_ROOT

MEASUREMENTS = [
    '(b) cached train step, stage 1', '(b) cached train step, stage 2',
    '(b) cached train step, stage 3',
    '(c) cached eval step, class-embedding cache on',
    '(c) cached eval step, class-embedding cache off',
    '(d) extraction, tower forward', '(a) end-to-end train step, stage 3'
]


@pytest.mark.integration
def test_every_measurement_prints_a_rate(tmp_path):
    output = run_script([
        f'{REPO_ROOT}/tools/analysis/benchmark.py',
        f'{REPO_ROOT}/configs/a3lign_demo.py', '--batch-size', '4', '--iters',
        '1', '--e2e-iters', '1', '--extract-batch', '4', '--device', 'cpu'
    ], tmp_path)
    for name in MEASUREMENTS:
        rate, = re.findall(
            re.escape(name) + r'.*?\s([\d.]+) (?:clips|frames)'
            r'/s', output)
        assert float(rate) > 0, name
    assert len(
        re.findall(r'\(e\) batch from loader workers, \w+ +[\d.]+ ms',
                   output)) == 2
    # The DFEW projection follows the demo's BAP schedule, 10 + 10 + 30.
    assert re.search(
        r'projected DFEW fold \(50 epochs, K=4 views\): '
        r'extraction [\d.]+ min', output)
