"""Benchmarks and the real-server harness they share with the tests."""
