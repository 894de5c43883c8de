"""Build the one native helper: saylau.crypto._ed25519 (see its source for why it exists)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "saylau.crypto._ed25519",
            sources=["src/saylau/crypto/_ed25519.c"],
            extra_compile_args=["-O3", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
        )
    ]
)
