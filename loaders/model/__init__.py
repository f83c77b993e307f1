"""The trained entity-mention model: a character CRF for Person / Organisation / Place.

corpora     readers for the public NER corpora (../shared/ner), the CLUENER check split
features    character n-gram, type and lexicon features (training and tagging)
tagger      NerTagger: sentence -> [(label, start, end)], weights loaded once
train_ner   the training script (python -m shegong.loaders.model.train_ner)
"""

from __future__ import annotations

from .tagger import NerTagger

__all__ = ["NerTagger"]
