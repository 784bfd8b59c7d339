from .embedding_data_preprocessor import EmbeddingDataPreprocessor

__all__ = ['EmbeddingDataPreprocessor']
