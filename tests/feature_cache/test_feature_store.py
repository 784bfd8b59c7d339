import numpy as np
import pytest

from a3lign_mmaction.feature_cache import FeatureStore, LoadClipFeatures

LAYOUT = dict(views=3, frames=4, dim=2)


def embeddings(n, offset=0):
    return (np.arange(n * 24).reshape(n, 3, 4, 2) + offset).astype(np.float16)


def every_view(keys):
    """``(key, view)`` pairs of all views of ``keys``."""
    return [(k, v) for k in keys for v in range(LAYOUT['views'])]


def test_write_read_and_resume(tmp_path):
    store = FeatureStore(str(tmp_path))
    store.add(['a/1', 'a/2', 'b/1'], **LAYOUT)
    assert store.missing({'a/1': [0, 2], 'c/1': [1]}) == [
        ('a/1', 0), ('a/1', 2), ('c/1', 1)
    ]
    store.write(every_view(['a/1', 'b/1']), embeddings(2).reshape(6, 4, 2))
    store.write([('a/2', 1)], embeddings(1)[:, 2])
    # Another process (a resumed run, a data loader worker) sees the same.
    reopened = FeatureStore(str(tmp_path))
    assert reopened.missing({k: range(3) for k in ['a/1', 'a/2', 'b/1']}) \
        == [('a/2', 0), ('a/2', 2)]
    assert reopened.read('b/1', 2).tolist() == embeddings(2)[1, 2].tolist()
    assert reopened.read('a/2', 1).tolist() == embeddings(1)[0, 2].tolist()
    with pytest.raises(KeyError, match="view 0 of clip 'a/2' is not in"):
        reopened.read('a/2', 0)
    with pytest.raises(KeyError, match='not in the feature store'):
        reopened.read('c/1', 0)


def test_new_clips_go_to_a_new_shard(tmp_path):
    store = FeatureStore(str(tmp_path))
    store.add(['a', 'b'], **LAYOUT)
    store.write(every_view(['a', 'b']), embeddings(2).reshape(6, 4, 2))
    store.add(['b', 'c'], **LAYOUT)  # b is there already
    assert store.clips == {'a': (0, 0), 'b': (0, 1), 'c': (1, 0)}
    store.write(every_view(['c']), embeddings(1, offset=100)[0])
    store = FeatureStore(str(tmp_path))
    assert store.read('c', 0)[0, 0] == 100 and store.read('b', 0)[0, 0] == 24
    assert store.num_views == 3 and len(store) == 3


def test_refuses_embeddings_made_differently(tmp_path):
    store = FeatureStore(str(tmp_path))
    store.add(['a'], **LAYOUT, info=dict(arch='ViT-L-14'))
    with pytest.raises(ValueError, match="arch: 'ViT-L-14' in the store, "
                       "'ViT-B-16' now"):
        store.add(['b'], **LAYOUT, info=dict(arch='ViT-B-16'))


def test_load_clip_features_picks_views(tmp_path):
    store = FeatureStore(str(tmp_path / 'store'))
    store.add(['clips/a'], **LAYOUT, info=dict(data_root=str(tmp_path)))
    store.write(every_view(['clips/a']), embeddings(1)[0])
    clip = dict(frame_dir=str(tmp_path / 'clips' / 'a'))
    train = LoadClipFeatures(str(tmp_path / 'store'))
    views = {train(dict(clip))['feature_view'] for _ in range(50)}
    assert views == {1, 2}  # the training views, at random
    test = LoadClipFeatures(str(tmp_path / 'store'), test_mode=True)
    result = test(dict(clip))
    assert result['feature_view'] == 0
    assert result['imgs'].shape == (1, 4, 2)
    assert result['imgs'][0].tolist() == embeddings(1)[0, 0].tolist()
    # A moved dataset: keys are relative to the given root.
    moved = LoadClipFeatures(
        str(tmp_path / 'store'), data_root='/new/root', test_mode=True)
    assert moved(dict(frame_dir='/new/root/clips/a'))['feature_view'] == 0


