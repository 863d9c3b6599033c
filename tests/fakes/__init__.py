"""Test doubles that run as real servers: tests and benches talk to them over loopback."""
