"""Locale formats (FORMAT_MODULE_PATH): Kazakh, which Django lacks, and English as used in Kazakhstan."""
