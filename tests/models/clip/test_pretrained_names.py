import io
import json

import pytest
import torch

from a3lign_mmaction.models.clip import (build_clip, is_clip_weights_name,
                                         uses_quick_gelu)
from tests.models.clip.hub_server import HubServer

NAME = 'hf-hub:test/tiny-clip'


@pytest.fixture
def hub(monkeypatch, tmp_path):
    """huggingface_hub (as open_clip calls it) pointed at a server on
    127.0.0.1 (HF_ENDPOINT) and a cache of the test's own (HF_HUB_CACHE):
    ``hub(files)`` is the server, to enter."""
    from huggingface_hub import constants

    def at(files):
        server = HubServer(files)
        monkeypatch.setattr(constants, 'ENDPOINT', server.url)
        monkeypatch.setattr(
            constants, 'HUGGINGFACE_CO_URL_TEMPLATE',
            server.url + '/{repo_id}/resolve/{revision}/{filename}')
        return server

    monkeypatch.setattr(constants, 'HF_HUB_CACHE', str(tmp_path / 'hub'))
    monkeypatch.setattr(constants, 'HF_HUB_ETAG_TIMEOUT', 2)
    return at


@pytest.fixture
def tiny_release(tiny_clip_arch):
    """A tiny CLIP with QuickGELU as a Hugging Face Hub release: its
    model, and its files (weights and ``open_clip_config.json``)."""
    torch.manual_seed(1)
    model = build_clip(tiny_clip_arch, quick_gelu=True)
    weights = io.BytesIO()
    torch.save(model.state_dict(), weights)
    config = dict(model_cfg=dict(tiny_clip_arch, quick_gelu=True))
    return model, {
        'test/tiny-clip/open_clip_pytorch_model.bin': weights.getvalue(),
        'test/tiny-clip/open_clip_config.json': json.dumps(config).encode()
    }


def same_weights(a, b):
    return all(
        torch.equal(x, y)
        for x, y in zip(a.state_dict().values(), b.state_dict().values()))


def test_names_and_paths(tmp_path):
    assert is_clip_weights_name(NAME, {})
    assert is_clip_weights_name('openai', 'ViT-B-16')
    assert is_clip_weights_name('laion2b_s34b_b88k', 'ViT-B-16')
    assert not is_clip_weights_name('openai', {'embed_dim': 8})
    assert not is_clip_weights_name('ViT-B-16.pt', 'ViT-B-16')
    # A file of that name on disk is the file.
    (tmp_path / 'openai').touch()
    assert not is_clip_weights_name(str(tmp_path / 'openai'), 'ViT-B-16')


def test_hub_model_downloads_once_then_loads_offline(
        hub, tiny_release, tiny_clip_arch, mmengine_log):
    model, files = tiny_release
    # The architecture leaves the activation to the weights.
    arch = {k: v for k, v in tiny_clip_arch.items() if k != 'quick_gelu'}
    with hub(files) as server:
        built = build_clip(arch, NAME)
    assert same_weights(built, model)
    # The activation is the one open_clip_config.json beside it states.
    assert uses_quick_gelu(built)
    assert 'QuickGELU, from open_clip_config.json beside the weights' in \
        mmengine_log.text
    assert any('open_clip_pytorch_model.bin' in p for p in server.requests)
    assert any('open_clip_config.json' in p for p in server.requests)
    assert f'CLIP: {NAME} is ' in mmengine_log.text
    assert '(SHA-256 ' in mmengine_log.text
    # The server is gone: the copy in the cache is used.
    again = build_clip(arch, NAME)
    assert same_weights(again, model)


def test_offline_without_a_copy_says_what_to_do(
        hub, tiny_clip_arch, tmp_path):
    with hub({}) as server:
        pass  # stopped: nothing listens on its port
    with pytest.raises(FileNotFoundError) as error:
        build_clip(tiny_clip_arch, NAME)
    message = str(error.value)
    assert '\n' not in message
    assert (f"CLIP weights '{NAME}' of {tiny_clip_arch} are not in "
            f"open_clip's cache ({tmp_path / 'hub'}) and could not be "
            'downloaded (') in message
    assert message.endswith(
        'Run once with a network to download them, or give a local weight '
        'file: model.clip.checkpoint=/path/to/weights (or CLIP_CHECKPOINT); '
        'docs/clip_weights.md.')
    assert not server.requests


def test_pretrained_tag_is_fetched_where_open_clip_lists_it(hub, tmp_path):
    """ViT-B-32's 'laion2b_s34b_b79k' is open_clip's copy on the Hub; a
    server without it is asked for it, and the error names the tag."""
    with hub({}) as server, pytest.raises(
            FileNotFoundError,
            match="CLIP weights 'laion2b_s34b_b79k' of ViT-B-32 are not in"):
        build_clip('ViT-B-32', 'laion2b_s34b_b79k')
    assert any(
        path.startswith('/laion/CLIP-ViT-B-32-laion2B-s34B-b79K/resolve/')
        for path in server.requests)


def test_checkpoints_of_a_model_with_named_weights_leave_them_out(
        hub, tiny_release, build_tiny_model):
    """As with a local weight file: the frozen CLIP is not saved, and a
    model built from the same name (from the cache) loads the checkpoint.
    """
    _, files = tiny_release
    with hub(files):
        model = build_tiny_model(clip=dict(checkpoint=NAME))
    state = model.state_dict()
    assert not any(key.startswith('backbone.visual.') for key in state)
    build_tiny_model(clip=dict(checkpoint=NAME)).load_state_dict(state)
