"""The contract's story and the API clients, shared with tests/api."""

from tests.api.conftest import anon, editor_client  # noqa: F401 (API clients)
from tests.api.test_contract import story  # noqa: F401 (the contract's video story)
