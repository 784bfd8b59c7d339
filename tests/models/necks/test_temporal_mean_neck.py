import torch
import torch.nn.functional as F

from a3lign_mmaction.models import TemporalMeanNeck


def test_mean_of_normalised_frames_ignores_their_order():
    neck = TemporalMeanNeck()
    x = torch.randn(2, 5, 8)
    feats, aux = neck(x)
    assert feats.shape == (2, 8, 1, 1, 1) and aux == {}
    torch.testing.assert_close(feats.flatten(1),
                               F.normalize(x, dim=-1).mean(1))
    torch.testing.assert_close(neck(x.flip(1))[0], feats)
    assert not list(neck.parameters())


def test_feature_maps_are_pooled_over_space_first():
    x = torch.randn(2, 8, 5, 3, 3)
    feats = TemporalMeanNeck(normalize_inputs=False)(x)[0]
    torch.testing.assert_close(feats.flatten(1), x.mean(dim=(2, 3, 4)))
