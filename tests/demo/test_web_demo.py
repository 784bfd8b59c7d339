"""demo/web_demo.py: the page of the zero-shot recipe on a real two-face
video, through Gradio's client and in headless Chromium."""
import argparse
import csv
import os
import os.path as osp
import runpy
import shutil

import cv2
import pytest
from mmaction.apis import init_recognizer

from a3lign_mmaction.testing import load_config
from a3lign_mmaction.video import VideoReader
from tests.repository import REPO_ROOT
from tests.video.composite_videos import two_faces

pytestmark = pytest.mark.integration
gradio_client = pytest.importorskip('gradio_client')

#: Where the browser test leaves its screenshot.
ARTIFACTS = osp.join(REPO_ROOT, 'work_dirs', 'test_artifacts')


@pytest.fixture(scope='module')
def page(tmp_path_factory):
    """The page of the zero-shot demo recipe (1 s windows), served on
    127.0.0.1; yields its address and a two-face video."""
    web_demo = runpy.run_path(osp.join(REPO_ROOT, 'demo', 'web_demo.py'))
    config = osp.join(REPO_ROOT, 'configs', 'zeroshot-clip_demo.py')
    cfg = load_config('zeroshot-clip_demo.py')
    settings = argparse.Namespace(
        config=config, checkpoint='none', window_seconds=1,
        stride_seconds=0.5, min_face_coverage=0.5)
    served = web_demo['build_page'](
        cfg, init_recognizer(cfg, None, device='cpu'), settings)
    served.queue().launch(
        server_name='127.0.0.1', prevent_thread_lock=True, quiet=True)
    try:
        yield served.local_url, two_faces(
            str(tmp_path_factory.mktemp('video')))
    finally:
        served.close()


def test_page_through_gradio_client(page):
    url, video = page
    client = gradio_client.Client(url, verbose=False)
    annotated, timeline, table, predictions = client.predict(
        gradio_client.handle_file(video), api_name='/analyse')
    # Two faces, 5 windows each (1 s every 0.5 s of 72 frames at 25 fps).
    assert [row[0] for row in table['data']] == [0] * 5 + [1] * 5
    with open(predictions) as f:
        rows = list(csv.DictReader(f))
    assert [row['top_class'] for row in rows] == [
        row[4] for row in table['data']
    ]
    assert [float(row['start_s']) for row in rows] == pytest.approx(
        [float(row[1]) for row in table['data']], abs=0.01)
    assert cv2.imread(timeline).shape == (540, 1000, 3)  # a row per face
    played = VideoReader(annotated)
    assert (played.num_frames, played.size) == (72, (1280, 360))
    import av
    with av.open(annotated) as container:
        assert container.streams.video[0].codec_context.name == 'h264'


@pytest.mark.release
def test_page_in_headless_chromium(page):
    """A real browser opens the page, uploads the video, presses Analyse
    and sees the timeline and the table; the screenshot is kept in
    work_dirs/test_artifacts/web_demo.png (web_demo_failed.png if the
    page does not get there)."""
    driver_path = shutil.which('chromedriver')
    if driver_path is None:
        if os.environ.get('CI'):
            pytest.fail('CI needs Debian\'s chromium and chromium-driver')
        pytest.skip('needs chromium and chromedriver (Debian: apt install '
                    'chromium chromium-driver)')
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.ui import WebDriverWait

    url, video = page
    options = webdriver.ChromeOptions()
    for flag in ('--headless', '--no-sandbox', '--disable-gpu',
                 '--disable-dev-shm-usage', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync',
                 '--no-first-run', '--window-size=1280,1400'):
        options.add_argument(flag)
    driver = webdriver.Chrome(
        service=webdriver.ChromeService(driver_path), options=options)
    os.makedirs(ARTIFACTS, exist_ok=True)
    try:
        driver.get(url)
        wait = WebDriverWait(driver, 120)
        wait.until(shown.element_to_be_clickable(
            (By.XPATH, '//button[normalize-space()="Analyse"]')))
        # A busy machine can show the file input before the page's code
        # listens to it: the video is given again until the page shows it.
        for _ in range(4):
            driver.find_element(By.CSS_SELECTOR,
                                'input[type=file]').send_keys(video)
            try:
                WebDriverWait(driver, 30).until(
                    shown.presence_of_element_located(
                        (By.CSS_SELECTOR, 'video[src]')))
                break
            except TimeoutException:
                continue
        driver.find_element(By.XPATH,
                            '//button[normalize-space()="Analyse"]').click()
        timeline = wait.until(
            shown.visibility_of_element_located(
                (By.CSS_SELECTOR, '#timeline img')))
        # The table's grid: a header and 10 rows (5 windows of 2 faces).
        wait.until(
            shown.presence_of_element_located(
                (By.CSS_SELECTOR, '#windows [role=grid][aria-rowcount="11"]')))
        assert driver.execute_script(
            'return arguments[0].naturalHeight', timeline) == 540
        assert 'top class' in driver.find_element(By.CSS_SELECTOR,
                                                  '#windows').text
        driver.save_screenshot(osp.join(ARTIFACTS, 'web_demo.png'))
    except Exception:
        driver.save_screenshot(osp.join(ARTIFACTS, 'web_demo_failed.png'))
        raise
    finally:
        driver.quit()
