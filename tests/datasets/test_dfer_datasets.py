import collections
import os
import os.path as osp
import re

import pytest

from a3lign_mmaction.datasets import (DFER_CLIP_LISTS, DFEWDataset,
                                      FERV39kDataset, MAFWDataset,
                                      read_clip_list)
from a3lign_mmaction.testing import run_script
from tests.datasets.fake_releases import (make_dfew, make_ferv39k, make_mafw,
                                          published_list, release_from_lists,
                                          write_frames)
from tests.repository import REPO_ROOT

DFEW_CLIPS = {
    1: dict(train=[(1, 0, 12), (25, 6, 5)], test=[(300, 3, 20)]),
    2: dict(train=[(300, 3, 20), (25, 6, 5)], test=[(1, 0, 12)]),
}


def pipeline(test_mode):
    return [
        dict(type='SegmentSampleFrames', clip_len=16, test_mode=test_mode),
        dict(type='FrameListDecode')
    ]


def frame_numbers(results):
    """Which frames were read: the first pixel encodes the frame number."""
    return [int(img[0, 0, 0]) // 10 for img in results['imgs']]


def test_dfew_release(tmp_path):
    root = make_dfew(str(tmp_path / 'DFEW'), DFEW_CLIPS)
    train = DFEWDataset(root, pipeline(False), split='train', fold=1)
    assert len(train) == 2
    info = train.get_data_info(0)
    assert info['frame_dir'] == osp.join(root, 'Clip', 'clip_224x224', '00001')
    assert info['label'] == 0 and info['total_frames'] == 12
    # Listed and sorted numerically, not as strings.
    assert info['frame_names'][:3] == ['1.jpg', '2.jpg', '3.jpg']
    assert info['frame_names'][9] == '10.jpg'
    assert train.get_data_info(1)['label'] == 6
    test = DFEWDataset(
        root, pipeline(True), split='test', fold=2, test_mode=True)
    assert [test.get_data_info(0)[k] for k in ('label', 'total_frames')] == \
        [0, 12]
    assert DFEWDataset.METAINFO['classes'][6] == 'fear'


def test_sampling(tmp_path):
    root = make_dfew(str(tmp_path / 'DFEW'), DFEW_CLIPS)
    test = DFEWDataset(
        root, pipeline(True), split='test', fold=1, test_mode=True)
    # 20 frames in 16 segments of 1 or 2 frames: the middle frame of each
    # (the second of two), frames numbered from 1.
    sampled = frame_numbers(test[0])
    bounds = [i * 20 // 16 for i in range(17)]
    assert sampled == [
        start + (end - start) // 2 + 1
        for start, end in zip(bounds, bounds[1:])
    ]
    train = DFEWDataset(root, pipeline(False), split='train', fold=1)
    # 5 frames for 16 segments: every frame, in order, 3 or 4 times.
    short = frame_numbers(train[1])
    assert short == sorted(short) and set(short) == set(range(1, 6))
    assert set(map(short.count, range(1, 6))) <= {3, 4}


def test_ferv39k_release(tmp_path):
    clips = dict(
        train=[('Action', 0, 267, 8), ('Daily', 5, 3, 30)],
        test=[('Action', 6, 12, 4)])
    root = make_ferv39k(str(tmp_path / 'FERV39k'), clips)
    train = FERV39kDataset(root, pipeline(False), split='train')
    assert len(train) == 2
    info = train.get_data_info(1)
    assert info['frame_dir'] == osp.join(root, '2_ClipsforFaceCrop', 'Daily',
                                         'Disgust', '0003')
    assert info['label'] == 5 and info['frame_names'][0] == '0001.jpg'
    assert len(train[0]['imgs']) == 16  # 8 frames, each twice
    with pytest.raises(ValueError, match='has no folds'):
        FERV39kDataset(root, pipeline(False), fold=1)


def test_mafw_release(tmp_path):
    clips = {3: dict(train=[(7, 10, 6), (8, 7, 3)], test=[(9, 0, 9)])}
    root = make_mafw(str(tmp_path / 'MAFW'), clips)
    train = MAFWDataset(root, pipeline(False), split='train', fold=3)
    assert [train.get_data_info(i)['label'] for i in range(2)] == [10, 7]
    assert train.get_data_info(0)['frame_dir'] == osp.join(
        root, 'data', 'faces', '00007')
    assert train.get_data_info(0)['frame_names'][-1] == 'frame_6.jpg'
    assert len(MAFWDataset.METAINFO['classes']) == 11


@pytest.mark.parametrize('given', ['release', 'single_label'])
def test_dfew_data_affine_layout(given, tmp_path, mmengine_log):
    """The tree the authors' README draws, read from either root a user
    would give: the release folder or its data_affine/single_label."""
    release = make_dfew(
        str(tmp_path / 'DFEW'), DFEW_CLIPS, layout='data_affine')
    single_label = osp.join(release, 'data_affine', 'single_label')
    assert sorted(os.listdir(single_label)) == ['data', 'label']
    assert sorted(os.listdir(osp.join(single_label, 'label'))) == [
        'single_testset_1.csv', 'single_testset_2.csv',
        'single_trainset_1.csv', 'single_trainset_2.csv'
    ]
    root = release if given == 'release' else single_label
    train = DFEWDataset(root, pipeline(False), split='train', fold=1)
    info = train.get_data_info(0)
    assert info['frame_dir'] == osp.join(single_label, 'data', '00001')
    assert info['frame_names'][:2] == ['00001_00001.jpg', '00001_00002.jpg']
    assert info['total_frames'] == 12
    assert [train.get_data_info(i)['label'] for i in range(2)] == [0, 6]
    layout = 'data_affine' if given == 'release' else 'single_label'
    assert f'DFEWDataset: {layout} layout' in mmengine_log.text
    assert len(train[0]['imgs']) == 16


def test_dfew_frame_folder_by_config(tmp_path, mmengine_log):
    root = str(tmp_path / 'DFEW')
    make_dfew(root, DFEW_CLIPS)
    make_dfew(
        root,
        DFEW_CLIPS,
        frames='Clip/clip_224x224_16f',
        frame_maker=lambda folder, _, name: write_frames(folder, 16, name))
    # The release's own folder by default; the 16-frame one when named.
    assert DFEWDataset(root, [], fold=1).get_data_info(0)['total_frames'] \
        == 12
    sixteen = DFEWDataset(root, [], fold=1, frame_root='Clip/clip_224x224_16f')
    assert sixteen.get_data_info(0)['total_frames'] == 16
    assert 'frames in ' + osp.join(root, 'Clip', 'clip_224x224_16f') \
        in mmengine_log.text


def test_only_the_16_frame_folder(tmp_path):
    root = make_dfew(
        str(tmp_path / 'DFEW'), DFEW_CLIPS, frames='Clip/clip_224x224_16f')
    assert DFEWDataset(
        root, [], fold=1).frame_root == osp.join(root, 'Clip',
                                                 'clip_224x224_16f')


def test_frame_folder_the_split_files_do_not_match(tmp_path):
    root = make_dfew(str(tmp_path / 'DFEW'), DFEW_CLIPS)
    os.makedirs(osp.join(root, 'Clip', 'clip_224x224_16f'))
    with pytest.raises(
            FileNotFoundError,
            match=r'None of the clips named by .*set_1\.csv is in '
            r'.*clip_224x224_16f; the release also has Clip/clip_224x224: '
            r"set frame_root='Clip/clip_224x224'"):
        DFEWDataset(root, [], fold=1, frame_root='Clip/clip_224x224_16f')


def test_mafw_whole_frames_without_face_crops(tmp_path, mmengine_log):
    clips = {1: dict(train=[(7, 10, 6)], test=[(9, 0, 9)])}
    root = make_mafw(str(tmp_path / 'MAFW'), clips, frames='data/frames')
    data = MAFWDataset(root, [], fold=1)
    assert data.get_data_info(0)['frame_dir'] == osp.join(
        root, 'data', 'frames', '00007')
    assert 'frames in ' + osp.join(root, 'data', 'frames') in \
        mmengine_log.text
    # Face crops are read where they are.
    make_mafw(root, clips)
    assert MAFWDataset(
        root, [], fold=1).frame_root == osp.join(root, 'data', 'faces')


@pytest.mark.integration
@pytest.mark.parametrize('layout', ['EmoLabel_DataSplit', 'data_affine'])
def test_dfew_layouts_with_the_real_splits(layout, tmp_path):
    """Each of DFEW's layouts, with every clip id of the real split lists,
    builds the lists' clips with their labels, fold by fold."""
    root, folds = release_from_lists(
        make_dfew, str(tmp_path / 'DFEW'), DFEWDataset, layout=layout)
    check_release(DFEWDataset, root, folds)


@pytest.mark.integration
@pytest.mark.parametrize('frames', ['data/faces', 'data/frames'])
def test_mafw_frame_folders_with_the_real_splits(frames, tmp_path):
    root, folds = release_from_lists(
        make_mafw, str(tmp_path / 'MAFW'), MAFWDataset, frames=frames)
    check_release(MAFWDataset, root, folds)


def check_release(dataset, root, folds):
    """Every fold and split of ``dataset`` at ``root`` holds the clips of
    ``folds`` (``{fold: {split: [(clip id, label, frames)]}}``), each with
    its label."""
    for fold, splits in folds.items():
        for split, rows in splits.items():
            data = dataset(root, [], split=split, fold=fold)
            labels = {
                int(osp.basename(info['frame_dir'])): info['label']
                for info in map(data.get_data_info, range(len(data)))
            }
            assert labels == {clip: label for clip, label, _ in rows}


DATASETS = {
    'DFEW': DFEWDataset,
    'FERV39K': FERV39kDataset,
    'MAFW': MAFWDataset
}


@pytest.fixture(scope='module')
def split_tree(tmp_path_factory):
    """One folder with one frame for every clip of every published list,
    each dataset under its own root, the lists' folder layout kept."""
    root = tmp_path_factory.mktemp('splits')
    for name in sorted(os.listdir(DFER_CLIP_LISTS)):
        if not name.endswith('.txt.xz'):
            continue
        dataset = name.split('_')[0]
        for folder, _, _, _ in read_clip_list(osp.join(DFER_CLIP_LISTS, name)):
            target = root / dataset / folder
            if not target.exists():
                target.mkdir(parents=True)
                (target / '1.jpg').write_bytes(b'\xff')
    return root


@pytest.mark.integration
@pytest.mark.parametrize('name,folds,classes', [('DFEW', range(1, 6), 7),
                                                ('MAFW', range(1, 6), 11),
                                                ('FERV39K', [None], 7)])
def test_published_lists(name, folds, classes, split_tree):
    """Every list that ships in the package builds its dataset from the
    compressed file, every clip with its label."""
    dataset = DATASETS[name]
    for fold in folds:
        for split in ('train', 'test'):
            rows = published_list(dataset, split, fold)
            data = dataset(
                str(split_tree / name), [],
                split=split,
                fold=fold,
                ann_file=osp.join(DFER_CLIP_LISTS, dataset.DFER_CLIP_LIST))
            assert data.ann_file.endswith('.txt.xz')
            assert len(data) == len(rows)
            labels = collections.Counter(
                data.get_data_info(i)['label'] for i in range(len(data)))
            assert labels == collections.Counter(r[2] for r in rows)
            assert len(data.metainfo['classes']) == classes
            assert max(labels) == classes - 1
    if name == 'FERV39K':
        assert [len(published_list(dataset, s))
                for s in ('train', 'test')] == [31088, 7847]


def test_dfew_sizes_are_the_release_s():
    for fold, sizes in DFEWDataset.FOLD_SIZES.items():
        assert sizes == tuple(
            len(published_list(DFEWDataset, split, fold))
            for split in ('train', 'test'))
        assert sum(sizes) == DFEWDataset.NUM_CLIPS


# Bad input: one test per case, each message names the file and line/clip.


@pytest.fixture
def dfew(tmp_path):
    return make_dfew(str(tmp_path / 'DFEW'), DFEW_CLIPS)


def test_missing_data_root(tmp_path):
    with pytest.raises(FileNotFoundError, match='data_root .*nowhere'):
        DFEWDataset(str(tmp_path / 'nowhere'), [], fold=1)


def test_missing_split_file(dfew):
    # Neither layout has fold 3: both places looked in are named.
    with pytest.raises(
            FileNotFoundError,
            match=r'looked for .*EmoLabel_DataSplit/train\(single-labeled\)/'
            r'set_3\.csv \(EmoLabel_DataSplit layout\); .*data_affine/'
            r'single_label/label/single_trainset_3\.csv \(data_affine '
            r'layout\); .*label/single_trainset_3\.csv \(single_label '
            r'layout\)'):
        DFEWDataset(dfew, [], fold=3)


def test_root_without_a_known_layout(tmp_path):
    with pytest.raises(
            FileNotFoundError,
            match=r'MAFWDataset: no split file of a release layout it reads '
            r'under .*; looked for .*split/single/no_caption/set_1/'
            r'train\.txt \(split/single layout\)\. Point data_root'):
        MAFWDataset(str(tmp_path), [], fold=1)


def test_missing_clip_folder(dfew):
    import shutil
    shutil.rmtree(osp.join(dfew, 'Clip', 'clip_224x224', '00025'))
    with pytest.raises(
            FileNotFoundError,
            match=r'1 of 2 clip folders are missing: .*00025 '
            r'\(.*set_1\.csv, line 3\)'):
        DFEWDataset(dfew, [], fold=1)


def test_empty_clip_folder(dfew):
    folder = osp.join(dfew, 'Clip', 'clip_224x224', '00001')
    for name in os.listdir(folder):
        os.remove(osp.join(folder, name))
    with pytest.raises(
            FileNotFoundError,
            match=r'are without frames: .*00001 \(.*line 2\)'):
        DFEWDataset(dfew, [], fold=1)


def add_split_line(dfew, line, split='train'):
    """Append ``line`` to DFEW's fold-1 split file of ``split``."""
    path = osp.join(dfew, 'EmoLabel_DataSplit', f'{split}(single-labeled)',
                    'set_1.csv')
    with open(path, 'a') as f:
        f.write(line + '\n')


def test_malformed_line(dfew):
    add_split_line(dfew, '0007,happy')
    with pytest.raises(
            ValueError,
            match=r'set_1\.csv, line 4: expected an '
            'integer video_name and label'):
        DFEWDataset(dfew, [], fold=1)


def test_malformed_list_line(tmp_path):
    path = tmp_path / 'list.txt'
    path.write_text('/a/b/00001 12 3\n/a/b/00002 twelve 3\n')
    with pytest.raises(ValueError, match=r'list\.txt, line 2: expected'):
        DFEWDataset(str(tmp_path), [], ann_file=str(path))


def test_label_outside_classes(dfew, tmp_path):
    add_split_line(dfew, '1,8', split='test')
    with pytest.raises(
            ValueError,
            match=r'set_1\.csv, line 3: label 7 is '
            r'outside the 7 classes'):
        DFEWDataset(dfew, [], split='test', fold=1)
    root = make_mafw(str(tmp_path / 'MAFW'), {1: dict(train=[(1, 0, 2)])})
    path = osp.join(root, 'split', 'single', 'no_caption', 'set_1',
                    'train.txt')
    with open(path, 'a') as f:
        f.write('00001.mp4 boredom\n')
    with pytest.raises(
            ValueError,
            match=r"train\.txt, line 2: label "
            r"'boredom' is not one of happiness"):
        MAFWDataset(root, [], fold=1)


def test_clip_listed_with_two_labels(dfew):
    add_split_line(dfew, '1,3')
    with pytest.raises(
            ValueError,
            match=r'set_1\.csv: lines 2 and 4 both '
            r'list the clip .*00001, with two labels \(0 and 2\);'
            r' keep one of the lines'):
        DFEWDataset(dfew, [], fold=1)


def failed_check(root, *options):
    """What tools/data/check_release.py says of fold 1 of a DFEW release
    at ``root`` that does not build (exit status 1)."""
    return run_script([
        osp.join(REPO_ROOT, 'tools', 'data',
                 'check_release.py'), 'configs/a3lign_dfew.py', '--folds', '1',
        '--cfg-options', f'test_dataloader.dataset.data_root={root}', *options
    ],
                      REPO_ROOT,
                      expect=1)


def test_clip_listed_twice_with_one_label(tmp_path):
    """A repeated line would count the clip twice: refused when the dataset
    is built, e.g. by tools/data/check_release.py."""
    root = make_dfew(str(tmp_path / 'DFEW'), DFEW_CLIPS)
    add_split_line(root, '1,1')
    output = failed_check(root)
    assert re.search(
        r'error: fold 1 train: .*set_1\.csv: lines 2 and 4 '
        r'both list the clip .*00001, which would count twice; '
        'keep one of the lines', output)


BAD_FRAMES = dict(
    unreadable=(lambda data: b'garbage', 'not a readable image'),
    truncated=(lambda data: data[:-40], 'truncated JPEG'))


def test_empty_frame_file_stops_the_build(tmp_path):
    """Every listed frame's size is checked when the dataset is built, so
    an empty one stops tools/data/check_release.py (and training) before
    any epoch, naming the frame and the split file's line."""
    root = make_dfew(str(tmp_path / 'DFEW'), DFEW_CLIPS)
    frame = osp.join(root, 'Clip', 'clip_224x224', '00025', '3.jpg')
    open(frame, 'w').close()
    output = failed_check(root)
    assert (f'error: fold 1 train: DFEWDataset: 1 of 2 clip folders hold an '
            f'empty (0-byte) frame file: {frame} (') in output
    assert 'set_1.csv, line 3)' in output
    # skip_unreadable leaves the clip out in training, and says so.
    train = DFEWDataset(root, [], fold=1, skip_unreadable=True)
    assert [
        osp.basename(train.get_data_info(i)['frame_dir'])
        for i in range(len(train))
    ] == ['00001']


@pytest.mark.parametrize('damage', sorted(BAD_FRAMES))
def test_bad_frame_is_found_when_read(damage, dfew):
    frame = osp.join(dfew, 'Clip', 'clip_224x224', '00001', '3.jpg')
    damaged, message = BAD_FRAMES[damage]
    with open(frame, 'rb') as f:
        data = f.read()
    with open(frame, 'wb') as f:
        f.write(damaged(data))
    test = DFEWDataset(
        dfew, pipeline(True), split='test', fold=2,
        test_mode=True)  # built without reading frames
    with pytest.raises(
            RuntimeError, match=rf'clip .*00001: {message}.*3\.jpg'):
        test[0]


def test_skip_unreadable_clips_in_training(dfew):
    folder = osp.join(dfew, 'Clip', 'clip_224x224', '00025')
    for name in sorted(os.listdir(folder)):
        # Truncated JPEGs.
        with open(osp.join(folder, name), 'wb') as f:
            f.write(b'\xff\xd8broken')
    from a3lign_mmaction.datasets.transforms import FrameListDecode
    before = FrameListDecode.skipped
    train = DFEWDataset(dfew, pipeline(False), fold=1, skip_unreadable=True)
    # Another clip comes back instead of the broken one.
    assert train[1]['frame_dir'].endswith('00001')
    assert FrameListDecode.skipped > before  # (refetch may hit it again)
    strict = DFEWDataset(dfew, pipeline(False), fold=1)
    with pytest.raises(RuntimeError, match='00025'):
        strict[1]
    # Never skipped in testing, even when asked.
    test = DFEWDataset(
        dfew,
        pipeline(True),
        split='test',
        fold=2,
        test_mode=True,
        skip_unreadable=True)
    assert test.get_data_info(0)['skip_unreadable'] is False


def test_listed_folder_with_spaces(tmp_path):
    # As tools/face_crop.py lists the crops of `my clip.mp4`.
    write_frames(str(tmp_path / 'faces' / 'my clip'), 3)
    path = tmp_path / 'list.txt'
    path.write_text(f'{tmp_path}/faces/my clip 3 4\n')
    data = DFEWDataset(
        str(tmp_path / 'faces'), [],
        ann_file=str(path),
        list_prefix=str(tmp_path / 'faces'))
    assert data.get_data_info(0)['frame_dir'].endswith('my clip')
    assert data.get_data_info(0)['label'] == 4


def test_frames_of_a_listed_clip_in_numeric_order(tmp_path):
    write_frames(str(tmp_path / 'faces' / 'c1'), 11, 'img_{}.jpg')
    path = tmp_path / 'list.txt'
    path.write_text('/elsewhere/faces/c1 11 2\n')
    data = DFEWDataset(
        str(tmp_path / 'faces'),
        pipeline(True),
        ann_file=str(path),
        test_mode=True)
    assert data.get_data_info(0)['frame_names'][-2:] == [
        'img_10.jpg', 'img_11.jpg'
    ]
    assert frame_numbers(data[0]) == sorted(frame_numbers(data[0]))


@pytest.mark.parametrize('content,message', [
    (b'/data/faces/c1 3 0\nfaces/c2 3 1\n',
     'list.txt, line 2: a relative path where line 1 has an absolute one; '
     'a list gives all its folders one way (or set list_prefix)'),
    (b'/data/faces/c1 3 0\n/data/faces/\xe9t\xe9 3 1\n',
     'list.txt, line 2: not UTF-8 text (invalid continuation byte at byte '
     '12); save the file as UTF-8'),
])
def test_list_file_faults_are_named(content, message, tmp_path):
    """Through tools/data/check_release.py, which builds the config's
    dataset from the list, as training does."""
    path = tmp_path / 'list.txt'
    path.write_bytes(content)
    output = failed_check(tmp_path, f'test_dataloader.dataset.ann_file={path}')
    assert f'error: fold 1 train: {tmp_path}/{message}' in output
