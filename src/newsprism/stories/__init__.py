"""Stories: articles about one real event, grouped as they arrive, in any language."""

from newsprism.stories.bag import LinkWeights
from newsprism.stories.cluster import ClusterOptions, Story, StoryClusterer, StoryEvent, story_id
from newsprism.stories.features import StoryDoc, StoryFeatureOptions, doc_features
from newsprism.stories.prepare import PrepareOptions, story_docs

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
