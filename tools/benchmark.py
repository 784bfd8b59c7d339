"""Speed of the training and evaluation steps, end to end and cached.

Usage::

    python tools/benchmark.py CONFIG [--batch-size 64] [--device cuda]
        [--iters 10] [--views 4] [--amp auto|none|bf16]
        [--cfg-options ...]

Prints clips/s (and peak memory) of (a) the end-to-end training step
(frames through the frozen image tower), (b) the cached training step
(stored frame embeddings) in each BAP stage, (c) the evaluation step on
stored embeddings with and without the class-embedding cache, and
(d) frames/s of feature extraction (the image tower alone), with the
agreement of its bf16 and fp32 embeddings, and (e) what the main process
spends receiving a batch of stored embeddings from data loader workers,
with ``pseudo_collate`` and ``packed_collate``. Then it projects the time of
one full run of the config on DFEW fold 1 with the cached path, the
extraction of the views that fold uses included. Weights are random
(``model.clip.checkpoint=None``) unless ``--cfg-options`` says otherwise;
inputs are synthetic, so no dataset is needed.
"""
import argparse
import copy
import logging
import os
import platform
import resource
import time
from typing import Callable, Dict, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmaction.datasets.transforms import PackActionInputs
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config, DictAction
from mmengine.dataset import COLLATE_FUNCTIONS
from mmengine.logging import MMLogger
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

