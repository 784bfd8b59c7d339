import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.hooks import Hook
from mmengine.runner import Runner
from open_clip.model import CLIP

from a3lign_mmaction.models import CLIPTextTower, JASNeck, MATHead
from a3lign_mmaction.testing import short_demo_config


@pytest.fixture
def text_tower(tiny_clip_arch):
    torch.manual_seed(0)
    return CLIPTextTower(CLIP(**tiny_clip_arch))


def make_head(text_tower, **kwargs):
    cfg = dict(num_classes=3, in_channels=64, num_sentences=4, num_tokens=6)
    cfg.update(kwargs)
    return MATHead(text_tower=text_tower, **cfg)


def linked_head(text_tower):
    """A head with a JAS neck linked as its text encoder, both in eval
    mode; returns both."""
    neck = JASNeck(64, num_frames=4, num_sentences=4).eval()
    head = make_head(text_tower).eval()
    head.link_text_encoder(neck)
    return head, neck


def test_linked_encoder_makes_the_class_embeddings(text_tower):
    head, neck = linked_head(text_tower)
    with torch.no_grad():
        sentences = head.sentence_embeddings()
        torch.testing.assert_close(head.class_embeddings(),
                                   neck.encode_text(sentences))
    # Linked, not owned: the neck's weights are not the head's.
    assert not any('text_encoder' in key for key in head.state_dict())
    with pytest.raises(ValueError, match=r'num_sentences=4 .*aligns 8'):
        head.link_text_encoder(JASNeck(64, num_frames=8, num_sentences=8))


def test_tower_matches_clip_on_token_ids(tiny_clip_arch):
    """Embedding real tokens by hand gives CLIP's own text embedding."""
    import open_clip
    torch.manual_seed(0)
    clip = CLIP(**tiny_clip_arch).eval()
    tower = CLIPTextTower(clip)
    tokens = open_clip.get_tokenizer('ViT-B-32')(['a happy face'])
    words = tokens[0, 1:tokens[0].argmax()]  # between [SOS] and [EOS]
    prompts = clip.token_embedding(words)[None]
    with torch.no_grad():
        torch.testing.assert_close(
            tower(prompts, context_length=77),
            clip.encode_text(tokens), atol=1e-5, rtol=0)


def test_trimmed_context_equals_full(text_tower):
    head = make_head(text_tower, num_tokens=64)
    with torch.no_grad():
        trimmed = head.sentence_embeddings()
        head.context_length = 77
        full = head.sentence_embeddings()
    assert trimmed.shape == (3, 4, 64)
    assert (trimmed - full).abs().max() <= 1e-5


def test_too_many_tokens(text_tower):
    with pytest.raises(ValueError, match='num_tokens=76 does not fit'):
        make_head(text_tower, num_tokens=76)


def test_width_mismatch(text_tower):
    with pytest.raises(ValueError, match='in_channels=512'):
        make_head(text_tower, in_channels=512)


def test_gradients_reach_prompts_through_frozen_tower(text_tower):
    head = make_head(text_tower)
    samples = [ActionDataSample().set_gt_label(i % 3) for i in range(4)]
    losses = head.loss(torch.randn(4, 64), samples)
    losses['loss_cls'].backward()
    assert head.prompts.grad is not None and head.prompts.grad.abs().sum() > 0
    assert all(p.grad is None for p in head.text_tower.parameters())
    assert not head.text_tower.training


def test_logits_are_cosine_over_temperature(text_tower):
    head = make_head(text_tower).eval()
    videos = torch.randn(5, 64)
    with torch.no_grad():
        classes = head.sentence_embeddings().mean(1)
        logits = head(videos)
    expected = torch.nn.functional.cosine_similarity(
        videos[:, None], classes[None], dim=-1) / 0.01
    torch.testing.assert_close(logits, expected, atol=1e-4, rtol=1e-5)


def test_learnable_temperature(text_tower):
    head = make_head(text_tower, learnable_temperature=True, temperature=0.1)
    assert isinstance(head.log_scale, torch.nn.Parameter)
    head(torch.randn(2, 64)).sum().backward()
    assert head.log_scale.grad is not None
    fixed = make_head(text_tower)
    assert 'log_scale' not in dict(fixed.named_parameters())


def test_predict_fills_scores_and_averages_views(text_tower):
    head = make_head(text_tower).eval()
    samples = [ActionDataSample() for _ in range(2)]
    with torch.no_grad():
        out = head.predict(torch.randn(6, 64, 1, 1, 1), samples)  # 3 views
    for sample in out:
        assert sample.pred_score.shape == (3, )
        torch.testing.assert_close(sample.pred_score.sum(), torch.tensor(1.))
        assert sample.pred_label.item() == sample.pred_score.argmax()


