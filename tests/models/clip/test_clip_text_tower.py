import open_clip
import pytest
import torch
from open_clip.model import CLIP

from a3lign_mmaction.models import CLIPTextTower


@pytest.fixture
def clip(tiny_clip_arch):
    torch.manual_seed(0)
    return CLIP(**tiny_clip_arch).eval()


def test_texts_embed_as_clip_encodes_them(clip):
    tower = CLIPTextTower(clip)
    texts = ['a happy face', 'a photo of a person who looks surprised.']
    tokens = open_clip.get_tokenizer('ViT-B-32')(texts)
    words = [tower.embed_words(text) for text in texts]
    rows = torch.nn.utils.rnn.pad_sequence(words, batch_first=True)
    with torch.no_grad():
        torch.testing.assert_close(
            tower(rows, lengths=torch.tensor([len(w) for w in words])),
            clip.encode_text(tokens),
            atol=1e-5,
            rtol=0)


def test_rows_of_different_lengths_equal_each_row_alone(clip):
    tower = CLIPTextTower(clip)
    rows = torch.randn(3, 7, tower.width)
    lengths = torch.tensor([7, 2, 5])
    with torch.no_grad():
        together = tower(rows, lengths=lengths)
        alone = torch.cat(
            [tower(row[None, :n]) for row, n in zip(rows, lengths)])
        # The padding after a row's [EOS] cannot reach it.
        rows[1, 2:] = 1e3
        padded = tower(rows, lengths=lengths)
    torch.testing.assert_close(together, alone, atol=1e-5, rtol=0)
    torch.testing.assert_close(padded, together)


def test_words_keep_no_table_in_the_state_dict(clip):
    tower = CLIPTextTower(clip)
    assert tower.embed_words('happy').shape == (1, tower.width)
    assert not [key for key in tower.state_dict() if 'token_' in key]
    with pytest.raises(ValueError, match='tokens long; the text tower takes '
                       '75'):
        tower.embed_words(' '.join(['happy'] * 80))
