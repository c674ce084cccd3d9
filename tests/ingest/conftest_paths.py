"""The corpus paths of the top-level conftest, importable from test modules."""

from tests.conftest import ESTATE, SEED_BIDEN, SEED_KAZAKH, SEEDS  # noqa: F401