def test_class_embedding_cache(text_tower):
    head, neck = linked_head(text_tower)
    calls = []
    original = head.sentence_embeddings
    head.sentence_embeddings = lambda: calls.append(1) or original()
    videos = torch.randn(2, 64)
    with torch.no_grad():
        first = head(videos)
        again = head(torch.randn(7, 64))
    assert len(calls) == 1
    # An optimizer step on the prompts invalidates it ...
    optimizer = torch.optim.SGD([head.prompts], lr=1.0)
    head.prompts.grad = torch.randn_like(head.prompts)
    optimizer.step()
    with torch.no_grad():
        stepped = head(videos)
    assert len(calls) == 2 and not torch.equal(first, stepped)
    # ... and so does a change of the text encoder ...
    with torch.no_grad():
        neck.text_encoder.norm.bias.add_(0.5)
        head(videos)
    assert len(calls) == 3
    # ... and loading a state dict.
    state = {k: v.clone() for k, v in head.state_dict().items()}
    state['prompts'] = torch.zeros_like(state['prompts'])
    head.load_state_dict(state)
    with torch.no_grad():
        head(videos)
        head(videos)
    assert len(calls) == 4
    assert again.shape == (7, 3)


def test_no_cache_while_text_side_trains(text_tower):
    head = make_head(text_tower).train()
    calls = []
    original = head.sentence_embeddings
    head.sentence_embeddings = lambda: calls.append(1) or original()
    head(torch.randn(2, 64))
    head(torch.randn(2, 64))
    assert len(calls) == 2
    head.prompts.requires_grad_(False)  # BAP stage 2: text side frozen
    head(torch.randn(2, 64))
    head(torch.randn(2, 64))
    assert len(calls) == 3


def test_cache_can_be_switched_off(text_tower):
    head = make_head(text_tower, cache_class_embeddings=False).eval()
    calls = []
    original = head.sentence_embeddings
    head.sentence_embeddings = lambda: calls.append(1) or original()
    videos = torch.randn(2, 64)
    with torch.no_grad():
        first = head(videos)
        again = head(videos)
    assert len(calls) == 2
    torch.testing.assert_close(first, again)


def test_fp32_logits_under_bf16_autocast(text_tower):
    head = make_head(text_tower)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        logits = head(torch.randn(2, 64))
        losses = head.loss_by_feat(logits, [
            ActionDataSample().set_gt_label(label) for label in (0, 2)
        ])
    assert logits.dtype == torch.float32
    assert losses['loss_cls'].dtype == torch.float32


def fresh_scores(head, videos):
    """Scores with the class embeddings computed now, not taken from the
    cache."""
    head.cache_class_embeddings = False
    try:
        with torch.no_grad():
            return head(videos)
    finally:
        head.cache_class_embeddings = True


@pytest.mark.parametrize('update', ['SGD(fused=True)', '.data.copy_'])
def test_cache_after_updates_that_keep_versions(update, text_tower):
    """Fused optimizers and EMAHook's swaps change weights without bumping
    their version counters; the mode switch before the next run rebuilds
    the cache."""
    head, neck = linked_head(text_tower)
    videos = torch.randn(5, 64)
    with torch.no_grad():
        before = head(videos)
    params = [head.prompts, *neck.text_parameters()]
    versions = [p._version for p in params]
    head.train()
    neck.train()
    if update == 'SGD(fused=True)':
        optimizer = torch.optim.SGD(params, lr=1.0, momentum=0.9, fused=True)
        for _ in range(2):
            optimizer.zero_grad()
            head(videos).logsumexp(1).sum(
            ).backward()
            optimizer.step()
    else:
        for param in params:
            param.data.copy_(torch.randn_like(param))
    assert [p._version for p in params] == versions
    head.eval()
    neck.eval()
    with torch.no_grad():
        after = head(videos)
    assert not torch.allclose(after, before)
    torch.testing.assert_close(
        after, fresh_scores(head, videos), rtol=0, atol=0)


def test_cache_after_load_state_dict(text_tower):
    head = make_head(text_tower).eval()
    other = make_head(text_tower).eval()
    videos = torch.randn(5, 64)
    with torch.no_grad():
        before = head(videos)
    head.load_state_dict(other.state_dict())  # in eval mode, no switch
    with torch.no_grad():
        after = head(videos)
    assert not torch.allclose(after, before)
    torch.testing.assert_close(after, fresh_scores(head, videos), rtol=0,
                               atol=0)


class FreshScoreCheck(Hook):
    """After every validation step, scores the batch again with the class
    embeddings computed afresh; they must equal the step's."""

    priority = 'LOWEST'

    def __init__(self):
        self.checked = 0

    def after_val_iter(self, runner, batch_idx, data_batch=None,
                       outputs=None):
        head = runner.model.cls_head
        head.cache_class_embeddings = False
        try:
            fresh = runner.model.val_step(data_batch)
        finally:
            head.cache_class_embeddings = True
        for cached, expected in zip(outputs, fresh):
            assert torch.equal(cached.pred_score, expected.pred_score)
        self.checked += 1


@pytest.mark.integration
def test_cache_in_training_with_ema_and_fused_optimizer(demo_root, tmp_path):
    """BAP with EMAHook (which swaps the averaged weights in for every
    validation) and a fused optimizer: every validation step scores as a
    fresh computation would."""
    cfg = short_demo_config(demo_root, tmp_path)
    cfg.train_cfg.val_interval = 1
    cfg.optim_wrapper.optimizer.fused = True
    cfg.custom_hooks.append(dict(type='EMAHook', momentum=0.5))
    runner = Runner.from_cfg(cfg)
    check = FreshScoreCheck()
    runner.register_hook(check)
    runner.train()
    assert check.checked == 3 * 2  # three validations of two batches
