import numpy as np
import pytest

from a3lign_mmaction.datasets.transforms import ViewCrops


def clip(frames=2, height=30, width=40):
    rng = np.random.default_rng(0)
    imgs = [rng.integers(0, 256, (height, width, 3), np.uint8)
            for _ in range(frames)]
    return dict(imgs=imgs, img_shape=(height, width), num_clips=1,
                clip_len=frames, modality='RGB')


def test_one_view_is_the_whole_face_resized():
    results = ViewCrops(size=14)(clip())
    assert results['img_shape'] == (14, 14)
    assert len(results['imgs']) == 2 and results['imgs'][0].shape == (
        14, 14, 3)


@pytest.mark.parametrize('crops,resized', [(3, (14, 16)), (10, (16, 16))])
def test_several_crops_of_a_stretched_face(crops, resized):
    """3 crops of the face stretched to 8/7 of its width; 10 of the face
    resized to 8/7 both ways. Every crop is ``size`` square."""
    step = ViewCrops(size=14, crops=crops)
    assert step.resize.scale == resized[::-1]
    results = step(clip())
    assert len(results['imgs']) == 2 * crops
    assert {img.shape for img in results['imgs']} == {(14, 14, 3)}
    first = [img for img in results['imgs'][::2]]
    assert all((a != b).any() for a, b in zip(first, first[1:]))


def test_crops_must_be_1_3_or_10():
    with pytest.raises(ValueError, match=r'TEST_CROPS in the configs\) '
                       'must be 1, 3 or 10, got 4'):
        ViewCrops(size=14, crops=4)
