import os.path as osp
import shutil
from importlib.metadata import PackageNotFoundError, version

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

MMCV_RANGE = '>=2.0.0rc4,<2.2.0'  # what mmaction2 1.2.0 accepts
# MediaPipe's Tasks API runs the BlazeFace model shipped in
# a3lign_mmaction/video/face_models/; 0.10.0 is its first release with it.
FACES = ['mediapipe>=0.10', 'av']
DEPLOY = ['onnx', 'onnxruntime']
# demo/web_demo.py; its tests drive Debian's Chromium through Selenium.
WEB = ['gradio>=6']


def mmcv_requirement() -> str:
    """Keep a full mmcv that is already installed; else mmcv-lite.

    Full mmcv is a 20-minute source build and the recognition path uses
    none of its compiled ops; mmcv-lite is the same Python package.
    """
    try:
        version('mmcv')
    except PackageNotFoundError:
        return f'mmcv-lite{MMCV_RANGE}'
    return f'mmcv{MMCV_RANGE}'


class BuildPyWithMim(build_py):
    """Ship ``configs/`` and ``tools/`` inside the package, in
    ``a3lign_mmaction/.mim/``, as MMAction2 does (``mmaction/.mim``): an
    installed plugin then has its configs, and ``mim train a3lign_mmaction
    configs/...`` finds them. An editable install uses the repository's.
    """

    def run(self) -> None:
        super().run()
        if getattr(self, 'editable_mode', False):
            return
        mim = osp.join(self.build_lib, 'a3lign_mmaction', '.mim')
        shutil.rmtree(mim, ignore_errors=True)  # no files of older builds
        for name in ('configs', 'tools'):
            shutil.copytree(
                name,
                osp.join(mim, name),
                ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))


def read_version() -> str:
    namespace = {}
    with open('a3lign_mmaction/version.py') as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='a3lign-mmaction',
    version=read_version(),
    description='A³lign-DFER (CLIP-based dynamic facial expression '
    'recognition) as an MMAction2 plugin',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.10',
    packages=find_packages(include=['a3lign_mmaction', 'a3lign_mmaction.*']),
    # DFER-CLIP's split lists (MIT), read as data by the datasets and tools,
    # the class texts of the prompt heads and MediaPipe's BlazeFace
    # short-range model (Apache-2.0).
    package_data={
        'a3lign_mmaction':
        [
            'datasets/dfer_clip_lists/*', 'models/heads/class_text_files/*',
            'video/face_models/*'
        ]
    },
    cmdclass=dict(build_py=BuildPyWithMim),
    install_requires=[
        'torch>=2.5',
        'torchvision',
        'mmengine>=0.10.7,<0.11',
        mmcv_requirement(),
        'mmaction2==1.2.0',
        'importlib-metadata',  # imported by mmaction2, not declared by it
        'numpy',
        'opencv-python<5',
        'opencv-contrib-python<5',
        'open_clip_torch>=3.3,<4',
        'safetensors',
        'matplotlib',
    ],
    extras_require=dict(
        # Face cropping of raw videos (tools/face_crop.py, demo/).
        faces=FACES,
        deploy=DEPLOY,
        web=WEB,
        # `mim train a3lign_mmaction ...`; openmim 0.3.9 imports
        # pkg_resources, which setuptools 81 removed.
        mim=['openmim', 'setuptools<81'],
        tests=[
            'pytest', 'pytest-xdist', 'scikit-learn', 'tensorboard',
            'selenium', *FACES, *DEPLOY, *WEB
        ]),
)
