"""Each config merges, key by key, to its snapshot in ``snapshots/``, with
the environment variables the configs read unset and set. The snapshots
were first taken before the configs were reorganised (commit cc3645e), so
that the reorganisation changed nothing; a snapshot is regenerated only
with a change meant to alter what a config does, and the commit says why
(``python -m tests.configs.merged configs/NAME.py``)."""
import glob
import inspect
import json
import os.path as osp

import pytest
from mmengine.runner import Runner

from tests.configs.merged import (ENVIRONMENTS, LOCAL_VARIABLES, SNAPSHOT_DIR,
                                  flatten, merged, runner_view, snapshot_path)
from tests.repository import CONFIG_DIR

SNAPSHOTS = sorted(
    osp.basename(p).replace('.json', '.py')
    for p in glob.glob(osp.join(SNAPSHOT_DIR, '*.json')))
PAPER_RECIPES = ['a3lign_dfew.py', 'a3lign_ferv39k.py', 'a3lign_mafw.py']


def test_local_variables_are_not_runner_settings():
    assert not LOCAL_VARIABLES & set(inspect.signature(Runner).parameters)


def test_paper_recipes_have_snapshots():
    assert set(PAPER_RECIPES) <= set(SNAPSHOTS)


@pytest.mark.parametrize('scenario', sorted(ENVIRONMENTS))
@pytest.mark.parametrize('name', SNAPSHOTS)
def test_merged_config_matches_snapshot(name, scenario):
    with open(snapshot_path(name)) as f:
        expected = flatten(runner_view(json.load(f)[scenario]))
    actual = flatten(
        runner_view(merged(osp.join(CONFIG_DIR, name),
                           ENVIRONMENTS[scenario])))
    missing = object()
    differences = {
        key: (expected.get(key, missing), actual.get(key, missing))
        for key in expected.keys() | actual.keys()
        if expected.get(key, missing) != actual.get(key, missing)
    }
    assert differences == {}
