"""Partitions: one per LA, discovered from the inbox (one installation, many councils)."""

import dagster as dg

la_partitions = dg.DynamicPartitionsDefinition(name="la")
