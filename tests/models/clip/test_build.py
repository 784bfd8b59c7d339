import json
import os
import os.path as osp
import pickle
import zipfile

import open_clip
import pytest
import torch
from open_clip.model import CLIP
from safetensors.torch import save_file

from a3lign_mmaction.models.clip import (build_clip,
                                         clear_clip_checkpoint_cache,
                                         guess_clip_arch, uses_quick_gelu)
from a3lign_mmaction.models.clip.weight_files import _read_cached

_OPENAI_EXTRA = dict(
    input_resolution=torch.tensor(32),
    context_length=torch.tensor(77),
    vocab_size=torch.tensor(49408))


def save_openai_archive(state_dict, path):
    """Write weights as a TorchScript archive laid out like OpenAI's."""
    root = torch.nn.Module()
    for key, value in state_dict.items():
        *parents, leaf = key.split('.')
        module = root
        for name in parents:
            if not hasattr(module, name):
                module.add_module(name, torch.nn.Module())
            module = getattr(module, name)
        module.register_buffer(leaf, value)
    torch.jit.save(torch.jit.script(root), path)


def reference_and_file(arch, fmt, tmp_path):
    """A random CLIP written to disk in ``fmt`` and open_clip's own load."""
    torch.manual_seed(0)
    cfg = dict(arch)
    model = CLIP(**cfg)
    with torch.no_grad():
        for param in model.parameters():
            param.add_(torch.randn_like(param) * 0.01)
    weights = model.state_dict()
    if fmt == 'openai':
        path = str(tmp_path / 'ViT-tiny.pt')
        archive = {k: v.half() for k, v in weights.items()}
        archive.update(_OPENAI_EXTRA)
        save_openai_archive(archive, path)
        return open_clip.load_openai_model(
            path, precision='fp32', device='cpu'), path
    if fmt == 'safetensors':
        path = str(tmp_path / 'open_clip_model.safetensors')
        save_file({k: v.contiguous() for k, v in weights.items()}, path)
    elif fmt == 'bin':
        path = str(tmp_path / 'open_clip_pytorch_model.bin')
        torch.save(weights, path)
    elif fmt == 'nested-ddp':
        path = str(tmp_path / 'epoch_32.pt')
        torch.save(
            dict(
                epoch=32,
                state_dict={f'module.{k}': v
                            for k, v in weights.items()}), path)
    elif fmt == 'nested-model':
        path = str(tmp_path / 'clip.pth')
        torch.save(dict(model=weights), path)
    else:
        path = str(tmp_path / 'clip.pth')
        torch.save(weights, path)
    reference = CLIP(**cfg)
    if fmt == 'nested-model':  # a layout open_clip itself does not read
        reference.load_state_dict(weights)
    else:
        open_clip.load_checkpoint(reference, path)
    return reference.eval(), path


@pytest.mark.parametrize(
    'fmt',
    ['openai', 'state-dict', 'nested-ddp', 'nested-model', 'bin',
     'safetensors'])
def test_embeddings_equal_open_clip(fmt, tiny_clip_arch, tmp_path):
    arch = dict(tiny_clip_arch, quick_gelu=False)
    reference, path = reference_and_file(arch, fmt, tmp_path)
    # OpenAI's archives switch QuickGELU on, as open_clip does for them.
    model = build_clip(arch, checkpoint=path)
    assert model.visual.transformer.resblocks[0].mlp.gelu.__class__ is \
        reference.visual.transformer.resblocks[0].mlp.gelu.__class__
    images = torch.randn(3, 3, 32, 32)
    tokens = open_clip.get_tokenizer('ViT-B-32')(
        ['a happy face', 'a sad face', 'fear'])
    with torch.no_grad():
        image_diff = model.encode_image(images) - reference.encode_image(
            images)
        text_diff = model.encode_text(tokens) - reference.encode_text(tokens)
    assert image_diff.abs().max() <= 1e-5
    assert text_diff.abs().max() <= 1e-5
    assert next(model.parameters()).dtype == torch.float32
    assert not model.training


def test_checkpoint_read_once(tiny_clip_arch, tmp_path):
    _, path = reference_and_file(tiny_clip_arch, 'state-dict', tmp_path)
    clear_clip_checkpoint_cache()
    build_clip(tiny_clip_arch, checkpoint=path)
    build_clip(tiny_clip_arch, checkpoint=path)
    info = _read_cached.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    clear_clip_checkpoint_cache()
    assert _read_cached.cache_info().currsize == 0


def test_builds_named_arch_offline():
    with torch.device('meta'):
        model = build_clip('ViT-B-16')
    assert model.visual.conv1.weight.shape == (768, 3, 16, 16)
    assert model.text_projection.shape == (512, 512)


