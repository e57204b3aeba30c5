"""Shared fixtures: the instance catalogue and hypothesis settings sized for 2-core CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from persuasion.instance import load_instance

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "instances"

settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci")


@pytest.fixture
def catalog():
    """Load an instance of ``instances/`` by its slug."""

    def load(slug: str):
        return load_instance(INSTANCES / f"{slug}.json")

    return load
