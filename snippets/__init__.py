"""Runnable code examples of the derin-defter site, one package per chapter."""
