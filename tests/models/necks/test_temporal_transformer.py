import pytest
import torch

from a3lign_mmaction.models.necks import TemporalTransformer


def test_cls_output_after_a_final_layer_norm():
    torch.manual_seed(0)
    encoder = TemporalTransformer(embed_dim=16, num_heads=4).eval()
    x = torch.randn(3, 5, 16)
    out = encoder(x)
    assert out.shape == (3, 16)
    assert torch.allclose(out.mean(-1), torch.zeros(3), atol=1e-5)
    # The output is the CLS position's, normalised.
    cls = encoder.cls_token.expand(3, -1, -1)
    raw = encoder.layers(torch.cat([cls, x], 1))[:, 0]
    assert torch.allclose(out, encoder.norm(raw))


def test_dfer_clip_encoder_has_no_final_norm():
    """DFER-CLIP's temporal model: MLP 2x and no final LayerNorm."""
    torch.manual_seed(0)
    encoder = TemporalTransformer(
        embed_dim=16, num_heads=4, mlp_ratio=2., final_norm=False).eval()
    assert not any(name.startswith('norm.')
                   for name in encoder.state_dict())
    assert encoder.layers.layers[0].linear1.out_features == 32
    x = torch.randn(3, 5, 16)
    cls = encoder.cls_token.expand(3, -1, -1)
    assert torch.equal(encoder(x), encoder.layers(torch.cat([cls, x],
                                                            1))[:, 0])
    assert encoder(x).mean(-1).abs().max() > 1e-3


def test_width_must_split_into_heads():
    with pytest.raises(ValueError, match='not divisible by num_heads'):
        TemporalTransformer(embed_dim=10, num_heads=4)
