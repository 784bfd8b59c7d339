"""Where the repository's files are, for tests that run its scripts or read
its test data."""
import os.path as osp

from a3lign_mmaction.testing import config_dir

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG_DIR = config_dir()
#: Real videos, with their sources and licences (tests/data/README.md).
VIDEOS = osp.join(REPO_ROOT, 'tests', 'data', 'videos')
