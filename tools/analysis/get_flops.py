"""FLOPs and parameters of a config's model, with MMAction2's own
``tools/analysis_tools/get_flops.py`` and this plugin loaded.

Usage::

    python tools/analysis/get_flops.py CONFIG [--shape 1 3 16 224 224]
        [--cfg-options model.clip.checkpoint=None ...]

The input shape defaults to one view of the config's clips: 3 channels,
the test pipeline's frames per clip and frame size.
``--cfg-options`` changes the config first, e.g. a random-init CLIP
(``model.clip.checkpoint=None``) when you have no weight file: FLOPs do not
depend on the weights. The count covers what runs per clip at test time:
the image tower and JAS's video path. MAT's class embeddings are computed
once and cached, so they are not part of it. MMEngine's counter skips
operators it has no formula for (attention's ``softmax(QK^T)V`` among
them), as its warnings list.
"""
import argparse
import os.path as osp
import sys
import tempfile

from mmengine.config import DictAction

from a3lign_mmaction.utils import (load_config, run_mmaction_tool, view_shape,
                                   without_mha_fastpath)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=5,
        metavar=('VIEWS', 'C', 'T', 'H', 'W'),
        help='input shape (default: from the config)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    shape = args.shape or view_shape(cfg)
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, osp.basename(args.config))
        cfg.dump(path)
        sys.argv = [sys.argv[0], path, '--shape', *map(str, shape)]
        # The regular attention path shows the counter the projections.
        with without_mha_fastpath():
            run_mmaction_tool('analysis_tools/get_flops.py')


if __name__ == '__main__':
    main()
