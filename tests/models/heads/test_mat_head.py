import pytest
import torch
from mmaction.structures import ActionDataSample
from open_clip.model import CLIP

from a3lign_mmaction.models import CLIPTextTower, MATHead, TemporalTransformer


@pytest.fixture
def text_tower(tiny_clip_arch):
    torch.manual_seed(0)
    return CLIPTextTower(CLIP(**tiny_clip_arch))


def make_head(text_tower, **kwargs):
    cfg = dict(num_classes=3, in_channels=64, num_sentences=4, num_tokens=6)
    cfg.update(kwargs)
    return MATHead(text_tower=text_tower, **cfg)


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
    encoder = TemporalTransformer(64)
    encoder.eval()
    head = make_head(text_tower).eval()
    calls = []
    original = head.sentence_embeddings
    head.sentence_embeddings = lambda: calls.append(1) or original()
    videos = torch.randn(2, 64)
    with torch.no_grad():
        first = head(videos, text_encoder=encoder.forward)
        again = head(torch.randn(7, 64), text_encoder=encoder.forward)
    assert len(calls) == 1
    # An optimizer step on the prompts invalidates it ...
    optimizer = torch.optim.SGD([head.prompts], lr=1.0)
    head.prompts.grad = torch.randn_like(head.prompts)
    optimizer.step()
    with torch.no_grad():
        stepped = head(videos, text_encoder=encoder.forward)
    assert len(calls) == 2 and not torch.equal(first, stepped)
    # ... and so does a change of the text encoder ...
    with torch.no_grad():
        encoder.norm.bias.add_(0.5)
        head(videos, text_encoder=encoder.forward)
    assert len(calls) == 3
    # ... and loading a state dict.
    state = {k: v.clone() for k, v in head.state_dict().items()}
    state['prompts'] = torch.zeros_like(state['prompts'])
    head.load_state_dict(state)
    with torch.no_grad():
        head(videos, text_encoder=encoder.forward)
        head(videos, text_encoder=encoder.forward)
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