def test_unknown_arch_names_close_ones():
    with pytest.raises(ValueError, match=r"did you mean .*ViT-B-16"):
        build_clip('ViT-B-61')


def test_missing_file_names_path_and_sources(tiny_clip_arch, tmp_path):
    path = str(tmp_path / 'nowhere' / 'ViT-L-14.pt')
    with pytest.raises(FileNotFoundError) as info:
        build_clip(tiny_clip_arch, checkpoint=path)
    assert path in str(info.value)
    assert 'open_clip_pytorch_model.bin' in str(info.value)


@pytest.mark.parametrize('content', [b'not a checkpoint at all', 'truncated'])
def test_corrupt_file_gives_clear_error(content, tiny_clip_arch, tmp_path):
    if content == 'truncated':
        _, good = reference_and_file(tiny_clip_arch, 'state-dict', tmp_path)
        with open(good, 'rb') as f:
            content = f.read()[:5000]
    path = tmp_path / 'broken.pth'
    path.write_bytes(content)
    with pytest.raises(ValueError, match='could not be read as a CLIP '
                       'weight file') as info:
        build_clip(tiny_clip_arch, checkpoint=str(path))
    assert str(path) in str(info.value)


@pytest.mark.parametrize('name', ['ViT-L-14.pt', 'model.safetensors'])
def test_empty_file(name, tiny_clip_arch, tmp_path):
    path = tmp_path / name
    path.write_bytes(b'')
    with pytest.raises(ValueError,
                       match=rf'{path} is empty \(0 bytes\), not a CLIP '
                       'weight file'):
        build_clip(tiny_clip_arch, checkpoint=str(path))


def test_non_weight_checkpoint(tiny_clip_arch, tmp_path):
    path = str(tmp_path / 'config.pth')
    torch.save(dict(lr=0.1, steps=[1, 2]), path)
    with pytest.raises(ValueError, match='holds no CLIP state dict'):
        build_clip(tiny_clip_arch, checkpoint=path)


def test_wrong_architecture_lists_keys(tiny_clip_arch, tmp_path):
    _, path = reference_and_file(tiny_clip_arch, 'state-dict', tmp_path)
    other = dict(tiny_clip_arch)
    other['vision_cfg'] = dict(other['vision_cfg'], layers=3, patch_size=4)
    with pytest.raises(ValueError) as info:
        build_clip(other, checkpoint=path)
    message = str(info.value)
    assert 'do not fit architecture' in message
    assert 'Missing keys (' in message
    assert 'visual.transformer.resblocks.2.attn.in_proj_weight' in message
    assert 'visual.conv1.weight: file (128, 3, 8, 8) vs model (128, 3, 4, 4)' \
        in message
    assert 'image tower: 2 layers, width 128, patch 8' in message


@pytest.mark.parametrize('name', ['ViT-B-32', 'ViT-B-16', 'ViT-L-14'])
def test_guess_names_real_architectures(name):
    with torch.device('meta'):
        weights = build_clip(name).state_dict()
    assert f'seems to be a {name} checkpoint' in guess_clip_arch(weights)


def test_wrong_file_for_named_arch_is_identified(tmp_path):
    with torch.device('meta'):
        weights = build_clip('ViT-B-32').state_dict()
    path = str(tmp_path / 'b32.pth')
    # Shapes are all the loader looks at before refusing a file.
    torch.save({k: torch.zeros(()).expand(v.shape)
                for k, v in weights.items()}, path)
    with pytest.raises(ValueError) as info:
        build_clip('ViT-L-14', checkpoint=path)
    assert 'seems to be a ViT-B-32 checkpoint' in str(info.value)


def test_sha256(tiny_clip_arch, tmp_path, monkeypatch):
    _, path = reference_and_file(tiny_clip_arch, 'bin', tmp_path)
    from a3lign_mmaction.models.clip import KNOWN_SHA256, file_sha256
    digest = file_sha256(path)
    build_clip(tiny_clip_arch, checkpoint=path, sha256=digest.upper())
    with pytest.raises(ValueError, match='incomplete, corrupt'):
        build_clip(tiny_clip_arch, checkpoint=path, sha256='0' * 64)
    monkeypatch.setitem(KNOWN_SHA256, digest, 'OpenAI ViT-B/16')
    with pytest.raises(ValueError, match='the file is OpenAI ViT-B/16'):
        build_clip(tiny_clip_arch, checkpoint=path, sha256='0' * 64)
    assert osp.isfile(path)


