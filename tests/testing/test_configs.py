import os.path as osp

from a3lign_mmaction.testing import config_dir, load_config, tiny_clip_config


def test_configs_of_the_checkout():
    assert osp.isfile(osp.join(config_dir(), 'a3lign_dfew.py'))
    assert load_config('a3lign_dfew.py').model.type == 'CLIPRecognizer'


def test_tiny_clip_sizes_the_frames_and_the_tower(tiny_clip_arch):
    cfg = tiny_clip_config('a3lign_dfew.py', tiny_clip_arch)
    assert cfg.model.clip.image_size == 32
    steps = cfg.train_dataloader.dataset.pipeline
    resize, = [s for s in steps if s.type == 'Resize']
    assert tuple(resize.scale) == (32, 32)
    crops, = [s for s in cfg.test_dataloader.dataset.pipeline
              if s.type == 'ViewCrops']
    assert crops.size == 32
