"""Synthetic case-management extracts for fictional LAs (the demo and the tests).

Modules: ``profiles`` (the stories, as parameters), ``model`` with ``frontdoor``, ``care`` and
``workforce`` (the simulation), ``snapshot`` (an extract as at a date), ``writer`` (file
formats), ``defects`` (dirty extracts), ``generate`` (``generate_la``) and ``demo``.
"""

from pipelines.synthetic.demo import DEMO_LAS, DemoLA, generate_demo
from pipelines.synthetic.generate import GeneratedExtract, extract_dates, generate_la

__all__ = [
    "DEMO_LAS",
    "DemoLA",
    "GeneratedExtract",
    "extract_dates",
    "generate_demo",
    "generate_la",
]