# DFEW: 11,697 clips; fold 1 trains on 9,356 and tests on 2,341.
DFEW_CLIPS, DFEW_TRAIN, DFEW_TEST = 11_697, 9_356, 2_341


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--iters', type=int, default=10, help='timed steps per measurement')
    parser.add_argument(
        '--e2e-iters', type=int, default=3,
        help='timed end-to-end training steps (they are slow on a CPU)')
    parser.add_argument(
        '--extract-batch', type=int,
        help='frames per tower forward in (d) (default: 1024 on CUDA, 32 '
        'on CPU)')
    parser.add_argument(
        '--views', type=int, default=4,
        help='training views per clip assumed in the projection')
    parser.add_argument(
        '--amp', choices=('auto', 'none', 'bf16'), default='auto',
        help='bf16 autocast in the training steps (auto: on CUDA, both are '
        'measured)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


class Timer:
    """Times a step after warm-up; reports peak memory on CUDA (per
    measurement) or the process's peak resident memory on CPU."""

    def __init__(self, device: str) -> None:
        self.cuda = device.startswith('cuda')

    def sync(self) -> None:
        if self.cuda:
            torch.cuda.synchronize()

    def __call__(self,
                 step: Callable,
                 iters: int,
                 warmup: Optional[Callable] = None) -> Dict[str, float]:
        """Seconds per ``step`` and peak memory, after two calls of
        ``warmup`` (default: ``step``)."""
        if self.cuda:
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        for _ in range(2):
            (warmup or step)()
        self.sync()
        start = time.perf_counter()
        for _ in range(iters):
            step()
        self.sync()
        seconds = (time.perf_counter() - start) / iters
        if self.cuda:
            memory = torch.cuda.max_memory_allocated() / 2**30
        else:
            memory = resource.getrusage(
                resource.RUSAGE_SELF).ru_maxrss / 2**20
        return dict(seconds=seconds, memory=memory)


def batch(inputs: torch.Tensor, num_classes: int, size: int) -> dict:
    """A data loader batch of ``size`` copies-in-shape of ``inputs``."""
    return dict(
        inputs=[inputs.clone() for _ in range(size)],
        data_samples=[
            ActionDataSample().set_gt_label(i % num_classes)
            for i in range(size)
        ])


def measure_extraction(timer: Timer, backbone: torch.nn.Module, frames: int,
                       image_size: int, dtype: torch.dtype,
                       iters: int) -> Tuple[Dict[str, float], float]:
    """Time a copy of the image tower in ``dtype`` on ``frames`` random
    images; also the lowest cosine similarity of its embeddings to the
    fp32 tower's."""
    device = next(backbone.parameters()).device
    tower = copy.deepcopy(backbone.visual).eval()
    pixels = torch.randn(frames, 3, image_size, image_size, device=device)
    with torch.no_grad():
        reference = tower(pixels[:64]).float()
        tower.to(dtype)
        pixels = pixels.to(dtype)
        result = timer(lambda: tower(pixels), iters)
        agreement = F.cosine_similarity(
            tower(pixels[:64]).float(), reference, dim=-1).min().item()
    return result, agreement


class CachedClips(torch.utils.data.Dataset):
    """Endless pipeline outputs of a cached config: ``(1, T, D)`` fp16
    embeddings and a label, packed by ``PackActionInputs``."""

    def __init__(self, frames: int, width: int, num_classes: int) -> None:
        self.shape, self.num_classes = (1, frames, width), num_classes
        self.pack = PackActionInputs()

    def __len__(self) -> int:
        return 2**30

    def __getitem__(self, index: int) -> dict:
        return self.pack(
            dict(
                imgs=np.zeros(self.shape, np.float16),
                label=index % self.num_classes))


def measure_loading(dataset: torch.utils.data.Dataset, collate: str,
                    size: int, batches: int = 8) -> float:
    """Seconds the main process takes to receive a batch from two data
    loader workers that are ahead of it."""
    loader = torch.utils.data.DataLoader(
        dataset,
        batch_size=size,
        num_workers=2,
        prefetch_factor=batches // 2,
        collate_fn=COLLATE_FUNCTIONS.get(collate))
    batch_iter = iter(loader)
    next(batch_iter)
    time.sleep(3)  # the workers fill their queues
    start = time.perf_counter()
    for _ in range(batches - 1):
        next(batch_iter)
    return (time.perf_counter() - start) / (batches - 1)


def main() -> None:
    args = parse_args()
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict({'model.clip.checkpoint': None})
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    device, size = args.device, args.batch_size
    timer = Timer(device)
    model = MODELS.build(cfg.model).to(device)
    num_classes = cfg.model.cls_head.num_classes
    frames = cfg.model.neck.num_frames
    image_size = model.backbone.visual.image_size
    image_size = image_size[0] if isinstance(image_size,
                                             (tuple, list)) else image_size
    width = model.backbone.embed_dim
    amps = {'auto': [None, 'bf16'] if timer.cuda else [None],
            'none': [None], 'bf16': ['bf16']}[args.amp]
    machine = (torch.cuda.get_device_name() if timer.cuda else
               f'{platform.machine()}, {os.cpu_count()} cores')
    print(f'{args.config}: {frames} frames of {image_size} px, embedding '
          f'{width}, batch {size}, {device} ({machine}, torch '
          f'{torch.__version__})')
    unit = 'GiB peak' if timer.cuda else 'GiB process peak RSS'

    def report(name: str, result: Dict[str, float], per: int,
               what: str = 'clips') -> float:
        """Print a measurement; return its rate (``what`` per second)."""
        rate = per / result['seconds']
        print(f'{name:<44} {rate:>10.1f} {what}/s  '
              f'{result["memory"]:6.2f} {unit}')
        return rate

    def optim_wrapper(amp):
        wrapper_cfg = copy.deepcopy(cfg.optim_wrapper)
        if amp:
            wrapper_cfg.update(
                type='AmpOptimWrapper',
                dtype='bfloat16',
                loss_scale=dict(enabled=False))
        # Not a warning per frozen CLIP parameter.
        logger = MMLogger.get_current_instance()
        level = logger.level
        logger.setLevel(logging.ERROR)
        try:
            return build_optim_wrapper(model, wrapper_cfg)
        finally:
            logger.setLevel(level)

    video_preprocessor = model.data_preprocessor
    cached_preprocessor = MODELS.build(
        dict(type='EmbeddingDataPreprocessor')).to(device)
    embeddings = batch(
        torch.randn(1, frames, width).half(), num_classes, size)

    # (b) cached training step, per BAP stage: clips/s by (stage, amp).
    model.data_preprocessor = cached_preprocessor
    cached = {}
    for amp in amps:
        wrapper = optim_wrapper(amp)
        model.train()
        for stage in sorted(model.stages):
            model.set_stage(stage)
            result = timer(lambda: model.train_step(embeddings, wrapper),
                           args.iters)
            cached[stage, amp] = report(
                f'(b) cached train step, stage {stage}'
                f'{", bf16" if amp else ""}', result, size)

    # (c) evaluation step on stored embeddings.
    model.eval()
    model.set_stage(max(model.stages))
    head = model.cls_head
    evaluation = {}
    for cache in (True, False):
        head.cache_class_embeddings = cache
        # No graph, as in MMEngine's val and test loops (with one, the
        # class embeddings of trainable prompts are never reused).
        with torch.no_grad():
            result = timer(lambda: model.test_step(embeddings), args.iters)
        evaluation[cache] = report(
            f'(c) cached eval step, class-embedding cache '
            f'{"on" if cache else "off"}', result, size)
    head.cache_class_embeddings = True

    # (d) extraction: the image tower alone, bf16 weights on CUDA.
    extract_dtype = torch.bfloat16 if timer.cuda else torch.float32
    extract_batch = args.extract_batch or (1024 if timer.cuda else 32)
    result, agreement = measure_extraction(timer, model.backbone,
                                           extract_batch, image_size,
                                           extract_dtype,
                                           max(1, args.iters // 2))
    extraction = report(
        f'(d) extraction, tower forward ({str(extract_dtype)[6:]})', result,
        extract_batch, 'frames')
    if extract_dtype != torch.float32:
        print(f'    bf16 vs fp32 embeddings: lowest cosine similarity '
              f'{agreement:.5f} over 64 frames')

    # (e) data loading: receiving a batch from the workers.
    clips = CachedClips(frames, width, num_classes)
    for collate in ('pseudo_collate', 'packed_collate'):
        loading = measure_loading(clips, collate, size)
        print(f'{"(e) batch from loader workers, " + collate:<44} '
              f'{loading * 1e3:>10.1f} ms')

    # (a) end-to-end training step (stage 3).
    model.data_preprocessor = video_preprocessor
    model.train()
    model.set_stage(max(model.stages))
    clip = torch.randint(0, 256, (1, 3, frames, image_size, image_size),
                         dtype=torch.uint8)
    # Warm up on two clips: an end-to-end step of a full batch takes
    # minutes on a CPU.
    video, small = batch(clip, num_classes, size), batch(clip, num_classes, 2)
    end_to_end = {}
    for amp in amps:
        wrapper = optim_wrapper(amp)
        result = timer(lambda: model.train_step(video, wrapper),
                       args.e2e_iters,
                       warmup=lambda: model.train_step(small, wrapper))
        end_to_end[amp] = report(
            f'(a) end-to-end train step, stage 3'
            f'{", bf16" if amp else ""}', result, size)

    amp = amps[-1]  # bf16 where it was measured
    amp_name = ', bf16' if amp else ''
    print(f'cached / end-to-end train step (stage 3{amp_name}): '
          f'{cached[3, amp] / end_to_end[amp]:.1f}x')

    # Projection: one DFEW fold with this config's BAP schedule.
    hooks = [h for h in cfg.get('custom_hooks', []) if h['type'] == 'BAPHook']
    stages = hooks[0]['stages'] if hooks else []
    # One fold needs K training views of its training clips and the test
    # view of its test clips; five folds need every view of every clip.
    fold_views = DFEW_TRAIN * args.views + DFEW_TEST
    extract = fold_views * frames / extraction
    extract_all = DFEW_CLIPS * (args.views + 1) * frames / extraction
    # Each step also waits for the main process to receive its batch (e).
    batches = -(-DFEW_TRAIN // size)
    train = sum(stage['epochs'] *
                (DFEW_TRAIN / cached[stage['stage'], amp] + batches * loading)
                for stage in stages)
    epochs = sum(stage['epochs'] for stage in stages)
    evaluate = epochs * DFEW_TEST / evaluation[True]
    print(f'projected DFEW fold ({epochs} epochs, K={args.views} views): '
          f'extraction {extract / 60:.1f} min ({extract_all / 60:.1f} min '
          f'for all five folds) + training {train / 60:.1f} min + '
          f'evaluation {evaluate / 60:.1f} min = '
          f'{(extract + train + evaluate) / 60:.1f} min')


if __name__ == '__main__':
    main()