def write_open_clip_folder(tiny_clip_arch, folder, fmt, quick_gelu):
    """A tiny CLIP with QuickGELU saved as the Hugging Face Hub ships
    open_clip models: the weights and an ``open_clip_config.json`` saying
    ``quick_gelu``; returns open_clip's own model of that config."""
    model_cfg = dict(tiny_clip_arch, quick_gelu=quick_gelu)
    torch.manual_seed(0)
    model = CLIP(**dict(tiny_clip_arch, quick_gelu=True))
    with torch.no_grad():
        for param in model.parameters():
            param.add_(torch.randn_like(param) * 0.01)
    folder.mkdir()
    weights = model.state_dict()
    if fmt == 'bin':
        path = str(folder / 'open_clip_pytorch_model.bin')
        torch.save(weights, path)
    else:
        path = str(folder / 'open_clip_model.safetensors')
        save_file({k: v.contiguous() for k, v in weights.items()}, path)
    (folder / 'open_clip_config.json').write_text(
        json.dumps(dict(model_cfg=model_cfg, preprocess_cfg={})))
    reference = CLIP(**model_cfg)
    open_clip.load_checkpoint(reference, path)
    return reference.eval(), path


def assert_same_embeddings(model, reference):
    images = torch.randn(3, 3, 32, 32)
    tokens = open_clip.get_tokenizer('ViT-B-32')(['a happy face', 'fear'])
    with torch.no_grad():
        for encode in ('encode_image', 'encode_text'):
            inputs = images if encode == 'encode_image' else tokens
            diff = (getattr(model, encode)(inputs) -
                    getattr(reference, encode)(inputs))
            assert diff.abs().max() <= 1e-5, encode


@pytest.fixture
def plain_arch(tiny_clip_arch, tmp_path):
    """The tiny architecture without a word on the activation, as an
    inline dict and registered with open_clip under a plain name."""
    arch = {k: v for k, v in tiny_clip_arch.items() if k != 'quick_gelu'}
    (tmp_path / 'configs').mkdir()
    (tmp_path / 'configs' / 'A3lignTinyTest.json').write_text(
        json.dumps(arch))
    open_clip.add_model_config(str(tmp_path / 'configs'))
    return arch


@pytest.mark.parametrize('fmt', ['bin', 'safetensors'])
@pytest.mark.parametrize('by', ['inline dict', 'name', 'folder'])
def test_activation_from_open_clip_config(fmt, by, tiny_clip_arch,
                                          plain_arch, tmp_path, mmengine_log):
    reference, path = write_open_clip_folder(tiny_clip_arch,
                                             tmp_path / 'hub', fmt, True)
    arch = 'A3lignTinyTest' if by == 'name' else plain_arch
    checkpoint = str(tmp_path / 'hub') if by == 'folder' else path
    model = build_clip(arch, checkpoint=checkpoint)
    assert uses_quick_gelu(model) and uses_quick_gelu(reference)
    assert_same_embeddings(model, reference)
    assert 'CLIP: QuickGELU, from open_clip_config.json' in mmengine_log.text


@pytest.mark.parametrize('fmt', ['bin', 'safetensors'])
def test_config_saying_gelu_builds_gelu(fmt, tiny_clip_arch, tmp_path,
                                        mmengine_log):
    reference, path = write_open_clip_folder(tiny_clip_arch,
                                             tmp_path / 'hub', fmt, False)
    # The metadata wins over the architecture (tiny_clip_arch says True).
    model = build_clip(tiny_clip_arch, checkpoint=path)
    assert not uses_quick_gelu(model) and not uses_quick_gelu(reference)
    assert_same_embeddings(model, reference)
    # Given explicitly, quick_gelu wins, with a warning.
    assert uses_quick_gelu(
        build_clip(tiny_clip_arch, checkpoint=path, quick_gelu=True))
    assert 'quick_gelu=True overrides the open_clip_config.json' in \
        mmengine_log.text


def test_no_metadata_says_what_is_assumed(plain_arch, tiny_clip_arch,
                                          tmp_path, mmengine_log):
    _, path = reference_and_file(tiny_clip_arch, 'state-dict', tmp_path)
    assert not uses_quick_gelu(build_clip(plain_arch, checkpoint=path))
    assert 'assuming GELU' in mmengine_log.text
    assert 'model.clip.quick_gelu=True' in mmengine_log.text
    assert uses_quick_gelu(build_clip(tiny_clip_arch, checkpoint=path))
    assert 'from the architecture config' in mmengine_log.messages[-1]


def test_folder_without_weights(tmp_path):
    with pytest.raises(FileNotFoundError,
                       match='holds none of open_clip_model.safetensors'):
        build_clip('ViT-B-32', checkpoint=str(tmp_path))


