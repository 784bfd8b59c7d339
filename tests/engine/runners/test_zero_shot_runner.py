import glob

import torch
from mmengine.registry import RUNNERS

from a3lign_mmaction.engine import ZeroShotRunner
from a3lign_mmaction.testing import short_demo_config


def test_none_loads_nothing_and_a_file_loads(demo_root, tmp_path):
    cfg = short_demo_config(
        demo_root, tmp_path, stages=None, name='zeroshot-clip_demo.py')
    cfg.load_from = 'none'
    runner = RUNNERS.build(cfg)
    assert isinstance(runner, ZeroShotRunner)
    built = {k: v.clone() for k, v in runner.model.state_dict().items()}
    runner.load_or_resume()
    log, = glob.glob(str(tmp_path / '*' / '*.log'))
    with open(log) as f:
        assert 'testing the model as its config builds it' in f.read()
    for key, value in runner.model.state_dict().items():
        assert torch.equal(value, built[key]), key

    changed = {k: v + 1 if v.is_floating_point() else v
               for k, v in built.items()}
    path = tmp_path / 'changed.pth'
    torch.save(dict(state_dict=changed), path)
    cfg.load_from = str(path)
    runner = RUNNERS.build(cfg)
    runner.load_or_resume()
    words = runner.model.cls_head.words
    assert torch.equal(words, changed['cls_head.words'])
