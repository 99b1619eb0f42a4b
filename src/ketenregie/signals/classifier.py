"""Category suggestion from a melding's free text: TF-IDF over words and word pairs, and a multinomial
logistic regression.

Trained per municipality on its own triaged meldingen, so it learns the words its residents and partners
use, in Dutch and English alike (no stop-word list or stemmer for one language). A suggestion is only ever
shown with its confidence; a person decides. Work runs on one BLAS thread: on a small shared server,
competing threads make a fit several times slower, not faster.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

VECTORIZER_PARAMS: dict[str, Any] = {
    "analyzer": "word",
    "ngram_range": (1, 2),
    "min_df": 2,
    "max_features": 50_000,
    "sublinear_tf": True,
    "lowercase": True,
    "strip_accents": "unicode",
    "dtype": np.float32,
}
MIN_EXAMPLES = 30
HELD_OUT_SHARE = 0.2


@dataclass(frozen=True)
class TrainedModel:
    labels: list[str]
    vectorizer: TfidfVectorizer
    coef: np.ndarray
    intercept: np.ndarray

    def to_json(self) -> dict[str, Any]:
        return {
            "vocabulary": {term: int(index) for term, index in self.vectorizer.vocabulary_.items()},
            "idf": [round(float(v), 6) for v in self.vectorizer.idf_],
            "coef": [[round(float(v), 6) for v in row] for row in self.coef],
            "intercept": [round(float(v), 6) for v in self.intercept],
        }

    @classmethod
    def from_json(cls, labels: list[str], data: dict[str, Any]) -> TrainedModel:
        vectorizer = TfidfVectorizer(**{**VECTORIZER_PARAMS, "vocabulary": data["vocabulary"]})
        vectorizer.idf_ = np.asarray(data["idf"], dtype=np.float32)
        return cls(
            labels=list(labels),
            vectorizer=vectorizer,
            coef=np.asarray(data["coef"], dtype=np.float32),
            intercept=np.asarray(data["intercept"], dtype=np.float32),
        )

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        features = self.vectorizer.transform(list(texts))
        scores = features @ self.coef.T + self.intercept
        if len(self.labels) == 2 and scores.shape[1] == 1:
            # A two-class logistic model has one coefficient row: the log-odds of the second label.
            scores = np.hstack([np.zeros_like(scores), scores])
        scores = scores - scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        if not texts:
            return []
        with threadpool_limits(limits=1):
            probabilities = self.probabilities(texts)
        best = probabilities.argmax(axis=1)
        return [(self.labels[i], float(probabilities[row, i])) for row, i in enumerate(best)]


@dataclass(frozen=True)
class TrainingResult:
    model: TrainedModel
    samples: int
    held_out: int
    accuracy: float | None
    per_label: dict[str, float]


def _fit(texts: Sequence[str], labels: Sequence[str]) -> TrainedModel:
    vectorizer = TfidfVectorizer(**VECTORIZER_PARAMS)
    features = vectorizer.fit_transform(list(texts))
    model = LogisticRegression(C=8.0, max_iter=2000, class_weight="balanced")
    with threadpool_limits(limits=1):
        model.fit(features, list(labels))
    return TrainedModel(
        labels=[str(label) for label in model.classes_],
        vectorizer=vectorizer,
        coef=model.coef_.astype(np.float32),
        intercept=model.intercept_.astype(np.float32),
    )


def train(texts: Sequence[str], labels: Sequence[str], *, seed: int = 0) -> TrainingResult:
    """Measure accuracy on a held-out fifth (stratified), then fit the model on all examples."""
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    distinct = sorted(set(labels))
    if len(texts) < MIN_EXAMPLES or len(distinct) < 2:
        raise ValueError(
            f"need at least {MIN_EXAMPLES} labelled meldingen in two or more categories; have {len(texts)}"
        )
    counts = {label: list(labels).count(label) for label in distinct}
    stratify = list(labels) if min(counts.values()) >= 2 else None
    train_x, test_x, train_y, test_y = train_test_split(
        list(texts), list(labels), test_size=HELD_OUT_SHARE, random_state=seed, stratify=stratify
    )
    accuracy: float | None = None
    per_label: dict[str, float] = {}
    if len(set(train_y)) >= 2:
        held_out_model = _fit(train_x, train_y)
        predicted = [label for label, _confidence in held_out_model.predict(test_x)]
        hits = [p == t for p, t in zip(predicted, test_y, strict=True)]
        accuracy = sum(hits) / len(hits) if hits else None
        for label in distinct:
            rows = [hit for hit, truth in zip(hits, test_y, strict=True) if truth == label]
            if rows:
                per_label[label] = sum(rows) / len(rows)
    return TrainingResult(
        model=_fit(texts, labels),
        samples=len(texts),
        held_out=len(test_x),
        accuracy=accuracy,
        per_label=per_label,
    )


_cache: dict[int, TrainedModel] = {}
_cache_lock = threading.Lock()


def load(classifier_id: int, labels: list[str], data: dict[str, Any]) -> TrainedModel:
    """A stored classifier, parsed once per process."""
    with _cache_lock:
        model = _cache.get(classifier_id)
        if model is None:
            model = TrainedModel.from_json(labels, data)
            if len(_cache) > 16:
                _cache.clear()
            _cache[classifier_id] = model
        return model
