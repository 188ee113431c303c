"""Actors of a decentralised roaming network that are not tied to one protocol version: the registry."""