def test_missing_store(tmp_path):
    with pytest.raises(FileNotFoundError, match='extract_features.py'):
        LoadClipFeatures(str(tmp_path))(dict(frame_dir='x'))


def test_input_that_is_no_dataset_clip(tmp_path):
    # What MMAction2Inferencer gives a *_cached config's test loader.
    with pytest.raises(KeyError, match='inference_recognizer'):
        LoadClipFeatures(str(tmp_path))(
            dict(filename='video.mp4', total_frames=10))


@pytest.mark.parametrize('name,content', [
    ('index.json', b''),
    ('index.json', b'{"views": 3}'),
    ('shard_0000.done.npy', b''),
    ('shard_0000.npy', b'\x93NUMPY truncated'),
])
def test_damaged_file_is_named(name, content, tmp_path):
    store = FeatureStore(str(tmp_path))
    store.add(['a'], **LAYOUT)
    store.write(every_view(['a']), embeddings(1)[0])
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ValueError,
                       match=rf'{tmp_path / name} of a feature store is '
                       'damaged or truncated'):
        FeatureStore(str(tmp_path)).read('a', 0)


def written_store(path, keys=('a', 'b')):
    store = FeatureStore(str(path))
    store.add(list(keys), **LAYOUT)
    store.write(every_view(keys), embeddings(len(keys)).reshape(-1, 4, 2))
    return store


def data_offset(path):
    """Where the embeddings start in a shard file (after its header)."""
    with open(path, 'rb') as f:
        np.lib.format.read_magic(f)
        np.lib.format.read_array_header_1_0(f)
        return f.tell()


@pytest.mark.parametrize('damage', ['random', 'zeros'])
def test_damaged_view_is_not_read(damage, tmp_path):
    written_store(tmp_path)
    shard = tmp_path / 'shard_0000.npy'
    raw = bytearray(shard.read_bytes())
    # The second view of clip a: 8 float16 values.
    at = data_offset(shard) + 16
    raw[at:at + 16] = (np.random.default_rng(0).bytes(16)
                       if damage == 'random' else bytes(16))
    shard.write_bytes(bytes(raw))
    store = FeatureStore(str(tmp_path))
    with pytest.raises(ValueError,
                       match=rf"view 1 of clip 'a' in the feature store "
                       rf'{tmp_path} does not match its checksum .*'
                       rf'{shard} is damaged.*--verify'):
        store.read('a', 1)
    assert store.read('a', 0).tolist() == embeddings(1)[0, 0].tolist()
    damaged = store.verify()
    assert [(key, view) for key, view, _ in damaged] == [('a', 1)]
    store.forget([('a', 1)])
    assert FeatureStore(str(tmp_path)).missing({'a': [0, 1, 2]}) == [('a', 1)]


@pytest.mark.parametrize('value,dtype', [(np.nan, 'float32'),
                                         (1e6, 'float16')])
def test_non_finite_embeddings_are_not_written(value, dtype, tmp_path):
    store = FeatureStore(str(tmp_path))
    store.add(['a', 'b'], **LAYOUT, dtype=dtype)
    batch = embeddings(2).reshape(6, 4, 2).astype(np.float32)
    batch[4, 1, 0] = value  # view 1 of clip b; 1e6 overflows float16
    with pytest.raises(ValueError,
                       match="view 1 of clip 'b' has 1 non-finite"):
        store.write(every_view(['a', 'b']), batch)
    assert len(store.missing({'a': [0], 'b': [1]})) == 2


def test_checksums_are_required(tmp_path):
    written_store(tmp_path)
    (tmp_path / 'shard_0000.crc.npy').unlink()
    with pytest.raises(FileNotFoundError, match='shard_0000.crc.npy'):
        FeatureStore(str(tmp_path)).read('a', 0)
