"""Shared fixtures for the simple-salesforce checks: the emulator's URL and CA come from
EMULATOR_URL and EMULATOR_CA (see docs/emulator.md)."""

import os

import pytest
import requests


@pytest.fixture(scope="session")
def emulator_url():
    url = os.environ.get("EMULATOR_URL", "").rstrip("/")
    if not url:
        pytest.fail("EMULATOR_URL is not set (see docs/emulator.md)")
    return url


@pytest.fixture(scope="session")
def http(emulator_url):
    """A requests session that trusts only the emulator's CA.

    trust_env is off so an inherited REQUESTS_CA_BUNDLE cannot override `verify` (CRM-APIS C).
    """
    session = requests.Session()
    session.verify = os.environ.get("EMULATOR_CA", True)
    session.trust_env = False
    return session


@pytest.fixture
def control(emulator_url, http):
    def call(method, path):
        response = http.request(method, f"{emulator_url}/_emulator{path}")
        response.raise_for_status()
        return None if response.status_code == 204 else response.json()

    return call
