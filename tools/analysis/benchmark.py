"""Speed of the training and evaluation steps, end to end and cached.

Usage::

    python tools/analysis/benchmark.py CONFIG [--batch-size 64] [--device cuda]
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
import dataclasses
import logging
import os
import platform
import resource
import time
from typing import Callable, Dict, List, Optional, Tuple

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

from a3lign_mmaction.datasets import DFEWDataset
from a3lign_mmaction.utils import load_config


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


@dataclasses.dataclass
class Bench:
    """The model under test and what every measurement needs."""
    cfg: Config
    model: torch.nn.Module
    timer: Timer
    size: int
    iters: int
    amps: List[Optional[str]]
    frames: int
    image_size: int
    width: int
    num_classes: int

    @property
    def unit(self) -> str:
        return 'GiB peak' if self.timer.cuda else 'GiB process peak RSS'

    def report(self, name: str, result: Dict[str, float], per: int,
               what: str = 'clips') -> float:
        """Print a measurement; return its rate (``what`` per second)."""
        rate = per / result['seconds']
        print(f'{name:<44} {rate:>10.1f} {what}/s  '
              f'{result["memory"]:6.2f} {self.unit}')
        return rate

    def optim_wrapper(self, amp: Optional[str]):
        wrapper_cfg = copy.deepcopy(self.cfg.optim_wrapper)
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
            return build_optim_wrapper(self.model, wrapper_cfg)
        finally:
            logger.setLevel(level)

    def batch(self, inputs: torch.Tensor, size: Optional[int] = None) -> dict:
        """A data loader batch of ``size`` (default: the batch size)
        copies-in-shape of ``inputs``."""
        return dict(
            inputs=[inputs.clone() for _ in range(size or self.size)],
            data_samples=[
                ActionDataSample().set_gt_label(i % self.num_classes)
                for i in range(size or self.size)
            ])


def build_bench(args: argparse.Namespace) -> Bench:
    cfg = load_config(args.config, {
        'model.clip.checkpoint': None,
        **(args.cfg_options or {})
    })
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    timer = Timer(args.device)
    model = MODELS.build(cfg.model).to(args.device)
    amps = {'auto': [None, 'bf16'] if timer.cuda else [None],
            'none': [None], 'bf16': ['bf16']}[args.amp]
    return Bench(
        cfg=cfg,
        model=model,
        timer=timer,
        size=args.batch_size,
        iters=args.iters,
        amps=amps,
        frames=cfg.model.neck.num_frames,
        image_size=model.backbone.image_size[0],
        width=model.backbone.embed_dim,
        num_classes=cfg.model.cls_head.num_classes)


def cached_embeddings(bench: Bench) -> dict:
    """A batch of stored-embedding inputs, and the model switched to take
    them."""
    bench.model.data_preprocessor = MODELS.build(
        dict(type='EmbeddingDataPreprocessor')).to(next(
            bench.model.parameters()).device)
    return bench.batch(torch.randn(1, bench.frames, bench.width).half())


def cached_train_steps(bench: Bench,
                       embeddings: dict) -> Dict[Tuple[int, object], float]:
    """(b) Clips/s of the cached training step, by (BAP stage, amp)."""
    rates = {}
    for amp in bench.amps:
        wrapper = bench.optim_wrapper(amp)
        bench.model.train()
        for stage in sorted(bench.model.stages):
            bench.model.set_stage(stage)
            result = bench.timer(
                lambda: bench.model.train_step(embeddings, wrapper),
                bench.iters)
            rates[stage, amp] = bench.report(
                f'(b) cached train step, stage {stage}'
                f'{", bf16" if amp else ""}', result, bench.size)
    return rates


def eval_steps(bench: Bench, embeddings: dict) -> Dict[bool, float]:
    """(c) Clips/s of the evaluation step on stored embeddings, with the
    class-embedding cache on and off."""
    model = bench.model
    model.eval()
    model.set_stage(max(model.stages))
    rates = {}
    for cache in (True, False):
        model.cls_head.cache_class_embeddings = cache
        # No graph, as in MMEngine's val and test loops (with one, the
        # class embeddings of trainable prompts are never reused).
        with torch.no_grad():
            result = bench.timer(lambda: model.test_step(embeddings),
                                 bench.iters)
        rates[cache] = bench.report(
            f'(c) cached eval step, class-embedding cache '
            f'{"on" if cache else "off"}', result, bench.size)
    model.cls_head.cache_class_embeddings = True
    return rates


def extraction(bench: Bench, frames: Optional[int]) -> float:
    """(d) Frames/s of the image tower alone, bf16 weights on CUDA; with
    the agreement of its bf16 and fp32 embeddings."""
    dtype = torch.bfloat16 if bench.timer.cuda else torch.float32
    frames = frames or (1024 if bench.timer.cuda else 32)
    result, agreement = measure_extraction(bench.timer, bench.model.backbone,
                                           frames, bench.image_size, dtype,
                                           max(1, bench.iters // 2))
    rate = bench.report(f'(d) extraction, tower forward ({str(dtype)[6:]})',
                        result, frames, 'frames')
    if dtype != torch.float32:
        print(f'    bf16 vs fp32 embeddings: lowest cosine similarity '
              f'{agreement:.5f} over 64 frames')
    return rate


def loading(bench: Bench) -> float:
    """(e) Milliseconds to receive a batch of stored embeddings from the
    loader workers, with each collate function; returns the seconds with
    ``packed_collate`` (the configs' choice)."""
    clips = CachedClips(bench.frames, bench.width, bench.num_classes)
    for collate in ('pseudo_collate', 'packed_collate'):
        seconds = measure_loading(clips, collate, bench.size)
        print(f'{"(e) batch from loader workers, " + collate:<44} '
              f'{seconds * 1e3:>10.1f} ms')
    return seconds


def end_to_end_train_steps(bench: Bench, preprocessor: torch.nn.Module,
                           iters: int) -> Dict[object, float]:
    """(a) Clips/s of the end-to-end training step in stage 3, by amp."""
    model = bench.model
    model.data_preprocessor = preprocessor
    model.train()
    model.set_stage(max(model.stages))
    clip = torch.randint(
        0, 256, (1, 3, bench.frames, bench.image_size, bench.image_size),
        dtype=torch.uint8)
    # Warm up on two clips: an end-to-end step of a full batch takes
    # minutes on a CPU.
    video, small = bench.batch(clip), bench.batch(clip, 2)
    rates = {}
    for amp in bench.amps:
        wrapper = bench.optim_wrapper(amp)
        result = bench.timer(
            lambda: model.train_step(video, wrapper),
            iters,
            warmup=lambda: model.train_step(small, wrapper))
        rates[amp] = bench.report(
            f'(a) end-to-end train step, stage 3'
            f'{", bf16" if amp else ""}', result, bench.size)
    return rates


def project_dfew_fold(bench: Bench, views: int, cached: dict,
                      evaluation: Dict[bool, float], extract: float,
                      load: float, amp: Optional[str]) -> None:
    """Print the projected time of one DFEW fold (fold 1) with the cached
    path and this config's BAP schedule, its extraction included."""
    hooks = [
        h for h in bench.cfg.get('custom_hooks', [])
        if h['type'] == 'BAPHook'
    ]
    stages = hooks[0]['stages'] if hooks else []
    train_clips, test_clips = DFEWDataset.FOLD_SIZES[1]
    # One fold needs K training views of its training clips and the test
    # view of its test clips; five folds need every view of every clip.
    fold_views = train_clips * views + test_clips
    extract_fold = fold_views * bench.frames / extract
    extract_all = DFEWDataset.NUM_CLIPS * (views + 1) * bench.frames / extract
    # Each step also waits for the main process to receive its batch (e).
    batches = -(-train_clips // bench.size)
    train = sum(stage['epochs'] *
                (train_clips / cached[stage['stage'], amp] + batches * load)
                for stage in stages)
    epochs = sum(stage['epochs'] for stage in stages)
    evaluate = epochs * test_clips / evaluation[True]
    print(f'projected DFEW fold ({epochs} epochs, K={views} views): '
          f'extraction {extract_fold / 60:.1f} min ({extract_all / 60:.1f} '
          f'min for all five folds) + training {train / 60:.1f} min + '
          f'evaluation {evaluate / 60:.1f} min = '
          f'{(extract_fold + train + evaluate) / 60:.1f} min')


def main() -> None:
    args = parse_args()
    bench = build_bench(args)
    timer = bench.timer
    machine = (torch.cuda.get_device_name() if timer.cuda else
               f'{platform.machine()}, {os.cpu_count()} cores')
    print(f'{args.config}: {bench.frames} frames of {bench.image_size} px, '
          f'embedding {bench.width}, batch {bench.size}, {args.device} '
          f'({machine}, torch {torch.__version__})')
    video_preprocessor = bench.model.data_preprocessor
    embeddings = cached_embeddings(bench)
    cached = cached_train_steps(bench, embeddings)
    evaluation = eval_steps(bench, embeddings)
    extract = extraction(bench, args.extract_batch)
    load = loading(bench)
    end_to_end = end_to_end_train_steps(bench, video_preprocessor,
                                        args.e2e_iters)
    amp = bench.amps[-1]  # bf16 where it was measured
    print(f'cached / end-to-end train step (stage 3'
          f'{", bf16" if amp else ""}): '
          f'{cached[3, amp] / end_to_end[amp]:.1f}x')
    project_dfew_fold(bench, args.views, cached, evaluation, extract, load,
                      amp)


if __name__ == '__main__':
    main()
