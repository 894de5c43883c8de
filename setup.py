"""Build the two native helpers: saylau.crypto._ed25519 and saylau.board._sync (see their sources
for why each exists)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "saylau.crypto._ed25519",
            sources=["src/saylau/crypto/_ed25519.c"],
            extra_compile_args=["-O3", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
        ),
        Extension(
            "saylau.board._sync",
            sources=["src/saylau/board/_sync.c"],
            extra_compile_args=["-O2", "-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-pthread"],
            extra_link_args=["-pthread"],
        ),
    ]
)
