"""Stories: articles about one real event, grouped as they arrive, in any language."""

from .bag import LinkWeights
from .cluster import ClusterOptions, Story, StoryClusterer, StoryEvent, story_id
from .features import StoryDoc, StoryFeatureOptions, doc_features
from .prepare import PrepareOptions, story_docs

__all__ = [
    "ClusterOptions",
    "LinkWeights",
    "PrepareOptions",
    "Story",
    "StoryClusterer",
    "StoryDoc",
    "StoryEvent",
    "StoryFeatureOptions",
    "doc_features",
    "story_docs",
    "story_id",
]
