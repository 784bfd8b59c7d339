import numpy as np
import pytest

from a3lign_mmaction.datasets.transforms import (SegmentSampleFrames,
                                                 segment_indices)

#: Clip lengths around and far from T = 16: DFEW's 16-frame clips,
#: FERV39k's 8-frame ones, odd lengths and a long clip.
LENGTHS = (8, 11, 15, 16, 17, 25, 48, 847)
T = 16


def sample(num_frames, test_mode, num_clips=1, start_index=0):
    sampler = SegmentSampleFrames(
        clip_len=T, num_clips=num_clips, test_mode=test_mode)
    results = sampler(dict(total_frames=num_frames, start_index=start_index))
    assert results['clip_len'] == T and results['num_clips'] == num_clips
    return results['frame_inds']


def segments(num_frames):
    """``[start, end)`` of the T segments, as the paper's sampling defines
    them: equal and disjoint."""
    return [(i * num_frames // T, (i + 1) * num_frames // T)
            for i in range(T)]


def check_short_clip(indices, num_frames):
    """Every frame, in order, each T // n or ceil(T / n) times."""
    assert indices.tolist() == sorted(indices.tolist())
    counts = np.bincount(indices, minlength=num_frames)
    assert set(counts) <= {T // num_frames, -(-T // num_frames)}
    assert counts.min() >= 1 and counts.sum() == T


@pytest.mark.parametrize('num_frames', LENGTHS)
def test_training_takes_one_frame_of_each_segment(num_frames):
    np.random.seed(0)
    draws = np.stack([sample(num_frames, False) for _ in range(2000)])
    if num_frames < T:
        for indices in draws:
            check_short_clip(indices, num_frames)
        return
    for i, (start, end) in enumerate(segments(num_frames)):
        assert start < end
        column = draws[:, i]
        assert column.min() >= start and column.max() < end
        # Random over the whole segment: every frame of it drawn.
        assert set(column) == set(range(start, end))
    # T distinct frames in order in every draw.
    assert (np.diff(draws, axis=1) > 0).all()


@pytest.mark.parametrize('num_frames', LENGTHS)
def test_testing_takes_the_middle_of_each_segment(num_frames):
    indices = sample(num_frames, True)
    assert indices.tolist() == sample(num_frames, True).tolist()
    if num_frames < T:
        check_short_clip(indices, num_frames)
        return
    assert len(set(indices.tolist())) == T
    for index, (start, end) in zip(indices, segments(num_frames)):
        assert index == start + (end - start) // 2


def test_known_indices():
    assert sample(16, True).tolist() == list(range(16))
    assert sample(8, True).tolist() == [i // 2 for i in range(16)]
    assert sample(11, True).tolist() == [
        0, 0, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 9, 10
    ]
    # 41 frames: segments of 2 or 3 frames, the middle of each.
    assert sample(41, True).tolist() == [
        1, 3, 6, 8, 11, 13, 16, 18, 21, 24, 26, 29, 31, 34, 36, 39
    ]


@pytest.mark.parametrize('num_frames', [48, 847])
def test_several_test_clips_are_spread_within_the_segments(num_frames):
    indices = sample(num_frames, True, num_clips=3).reshape(3, T)
    for i, (start, end) in enumerate(segments(num_frames)):
        offsets = indices[:, i] - start
        size = end - start
        assert offsets.tolist() == [
            int((k + 0.5) / 3 * size) for k in range(3)
        ]
        assert 0 <= offsets[0] < offsets[1] < offsets[2] < size


def test_several_clips_of_a_short_clip_are_all_its_frames():
    indices = sample(8, True, num_clips=2).reshape(2, T)
    check_short_clip(indices[0], 8)
    assert (indices[0] == indices[1]).all()


def test_several_training_clips_are_drawn_independently():
    np.random.seed(0)
    first, second = sample(847, False, num_clips=2).reshape(2, T)
    assert (first != second).any()


def test_start_index_shifts_the_indices():
    assert sample(16, True, start_index=1).tolist() == list(range(1, 17))


def test_bad_arguments():
    with pytest.raises(ValueError, match='position must be in'):
        segment_indices(20, T, position=1.0)
    with pytest.raises(ValueError, match='must be positive'):
        SegmentSampleFrames(clip_len=0)
    with pytest.raises(ValueError, match='clip.mp4 has no frames'):
        SegmentSampleFrames(clip_len=T)(
            dict(total_frames=0, start_index=0, filename='clip.mp4'))


def test_name_mmaction2_demos_look_for():
    # MMAction2's webcam and long-video demos find the frame sampler by
    # 'SampleFrames' in its type.
    assert 'SampleFrames' in SegmentSampleFrames.__name__
