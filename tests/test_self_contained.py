"""A clone holds everything its tests, tools and configs read: no tracked
file names the folder beside the checkout that only this project's own
machines have."""
import re

from tests.repository import REPO_ROOT, TRACKED

#: The sibling folder's name, written so that this file does not match.
OUTSIDE = re.compile(rb'\.\./shared\b')


def test_no_tracked_file_names_the_folder_beside_the_checkout():
    naming = []
    for path in sorted(TRACKED):
        with open(f'{REPO_ROOT}/{path}', 'rb') as f:
            if OUTSIDE.search(f.read()):
                naming.append(path)
    assert naming == []


def test_the_pattern_finds_such_a_name():
    sibling = b'..' + b'/shared'
    assert OUTSIDE.search(b'VIDEOS = "' + sibling + b'/data/videos"')
    assert not OUTSIDE.search(b'shared memory, ' + sibling + b'_folder')
