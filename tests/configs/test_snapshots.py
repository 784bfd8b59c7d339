"""Each config merges, key by key, to the snapshot in ``snapshots/`` taken
before the configs were reorganised, with the environment variables the
configs read unset and set."""
import glob
import json
import os.path as osp

import pytest

from tests.conftest import CONFIG_DIR
from tests.configs.merged import (ENVIRONMENTS, SNAPSHOT_DIR, flatten,
                                  merged, snapshot_path)

SNAPSHOTS = sorted(
    osp.basename(p).replace('.json', '.py')
    for p in glob.glob(osp.join(SNAPSHOT_DIR, '*.json')))


@pytest.mark.parametrize('scenario', sorted(ENVIRONMENTS))
@pytest.mark.parametrize('name', SNAPSHOTS)
def test_merged_config_matches_snapshot(name, scenario):
    with open(snapshot_path(name)) as f:
        expected = flatten(json.load(f)[scenario])
    actual = flatten(
        merged(osp.join(CONFIG_DIR, name), ENVIRONMENTS[scenario]))
    missing = object()
    differences = {
        key: (expected.get(key, missing), actual.get(key, missing))
        for key in expected.keys() | actual.keys()
        if expected.get(key, missing) != actual.get(key, missing)
    }
    assert differences == {}
