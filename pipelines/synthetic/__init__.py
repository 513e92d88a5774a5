"""Synthetic case-management extracts for fictional LAs (the demo and the tests).

Nothing in the pipeline imports this package; only ``csc-kpis generate`` and ``demo`` do.

Modules: ``profiles`` (the stories, as parameters); ``model`` (``simulate``: the order of the
draws) with the simulation of ``frontdoor``, ``linking``, ``casework``, ``care``,
``care_events``, ``workforce``, ``allocation`` and the smaller stories (``health``, ``lado``,
``oversight``, ``education``, ``stability``); the ``*_tables`` modules and ``involvements``
(the simulation as contract tables, in a ``history``); ``snapshot`` (an extract as at a date),
``writer`` (file formats), ``defects`` (dirty extracts), ``generate`` (``generate_la``) and
``demo``; ``cin_writer`` and ``ssda903_writer`` (an extract as a statutory return).
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
