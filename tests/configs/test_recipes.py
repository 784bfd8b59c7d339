"""The benchmark's recipes at real size, random weights: what each one
trains, and the optimizer it trains with (docs/benchmark.md)."""
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from a3lign_mmaction.models import (JASNeck, MATHead, PromptHead,
                                    TemporalMeanNeck)
from a3lign_mmaction.testing import load_config
from a3lign_mmaction.utils import trainable_parameters

pytestmark = pytest.mark.integration


def build(name):
    """A config's model at real size with random weights, and the config."""
    init_default_scope('mmaction')
    cfg = load_config(name)
    if 'clip' in cfg.model:
        cfg.model.clip.checkpoint = None
    cfg.model.backbone.pop('init_cfg', None)
    return MODELS.build(cfg.model), cfg


def count(*modules):
    return sum(p.numel() for m in modules for p in m.parameters())


def bap_stages(cfg):
    hook, = [h for h in cfg.custom_hooks if h.type == 'BAPHook']
    return [(s['stage'], s['epochs']) for s in hook.stages]


def lrs(model, cfg):
    """Learning rate by parameter name."""
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    names = {id(p): n for n, p in model.named_parameters()}
    return {
        names[id(p)]: group['lr']
        for group in wrapper.optimizer.param_groups for p in group['params']
    }


def test_without_mat_a_coop_prompt_on_the_class_names():
    model, cfg = build('a3lign_mafw_no-mat.py')
    head, neck = model.cls_head, model.neck
    assert isinstance(head, PromptHead) and not head.class_specific
    assert head.prompts.shape == (1, 16, 768)
    assert head.text_class.tolist() == list(range(11))  # one text a class
    assert neck.text_encoder is None
    assert trainable_parameters(model) == 16 * 768 + count(neck)
    assert bap_stages(cfg) == [(1, 40), (2, 30), (3, 30)]


def test_without_jas_means_on_both_sides():
    model, cfg = build('a3lign_dfew_no-jas.py')
    assert isinstance(model.neck, TemporalMeanNeck)
    assert isinstance(model.cls_head, MATHead)
    assert model.cls_head.text_encoder is None  # the sentences' mean
    assert trainable_parameters(model) == 7 * 16 * 64 * 768
    assert bap_stages(cfg) == [(1, 100)]


def test_without_bap_one_joint_stage():
    """All that the full recipe trains, MAT's 7 x 16 x 64 tokens and both
    JAS encoders, in one stage."""
    model, cfg = build('a3lign_dfew_no-bap.py')
    assert trainable_parameters(model) == (
        7 * 16 * 64 * 768 + count(model.neck))
    assert bap_stages(cfg) == [(3, 100)]
    scheduler, = cfg.param_scheduler
    assert scheduler.periods == [100] and cfg.train_cfg.max_epochs == 100


def test_zero_shot_trains_nothing():
    model, cfg = build('zeroshot-clip_ferv39k.py')
    assert trainable_parameters(model) == 0
    assert model.cls_head.num_tokens == 0
    assert cfg.runner_type == 'ZeroShotRunner'
    # Four hand-written texts per class, averaged.
    assert model.cls_head.text_class.bincount().tolist() == [4] * 7


def test_linear_probe_trains_the_classifier_only():
    model, _ = build('linear-probe_dfew.py')
    assert trainable_parameters(model) == 768 * 7 + 7


def test_dfer_clip_recipe():
    model, cfg = build('dfer-clip_dfew.py')
    visual, neck, head = model.backbone.visual, model.neck, model.cls_head
    assert visual.output_dim == 512 and visual.patch_size == (32, 32)
    assert trainable_parameters(model) == (
        count(visual) + count(neck) + 7 * 8 * 512)
    assert not [p for p in head.text_tower.parameters() if p.requires_grad]
    encoder = neck.video_encoder
    assert isinstance(neck, JASNeck) and neck.text_encoder is None
    assert not neck.normalize_inputs
    assert encoder.layers.layers[0].linear1.out_features == 2 * 512
    assert isinstance(encoder.norm, torch.nn.Identity)  # no final norm
    assert head.prompts.shape == (7, 8, 512)
    rates = lrs(model, cfg)
    assert {rates[n] for n in rates if n.startswith('backbone.')} == {1e-5}
    assert rates['cls_head.prompts'] == 1e-3
    assert {rates[n] for n in rates if n.startswith('neck.')} == {1e-2}
    assert cfg.train_dataloader.batch_size == 48
    assert cfg.train_dataloader.batch_sampler.drop_last
    assert cfg.train_cfg.max_epochs == 50
    scheduler, = cfg.param_scheduler
    assert scheduler.milestones == [30, 40] and scheduler.gamma == 0.1


def test_videomae_fine_tunes_everything_with_layer_decay():
    model, cfg = build('videomae_mafw.py')
    assert trainable_parameters(model) == count(model)
    assert len(model.backbone.blocks) == 12
    assert model.cls_head.fc_cls.out_features == 11
    rates = lrs(model, cfg)
    first = rates['backbone.blocks.0.mlp.layers.0.0.weight']
    last = rates['backbone.blocks.11.mlp.layers.0.0.weight']
    assert first == pytest.approx(last * 0.75**11)
    assert rates['cls_head.fc_cls.weight'] == pytest.approx(1e-3 * 64 / 256)
