import open_clip
import pytest
import torch
import torch.nn.functional as F
from open_clip.model import CLIP

from a3lign_mmaction.models import CLIPTextTower, PromptHead

NAMES = ['happy', 'sad', 'angry']


@pytest.fixture
def clip(tiny_clip_arch):
    torch.manual_seed(0)
    return CLIP(**tiny_clip_arch).eval()


def make_head(clip, **kwargs):
    cfg = dict(num_classes=3, in_channels=64, class_texts=NAMES)
    cfg.update(kwargs)
    return PromptHead(text_tower=CLIPTextTower(clip), **cfg)


def encode(clip, texts):
    tokens = open_clip.get_tokenizer('ViT-B-32')(texts)
    return F.normalize(clip.encode_text(tokens), dim=-1)


def test_zero_shot_averages_clip_text_embeddings(clip):
    texts = [['a happy face', 'a smiling person'], 'a sad face',
             ['an angry face', 'a furious person', 'a frown']]
    head = make_head(clip, class_texts=texts, num_tokens=0).eval()
    assert not [p for p in head.parameters() if p.requires_grad]
    assert head.parameter_groups()['prompts'] == []
    with torch.no_grad():
        expected = torch.stack([
            encode(clip, item if isinstance(item, list) else [item]).mean(0)
            for item in texts
        ])
        torch.testing.assert_close(
            head.class_embeddings(), expected, atol=1e-5, rtol=0)
        video = torch.randn(4, 64)
        torch.testing.assert_close(
            head(video),
            F.normalize(video, dim=-1) @ F.normalize(expected, dim=-1).t() *
            100,
            atol=1e-3,
            rtol=0)


@pytest.mark.parametrize('class_specific', [False, True])
def test_context_tokens_before_the_words(clip, class_specific):
    head = make_head(clip, num_tokens=4, class_specific=class_specific)
    assert head.prompts.shape == (3 if class_specific else 1, 4, 128)
    tower = head.text_tower
    with torch.no_grad():
        expected = torch.cat([
            tower(
                torch.cat([
                    head.prompts[index if class_specific else 0],
                    tower.embed_words(name)
                ])[None]) for index, name in enumerate(NAMES)
        ])
        torch.testing.assert_close(
            head.class_embeddings(),
            F.normalize(expected, dim=-1),
            atol=1e-5,
            rtol=0)


def test_gradients_reach_the_context_only(clip):
    head = make_head(clip, num_tokens=4).train()
    head(torch.randn(2, 64)).logsumexp(-1).sum().backward()
    assert head.prompts.grad.abs().sum() > 0
    assert all(p.grad is None for p in head.text_tower.parameters())
    assert [name for name, p in head.named_parameters()
            if p.requires_grad] == ['prompts']


def test_words_are_saved_with_the_head(clip):
    head = make_head(clip)
    assert {'words', 'word_lengths', 'text_class'} <= set(head.state_dict())
    other = make_head(clip, class_texts=['a', 'b', 'c'])
    other.load_state_dict(head.state_dict())
    with torch.no_grad():
        torch.testing.assert_close(other.class_embeddings(),
                                   head.class_embeddings())


def test_texts_that_do_not_fit(clip):
    with pytest.raises(ValueError, match='need 80 positions; the text tower '
                       'has 77'):
        make_head(clip, num_tokens=8, class_texts=['happy ' * 70, 'b', 'c'])
    with pytest.raises(ValueError, match='texts for 3 classes; the model '
                       'has 2'):
        make_head(clip, num_classes=2)
