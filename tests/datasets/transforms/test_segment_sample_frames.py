from a3lign_mmaction.datasets.transforms import SegmentSampleFrames


def test_middle_of_each_segment_in_testing():
    sample = SegmentSampleFrames(clip_len=4, test_mode=True)
    results = sample(dict(total_frames=41, start_index=0))
    assert results['frame_inds'].tolist() == [5, 15, 25, 35]
    assert results['clip_len'] == 4 and results['num_clips'] == 1
    # A clip shorter than clip_len repeats frames.
    short = sample(dict(total_frames=3, start_index=0))['frame_inds']
    assert len(short) == 4 and set(short) <= {0, 1, 2}


def test_one_frame_from_each_segment_in_training():
    sample = SegmentSampleFrames(clip_len=4)
    for _ in range(20):
        indices = sample(dict(total_frames=41, start_index=0))['frame_inds']
        # Segments of 10 frames; each segment's end is its next's start.
        assert all(10 * i <= index <= 10 * (i + 1)
                   for i, index in enumerate(indices))


def test_name_mmaction2_demos_look_for():
    # MMAction2's webcam and long-video demos find the frame sampler by
    # 'SampleFrames' in its type.
    assert 'SampleFrames' in SegmentSampleFrames.__name__
