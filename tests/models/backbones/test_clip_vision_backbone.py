import pytest
import torch
from open_clip.model import CLIP

from a3lign_mmaction.models import CLIPVisionBackbone


@pytest.fixture
def clip_model(tiny_clip_arch):
    torch.manual_seed(0)
    return CLIP(**tiny_clip_arch)


def test_embeds_every_frame_like_clip(clip_model, tiny_clip_arch):
    backbone = CLIPVisionBackbone(clip=dict(arch=tiny_clip_arch))
    backbone.visual.load_state_dict(clip_model.visual.state_dict())
    clips = torch.randn(2, 3, 5, 32, 32)
    out = backbone(clips)
    assert out.shape == (2, 5, 64)
    with torch.no_grad():
        expected = clip_model.encode_image(clips[1, :, 3][None])[0]
    torch.testing.assert_close(out[1, 3], expected, atol=1e-5, rtol=0)


def test_frozen_no_grad_and_stays_in_eval(clip_model):
    backbone = CLIPVisionBackbone(visual=clip_model.visual)
    assert not any(p.requires_grad for p in backbone.parameters())
    backbone.train()
    assert backbone.training and not backbone.visual.training
    out = backbone(torch.randn(1, 3, 4, 32, 32, requires_grad=True))
    # No graph: nothing of the tower's activations is kept.
    assert out.grad_fn is None and not out.requires_grad


def test_precomputed_embeddings_pass_through(clip_model):
    backbone = CLIPVisionBackbone(visual=clip_model.visual)
    embeddings = torch.randn(3, 16, 64)
    assert backbone(embeddings) is embeddings
    with pytest.raises(ValueError, match='width 32'):
        backbone(torch.randn(3, 16, 32))


def test_fine_tune_last_blocks(clip_model):
    backbone = CLIPVisionBackbone(visual=clip_model.visual, trainable_blocks=1)
    trainable = {n for n, p in backbone.named_parameters() if p.requires_grad}
    assert 'visual.transformer.resblocks.1.attn.in_proj_weight' in trainable
    assert 'visual.proj' in trainable and 'visual.ln_post.weight' in trainable
    assert not any(n.startswith('visual.transformer.resblocks.0')
                   for n in trainable)
    assert 'visual.conv1.weight' not in trainable
    out = backbone(torch.randn(1, 3, 2, 32, 32))
    out.sum().backward()
    assert backbone.visual.proj.grad is not None
    assert backbone.visual.conv1.weight.grad is None
    with pytest.raises(ValueError, match='has 2 blocks'):
        CLIPVisionBackbone(visual=clip_model.visual, trainable_blocks=3)


def test_needs_exactly_one_source(clip_model, tiny_clip_arch):
    with pytest.raises(ValueError, match='exactly one'):
        CLIPVisionBackbone()
    with pytest.raises(ValueError, match='exactly one'):
        CLIPVisionBackbone(
            clip=dict(arch=tiny_clip_arch), visual=clip_model.visual)


def test_image_size_is_height_and_width(tiny_clip_arch):
    backbone = CLIPVisionBackbone(clip=dict(arch=tiny_clip_arch))
    assert backbone.image_size == (32, 32)
    # open_clip's ResNet towers keep a single int.
    backbone.visual.image_size = 48
    assert backbone.image_size == (48, 48)


def test_fingerprint_names_the_exact_tower(tiny_clip_arch):
    def fingerprint(seed, **arch):
        torch.manual_seed(seed)
        return CLIPVisionBackbone(
            clip=dict(arch={**tiny_clip_arch, **arch})).fingerprint()

    same = fingerprint(0)
    assert len(same) == 64 and fingerprint(0) == same
    assert fingerprint(1) != same  # another draw of the random tower
    assert fingerprint(0, quick_gelu=False) != same  # another activation
    torch.manual_seed(0)
    backbone = CLIPVisionBackbone(clip=dict(arch=tiny_clip_arch))
    with torch.no_grad():
        backbone.visual.proj[5, 7] += 1e-3  # one weight
    assert backbone.fingerprint() != same
