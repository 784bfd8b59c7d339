"""The plugin's configs, found from the package, and the tiny CLIP in place
of a real one."""
import os.path as osp

from mmengine.config import Config

__all__ = ['config_dir', 'load_config', 'tiny_clip_config']


def config_dir() -> str:
    """The plugin's ``configs/``: the source checkout's beside the package,
    else the copy an installed package keeps in
    ``a3lign_mmaction/.mim/configs``."""
    package = osp.dirname(osp.dirname(osp.abspath(__file__)))
    candidates = (osp.join(osp.dirname(package), 'configs'),
                  osp.join(package, '.mim', 'configs'))
    for path in candidates:
        if osp.isfile(osp.join(path, 'a3lign_demo.py')):
            return path
    raise FileNotFoundError(
        f'No configs/ of a3lign_mmaction in {" or ".join(candidates)}: '
        'install the plugin from its repository (pip install -e .) or as a '
        'wheel built by its setup.py, which ships the configs.')


def load_config(name: str) -> Config:
    """A config of the plugin, by path relative to ``configs/``."""
    return Config.fromfile(osp.join(config_dir(), name))


def tiny_clip_config(name: str, tiny_clip_arch: dict) -> Config:
    """A config of the plugin with the tiny CLIP in place of the real one,
    the tower and its frames (the loaders' resize and crop steps) at the
    tiny architecture's size."""
    size = tiny_clip_arch['vision_cfg']['image_size']
    cfg = load_config(name)
    cfg.model.clip.update(arch=tiny_clip_arch, image_size=size)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        for step in cfg.get(loader, {}).get('dataset', {}).get('pipeline', []):
            if step['type'] == 'Resize':
                step['scale'] = (size, size)
            elif step['type'] == 'ViewCrops':
                step['size'] = size
    return cfg
