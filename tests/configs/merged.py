"""The merged form of a config, as the runner receives it, for comparing
configs key by key (``tests/configs/test_snapshots.py``).

Regenerate a snapshot only for a change meant to alter what a config
trains::

    python -m tests.configs.merged configs/a3lign_dfew.py
"""
import json
import os
import os.path as osp
import sys

from mmengine.config import Config

#: Every environment variable the configs read, unset (``defaults``) and
#: set to values no default has (``env``).
ENVIRONMENTS = dict(
    defaults={},
    env=dict(
        DFEW_ROOT='/data/DFEW',
        FERV39K_ROOT='/data/FERV39k',
        MAFW_ROOT='/data/MAFW',
        DFEW_FRAMES='Clip/clip_224x224_16f',
        MAFW_FRAMES='data/frames',
        FOLD='3',
        CLIP_CHECKPOINT='/weights/clip.pt',
        VIDEOMAE_CHECKPOINT='/weights/videomae.pth',
        FEATURE_STORE='/stores/features',
        TEST_CLIPS='2',
        CLIP_LEN='8',
        TEST_CROPS='3',
        A3LIGN_DEMO_ROOT='/data/demo_faces',
        FACE_MODEL='/models/blaze_face_full_range.tflite'))
#: Names the configs use as variables of their own, which neither the
#: runner nor MMAction2's inference API (``test_pipeline``) reads.
LOCAL_VARIABLES = {
    'clip_len', 'data_root', 'dataset', 'face_model', 'fold', 'frames',
    'image_size', 'num_classes', 'test_clips', 'test_crops',
    'train_pipeline', 'vis_backends',
    # The recipes' parts (_base_/parts/), taken by a recipe and its demo.
    'dfer_clip_epochs', 'dfer_clip_head', 'dfer_clip_neck',
    'dfer_clip_param_scheduler', 'dfer_clip_paramwise_cfg',
    'linear_probe_epochs', 'linear_probe_head', 'linear_probe_neck',
    'linear_probe_optimizer', 'linear_probe_param_scheduler',
    'videomae_backbone', 'videomae_epochs', 'videomae_model',
    'videomae_optim_wrapper', 'videomae_param_scheduler'
}
SNAPSHOT_DIR = osp.join(osp.dirname(osp.abspath(__file__)), 'snapshots')


def merged(path: str, env: dict) -> dict:
    """The config at ``path`` merged under exactly the variables ``env``
    (the others of :data:`ENVIRONMENTS` unset), as JSON types."""
    names = set().union(*ENVIRONMENTS.values())
    saved = {name: os.environ.pop(name, None) for name in names}
    try:
        os.environ.update(env)
        cfg = Config.fromfile(path)
    finally:
        for name in names:
            os.environ.pop(name, None)
            if saved[name] is not None:
                os.environ[name] = saved[name]
    return json.loads(json.dumps(cfg.to_dict()))


def runner_view(cfg: dict) -> dict:
    """``cfg`` without :data:`LOCAL_VARIABLES`."""
    return {k: v for k, v in cfg.items() if k not in LOCAL_VARIABLES}


def flatten(value, prefix: str = '') -> dict:
    """``{'a.b.0.c': leaf}`` for every leaf of nested dicts and lists."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return {prefix: value}
    flat = {}
    for key, item in items:
        flat.update(flatten(item, f'{prefix}.{key}' if prefix else str(key)))
    if not flat:
        flat[prefix] = value
    return flat


def snapshot_path(name: str) -> str:
    return osp.join(SNAPSHOT_DIR, name.replace('.py', '.json'))


def write_snapshot(path: str) -> str:
    out = snapshot_path(osp.basename(path))
    with open(out, 'w') as f:
        json.dump({scenario: merged(path, env)
                   for scenario, env in ENVIRONMENTS.items()},
                  f, indent=1, sort_keys=True)
        f.write('\n')
    return out


if __name__ == '__main__':
    for arg in sys.argv[1:]:
        print(write_snapshot(arg))
