import re

import pytest

from a3lign_mmaction.testing import run_command
from tests.repository import REPO_ROOT


@pytest.mark.release
def test_both_demos_both_ways_print_their_rates(tmp_path):
    output = run_command([
        'python', f'{REPO_ROOT}/tools/analysis/benchmark_video_demos.py',
        f'{REPO_ROOT}/configs/a3lign_demo.py', '--frames', '30',
        '--window-seconds', '0.5'
    ], tmp_path)
    assert '30 frames of ' in output and 'a window every 4 frames' in output
    for demo in ('live demo (webcam_demo.py)', 'video demo (demo_video.py)'):
        before, after, speed_up = re.search(
            re.escape(demo) + r' +([\d.]+) f/s +([\d.]+) f/s +([\d.]+)x',
            output).groups()
        assert float(before) > 0 and float(after) > 0
        assert float(speed_up) == pytest.approx(
            float(after) / float(before), abs=0.02)