def test_image_size_interpolates_positions(tiny_clip_arch, tmp_path):
    reference, path = reference_and_file(tiny_clip_arch, 'state-dict',
                                         tmp_path)
    model = build_clip(tiny_clip_arch, checkpoint=path, image_size=48)
    assert model.visual.image_size == (48, 48)
    assert model.visual.positional_embedding.shape[0] == 6 * 6 + 1
    # The class token's position is kept; the grid is resampled.
    torch.testing.assert_close(model.visual.positional_embedding[0],
                               reference.visual.positional_embedding[0])
    assert model.encode_image(torch.randn(1, 3, 48, 48)).shape == (1, 64)


class _Traced(torch.nn.Module):
    """Parameters, buffers (one not persistent), a view that shares its
    storage, and nested modules, as in OpenAI's traced archives."""

    def __init__(self):
        super().__init__()
        self.blocks = torch.nn.Sequential(torch.nn.Linear(4, 4),
                                          torch.nn.LayerNorm(4))
        self.proj = torch.nn.Parameter(torch.randn(4, 2).half())
        self.register_buffer('attn_mask', torch.ones(3, 3), persistent=False)
        self.register_buffer('row', self.blocks[0].weight.detach()[1])

    def forward(self, x):
        return self.blocks(x) @ self.proj.float() + self.row.sum()


def test_torchscript_archive_is_read_without_running_it(tmp_path,
                                                        monkeypatch):
    from a3lign_mmaction.models.clip import load_clip_checkpoint
    path = str(tmp_path / 'traced.pt')
    torch.manual_seed(0)
    torch.jit.save(torch.jit.trace(_Traced(), torch.ones(1, 4)), path)
    expected = torch.jit.load(path).state_dict()

    def no_jit(*args, **kwargs):
        raise AssertionError('torch.jit.load runs the archive\'s code')

    monkeypatch.setattr(torch.jit, 'load', no_jit)
    weights, fmt = load_clip_checkpoint(path)
    assert fmt == 'openai-torchscript'
    assert set(weights) == set(expected) - {'attn_mask'}
    for key, value in weights.items():
        assert value.dtype == expected[key].dtype
        assert torch.equal(value, expected[key]), key


def test_torchscript_archive_with_other_objects_is_refused(tmp_path):
    class Payload:
        def __reduce__(self):
            return os.system, (f'touch {tmp_path / "ran"}', )

    path = str(tmp_path / 'ViT-B-32.pt')
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr('ViT-B-32/data.pkl', pickle.dumps(Payload()))
        archive.writestr('ViT-B-32/constants.pkl', pickle.dumps(()))
    with pytest.raises(ValueError,
                       match=rf'{path} is a TorchScript archive that holds '
                       r'more than modules and tensors \(posix.system\); it '
                       'is not read, since reading it would run code'):
        build_clip('ViT-B-32', checkpoint=path)
    assert not (tmp_path / 'ran').exists()


def _build_pickle(module, name, attribute):
    """A pickle that sets ``attribute`` of ``module.name`` to 1 (a BUILD
    with slot state) and returns that object."""
    key = attribute.encode()
    return (b'\x80\x02c' + f'{module}\n{name}\n'.encode() + b'N}X' +
            len(key).to_bytes(4, 'little') + key + b'K\x01\x85s\x86b.')


@pytest.mark.parametrize('module,name,attribute', [
    ('torch._utils', '_rebuild_tensor', '__defaults__'),
    ('collections', 'OrderedDict', 'popitem'),
    ('__torch__.Model', 'Model', '__setstate__'),
])
def test_archive_cannot_change_what_it_may_use(module, name, attribute,
                                               tmp_path):
    """A BUILD on an allowed global changes a copy made for the read, not
    the function or class the process uses."""
    import collections

    from a3lign_mmaction.models.clip import torchscript_reader, weight_files
    path = str(tmp_path / 'ViT-B-32.pt')
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr('ViT-B-32/data.pkl',
                         _build_pickle(module, name, attribute))
        archive.writestr('ViT-B-32/constants.pkl', pickle.dumps(()))
    with pytest.raises(ValueError, match=path):  # no module, or unreadable
        weight_files.load_clip_checkpoint(path)
    assert torchscript_reader._rebuild_tensor.__defaults__ is None
    assert collections.OrderedDict.popitem is not 1  # noqa: F632
    assert torchscript_reader._ScriptObject.__setstate__ is not 1  # noqa: F632


def test_archive_that_inflates_is_refused(tmp_path):
    path = str(tmp_path / 'ViT-B-32.pt')
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('ViT-B-32/data.pkl', bytes(50 * 2**20))
        archive.writestr('ViT-B-32/constants.pkl', pickle.dumps(()))
    with pytest.raises(ValueError, match=r'ViT-B-32/data\.pkl would inflate '
                       r'from \d+ to 52428800 bytes; a TorchScript archive '
                       'stores its entries uncompressed'):
        build_clip('ViT-B-32', checkpoint=path)
