"""The product's settings with the floor view mounted beside its URLs (bench/urls.py),
for the server make bench runs."""

from rectify.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
