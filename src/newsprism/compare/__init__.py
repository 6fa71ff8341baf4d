"""The coverage diff: statements aligned across articles, grouped into facts with a status.

:mod:`~newsprism.compare.align` scores statement pairs and groups them into facts;
:mod:`~newsprism.compare.statements` holds what is compared of each statement,
:mod:`~newsprism.compare.figures` the comparison of their figures and
:mod:`~newsprism.compare.status` the status of a fact; :mod:`~newsprism.compare.options`
the settings.
"""

from newsprism.compare.align import align
from newsprism.compare.options import CompareOptions

__all__ = ["CompareOptions", "align"]
